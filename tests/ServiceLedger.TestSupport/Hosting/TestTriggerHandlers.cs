using System.Collections.Concurrent;
using ServiceLedger.Functions.Hosting;

namespace ServiceLedger.TestSupport.Hosting;

/// <summary>What the test trigger handlers saw; register one per app or service provider.</summary>
public sealed class TriggerRecorder
{
    /// <summary>Queue triggers handled, in order.</summary>
    public ConcurrentQueue<QueueTrigger> Messages { get; } = new();

    /// <summary>Queue triggers that a failing handler refused, in order.</summary>
    public ConcurrentQueue<QueueTrigger> Failures { get; } = new();

    /// <summary>Timer triggers handled, in order.</summary>
    public ConcurrentQueue<TimerTrigger> Ticks { get; } = new();
}

/// <summary>Records each message and succeeds.</summary>
public sealed class RecordingQueueHandler(TriggerRecorder recorder) : IQueueTriggerHandler
{
    /// <inheritdoc />
    public Task HandleAsync(QueueTrigger trigger, CancellationToken cancellationToken)
    {
        recorder.Messages.Enqueue(trigger);
        return Task.CompletedTask;
    }
}

/// <summary>Records each attempt and always fails, with a message that must never reach a caller.</summary>
public sealed class FailingQueueHandler(TriggerRecorder recorder) : IQueueTriggerHandler
{
    /// <summary>Text of the exception thrown; tests check it never leaks.</summary>
    public const string SecretText = "connection string AccountKey=do-not-leak";

    /// <inheritdoc />
    public Task HandleAsync(QueueTrigger trigger, CancellationToken cancellationToken)
    {
        recorder.Failures.Enqueue(trigger);
        throw new InvalidOperationException(SecretText);
    }
}

/// <summary>Records each tick and succeeds.</summary>
public sealed class RecordingTimerHandler(TriggerRecorder recorder) : ITimerTriggerHandler
{
    /// <inheritdoc />
    public Task HandleAsync(TimerTrigger trigger, CancellationToken cancellationToken)
    {
        recorder.Ticks.Enqueue(trigger);
        return Task.CompletedTask;
    }
}

/// <summary>Records each tick and always fails.</summary>
public sealed class FailingTimerHandler(TriggerRecorder recorder) : ITimerTriggerHandler
{
    /// <inheritdoc />
    public Task HandleAsync(TimerTrigger trigger, CancellationToken cancellationToken)
    {
        recorder.Ticks.Enqueue(trigger);
        throw new InvalidOperationException("The timer handler failed.");
    }
}
