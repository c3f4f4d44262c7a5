using Azure.Core;
using Azure.Core.Pipeline;

namespace ServiceLedger.Functions.Adapters.Storage;

/// <summary>The two storage services the adapters call.</summary>
public enum StorageService
{
    /// <summary>The Table service.</summary>
    Table = 1,

    /// <summary>The Queue service.</summary>
    Queue = 2,
}

/// <summary>
/// Counts the HTTP requests sent to storage, retries included (each attempt is a billable transaction). A singleton:
/// benchmarks read it before and after an operation to report "storage requests per operation". Thread-safe.
/// </summary>
public sealed class StorageRequestCounter
{
    private long _tableRequests;
    private long _queueRequests;

    /// <summary>Requests sent to the Table service so far.</summary>
    public long TableRequests => Interlocked.Read(ref _tableRequests);

    /// <summary>Requests sent to the Queue service so far.</summary>
    public long QueueRequests => Interlocked.Read(ref _queueRequests);

    /// <summary>Requests sent to either service so far.</summary>
    public long Total => TableRequests + QueueRequests;

    /// <summary>Records one request attempt to a service.</summary>
    public void Increment(StorageService service)
    {
        switch (service)
        {
            case StorageService.Table:
                Interlocked.Increment(ref _tableRequests);
                break;
            case StorageService.Queue:
                Interlocked.Increment(ref _queueRequests);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(service), service, "Unknown storage service.");
        }
    }
}

/// <summary>Counts each attempt that goes to the wire (a per-retry policy).</summary>
internal sealed class StorageRequestCountingPolicy(StorageRequestCounter counter, StorageService service)
    : HttpPipelineSynchronousPolicy
{
    /// <inheritdoc />
    public override void OnSendingRequest(HttpMessage message) => counter.Increment(service);
}
