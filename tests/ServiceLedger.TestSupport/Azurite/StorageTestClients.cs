using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;
using ServiceLedger.Functions.Adapters.Queues;
using ServiceLedger.Functions.Adapters.Storage;
using ServiceLedger.Functions.Adapters.Tables;

namespace ServiceLedger.TestSupport.Azurite;

/// <summary>Table and Queue clients for an Azurite instance, with their own request counter.</summary>
/// <param name="Tables">The Table service client.</param>
/// <param name="Queues">The Queue service client.</param>
/// <param name="Counter">Counts the requests these clients send.</param>
public sealed record StorageTestClients(TableServiceClient Tables, QueueServiceClient Queues, StorageRequestCounter Counter)
{
    /// <summary>Clients for <paramref name="connectionString"/> with the system clock and no logging.</summary>
    public static StorageTestClients Create(string connectionString)
    {
        var account = StorageAccount.FromConnectionString(connectionString);
        var counter = new StorageRequestCounter();
        return new StorageTestClients(
            new TableServiceClient(account, counter, SystemClock.Instance, NullLogger<TableServiceClient>.Instance),
            new QueueServiceClient(account, counter, SystemClock.Instance, NullLogger<QueueServiceClient>.Instance),
            counter);
    }
}
