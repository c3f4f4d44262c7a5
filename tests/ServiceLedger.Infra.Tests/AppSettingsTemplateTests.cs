using System.Text.Json;

namespace ServiceLedger.Infra.Tests;

/// <summary>The app settings in infra/modules/appsettings.bicep against the keys the code reads (AppSettings.cs).</summary>
public sealed class AppSettingsTemplateTests
{
    private static readonly string[] HostSettings =
    [
        // Identity-based host storage: only the account name, no connection string (azure.md 5.3).
        "AzureWebJobsStorage__accountName",
        // Application Insights with Entra authentication (azure.md 5.3).
        "APPLICATIONINSIGHTS_CONNECTION_STRING",
        "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
    ];

    // Settings the Flex Consumption plan rejects or ignores (azure.md 5.2, "Flex deprecations"), plus key-based storage.
    private static readonly string[] SettingsFlexMustNotHave =
    [
        "FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_WORKER_RUNTIME_VERSION", "FUNCTIONS_EXTENSION_VERSION",
        "WEBSITE_NODE_DEFAULT_VERSION", "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING", "WEBSITE_CONTENTSHARE",
        "WEBSITE_RUN_FROM_PACKAGE", "FUNCTIONS_MAX_HTTP_CONCURRENCY", "FUNCTIONS_WORKER_PROCESS_COUNT",
        "linuxFxVersion", "alwaysOn", "use32BitWorkerProcess", "functionAppScaleLimit", "AzureWebJobsDashboard",
    ];

    [Fact]
    public void Every_setting_the_app_reads_is_set_by_the_template()
    {
        var set = InfraFacts.SettingsTheAppReads.Keys.ToHashSet(StringComparer.Ordinal);
        var missing = InfraFacts.AppSettingKeys
            .Where(k => k.NotProvisionedReason is null && !set.Contains(k.AzureName))
            .Select(k => $"{k.Name} ('{k.Key}' → app setting '{k.AzureName}')");

        Assert.Empty(missing);
    }

    [Fact]
    public void The_template_sets_no_app_setting_the_app_does_not_read()
    {
        var read = InfraFacts.AppSettingKeys.Where(k => k.NotProvisionedReason is null).Select(k => k.AzureName).ToHashSet(StringComparer.Ordinal);

        var extra = InfraFacts.SettingsTheAppReads.Keys.Where(k => !read.Contains(k));

        Assert.Empty(extra);
    }

    [Fact]
    public void Settings_left_unset_in_Azure_say_why_and_stay_out_of_the_template()
    {
        var everything = InfraFacts.SettingsTheAppReads.Keys.Concat(InfraFacts.SettingsTheHostReads.Keys).ToHashSet(StringComparer.Ordinal);
        var notProvisioned = InfraFacts.AppSettingKeys.Where(k => k.NotProvisionedReason is not null).ToList();

        Assert.NotEmpty(notProvisioned);
        Assert.All(notProvisioned, k => Assert.False(string.IsNullOrWhiteSpace(k.NotProvisionedReason), k.Name));
        Assert.Empty(notProvisioned.Where(k => everything.Contains(k.AzureName)).Select(k => k.AzureName));
    }

    [Fact]
    public void A_secret_setting_is_never_also_left_unset_in_Azure()
    {
        Assert.Empty(InfraFacts.AppSettingKeys.Where(k => k.IsSecret && k.NotProvisionedReason is not null).Select(k => k.Name));
    }

