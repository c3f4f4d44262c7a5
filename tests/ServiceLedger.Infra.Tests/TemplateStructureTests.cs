namespace ServiceLedger.Infra.Tests;

/// <summary>What a Bicep compiler would catch first: syntax shape, unused and missing params, module wiring, API versions.</summary>
public sealed class TemplateStructureTests
{
    // Resource types and API versions checked in the shared Azure reference (azure.md 5.1 and the Microsoft Flex samples
    // it cites). A type or version outside this list is a typo until someone checks it against the provider.
    private static readonly HashSet<string> KnownResourceTypes =
    [
        "Microsoft.Web/serverfarms@2024-04-01",
        "Microsoft.Web/sites@2024-04-01",
        "Microsoft.Web/sites/config@2024-04-01",
        "Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01",
        "Microsoft.Storage/storageAccounts@2023-05-01",
        "Microsoft.Storage/storageAccounts/blobServices@2023-05-01",
        "Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01",
        "Microsoft.Storage/storageAccounts/tableServices@2023-05-01",
        "Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01",
        "Microsoft.Storage/storageAccounts/queueServices@2023-05-01",
        "Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01",
        "Microsoft.KeyVault/vaults@2023-07-01",
        "Microsoft.OperationalInsights/workspaces@2023-09-01",
        "Microsoft.Insights/components@2020-02-02",
        "Microsoft.Authorization/roleAssignments@2022-04-01",
    ];

    private static readonly string[] ParameterFileKeywords = ["using", "param"];

    public static TheoryData<string> BicepFileNames => [.. Repository.BicepFiles.Select(f => Repository.Relative(f.Path))];

    public static TheoryData<string> ParameterFileNames => [.. Repository.ParameterFiles.Select(f => Repository.Relative(f.Path))];

    [Theory]
    [MemberData(nameof(BicepFileNames))]
    public void Bicep_file_scans_cleanly_into_known_declarations(string file)
    {
        var bicep = Bicep.BicepFile.Load(Path.Combine(Repository.Root, file));

        Assert.Empty(bicep.Problems);
        Assert.NotEmpty(bicep.Declarations);
    }

    [Theory]
    [MemberData(nameof(ParameterFileNames))]
    public void Parameter_file_scans_cleanly_into_known_declarations(string file)
    {
        var bicepparam = Bicep.BicepFile.Load(Path.Combine(Repository.Root, file));

        Assert.Empty(bicepparam.Problems);
        Assert.All(bicepparam.Declarations, d => Assert.Contains(d.Keyword, ParameterFileKeywords));
    }

    [Theory]
    [MemberData(nameof(BicepFileNames))]
    public void Every_param_and_var_is_used(string file)
    {
        Assert.Empty(TemplateChecks.UnusedSymbols(Bicep.BicepFile.Load(Path.Combine(Repository.Root, file))));
    }

    [Theory]
    [MemberData(nameof(BicepFileNames))]
    public void Every_module_call_passes_what_the_module_requires_and_only_that(string file)
    {
        Assert.Empty(TemplateChecks.ModuleCallProblems(Bicep.BicepFile.Load(Path.Combine(Repository.Root, file))));
    }

    [Theory]
    [MemberData(nameof(BicepFileNames))]
    public void Every_loaded_json_file_exists(string file)
    {
        Assert.Empty(TemplateChecks.MissingLoadedFiles(Bicep.BicepFile.Load(Path.Combine(Repository.Root, file))));
    }

    [Fact]
    public void Main_calls_every_module_file_once()
    {
        var called = Repository.Main.Modules.Select(m => m.Quoted!).Order(StringComparer.Ordinal);
        var files = Directory.GetFiles(Path.Combine(Repository.Infra, "modules"), "*.bicep")
            .Select(f => "modules/" + Path.GetFileName(f)).Order(StringComparer.Ordinal);

        Assert.Equal(files, called);
    }

    [Fact]
    public void Main_deploys_to_a_resource_group()
    {
        Assert.Equal("resourceGroup", Repository.Main.Get("targetScope", "targetScope").Value!.StringLiteral);
    }

    [Theory]
    [MemberData(nameof(ParameterFileNames))]
    public void Parameter_file_uses_main_and_sets_every_required_param_with_allowed_values(string file)
    {
        var bicepparam = Bicep.BicepFile.Load(Path.Combine(Repository.Root, file));

        Assert.Empty(TemplateChecks.ParameterFileProblems(bicepparam, Repository.Main, Repository.MainBicepPath));
    }

    [Fact]
    public void There_is_one_parameter_file_per_allowed_environment_and_each_names_its_own()
    {
        var allowed = Repository.Main.Get("param", "environmentName").Decorator("allowed")!.Argument!.AsArray()
            .Select(v => v.StringLiteral!).Order(StringComparer.Ordinal);
        var files = Repository.ParameterFiles.ToDictionary(f => Path.GetFileNameWithoutExtension(f.Path), StringComparer.Ordinal);

        Assert.Equal(["dev", "prod"], allowed);
        Assert.Equal(allowed, files.Keys.Order(StringComparer.Ordinal));
        Assert.All(files, f => Assert.Equal(f.Key, f.Value.Get("param", "environmentName").Value!.StringLiteral));
    }

    [Fact]
    public void The_base_name_is_lowercase_letters_and_digits_because_storage_account_names_allow_nothing_else()
    {
        var values = Repository.ParameterFiles
            .Select(f => f.Find("param", "baseName")?.Value)
            .Append(Repository.Main.Get("param", "baseName").Value)
            .OfType<Bicep.BicepValue>()
            .Select(v => v.StringLiteral)
            .ToList();

        Assert.NotEmpty(values);
        Assert.All(values, v => Assert.Matches("^[a-z][a-z0-9]{2,10}$", v));
    }

    [Fact]
    public void Every_param_of_main_says_what_it_is_for()
    {
        Assert.All(Repository.Main.Params, p => Assert.True(p.Decorator("description") is not null, $"param {p.Name} has no @description"));
    }

    [Fact]
    public void Every_resource_uses_a_type_and_api_version_checked_in_the_reference()
    {
        var unknown = Repository.BicepFiles
            .SelectMany(f => f.Resources.Select(r => $"{Repository.Relative(f.Path)}: {r.Quoted}"))
            .Where(r => !KnownResourceTypes.Contains(r[(r.IndexOf(": ", StringComparison.Ordinal) + 2)..]));

        Assert.Empty(unknown);
    }

    [Fact]
    public void Child_resources_name_their_parent_instead_of_a_slashed_name()
    {
        var flat = Repository.BicepFiles
            .SelectMany(f => f.Resources
                .Where(r => r.ResourceType!.Count(c => c == '/') > 1)
                .Where(r => r.Body?.Get("parent") is null)
                .Select(r => $"{Repository.Relative(f.Path)}: {r.Name}"));

        Assert.Empty(flat);
    }
}
