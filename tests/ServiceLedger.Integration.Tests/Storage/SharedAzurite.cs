using ServiceLedger.TestSupport.Azurite;

namespace ServiceLedger.Integration.Tests.Storage;

/// <summary>The assembly's one Azurite and one set of clients for it (thread-safe, shared by parallel tests).</summary>
internal static class SharedAzurite
{
    private static readonly Lazy<Task<StorageTestClients>> Clients = new(async () =>
        StorageTestClients.Create((await AzuriteInstance.SharedAsync()).ConnectionString));

    /// <summary>Clients for the shared Azurite; a test that counts requests makes its own with <see cref="StorageTestClients.Create"/>.</summary>
    public static Task<StorageTestClients> ClientsAsync() => Clients.Value;

    /// <summary>A new, created table with a unique name.</summary>
    public static async Task<Functions.Adapters.Tables.TableClient> NewTableAsync(string prefix)
    {
        var table = (await ClientsAsync()).Tables.GetTableClient(StorageTestNames.Table(prefix));
        await table.CreateIfNotExistsAsync(CancellationToken.None);
        return table;
    }

    /// <summary>A new, created queue with a unique name.</summary>
    public static async Task<Functions.Adapters.Queues.QueueClient> NewQueueAsync(string prefix)
    {
        var queue = (await ClientsAsync()).Queues.GetQueueClient(StorageTestNames.Queue(prefix));
        await queue.CreateIfNotExistsAsync(CancellationToken.None);
        return queue;
    }
}
