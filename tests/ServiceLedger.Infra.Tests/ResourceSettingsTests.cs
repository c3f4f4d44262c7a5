using System.Text.RegularExpressions;
using ServiceLedger.Infra.Tests.Bicep;

namespace ServiceLedger.Infra.Tests;

/// <summary>The security and hosting properties the issue asks for, read from the resource declarations.</summary>
public sealed partial class ResourceSettingsTests
{
    private static BicepObject SingleResource(string module, string type) =>
        Assert.Single(Repository.Module(module).Resources, r => r.ResourceType == type && !r.IsExisting).Body!;

    [Fact]
    public void The_function_app_is_a_linux_flex_consumption_app_running_the_custom_handler()
    {
        var plan = SingleResource("functionapp.bicep", "Microsoft.Web/serverfarms");
        var app = SingleResource("functionapp.bicep", "Microsoft.Web/sites");

        Assert.Equal("FlexConsumption", plan.Find("sku.tier")!.StringLiteral);
        Assert.Equal("FC1", plan.Find("sku.name")!.StringLiteral);
        Assert.Equal("true", plan.Find("properties.reserved")!.Code);
        Assert.Equal("functionapp,linux", app.Get("kind")!.StringLiteral);
        Assert.Equal("plan.id", app.Find("properties.serverFarmId")!.Code);
        Assert.Equal("custom", app.Find("properties.functionAppConfig.runtime.name")!.StringLiteral);
        Assert.Equal("1.0", app.Find("properties.functionAppConfig.runtime.version")!.StringLiteral);
    }

    [Fact]
    public void The_function_app_has_a_system_assigned_identity_only()
    {
        var app = SingleResource("functionapp.bicep", "Microsoft.Web/sites");

        Assert.Equal("SystemAssigned", app.Find("identity.type")!.StringLiteral);
        Assert.DoesNotContain(Repository.BicepFiles, f => f.Text.Source.Contains("UserAssigned", StringComparison.Ordinal));
    }

    [Fact]
    public void The_function_app_serves_https_only_with_tls_1_2_and_no_ftp_or_basic_auth_publishing()
    {
        var module = Repository.Module("functionapp.bicep");
        var app = SingleResource("functionapp.bicep", "Microsoft.Web/sites");
        var basicAuth = module.Resources.Where(r => r.ResourceType == "Microsoft.Web/sites/basicPublishingCredentialsPolicies").ToList();

        Assert.Equal("true", app.Find("properties.httpsOnly")!.Code);
        Assert.Equal("1.2", app.Find("properties.siteConfig.minTlsVersion")!.StringLiteral);
        Assert.Equal("1.2", app.Find("properties.siteConfig.scmMinTlsVersion")!.StringLiteral);
        Assert.Equal("Disabled", app.Find("properties.siteConfig.ftpsState")!.StringLiteral);
        Assert.Equal(["ftp", "scm"], basicAuth.Select(r => r.Body!.Get("name")!.StringLiteral).Order(StringComparer.Ordinal));
        Assert.All(basicAuth, r => Assert.Equal("false", r.Body!.Find("properties.allow")!.Code));
    }

    [Fact]
    public void The_platform_deploys_from_the_blob_container_with_the_apps_identity()
    {
        var app = SingleResource("functionapp.bicep", "Microsoft.Web/sites");

        Assert.Equal("blobContainer", app.Find("properties.functionAppConfig.deployment.storage.type")!.StringLiteral);
        Assert.Equal("deploymentContainerUrl", app.Find("properties.functionAppConfig.deployment.storage.value")!.Code);
        Assert.Equal("SystemAssignedIdentity", app.Find("properties.functionAppConfig.deployment.storage.authentication.type")!.StringLiteral);
        Assert.Equal("storage.outputs.deploymentContainerUrl", Repository.Main.Get("module", "functionApp").Body!.Find("params.deploymentContainerUrl")!.Code);
    }

    [Fact]
    public void Flex_scale_settings_come_from_the_environment_parameters()
    {
        var app = SingleResource("functionapp.bicep", "Microsoft.Web/sites");

        Assert.Equal("maximumInstanceCount", app.Find("properties.functionAppConfig.scaleAndConcurrency.maximumInstanceCount")!.Code);
        Assert.Equal("instanceMemoryMB", app.Find("properties.functionAppConfig.scaleAndConcurrency.instanceMemoryMB")!.Code);
    }

    [Fact]
    public void The_key_vault_uses_rbac_soft_delete_and_purge_protection_and_holds_no_template_secrets()
    {
        var vault = SingleResource("keyvault.bicep", "Microsoft.KeyVault/vaults");

        Assert.Equal("true", vault.Find("properties.enableRbacAuthorization")!.Code);
        Assert.Equal("true", vault.Find("properties.enableSoftDelete")!.Code);
        Assert.Equal("true", vault.Find("properties.enablePurgeProtection")!.Code);
        Assert.Equal("softDeleteRetentionInDays", vault.Find("properties.softDeleteRetentionInDays")!.Code);
        Assert.Null(vault.Find("properties.accessPolicies"));
        Assert.DoesNotContain(Repository.BicepFiles, f => f.Resources.Any(r => r.ResourceType == "Microsoft.KeyVault/vaults/secrets"));
    }

    [Fact]
    public void Application_insights_sits_on_the_workspace_and_accepts_only_entra_authenticated_telemetry()
    {
        var appInsights = SingleResource("monitoring.bicep", "Microsoft.Insights/components");

        Assert.Equal("workspace.id", appInsights.Find("properties.WorkspaceResourceId")!.Code);
        Assert.Equal("true", appInsights.Find("properties.DisableLocalAuth")!.Code);
        Assert.Equal("Microsoft.OperationalInsights/workspaces", Repository.Module("monitoring.bicep").Get("resource", "workspace").ResourceType);
    }

    [Fact]
    public void No_parameter_or_output_carries_a_secret()
    {
        var secureDeclarations = Repository.BicepFiles
            .SelectMany(f => f.Declarations.Where(d => d.Decorator("secure") is not null || d.DeclaredType is "secureString" or "secureObject")
                .Select(d => $"{Repository.Relative(f.Path)}: {d.Keyword} {d.Name}"));
        var secretLookingOutputs = Repository.BicepFiles
            .SelectMany(f => f.Outputs
                .Where(o => o.Value!.Code.Contains("ConnectionString", StringComparison.OrdinalIgnoreCase) || ListFunctionCall().IsMatch(o.Value.Mask))
                .Select(o => $"{Repository.Relative(f.Path)}: output {o.Name}"));

        Assert.Empty(secureDeclarations);
        Assert.Empty(secretLookingOutputs);
    }

    // list*() resource functions (listKeys, listSecrets, ...) return credentials.
    [GeneratedRegex(@"\blist[A-Z]\w*\s*\(")]
    private static partial Regex ListFunctionCall();
}
