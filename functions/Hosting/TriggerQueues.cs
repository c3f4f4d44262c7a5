using ServiceLedger.Functions.Adapters.Queues;

namespace ServiceLedger.Functions.Hosting;

/// <summary>
/// The one way the app puts work on a trigger queue: base64 of the UTF-8 text, the encoding the Functions queue
/// trigger decodes (host.json messageEncoding), so the same queue works under the real host and the local pump.
/// Refuses queues no registered function reads, so a message never waits on a queue nobody drains.
/// </summary>
public sealed class TriggerQueues(FunctionRegistry registry, QueueServiceClient queues)
{
    /// <summary>Puts <paramref name="messageText"/> on <paramref name="queueName"/>, visible at once.</summary>
    public Task<SentQueueMessage> EnqueueAsync(string queueName, string messageText, CancellationToken cancellationToken) =>
        EnqueueAsync(queueName, messageText, TimeSpan.Zero, cancellationToken);

    /// <summary>
    /// Puts <paramref name="messageText"/> (at most <see cref="QueueClient.MaxBase64PayloadBytes"/> UTF-8 bytes) on
    /// <paramref name="queueName"/>, visible after <paramref name="delay"/> (0 - 7 days, whole seconds).
    /// Throws <see cref="ArgumentException"/> for a queue that no registered function reads.
    /// </summary>
    public Task<SentQueueMessage> EnqueueAsync(string queueName, string messageText, TimeSpan delay, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queueName);
        ArgumentNullException.ThrowIfNull(messageText);
        if (!registry.QueueFunctions.Any(f => f.QueueName == queueName))
        {
            throw new ArgumentException(
                $"No registered function reads queue '{queueName}'; register it with AddQueueFunction before enqueuing.", nameof(queueName));
        }

        return queues.GetQueueClient(queueName).SendBase64MessageAsync(messageText, checked((int)delay.TotalSeconds), cancellationToken);
    }
}
