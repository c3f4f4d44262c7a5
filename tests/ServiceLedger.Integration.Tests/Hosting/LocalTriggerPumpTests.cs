using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using ServiceLedger.Functions.Configuration;
using ServiceLedger.Functions.Hosting;
using ServiceLedger.Integration.Tests.Storage;
using ServiceLedger.TestSupport;
using ServiceLedger.TestSupport.Azurite;
using ServiceLedger.TestSupport.Hosting;

namespace ServiceLedger.Integration.Tests.Hosting;

/// <summary>
/// The local trigger pump against Azurite, one pass at a time (no sleeps): messages are handled once and deleted,
/// failures are retried and then poisoned as host.json says, and timers fire on schedule by a fake clock.
/// </summary>
public sealed class LocalTriggerPumpTests
{
    // Failed messages become visible again at once, so that the next pass sees the retry without waiting.
    private static readonly QueueTriggerSettings RetryAtOnce = QueueTriggerSettings.FromHostJson with
    {
        MaxDequeueCount = 3,
        VisibilityTimeout = TimeSpan.Zero,
    };

    [Fact]
    public async Task A_message_enqueued_as_base64_is_handled_once_and_deleted()
    {
        var queueName = await NewQueueAsync("handled");
        await using var services = Build(RetryAtOnce, s => s.AddQueueFunction<RecordingQueueHandler>("Record", queueName));
        var queue = (await SharedAzurite.ClientsAsync()).Queues.GetQueueClient(queueName);
        await services.GetRequiredService<TriggerQueues>().EnqueueAsync(queueName, """{"contract":"C-1","amount":"12.50"}""", CancellationToken.None);
        var stored = Assert.Single(await queue.PeekMessagesAsync(1, CancellationToken.None));

        var first = await Pump(services).RunOnceAsync(CancellationToken.None);
        var second = await Pump(services).RunOnceAsync(CancellationToken.None);

        Assert.Equal(Convert.ToBase64String("""{"contract":"C-1","amount":"12.50"}"""u8.ToArray()), stored.MessageText);
        Assert.Equal(new PumpPass(Handled: 1, Failed: 0, Poisoned: 0, TimersFired: 0), first);
        Assert.False(second.DidWork);
        var seen = Assert.Single(Recorder(services).Messages);
        Assert.Equal("""{"contract":"C-1","amount":"12.50"}""", seen.MessageText);
        Assert.Equal(stored.MessageId, seen.MessageId);
        Assert.Equal(1, seen.DequeueCount);
        Assert.Empty(await queue.PeekMessagesAsync(1, CancellationToken.None));
    }

    [Fact]
    public async Task A_failing_handler_is_retried_then_its_message_moves_to_the_poison_queue_after_the_max_dequeue_count()
    {
        var queueName = await NewQueueAsync("failing");
        await using var services = Build(RetryAtOnce, s => s.AddQueueFunction<FailingQueueHandler>("Fail", queueName));
        var clients = await SharedAzurite.ClientsAsync();
        await services.GetRequiredService<TriggerQueues>().EnqueueAsync(queueName, "settle C-7", CancellationToken.None);

        var passes = new List<PumpPass>();
        for (var attempt = 1; attempt <= RetryAtOnce.MaxDequeueCount + 1; attempt++)
        {
            passes.Add(await Pump(services).RunOnceAsync(CancellationToken.None));
        }

        Assert.Equal([1, 1, 0, 0], passes.Select(p => p.Failed));
        Assert.Equal([0, 0, 1, 0], passes.Select(p => p.Poisoned));
        Assert.Equal([1L, 2L, 3L], Recorder(services).Failures.Select(f => f.DequeueCount));
        Assert.Empty(await clients.Queues.GetQueueClient(queueName).PeekMessagesAsync(1, CancellationToken.None));
        var poisoned = Assert.Single(await clients.Queues.GetQueueClient(StorageNames.PoisonQueueOf(queueName)).PeekMessagesAsync(32, CancellationToken.None));
        Assert.Equal("settle C-7", poisoned.DecodeBase64Text());
    }

    [Fact]
    public async Task A_message_that_is_not_base64_never_reaches_the_handler_and_is_poisoned_after_the_max()
    {
        var queueName = await NewQueueAsync("plain");
        await using var services = Build(RetryAtOnce with { MaxDequeueCount = 1 }, s => s.AddQueueFunction<RecordingQueueHandler>("Record", queueName));
        var clients = await SharedAzurite.ClientsAsync();
        await clients.Queues.GetQueueClient(queueName).SendMessageAsync("not base64!", 0, CancellationToken.None);

        var pass = await Pump(services).RunOnceAsync(CancellationToken.None);

        Assert.Equal(1, pass.Poisoned);
        Assert.Empty(Recorder(services).Messages);
        var poisoned = Assert.Single(await clients.Queues.GetQueueClient(StorageNames.PoisonQueueOf(queueName)).PeekMessagesAsync(32, CancellationToken.None));
        Assert.Equal("not base64!", poisoned.MessageText);
    }

