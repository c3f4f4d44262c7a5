using ServiceLedger.Functions.Adapters.Queues;

namespace ServiceLedger.Functions.Hosting;

/// <summary>A poison queue holding messages: work a function gave up on, waiting for a person.</summary>
/// <param name="Queue">The poison queue, e.g. <c>settlement-runs-poison</c>.</param>
/// <param name="ApproximateMessageCount">The service's approximate count: never lower than the messages held, possibly higher.</param>
public sealed record PoisonQueueCount(string Queue, long ApproximateMessageCount);

/// <summary>
/// Counts the messages in the poison queue of every queue the app consumes (<see cref="FunctionRegistry.PoisonQueues"/>):
/// one Get Queue Metadata request per queue, all at once, bounded by <see cref="Timeout"/>, so that health stays fast.
/// A poison queue that does not exist yet holds nothing (the host creates it on its first message).
/// </summary>
public sealed class PoisonQueues(FunctionRegistry registry, QueueServiceClient queues, ILogger<PoisonQueues> logger)
{
    /// <summary>How long one reading of every poison queue may take, retries included.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    /// <summary>The poison queues read, ordered by name.</summary>
    public IReadOnlyList<string> Watched => registry.PoisonQueues;

    /// <summary>
    /// The poison queues that hold messages, ordered by name; null when they could not all be read within <see cref="Timeout"/>
    /// (logged). Only the caller's own cancellation throws.
    /// </summary>
    public async Task<IReadOnlyList<PoisonQueueCount>?> ReadHoldingAsync(CancellationToken cancellationToken)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(Timeout);
        try
        {
            var counts = await Task.WhenAll(Watched.Select(async queue =>
                new PoisonQueueCount(queue, await queues.GetQueueClient(queue).GetApproximateMessageCountAsync(bounded.Token).ConfigureAwait(false) ?? 0)))
                .ConfigureAwait(false);
            return [.. counts.Where(count => count.ApproximateMessageCount > 0)];
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Poison queues could not be read: {Error}", exception.GetType().Name + ": " + exception.Message);
            return null;
        }
    }

    /// <summary>The warning for people about <paramref name="count"/>: which queue, how many, and where to read what to do.</summary>
    public static string Warning(PoisonQueueCount count)
    {
        ArgumentNullException.ThrowIfNull(count);
        return $"{count.Queue} holds about {count.ApproximateMessageCount} message(s) that failed every attempt; " +
            "the app's log names each with its invocation id (docs/hosting.md, \"Poison queues\").";
    }
}

/// <summary>
/// Logs, once at start-up, a warning per poison queue holding messages (<see cref="PoisonQueues"/>), so that work given up on
/// before a restart is not forgotten. Runs in the background and never delays or stops the start; without storage settings
/// it does nothing.
/// </summary>
internal sealed class PoisonQueueStartupReport(IServiceProvider services, ILogger<PoisonQueueStartupReport> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        PoisonQueues poisonQueues;
        try
        {
            poisonQueues = services.GetRequiredService<PoisonQueues>();
        }
        catch (InvalidOperationException exception)
        {
            // Storage settings missing (most API tests): health reports that; nothing to read here.
            logger.LogDebug("Poison queues not read at start-up: {Error}", exception.Message);
            return;
        }

        try
        {
            var holding = await poisonQueues.ReadHoldingAsync(stoppingToken).ConfigureAwait(false);
            foreach (var count in holding ?? [])
            {
                logger.LogWarning("Poison queue {Queue} holds {ApproximateMessageCount} message(s): {Warning}", count.Queue, count.ApproximateMessageCount, PoisonQueues.Warning(count));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopped during start-up.
        }
    }
}
