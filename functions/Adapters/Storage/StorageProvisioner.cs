using ServiceLedger.Functions.Adapters.Queues;
using ServiceLedger.Functions.Adapters.Tables;
using ServiceLedger.Functions.Configuration;

namespace ServiceLedger.Functions.Adapters.Storage;

/// <summary>
/// Creates every table and queue the app uses (<see cref="StorageNames"/>), and each queue's poison twin, if missing.
/// Idempotent: safe to run at every start. In Azure, infra/ creates them too; this serves Azurite and tests.
/// </summary>
public sealed class StorageProvisioner(TableServiceClient tables, QueueServiceClient queues, ILogger<StorageProvisioner> logger)
{
    /// <summary>Creates the tables and queues in <see cref="StorageNames"/> (plus poison queues).</summary>
    public Task EnsureCreatedAsync(CancellationToken cancellationToken) =>
        EnsureCreatedAsync(StorageNames.Tables, StorageNames.Queues, cancellationToken);

    /// <summary>Creates the given tables and queues, and a poison queue for each queue.</summary>
    public async Task EnsureCreatedAsync(
        IReadOnlyList<string> tableNames, IReadOnlyList<string> queueNames, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tableNames);
        ArgumentNullException.ThrowIfNull(queueNames);
        foreach (var table in tableNames)
        {
            await tables.GetTableClient(table).CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var queue in queueNames)
        {
            await queues.GetQueueClient(queue).CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
            await queues.GetQueueClient(StorageNames.PoisonQueueOf(queue)).CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        }

        logger.LogInformation(
            "Storage provisioned: {TableCount} tables, {QueueCount} queues with their poison queues", tableNames.Count, queueNames.Count);
    }
}