    [Fact]
    public async Task A_missing_queue_is_skipped_and_the_other_queues_are_still_served()
    {
        var present = await NewQueueAsync("present");
        var missing = StorageTestNames.Queue("missing");
        await using var services = Build(RetryAtOnce, s => s
            .AddQueueFunction<RecordingQueueHandler>("AMissing", missing)
            .AddQueueFunction<RecordingQueueHandler>("BPresent", present));
        await services.GetRequiredService<TriggerQueues>().EnqueueAsync(present, "still served", CancellationToken.None);

        var pass = await Pump(services).RunOnceAsync(CancellationToken.None);

        Assert.Equal(1, pass.Handled);
        Assert.Equal("still served", Assert.Single(Recorder(services).Messages).MessageText);
    }

    [Fact]
    public async Task Enqueuing_to_a_queue_no_function_reads_is_refused()
    {
        await using var services = Build(RetryAtOnce, s => s.AddQueueFunction<RecordingQueueHandler>("Record", "some-queue"));

        await Assert.ThrowsAsync<ArgumentException>(() =>
            services.GetRequiredService<TriggerQueues>().EnqueueAsync("another-queue", "lost", CancellationToken.None));
    }

    [Fact]
    public async Task A_timer_fires_at_each_scheduled_occurrence_by_the_clock_and_once_flagged_past_due_after_missed_ones()
    {
        var clock = new FakeClock(Instant.FromUtc(2026, 11, 2, 1, 0, 0));
        await using var services = Build(RetryAtOnce, s => s.AddTimerFunction<RecordingTimerHandler>("EveryFive", "0 */5 * * * *"), clock);
        var pump = Pump(services);
        var fired = new List<int>();

        fired.Add((await pump.RunOnceAsync(CancellationToken.None)).TimersFired);   // 01:00:00 starts the schedule
        clock.Advance(Duration.FromMinutes(4) + Duration.FromSeconds(59));
        fired.Add((await pump.RunOnceAsync(CancellationToken.None)).TimersFired);   // 01:04:59 not yet
        clock.Advance(Duration.FromSeconds(1));
        fired.Add((await pump.RunOnceAsync(CancellationToken.None)).TimersFired);   // 01:05:00 fires
        fired.Add((await pump.RunOnceAsync(CancellationToken.None)).TimersFired);   // 01:05:00 again: already fired
        clock.Advance(Duration.FromMinutes(11));
        fired.Add((await pump.RunOnceAsync(CancellationToken.None)).TimersFired);   // 01:16:00 missed 01:10 and 01:15: fires once

        Assert.Equal([0, 0, 1, 0, 1], fired);
        var ticks = Recorder(services).Ticks.ToList();
        Assert.False(ticks[0].IsPastDue);
        Assert.Null(ticks[0].Last);
        Assert.Equal(new DateTimeOffset(2026, 11, 2, 1, 10, 0, TimeSpan.Zero), ticks[0].Next);
        Assert.True(ticks[1].IsPastDue);
        Assert.Equal(new DateTimeOffset(2026, 11, 2, 1, 5, 0, TimeSpan.Zero), ticks[1].Last);
        Assert.Equal(new DateTimeOffset(2026, 11, 2, 1, 20, 0, TimeSpan.Zero), ticks[1].Next);
    }

    [Fact]
    public async Task A_message_received_more_often_than_the_max_is_poisoned_without_another_attempt()
    {
        var queueName = await NewQueueAsync("overdue");
        await using var services = Build(RetryAtOnce with { MaxDequeueCount = 1 }, s => s.AddQueueFunction<RecordingQueueHandler>("Record", queueName));
        var queue = (await SharedAzurite.ClientsAsync()).Queues.GetQueueClient(queueName);
        await services.GetRequiredService<TriggerQueues>().EnqueueAsync(queueName, "cut off", CancellationToken.None);

        // A receiver that stopped mid-run: the message was received once and came back without being handled.
        var taken = Assert.Single(await queue.ReceiveMessagesAsync(1, 60, CancellationToken.None));
        await queue.UpdateVisibilityAsync(taken.MessageId, taken.PopReceipt, 0, CancellationToken.None);
        var pass = await Pump(services).RunOnceAsync(CancellationToken.None);

        Assert.Equal(new PumpPass(Handled: 0, Failed: 0, Poisoned: 1, TimersFired: 0), pass);
        Assert.Empty(Recorder(services).Messages);
    }

