namespace ServiceLedger.Functions.Settlement;

using NodaTime;
using ServiceLedger.Domain.Settlement;
using ServiceLedger.Functions.Configuration;
using ServiceLedger.Functions.Hosting;

/// <summary>Queue function <c>EnumerateSettlementRun</c>: one page of a run's contracts (queue <c>settlement-runs</c>).</summary>
public sealed class EnumerateSettlementRunHandler(SettlementRuns runs) : IQueueTriggerHandler
{
    /// <inheritdoc />
    public Task HandleAsync(QueueTrigger trigger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        return runs.EnumerateAsync(SettlementMessages.ReadPage(trigger.MessageText), cancellationToken);
    }
}

/// <summary>
/// Queue function <c>SettleContract</c>: one contract of a run (queue <c>settlement</c>). A fault is logged with the contract,
/// the run and the invocation id, and rethrown so the queue retries; on the last attempt the contract is first recorded as
/// failed in the run (unless an outcome stands already), so the run's status shows it. When even that write fails, the
/// message's poison queue handler (<see cref="SettleContractPoisonHandler"/>) records it.
/// </summary>
public sealed class SettleContractHandler(
    SettleContract settle, SettlementRunStore runs, QueueTriggerSettings settings, IClock clock, ILogger<SettleContractHandler> logger) : IQueueTriggerHandler
{
    /// <inheritdoc />
    public async Task HandleAsync(QueueTrigger trigger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        var message = SettlementMessages.ReadContract(trigger.MessageText);
        try
        {
            await settle.SettleAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The invoker logs the exception itself under the invocation id; this line makes it findable by contract and run.
            logger.LogWarning(
                "SettleContract failed for contract {ContractId} in run {RunId} on attempt {DequeueCount} of {MaxDequeueCount} (invocation {InvocationId}): {Error}",
                message.Contract, message.Run, trigger.DequeueCount, settings.MaxDequeueCount, trigger.InvocationId, exception.GetType().Name + ": " + exception.Message);
            if (trigger.DequeueCount >= settings.MaxDequeueCount)
            {
                await RecordGivenUpAsync(message, trigger, exception, cancellationToken).ConfigureAwait(false);
            }

            throw;
        }
    }

    /// <summary>The reason a contract given up on after its last attempt shows in its run: what failed, where the error is, what to do.</summary>
    public static string GivenUpReason(SettleContractMessage message, int attempts, Exception exception, string invocationId)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(exception);
        var error = exception.Message.Length <= 300 ? exception.Message : exception.Message[..300] + "…";
        return $"Gave up after {attempts} attempts: {exception.GetType().Name}: {error} The last error is in the logs under invocation " +
            $"{invocationId}; re-run {message.Run.Period} to retry.";
    }

    private async Task RecordGivenUpAsync(SettleContractMessage message, QueueTrigger trigger, Exception exception, CancellationToken cancellationToken)
    {
        var failed = new ContractRunOutcome(message.Contract, ContractOutcome.Failed, GivenUpReason(message, settings.MaxDequeueCount, exception, trigger.InvocationId), null);
        try
        {
            var standing = await runs.RecordIfQueuedAsync(message.Run, failed, clock.GetCurrentInstant(), cancellationToken).ConfigureAwait(false);
            logger.LogError(
                "Run {RunId}: gave up on contract {ContractId} after {Attempts} attempts; its outcome is {Outcome}",
                message.Run, message.Contract, settings.MaxDequeueCount, standing?.Outcome.ToString() ?? "not recorded (the run has no row for it)");
        }
        catch (Exception recordFault) when (recordFault is not OperationCanceledException)
        {
            // The same outage may stop this write; the poison queue's handler records the contract once storage answers.
            logger.LogError(
                "Run {RunId}: contract {ContractId} could not be recorded as failed ({Error}); the poison queue's handler will record it",
                message.Run, message.Contract, recordFault.GetType().Name + ": " + recordFault.Message);
        }
    }
}

