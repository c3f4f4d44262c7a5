using System.Text.RegularExpressions;
using ServiceLedger.Functions.Configuration;

namespace ServiceLedger.Infra.Tests;

/// <summary>The tables, queues and containers in infra/ against the app's own list (StorageNames.cs).</summary>
public sealed partial class StorageTemplateTests
{
    // Queue names leave room for "-poison" within the 63-character limit (azure.md 7).
    private const int MaxQueueNameLength = 56;

    [Fact]
    public void Every_table_the_app_uses_is_created_and_no_other()
    {
        var provisioned = InfraFacts.StorageList("tables");

        Assert.Equal(provisioned.Count, provisioned.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal(StorageNames.Tables.Order(StringComparer.Ordinal), provisioned.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_queue_the_app_uses_is_created_and_no_other()
    {
        var provisioned = InfraFacts.StorageList("queues");

        Assert.Equal(provisioned.Count, provisioned.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(StorageNames.Queues.Order(StringComparer.Ordinal), provisioned.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_storage_module_creates_every_listed_table_and_queue()
    {
        var storage = Repository.Module("storage.bicep");
        var listsFile = storage.Get("var", "storageNames").Value!.Code;

        Assert.Equal("loadJsonContent('../storage.json')", listsFile);
        Assert.Equal("for tableName in storageNames.tables", LoopHeader(storage, "Microsoft.Storage/storageAccounts/tableServices/tables", "tableName"));
        Assert.Equal("for queueName in storageNames.queues", LoopHeader(storage, "Microsoft.Storage/storageAccounts/queueServices/queues", "queueName"));
    }

    [Fact]
    public void Every_queue_gets_the_poison_queue_the_queue_trigger_moves_failures_to()
    {
        var storage = Repository.Module("storage.bicep");
        var queueResources = storage.Resources.Where(r => r.ResourceType == "Microsoft.Storage/storageAccounts/queueServices/queues").ToList();
        var suffix = storage.Get("var", "poisonQueueSuffix").Value!.StringLiteral!;

        var names = queueResources
            .Select(r => r.Body!.Get("name")!.Interpolate(new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["queueName"] = "orders",
                ["poisonQueueSuffix"] = suffix,
            }))
            .Order(StringComparer.Ordinal);

        Assert.Equal(2, queueResources.Count);
        Assert.All(queueResources, r => Assert.Contains("for queueName in storageNames.queues", r.Value!.Code, StringComparison.Ordinal));
        Assert.Equal(["orders", StorageNames.PoisonQueueOf("orders")], names);
    }

    [Fact]
    public void Table_names_follow_the_table_service_rules()
    {
        Assert.All(StorageNames.Tables, t =>
        {
            Assert.Matches(TableName(), t);
            Assert.NotEqual("tables", t, StringComparer.OrdinalIgnoreCase);
        });
    }

    [Fact]
    public void Queue_names_follow_the_queue_service_rules_and_leave_room_for_the_poison_suffix()
    {
        Assert.All(StorageNames.Queues, q =>
        {
            Assert.Matches(QueueName(), q);
            Assert.InRange(q.Length, 3, MaxQueueNameLength);
            Assert.InRange(StorageNames.PoisonQueueOf(q).Length, 3, 63);
        });
    }

    [Fact]
    public void The_account_refuses_shared_keys_and_public_blobs_and_old_tls()
    {
        var account = Assert.Single(Repository.Module("storage.bicep").Resources, r => r.ResourceType == "Microsoft.Storage/storageAccounts");
        var body = account.Body!;

        Assert.Equal("false", body.Find("properties.allowSharedKeyAccess")!.Code);
        Assert.Equal("false", body.Find("properties.allowBlobPublicAccess")!.Code);
        Assert.Equal("TLS1_2", body.Find("properties.minimumTlsVersion")!.StringLiteral);
        Assert.Equal("true", body.Find("properties.supportsHttpsTrafficOnly")!.Code);
        Assert.Equal("StorageV2", body.Get("kind")!.StringLiteral);
    }

    [Fact]
    public void The_deployment_container_is_private_and_is_one_of_the_containers_the_app_identity_owns()
    {
        var storage = Repository.Module("storage.bicep");
        var container = Assert.Single(storage.Resources, r => r.ResourceType == "Microsoft.Storage/storageAccounts/blobServices/containers");
        var owned = storage.Get("var", "hostBlobContainerNames").Value!.AsArray().Select(v => v.Code).ToList();

        Assert.Equal("None", container.Body!.Find("properties.publicAccess")!.StringLiteral);
        Assert.Contains("for containerName in hostBlobContainerNames", container.Value!.Code, StringComparison.Ordinal);
        Assert.Contains("deploymentContainerName", owned);
        Assert.Contains("'azure-webjobs-hosts'", owned);
        Assert.Contains("'azure-webjobs-secrets'", owned);
        Assert.Equal("'${account.properties.primaryEndpoints.blob}${deploymentContainerName}'", storage.Get("output", "deploymentContainerUrl").Value!.Code);
    }

    private static string LoopHeader(Bicep.BicepFile file, string resourceType, string variable)
    {
        // The resource named by the loop variable itself (not the poison queues, whose name adds a suffix).
        var resource = Assert.Single(file.Resources, r => r.ResourceType == resourceType && r.Body!.Get("name")!.Code == variable);
        var code = resource.Value!.Code;
        var start = code.IndexOf("for ", StringComparison.Ordinal);
        return code[start..code.IndexOf(':', start)];
    }

    // Table names: alphanumeric, starting with a letter, 3-63 characters (azure.md 2.3).
    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    private static partial Regex TableName();

    // Queue names: lowercase letters, digits and single dashes, starting and ending with a letter or digit.
    [GeneratedRegex("^[a-z0-9](?:[a-z0-9]|-(?!-))*[a-z0-9]$")]
    private static partial Regex QueueName();
}
