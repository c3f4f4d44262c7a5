namespace ServiceLedger.Functions.Settlement;

using NodaTime;
using ServiceLedger.Domain.Settlement;
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
/// Queue function <c>SettleContract</c>: one contract of a run (queue <c>settlement</c>). A fault is rethrown so the queue
/// retries; on the last attempt the contract is first recorded as failed in the run, so the run's status shows it.
/// </summary>
public sealed class SettleContractHandler(SettleContract settle, QueueTriggerSettings settings) : IQueueTriggerHandler
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
        catch (Exception exception) when (trigger.DequeueCount >= settings.MaxDequeueCount && exception is not OperationCanceledException)
        {
            await settle.RecordAsync(
                message,
                new ContractRunOutcome(message.Contract, ContractOutcome.Failed, $"Failed on attempt {trigger.DequeueCount} of {settings.MaxDequeueCount}: {exception.Message}", null),
                cancellationToken).ConfigureAwait(false);
            throw;
        }
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
