using System.Text.RegularExpressions;

namespace ServiceLedger.Infra.Tests;

/// <summary>The role assignments of the Function App identity: documented built-in ids, least privilege, right scopes.</summary>
public sealed partial class RoleAssignmentTests
{
    // The built-in role definition ids, as documented in the shared Azure reference (azure.md 5.4, from
    // Azure-Samples/azure-functions-flex-consumption-samples IaC/bicep/rbac.bicep and the built-in roles list).
    private static readonly Dictionary<string, string> DocumentedBuiltInRoles = new(StringComparer.Ordinal)
    {
        ["Storage Table Data Contributor"] = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3",
        ["Storage Table Data Reader"] = "76199698-9eea-4c19-bc75-cec21354c6b6",
        ["Storage Queue Data Contributor"] = "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
        ["Storage Queue Data Reader"] = "19e7f393-937e-4f77-808e-94535e297925",
        ["Storage Queue Data Message Processor"] = "8a0f0c08-91a1-4084-bc3d-661d67233fed",
        ["Storage Queue Data Message Sender"] = "c6a89b2d-59bc-44d0-9896-0f6e12d7b80a",
        ["Storage Blob Data Owner"] = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
        ["Storage Blob Data Contributor"] = "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
        ["Storage Account Contributor"] = "17d1049b-9a84-46fb-8f53-869881c3d3ab",
        ["Key Vault Secrets User"] = "4633458b-17de-408a-b874-0445c86b69e6",
        ["Monitoring Metrics Publisher"] = "3913510d-42f4-4e42-8a64-420c390055eb",
    };

    // Role → the type of resource it is granted on (the issue's list, plus telemetry with local auth off).
    private static readonly Dictionary<string, string> LeastPrivilege = new(StringComparer.Ordinal)
    {
        ["Storage Table Data Contributor"] = "Microsoft.Storage/storageAccounts",
        ["Storage Queue Data Contributor"] = "Microsoft.Storage/storageAccounts",
        ["Storage Blob Data Owner"] = "Microsoft.Storage/storageAccounts/blobServices/containers",
        ["Key Vault Secrets User"] = "Microsoft.KeyVault/vaults",
        ["Monitoring Metrics Publisher"] = "Microsoft.Insights/components",
    };

    [Fact]
    public void Role_ids_are_the_documented_built_in_ones()
    {
        var roles = InfraFacts.Roles;

        Assert.NotEmpty(roles);
        Assert.All(roles, r =>
        {
            Assert.True(DocumentedBuiltInRoles.TryGetValue(r.Name, out var documented), $"{r.Name} is not a documented built-in role");
            Assert.Equal(documented, r.Id);
        });
    }

    [Fact]
    public void The_identity_gets_exactly_the_least_privilege_roles()
    {
        Assert.Equal(LeastPrivilege.Keys.Order(StringComparer.Ordinal), InfraFacts.Roles.Select(r => r.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Role_ids_are_named_in_roles_json_only()
    {
        var elsewhere = Repository.AllInfraFiles
            .Where(f => Path.GetFileName(f) != "roles.json")
            .SelectMany(f => Guid().Matches(File.ReadAllText(f)).Select(m => $"{Repository.Relative(f)}: {m.Value}"));

        Assert.Empty(elsewhere);
    }

    [Fact]
    public void Every_named_role_is_assigned_and_every_assignment_uses_a_named_role()
    {
        var access = Repository.Module("access.bicep");
        var used = RoleReference().Matches(access.Text.Mask).Select(m => m.Groups["role"].Value).ToHashSet(StringComparer.Ordinal);

        Assert.Equal("loadJsonContent('../roles.json')", access.Get("var", "roles").Value!.Code);
        Assert.Equal(InfraFacts.Roles.Select(r => r.Symbol).Order(StringComparer.Ordinal), used.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Each_role_is_granted_to_the_app_identity_on_its_least_privilege_scope()
    {
        var access = Repository.Module("access.bicep");
        var assignments = access.Resources.Where(r => r.ResourceType == "Microsoft.Authorization/roleAssignments").ToList();
        var roleNames = InfraFacts.Roles.ToDictionary(r => r.Symbol, r => r.Name, StringComparer.Ordinal);

        var granted = assignments.Select(a =>
        {
            var body = a.Body!;
            var role = RoleReference().Match(body.Find("properties.roleDefinitionId")!.Code).Groups["role"].Value;
            var scopeSymbol = body.Get("scope")!.Code.Split('[')[0];
            var scope = access.Get("resource", scopeSymbol);

            Assert.Equal($"subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.{role}.id)", body.Find("properties.roleDefinitionId")!.Code);
            Assert.Equal($"guid({body.Get("scope")!.Code}.id, principalId, roles.{role}.id)", body.Get("name")!.Code);
            Assert.Equal("principalId", body.Find("properties.principalId")!.Code);
            Assert.Equal("ServicePrincipal", body.Find("properties.principalType")!.StringLiteral);
            Assert.True(scope.IsExisting, $"{a.Name} should be scoped to an existing resource");
            return (Role: roleNames[role], ScopeType: scope.ResourceType!);
        }).ToList();

        Assert.Equal(
            LeastPrivilege.Select(p => $"{p.Key} on {p.Value}").Order(StringComparer.Ordinal),
            granted.Select(g => $"{g.Role} on {g.ScopeType}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Blob_data_owner_covers_the_host_containers_the_storage_module_creates_and_nothing_wider()
    {
        var main = Repository.Main;
        var access = Repository.Module("access.bicep");
        var containers = access.Get("resource", "hostBlobContainers");
        var blobOwner = access.Resources.Single(r => r.Value!.Code.Contains("roles.StorageBlobDataOwner.id", StringComparison.Ordinal));

        Assert.Equal("storage.outputs.hostBlobContainerNames", main.Get("module", "access").Body!.Find("params.hostBlobContainerNames")!.Code);
        Assert.Equal("hostBlobContainerNames", Repository.Module("storage.bicep").Get("output", "hostBlobContainerNames").Value!.Code);
        Assert.Contains("for containerName in hostBlobContainerNames", containers.Value!.Code, StringComparison.Ordinal);
        Assert.Contains("for (containerName, i) in hostBlobContainerNames", blobOwner.Value!.Code, StringComparison.Ordinal);
        Assert.Equal("hostBlobContainers[i]", blobOwner.Body!.Get("scope")!.Code);
    }

    [Fact]
    public void The_roles_go_to_the_function_apps_own_identity()
    {
        Assert.Equal("functionApp.outputs.principalId", Repository.Main.Get("module", "access").Body!.Find("params.principalId")!.Code);
        Assert.Equal("app.identity.principalId", Repository.Module("functionapp.bicep").Get("output", "principalId").Value!.Code);
    }

    [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex Guid();

    [GeneratedRegex(@"\broles\.(?<role>[A-Za-z]\w*)\.id\b")]
    private static partial Regex RoleReference();
}
