namespace ServiceLedger.Functions.Hosting;

/// <summary>
/// The queue-trigger behaviour host.json sets under extensions.queues (azure.md 1.6), which the local trigger pump
/// copies so that a message is retried and poisoned locally exactly as on the platform. <see cref="FromHostJson"/> must
/// equal host.json: a test compares them.
/// </summary>
/// <param name="BatchSize">Messages received per poll of one queue (host.json batchSize, 1-32).</param>
/// <param name="MaxDequeueCount">Attempts before a message moves to "&lt;queue&gt;-poison" (host.json maxDequeueCount, ≥ 1).</param>
/// <param name="VisibilityTimeout">How long a failed message stays hidden before its next attempt (host.json visibilityTimeout).</param>
/// <param name="MaxPollingInterval">Longest wait between polls of an idle queue (host.json maxPollingInterval).</param>
/// <param name="Base64Messages">True when messages are base64 (host.json messageEncoding "base64", the default); false for "none".</param>
public sealed record QueueTriggerSettings(
    int BatchSize, int MaxDequeueCount, TimeSpan VisibilityTimeout, TimeSpan MaxPollingInterval, bool Base64Messages)
{
    /// <summary>host.json's extensions.queues, as deployed.</summary>
    public static QueueTriggerSettings FromHostJson { get; } = new(
        BatchSize: 16,
        MaxDequeueCount: 5,
        VisibilityTimeout: TimeSpan.FromSeconds(30),
        MaxPollingInterval: TimeSpan.FromSeconds(2),
        Base64Messages: true);

    /// <summary>Batch size within 1-32, dequeue count ≥ 1, timeouts within the queue service's 0 s - 7 days; else throws.</summary>
    public QueueTriggerSettings Validated()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(BatchSize, Adapters.Queues.QueueClient.MaxMessagesPerRequest);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDequeueCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(VisibilityTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(VisibilityTimeout, TimeSpan.FromSeconds(Adapters.Queues.QueueClient.MaxVisibilitySeconds));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPollingInterval, TimeSpan.FromMilliseconds(100));
        return this;
    }
}
