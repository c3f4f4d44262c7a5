using ServiceLedger.Functions.Adapters.Queues;
using ServiceLedger.Functions.Adapters.Tables;
using ServiceLedger.Functions.Hosting;

namespace ServiceLedger.Functions.Adapters.Storage;

/// <summary>
/// Probes storage with the cheapest authenticated calls of both services (list one table, list one queue) in parallel,
/// bounded by <see cref="Timeout"/> so that a health check never hangs on retries.
/// </summary>
internal sealed class StorageProbe(TableServiceClient tables, QueueServiceClient queues, ILogger<StorageProbe> logger) : IStorageProbe
{
    /// <summary>How long the probe waits for both answers, retries included.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    /// <inheritdoc />
    public async Task<bool> CanReachStorageAsync(CancellationToken cancellationToken)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(Timeout);
        try
        {
            await Task.WhenAll(
                tables.GetTableNamesAsync(1, bounded.Token),
                queues.GetQueueNamesAsync(1, bounded.Token)).ConfigureAwait(false);
            return true;
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Any storage fault, timeout or auth failure means "not reachable"; only the caller's own cancellation propagates.
            logger.LogWarning("Storage probe failed: {Error}", exception.GetType().Name + ": " + exception.Message);
            return false;
        }
    }
}