    [Fact]
    public void The_host_gets_identity_based_storage_and_entra_telemetry_and_nothing_else()
    {
        var host = InfraFacts.SettingsTheHostReads;

        Assert.Equal(HostSettings.Order(StringComparer.Ordinal), host.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("Authorization=AAD", host.Get("APPLICATIONINSIGHTS_AUTHENTICATION_STRING")!.StringLiteral);
        Assert.Equal("storageAccountName", host.Get("AzureWebJobsStorage__accountName")!.Code);
    }

    [Fact]
    public void Both_groups_become_the_function_apps_app_settings_with_no_key_in_both()
    {
        var module = InfraFacts.AppSettingsModule;
        var config = Assert.Single(module.Resources, r => r.ResourceType == "Microsoft.Web/sites/config");
        var site = module.Get("resource", config.Body!.Get("parent")!.Code);

        Assert.Equal("appsettings", config.Body!.Get("name")!.StringLiteral);
        Assert.Equal("union(settingsTheHostReads, settingsTheAppReads)", config.Body!.Get("properties")!.Code);
        Assert.Equal("Microsoft.Web/sites", site.ResourceType);
        Assert.Empty(InfraFacts.SettingsTheAppReads.Keys.Intersect(InfraFacts.SettingsTheHostReads.Keys));
    }

    [Fact]
    public void App_settings_are_written_in_one_place_only()
    {
        var writers = Repository.BicepFiles
            .SelectMany(f => f.Resources.Where(r => !r.IsExisting).Select(r => (File: f, Resource: r)))
            .Where(x => (x.Resource.ResourceType == "Microsoft.Web/sites/config" && x.Resource.Body?.Get("name")?.StringLiteral == "appsettings")
                || (x.Resource.ResourceType == "Microsoft.Web/sites" && x.Resource.Body?.Find("properties.siteConfig.appSettings") is not null))
            .Select(x => $"{Repository.Relative(x.File.Path)}: {x.Resource.Name}")
            .ToList();

        Assert.Equal(["infra/modules/appsettings.bicep: appSettings"], writers);
    }

    [Fact]
    public void Secret_settings_are_key_vault_references_and_no_other_setting_is()
    {
        var secrets = InfraFacts.AppSettingKeys.Where(k => k.IsSecret).Select(k => k.AzureName).ToHashSet(StringComparer.Ordinal);
        var references = InfraFacts.KeyVaultReferences();

        Assert.NotEmpty(secrets);
        Assert.Equal(secrets.Order(StringComparer.Ordinal), references.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Key_vault_references_name_distinct_valid_secrets_in_the_vault_the_template_creates()
    {
        var references = InfraFacts.KeyVaultReferences();
        var declaredSecretNames = InfraFacts.AppSettingsModule.Get("var", "secretNames").Value!.AsObject()
            .Properties.Select(p => p.Value.StringLiteral).ToList();
        var main = Repository.Main;
        var passedVault = main.Get("module", "appSettings").Body!.Find("params.keyVaultName")!.Code;

        Assert.All(references, r => Assert.True(r.Value is not null, $"{r.Key} is not '@Microsoft.KeyVault(VaultName=${{keyVaultName}};SecretName=${{secretNames.<name>}})'"));
        Assert.All(references.Values, name => Assert.Matches("^[0-9A-Za-z-]{1,127}$", name!));
        Assert.Equal(references.Count, references.Values.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal(declaredSecretNames.Order(StringComparer.Ordinal), references.Values.Order(StringComparer.Ordinal));
        Assert.Equal("keyVault.outputs.keyVaultName", passedVault);
    }

    [Fact]
    public void Every_binding_connection_in_function_json_is_an_identity_connection_the_template_sets()
    {
        var settings = InfraFacts.SettingsTheAppReads.Keys.Concat(InfraFacts.SettingsTheHostReads.Keys).ToList();
        var definitions = Directory.GetFiles(Path.Combine(Repository.Root, "functions", "definitions"), "function.json", SearchOption.AllDirectories);

        var unset = definitions
            .SelectMany(path =>
            {
                using var json = JsonDocument.Parse(File.ReadAllText(path));
                return json.RootElement.GetProperty("bindings").EnumerateArray()
                    .Where(b => b.TryGetProperty("connection", out _))
                    .Select(b => (Path: path, Connection: b.GetProperty("connection").GetString() ?? ""))
                    .ToList();
            })
            // An empty connection, or AzureWebJobsStorage, is the host storage connection (identity-based above).
            .Where(c => c.Connection.Length > 0 && c.Connection != "AzureWebJobsStorage")
            .Where(c => !settings.Any(s => s.StartsWith(c.Connection + "__", StringComparison.Ordinal)))
            .Select(c => $"{Repository.Relative(c.Path)}: connection '{c.Connection}' has no '{c.Connection}__…' settings in the template");

        Assert.NotEmpty(definitions);
        Assert.Empty(unset);
    }

    [Fact]
    public void No_setting_the_flex_plan_rejects_or_a_key_based_storage_connection_appears_in_infra()
    {
        var found = Repository.BicepFiles
            .SelectMany(f => SettingsFlexMustNotHave.Concat(["AzureWebJobsStorage'", "AzureWebJobsStorage:"])
                .Where(s => f.Text.Source.Contains(s, StringComparison.OrdinalIgnoreCase))
                .Select(s => $"{Repository.Relative(f.Path)}: {s}"))
            .ToList();
        var hostStorageKeys = InfraFacts.SettingsTheHostReads.Keys.Where(k => k.StartsWith("AzureWebJobsStorage", StringComparison.Ordinal));

        Assert.Empty(found);
        Assert.All(hostStorageKeys, k => Assert.StartsWith("AzureWebJobsStorage__", k, StringComparison.Ordinal));
    }
}
