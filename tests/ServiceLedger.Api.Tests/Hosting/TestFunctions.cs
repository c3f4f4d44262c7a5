using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using ServiceLedger.Functions.Hosting;

namespace ServiceLedger.Api.Tests.Hosting;

/// <summary>What the test handlers saw, shared by one app instance.</summary>
public sealed class TriggerRecorder
{
    /// <summary>Queue triggers received, in order.</summary>
    public ConcurrentQueue<QueueTrigger> Messages { get; } = new();

    /// <summary>Timer triggers received, in order.</summary>
    public ConcurrentQueue<TimerTrigger> Ticks { get; } = new();
}

/// <summary>Records each message.</summary>
public sealed class RecordingQueueHandler(TriggerRecorder recorder) : IQueueTriggerHandler
{
    public Task HandleAsync(QueueTrigger trigger, CancellationToken cancellationToken)
    {
        recorder.Messages.Enqueue(trigger);
        return Task.CompletedTask;
    }
}

/// <summary>Always fails, with a message that must never reach the caller.</summary>
public sealed class FailingQueueHandler : IQueueTriggerHandler
{
    public const string SecretText = "connection string AccountKey=do-not-leak";

    public Task HandleAsync(QueueTrigger trigger, CancellationToken cancellationToken) =>
        throw new InvalidOperationException(SecretText);
}

/// <summary>Records each tick.</summary>
public sealed class RecordingTimerHandler(TriggerRecorder recorder) : ITimerTriggerHandler
{
    public Task HandleAsync(TimerTrigger trigger, CancellationToken cancellationToken)
    {
        recorder.Ticks.Enqueue(trigger);
        return Task.CompletedTask;
    }
}

/// <summary>The real app with three test functions registered the way capabilities register theirs.</summary>
public sealed class AppWithTestFunctions : WebApplicationFactory<Program>
{
    public const string Recorded = "RecordMessage";
    public const string Failing = "FailMessage";
    public const string Timer = "EveryFiveMinutes";

    public TriggerRecorder Recorder => Services.GetRequiredService<TriggerRecorder>();

    protected override void ConfigureWebHost(IWebHostBuilder builder) =>
        builder.ConfigureTestServices(services => services
            .AddSingleton<TriggerRecorder>()
            .AddQueueFunction<RecordingQueueHandler>(Recorded, "test-recorded")
            .AddQueueFunction<FailingQueueHandler>(Failing, "test-failing")
            .AddTimerFunction<RecordingTimerHandler>(Timer, "0 */5 * * * *"));
}
