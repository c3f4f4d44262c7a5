using System.Diagnostics;
using System.Text.RegularExpressions;

namespace ServiceLedger.Infra.Tests;

/// <summary>docs/deployment.md and scripts/deploy.sh against the template they drive.</summary>
public sealed partial class DeploymentGuideTests
{
    private const string GuidePath = "docs/deployment.md";
    private const string ScriptPath = "scripts/deploy.sh";

    // The packaging step's output, agreed with scripts/package.sh.
    private const string PackagePath = "artifacts/functionapp.zip";

    private const int BashTimeoutMilliseconds = 30_000;

    private static string Guide => Repository.Text(GuidePath);

    private static string Script => Repository.Text(ScriptPath);

    [Fact]
    public void Every_output_the_guide_and_the_script_read_is_an_output_of_main()
    {
        var read = OutputRead().Matches(Guide + Script).Select(m => m.Groups["output"].Value).ToHashSet(StringComparer.Ordinal);

        var unknown = read.Where(o => !InfraFacts.MainOutputs.Contains(o)).ToList();

        Assert.Contains("functionAppName", read);
        Assert.Empty(unknown);
    }

    [Fact]
    public void The_guide_mentions_every_output_of_main()
    {
        var undocumented = InfraFacts.MainOutputs.Where(o => !Guide.Contains(o, StringComparison.Ordinal)).ToList();

        Assert.Empty(undocumented);
    }

    [Fact]
    public void The_guide_sets_exactly_the_vault_secrets_the_app_settings_reference()
    {
        var set = SecretSet().Matches(Guide).Select(m => m.Groups["name"].Value).Order(StringComparer.Ordinal);

        Assert.Equal(InfraFacts.KeyVaultReferences().Values.Order(StringComparer.Ordinal), set);
    }

    [Fact]
    public void The_guide_and_the_script_deploy_main_with_an_environment_parameter_file()
    {
        foreach (var text in new[] { Guide, Script })
        {
            Assert.Contains("--template-file infra/main.bicep", text, StringComparison.Ordinal);
            Assert.Matches(@"--parameters ""?infra/env/\$(ENVIRONMENT|environment)\.bicepparam", text);
            Assert.Contains("az functionapp deployment source config-zip", text, StringComparison.Ordinal);
            Assert.Contains(PackagePath, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_script_accepts_exactly_the_environments_that_have_parameter_files()
    {
        var accepted = ScriptEnvironments().Match(Script).Groups["environments"].Value
            .Split('|', StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal);
        var files = Repository.ParameterFiles.Select(f => Path.GetFileNameWithoutExtension(f.Path)).Order(StringComparer.Ordinal);

        Assert.Equal(files, accepted);
    }

    [Fact]
    public void The_guide_names_the_packaging_script_and_the_webhook_path_the_template_outputs()
    {
        var webhook = Repository.Main.Get("output", "stripeWebhookUrl").Value!.Code;

        Assert.Contains("scripts/package.sh", Guide, StringComparison.Ordinal);
        Assert.Contains("scripts/package.sh", Script, StringComparison.Ordinal);
        Assert.EndsWith("/api/stripe/webhook'", webhook, StringComparison.Ordinal);
        Assert.Contains("/api/stripe/webhook", Guide, StringComparison.Ordinal);
        Assert.Contains("az group delete", Guide, StringComparison.Ordinal);
    }

    [Fact]
    public void The_guides_app_settings_table_lists_every_setting_the_template_sets()
    {
        var missing = InfraFacts.SettingsTheAppReads.Keys.Concat(InfraFacts.SettingsTheHostReads.Keys)
            .Where(s => !Guide.Contains($"| `{s}` |", StringComparison.Ordinal))
            .ToList();

        Assert.Empty(missing);
    }

    [Fact]
    public void The_guides_role_table_lists_every_role_the_identity_gets()
    {
        var missing = InfraFacts.Roles.Where(r => !Guide.Contains($"| {r.Name} |", StringComparison.Ordinal)).Select(r => r.Name).ToList();

        Assert.Empty(missing);
    }

    [Fact]
    public void The_deploy_script_is_valid_bash()
    {
        using var bash = Process.Start(new ProcessStartInfo("bash", ["-n", Path.Combine(Repository.Root, ScriptPath)])
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var errors = bash.StandardError.ReadToEnd();
        Assert.True(bash.WaitForExit(BashTimeoutMilliseconds), "bash -n did not finish");

        Assert.True(bash.ExitCode == 0, errors);
    }

    // "properties.outputs.<name>" in az queries and "$(output <name>)" through the guide's and script's helper.
    [GeneratedRegex(@"properties\.outputs\.(?<output>[A-Za-z_]\w*)|\$\(output (?<output>[A-Za-z_]\w*)\)")]
    private static partial Regex OutputRead();

    [GeneratedRegex(@"az keyvault secret set\b[^\n]*--name (?<name>[\w-]+)")]
    private static partial Regex SecretSet();

    [GeneratedRegex(@"case ""\$environment"" in\s*\n\s*(?<environments>[\w |]+)\)")]
    private static partial Regex ScriptEnvironments();
}