/// <summary>
/// Queue function <c>SettleContractPoison</c> (queue <c>settlement-poison</c>): a <c>settlement</c> message given up on after
/// maxDequeueCount attempts. Records the contract as <see cref="ContractOutcome.Failed"/> in its run, so the run completes
/// (due = settled + held + failed) and finance sees what to do, unless an outcome stands already (Settled, Held, or Failed by
/// the last attempt): <see cref="SettlementRunStore.RecordIfQueuedAsync"/>. Redelivered, it finds its own outcome and writes
/// nothing. A poison queue has no poison queue (the host retries a failed message after each lease, without end), so a message
/// that cannot be read is logged and dropped (it names no run to record in), and a storage fault is retried at most
/// <see cref="MaxAttempts"/> times before the message is logged and dropped.
/// </summary>
public sealed class SettleContractPoisonHandler(SettlementRunStore runs, QueueTriggerSettings settings, IClock clock, ILogger<SettleContractPoisonHandler> logger)
    : IQueueTriggerHandler
{
    /// <summary>Attempts before a message whose outcome cannot be written is dropped: about four hours at the host's ten-minute lease.</summary>
    public const int MaxAttempts = 24;

    /// <inheritdoc />
    public async Task HandleAsync(QueueTrigger trigger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        SettleContractMessage message;
        try
        {
            message = SettlementMessages.ReadContract(trigger.MessageText);
        }
        catch (FormatException exception)
        {
            logger.LogError(
                "Poison message {MessageId} on {Queue} is not a settlement message and is dropped (invocation {InvocationId}): {Error}",
                trigger.MessageId, StorageNames.PoisonQueueOf(StorageNames.SettlementQueue), trigger.InvocationId, exception.Message);
            return;
        }

        var failed = new ContractRunOutcome(message.Contract, ContractOutcome.Failed, GivenUpReason(message, settings.MaxDequeueCount), null);
        ContractRunOutcome? standing;
        try
        {
            standing = await runs.RecordIfQueuedAsync(message.Run, failed, clock.GetCurrentInstant(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException && trigger.DequeueCount >= MaxAttempts)
        {
            logger.LogError(
                "Run {RunId}: contract {ContractId} was given up on, and recording it as failed failed {Attempts} times ({Error}); the message is dropped and the contract stays queued: re-run {Period}",
                message.Run, message.Contract, trigger.DequeueCount, exception.GetType().Name + ": " + exception.Message, message.Run.Period);
            return;
        }

        if (standing is null)
        {
            logger.LogError("Run {RunId} has no row for contract {ContractId}; poison message {MessageId} is dropped", message.Run, message.Contract, trigger.MessageId);
        }
        else if (ReferenceEquals(standing, failed))
        {
            logger.LogError("Run {RunId}: contract {ContractId} recorded as failed: {Reason}", message.Run, message.Contract, failed.Reason);
        }
        else
        {
            logger.LogInformation(
                "Run {RunId}: contract {ContractId} was given up on but is {Outcome} already; left as it is", message.Run, message.Contract, standing.Outcome);
        }
    }

    /// <summary>The reason a contract whose message reached the poison queue shows in its run.</summary>
    public static string GivenUpReason(SettleContractMessage message, int attempts)
    {
        ArgumentNullException.ThrowIfNull(message);
        return $"Gave up after {attempts} attempts (the message went to {StorageNames.PoisonQueueOf(StorageNames.SettlementQueue)}). Each attempt's error is in the " +
            $"logs under \"SettleContract failed for contract {message.Contract} in run {message.Run}\", with its invocation id; re-run {message.Run.Period} to retry.";
    }
}

/// <summary>
/// Timer function <c>StartSettlementRuns</c> (hourly, UTC). Each firing looks at the window since the previous one: when a
/// month end (so a period end) falls in it in some time zone, it starts one run per period that may have ended, and the run
/// counts only contracts whose period ended inside the window in their own zone. Asia/Shanghai's March ends at
/// 2027-03-31T16:00Z, so its contracts settle from the 17:05 UTC firing; New York's a day later.
/// </summary>
public sealed class StartSettlementRunsHandler(SettlementRuns runs, IClock clock, ILogger<StartSettlementRunsHandler> logger) : ITimerTriggerHandler
{
    /// <summary>The function's name (its function.json folder).</summary>
    public const string FunctionName = "StartSettlementRuns";

    /// <summary>Five past every hour, UTC: every zone's period end is at most an hour old when its run starts.</summary>
    public const string Schedule = "0 5 * * * *";

    /// <summary>The window when the host gives no previous firing: one schedule interval.</summary>
    public static readonly Duration DefaultWindow = Duration.FromHours(1);

    /// <summary>Longest window looked back (after a long outage); older period ends need a run started by finance.</summary>
    public static readonly Duration MaxWindow = Duration.FromDays(7);

    /// <inheritdoc />
    public async Task HandleAsync(TimerTrigger trigger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        var now = clock.GetCurrentInstant();
        var since = trigger.Last is { } last ? Instant.FromDateTimeOffset(last) : now - DefaultWindow;
        if (now - since > MaxWindow)
        {
            logger.LogWarning("The settlement timer last fired at {Since}; looking back {Days} days only. Start runs for older periods by HTTP.", since, MaxWindow.Days);
            since = now - MaxWindow;
        }

        foreach (var period in SettlementDue.PeriodsEndingBetween(since, now))
        {
            await runs.StartAsync(period, SettlementRuns.TimerTrigger, FunctionName, since, cancellationToken).ConfigureAwait(false);
        }
    }
}