    [Fact]
    public async Task A_failing_handler_on_a_poison_queue_leaves_its_message_hidden_there_and_moves_it_nowhere()
    {
        var source = StorageTestNames.Queue("src");
        var poisonQueue = (await SharedAzurite.ClientsAsync()).Queues.GetQueueClient(StorageNames.PoisonQueueOf(source));
        await poisonQueue.CreateIfNotExistsAsync(CancellationToken.None);
        await using var services = Build(RetryAtOnce with { MaxDequeueCount = 1 }, s => s.AddPoisonQueueFunction<FailingQueueHandler>("FailPoison", source));
        await poisonQueue.SendBase64MessageAsync("given up", 0, CancellationToken.None);

        var first = await Pump(services).RunOnceAsync(CancellationToken.None);
        var second = await Pump(services).RunOnceAsync(CancellationToken.None);

        Assert.Equal(new PumpPass(Handled: 0, Failed: 1, Poisoned: 0, TimersFired: 0), first);
        Assert.False(second.DidWork);
        Assert.Equal(1, await poisonQueue.GetApproximateMessageCountAsync(CancellationToken.None));
        Assert.Null(await (await SharedAzurite.ClientsAsync()).Queues.GetQueueClient(StorageNames.PoisonQueueOf(poisonQueue.Name)).GetApproximateMessageCountAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_handler_on_a_poison_queue_gets_the_message_as_moved_and_its_invocation_id()
    {
        var source = StorageTestNames.Queue("src");
        var poisonQueue = (await SharedAzurite.ClientsAsync()).Queues.GetQueueClient(StorageNames.PoisonQueueOf(source));
        await poisonQueue.CreateIfNotExistsAsync(CancellationToken.None);
        await using var services = Build(RetryAtOnce, s => s.AddPoisonQueueFunction<RecordingQueueHandler>("RecordPoison", source));
        await poisonQueue.SendBase64MessageAsync("given up", 0, CancellationToken.None);

        var pass = await Pump(services).RunOnceAsync(CancellationToken.None);

        Assert.Equal(1, pass.Handled);
        var seen = Assert.Single(Recorder(services).Messages);
        Assert.Equal("given up", seen.MessageText);
        Assert.True(Guid.TryParse(seen.InvocationId, out _));
        Assert.Equal(0, await poisonQueue.GetApproximateMessageCountAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_failing_timer_is_not_retried_and_fires_again_at_its_next_occurrence()
    {
        var clock = new FakeClock(Instant.FromUtc(2026, 11, 2, 1, 0, 0));
        await using var services = Build(RetryAtOnce, s => s.AddTimerFunction<FailingTimerHandler>("FailingTimer", "0 */5 * * * *"), clock);
        var pump = Pump(services);
        var fired = new List<int>();

        fired.Add((await pump.RunOnceAsync(CancellationToken.None)).TimersFired);
        clock.Advance(Duration.FromMinutes(5));
        fired.Add((await pump.RunOnceAsync(CancellationToken.None)).TimersFired);   // 01:05 fails
        fired.Add((await pump.RunOnceAsync(CancellationToken.None)).TimersFired);   // no retry
        clock.Advance(Duration.FromMinutes(5));
        fired.Add((await pump.RunOnceAsync(CancellationToken.None)).TimersFired);   // 01:10 fires again

        Assert.Equal([0, 1, 0, 1], fired);
        Assert.Equal(2, Recorder(services).Ticks.Count);
    }

    private static async Task<string> NewQueueAsync(string prefix) => (await SharedAzurite.NewQueueAsync(prefix)).Name;

    private static ServiceProvider Build(QueueTriggerSettings settings, Action<IServiceCollection> functions, FakeClock? clock = null)
    {
        var clients = SharedAzurite.ClientsAsync().GetAwaiter().GetResult();
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(clients.Queues)
            .AddSingleton<TimeProvider>(clock ?? new FakeClock())
            .AddSingleton(settings)
            .AddSingleton<TriggerRecorder>();
        functions(services);
        return services.AddFunctionHost().BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = false });
    }

    private static LocalTriggerPump Pump(IServiceProvider services) => services.GetRequiredService<LocalTriggerPump>();

    private static TriggerRecorder Recorder(IServiceProvider services) => services.GetRequiredService<TriggerRecorder>();
}
