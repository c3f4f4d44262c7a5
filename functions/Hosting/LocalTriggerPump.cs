using System.Text.Json;
using ServiceLedger.Functions.Adapters.Queues;
using ServiceLedger.Functions.Configuration;

namespace ServiceLedger.Functions.Hosting;

/// <summary>What one pass of the pump did.</summary>
/// <param name="Handled">Messages whose handler completed (and which were deleted).</param>
/// <param name="Failed">Messages whose handler failed and that will be retried.</param>
/// <param name="Poisoned">Messages moved to their poison queue.</param>
/// <param name="TimersFired">Timer occurrences invoked.</param>
public readonly record struct PumpPass(int Handled, int Failed, int Poisoned, int TimersFired)
{
    /// <summary>True when the pass touched any message or timer (the pump then polls again without backing off).</summary>
    public bool DidWork => Handled + Failed + Poisoned + TimersFired > 0;
}

/// <summary>
/// Runs the queue and timer triggers in-process when no Functions host is present (FUNCTIONS_CUSTOMHANDLER_PORT unset)
/// and Local:TriggerPump is "true": receives from each trigger queue, decodes base64, invokes the handler through the
/// same <see cref="FunctionInvoker"/> path and payload shape the host uses, deletes on success, hides a failed message
/// for host.json's visibilityTimeout, and after maxDequeueCount attempts moves it to "&lt;queue&gt;-poison" — as the
/// queue extension does (azure.md 1.6); a function on a poison queue has none, so its failed message stays hidden for the
/// processing lease and is attempted again then. Timers fire on their NCRONTAB schedule by the injected clock. Polling backs
/// off from <see cref="MinPollingInterval"/> to maxPollingInterval when idle. Not thread-safe: one loop drives it.
/// </summary>
public sealed class LocalTriggerPump(
    FunctionRegistry registry,
    FunctionInvoker invoker,
    QueueServiceClient queues,
    QueueTriggerSettings settings,
    TimeProvider time,
    ILogger<LocalTriggerPump> logger)
{
    /// <summary>Shortest wait between polls (after a pass that did work).</summary>
    public static readonly TimeSpan MinPollingInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// How long a received message stays hidden while its handler runs. The host renews its lease; handlers here are
    /// short, so one generous lease suffices. A message whose run is cut off (app stopped) reappears after it.
    /// </summary>
    public static readonly TimeSpan ProcessingLease = TimeSpan.FromMinutes(10);

    private readonly QueueTriggerSettings _settings = settings.Validated();
    private readonly Dictionary<string, TimerSchedule> _timers = new(StringComparer.Ordinal);

    /// <summary>True when the pump should run: no Functions host started us, and Local:TriggerPump is "true".</summary>
    public static bool IsEnabled(IConfiguration configuration, string? functionsHostPort) =>
        string.IsNullOrEmpty(functionsHostPort) && configuration.GetValue<bool>(AppSettings.LocalTriggerPump);

    /// <summary>
    /// One pass: every trigger queue once (up to batchSize messages each), then every timer that is due. A queue that
    /// cannot be read is logged and skipped; the caller's cancellation propagates.
    /// </summary>
    public async Task<PumpPass> RunOnceAsync(CancellationToken cancellationToken)
    {
        var pass = new PumpPass();
        foreach (var function in registry.QueueFunctions)
        {
            var queue = queues.GetQueueClient(function.QueueName);
            IReadOnlyList<QueueMessage> messages;
            try
            {
                messages = await queue.ReceiveMessagesAsync(_settings.BatchSize, (int)ProcessingLease.TotalSeconds, cancellationToken).ConfigureAwait(false);
            }
            catch (QueueStorageException exception)
            {
                logger.LogWarning("Trigger pump cannot read queue {Queue} for {FunctionName}: {Error}", function.QueueName, function.Name, exception.Message);
                continue;
            }

            foreach (var message in messages)
            {
                pass = await ProcessAsync(function, queue, message, cancellationToken).ConfigureAwait(false) switch
                {
                    MessageOutcome.Handled => pass with { Handled = pass.Handled + 1 },
                    MessageOutcome.Retried => pass with { Failed = pass.Failed + 1 },
                    _ => pass with { Poisoned = pass.Poisoned + 1 },
                };
            }
        }

        var now = time.GetUtcNow();
        foreach (var function in registry.TimerFunctions)
        {
            if (await FireIfDueAsync(function, now, cancellationToken).ConfigureAwait(false))
            {
                pass = pass with { TimersFired = pass.TimersFired + 1 };
            }
        }

        return pass;
    }

    /// <summary>Runs passes until <paramref name="stoppingToken"/> is cancelled; a handler cut off by the stop is retried after its lease.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        logger.LogInformation(
            "Trigger pump started: {QueueCount} queue and {TimerCount} timer functions",
            registry.QueueFunctions.Count(), registry.TimerFunctions.Count());
        var delay = MinPollingInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            PumpPass pass;
            try
            {
                pass = await RunOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception) when (exception is Azure.RequestFailedException or HttpRequestException or Adapters.Storage.StorageRequestException)
            {
                // Storage down (e.g. Azurite restarting): keep the app up and back off like an idle poll.
                logger.LogWarning("Trigger pump pass failed: {Error}", exception.Message);
                pass = default;
            }

            delay = pass.DidWork ? MinPollingInterval : Min(delay * 2, _settings.MaxPollingInterval);
            var wait = Min(delay, UntilNextTimer(time.GetUtcNow()));
            try
            {
                await Task.Delay(wait, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        logger.LogInformation("Trigger pump stopped");
    }

    private async Task<MessageOutcome> ProcessAsync(
        QueueTriggerFunction function, QueueClient queue, QueueMessage message, CancellationToken cancellationToken)
    {
        // A message past the limit (e.g. its last attempt was cut off) is poisoned without another attempt, as the host does.
        // A poison queue has no poison queue: its messages are attempted however often they were received.
        if (message.DequeueCount > _settings.MaxDequeueCount && !function.ReadsPoisonQueue)
        {
            await PoisonAsync(function, queue, message, cancellationToken).ConfigureAwait(false);
            return MessageOutcome.Poisoned;
        }

        var invocationId = Guid.NewGuid().ToString();
        FunctionInvocationResult result;
        if (TryDecode(message, out var text))
        {
            result = await invoker.InvokeAsync(function.Name, InvocationRequest(function, message, text), invocationId, cancellationToken)
                .ConfigureAwait(false);
        }
        else
        {
            // The host fails such a message at binding ("The input is not a valid Base-64 string", azure.md 8.1 item 11).
            logger.LogError("Message {MessageId} on {Queue} is not base64; the queue trigger cannot bind it", message.MessageId, queue.Name);
            result = new FunctionInvocationResult(FunctionInvocationStatus.InvalidRequest, [], "Data." + function.BindingName, "Not base64.");
        }

        if (result.Status == FunctionInvocationStatus.Succeeded)
        {
            await DeleteAsync(queue, message, cancellationToken).ConfigureAwait(false);
            return MessageOutcome.Handled;
        }

        if (function.ReadsPoisonQueue)
        {
            // As the host does for a queue without a poison queue: leave the message hidden (the processing lease) instead of
            // releasing it, so that a handler failing on it is retried every lease, not in a fast loop.
            logger.LogWarning(
                "Function {FunctionName} failed on message {MessageId} of poison queue {Queue} (attempt {DequeueCount}); retried after {Lease}",
                function.Name, message.MessageId, queue.Name, message.DequeueCount, ProcessingLease);
            return MessageOutcome.Retried;
        }

        if (message.DequeueCount >= _settings.MaxDequeueCount)
        {
            await PoisonAsync(function, queue, message, cancellationToken).ConfigureAwait(false);
            return MessageOutcome.Poisoned;
        }

        logger.LogWarning(
            "Function {FunctionName} failed on message {MessageId} (attempt {DequeueCount} of {MaxDequeueCount}); retrying after {VisibilityTimeout}",
            function.Name, message.MessageId, message.DequeueCount, _settings.MaxDequeueCount, _settings.VisibilityTimeout);
        try
        {
            await queue.UpdateVisibilityAsync(message.MessageId, message.PopReceipt, (int)_settings.VisibilityTimeout.TotalSeconds, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (QueueStorageException exception) when (exception.IsStalePopReceipt)
        {
            // Our lease ran out and another receiver has it; that receiver decides.
        }

        return MessageOutcome.Retried;
    }

    private bool TryDecode(QueueMessage message, out string text)
    {
        if (!_settings.Base64Messages)
        {
            text = message.MessageText;
            return true;
        }

        try
        {
            text = message.DecodeBase64Text();
            return true;
        }
        catch (FormatException)
        {
            text = string.Empty;
            return false;
        }
        catch (ArgumentException)
        {
            // Base64 of bytes that are not UTF-8 (DecoderFallbackException).
            text = string.Empty;
            return false;
        }
    }

    /// <summary>The payload the host would post for this message (functions-custom-handlers.md "Request payload").</summary>
    private FunctionInvocationRequest InvocationRequest(QueueTriggerFunction function, QueueMessage message, string text) =>
        new(
            new Dictionary<string, JsonElement> { [function.BindingName] = JsonSerializer.SerializeToElement(text) },
            new Dictionary<string, JsonElement>
            {
                ["DequeueCount"] = JsonSerializer.SerializeToElement(message.DequeueCount),
                ["ExpirationTime"] = JsonSerializer.SerializeToElement(message.ExpirationTime),
                ["Id"] = JsonSerializer.SerializeToElement(message.MessageId),
                ["InsertionTime"] = JsonSerializer.SerializeToElement(message.InsertionTime),
                ["NextVisibleTime"] = JsonSerializer.SerializeToElement(message.NextVisibleTime),
                ["PopReceipt"] = JsonSerializer.SerializeToElement(message.PopReceipt),
                ["sys"] = JsonSerializer.SerializeToElement(new { MethodName = function.Name, UtcNow = time.GetUtcNow() }),
            });

    private async Task PoisonAsync(QueueTriggerFunction function, QueueClient queue, QueueMessage message, CancellationToken cancellationToken)
    {
        // The stored text is copied as is (still base64), so the poison message reads like the original.
        var poison = queues.GetQueueClient(function.PoisonQueueName
            ?? throw new InvalidOperationException($"Function {function.Name} reads a poison queue, which has no poison queue to move a message to."));
        await poison.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        await poison.SendMessageAsync(message.MessageText, 0, cancellationToken).ConfigureAwait(false);
        await DeleteAsync(queue, message, cancellationToken).ConfigureAwait(false);
        logger.LogError(
            "Function {FunctionName} gave up on message {MessageId} after {DequeueCount} attempts; moved to {PoisonQueue}",
            function.Name, message.MessageId, message.DequeueCount, poison.Name);
    }

    private async Task DeleteAsync(QueueClient queue, QueueMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
        }
        catch (QueueStorageException exception) when (exception.IsStalePopReceipt)
        {
            // The lease expired during the run and the message went to another receiver: it may run again (handlers are idempotent).
            logger.LogWarning("Message {MessageId} on {Queue} could not be deleted: its lease had expired", message.MessageId, queue.Name);
        }
    }

    private async Task<bool> FireIfDueAsync(TimerTriggerFunction function, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!_timers.TryGetValue(function.Name, out var schedule))
        {
            // The first occurrence is the next one after the pump starts (runOnStartup is false in our function.json files).
            _timers[function.Name] = new TimerSchedule(null, function.NextOccurrenceAfter(now));
            return false;
        }

        if (now < schedule.Next)
        {
            return false;
        }

        // One invocation however many occurrences were missed, flagged past due, as the host's timer does.
        var following = function.NextOccurrenceAfter(now);
        var isPastDue = function.NextOccurrenceAfter(schedule.Next) <= now;
        var timerInfo = new
        {
            Schedule = new { AdjustForDST = true },
            ScheduleStatus = new { schedule.Last, Next = following, LastUpdated = now },
            IsPastDue = isPastDue,
        };
        var request = new FunctionInvocationRequest(
            new Dictionary<string, JsonElement> { [function.BindingName] = JsonSerializer.SerializeToElement(timerInfo) },
            new Dictionary<string, JsonElement>());
        _timers[function.Name] = new TimerSchedule(schedule.Next, following);

        // Timer failures are not retried; the next occurrence fires as scheduled (azure.md 1.4). The invoker logs them.
        await invoker.InvokeAsync(function.Name, request, Guid.NewGuid().ToString(), cancellationToken).ConfigureAwait(false);
        return true;
    }

    private TimeSpan UntilNextTimer(DateTimeOffset now)
    {
        var next = _timers.Values.Select(t => t.Next).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
        return next == DateTimeOffset.MaxValue ? TimeSpan.MaxValue : Max(next - now, TimeSpan.Zero);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private enum MessageOutcome
    {
        Handled,
        Retried,
        Poisoned,
    }

    private sealed record TimerSchedule(DateTimeOffset? Last, DateTimeOffset Next);
}

/// <summary>Starts the <see cref="LocalTriggerPump"/> loop when <see cref="LocalTriggerPump.IsEnabled"/>; otherwise does nothing.</summary>
internal sealed class LocalTriggerPumpService(IConfiguration configuration, IServiceProvider services) : BackgroundService
{
    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        LocalTriggerPump.IsEnabled(configuration, Environment.GetEnvironmentVariable(CustomHandlerListener.FunctionsPortVariable))

            // Resolved only when enabled, so that hosts without storage settings never build the storage clients.
            ? services.GetRequiredService<LocalTriggerPump>().RunAsync(stoppingToken)
            : Task.CompletedTask;
}
