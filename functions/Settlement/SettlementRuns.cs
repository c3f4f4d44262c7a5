namespace ServiceLedger.Functions.Settlement;

using NodaTime;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Settlement;
using ServiceLedger.Functions.Configuration;
using ServiceLedger.Functions.Hosting;

/// <summary>
/// Starts settlement runs and enumerates their due contracts. A start writes the run record and enqueues the first
/// enumeration page; each page (100 contracts of any status) records its due contracts as queued in the run (one transaction)
/// and enqueues one <c>settlement</c> message per due contract, then the next page. Enumerating by queue messages keeps an
/// HTTP start fast at 100,000 contracts and makes a crash mid-enumeration a redelivery: rows are insert-only and contract
/// messages are idempotent, so a page handled twice settles nothing twice.
/// </summary>
public sealed class SettlementRuns(SettlementRunStore runs, IContractStore contracts, TriggerQueues queues, IClock clock, ILogger<SettlementRuns> logger)
{
    /// <summary>Contracts read per enumeration page.</summary>
    public const int PageSize = IContractStore.MaxPageSize;

    /// <summary>Most pages one run enumerates (1,000,000 contracts); more fails loudly.</summary>
    public const int MaxPages = SettlementRunStore.MaxContractsPerRun / PageSize;

    /// <summary>Messages put on the queue at once while enqueuing a page.</summary>
    public const int MaxConcurrentEnqueues = 16;

    /// <summary>The <c>Trigger</c> of a run started by finance over HTTP.</summary>
    public const string HttpTrigger = "http";

    /// <summary>The <c>Trigger</c> of a run started by the timer.</summary>
    public const string TimerTrigger = "timer";

    // Every status: terminated and expired contracts still owe their final statement (SettlementDue.Decide says which are due).
    // Table Storage scans the partition range for a status filter anyway, so one pass over all contracts costs no more reads.
    private static readonly ContractFilter AllStatuses = new(null, null, null);

    /// <summary>
    /// Starts a run of <paramref name="period"/> now. A start within the same second for the same period returns that run
    /// and enqueues nothing more. Timer runs pass <paramref name="endedSince"/>: only contracts whose period ended after it count.
    /// </summary>
    public async Task<SettlementRun> StartAsync(SettlementPeriod period, string trigger, string startedBy, Instant? endedSince, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        var run = new SettlementRun(SettlementRunId.For(period, now), trigger, now, startedBy, endedSince, EnumerationComplete: false);
        var stored = await runs.CreateAsync(run, cancellationToken).ConfigureAwait(false);
        if (stored == run)
        {
            await queues.EnqueueAsync(StorageNames.SettlementRunsQueue, SettlementMessages.Write(new EnumerationPage(run.Id, null, 0)), cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Settlement run {RunId} for {Period} started by {StartedBy} ({Trigger}).", run.Id, period, startedBy, trigger);
        }

        return stored;
    }

    /// <summary>Handles one enumeration page of a run (see the class summary).</summary>
    public async Task EnumerateAsync(EnumerationPage page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        var run = await runs.GetAsync(page.Run, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Run {page.Run} has no record; its enumeration message cannot be handled.");
        if (run.EnumerationComplete)
        {
            return;
        }

        if (page.Number >= MaxPages)
        {
            throw new InvalidOperationException($"Run {run.Id} has enumerated {MaxPages} pages of {PageSize} contracts, the most a run may; stopped.");
        }

        var listed = await contracts.ListAsync(AllStatuses, PageSize, page.ContinuationToken, cancellationToken).ConfigureAwait(false);
        var due = listed.Contracts.Select(stored => stored.Contract).Where(contract => IsDue(run, contract)).ToArray();
        await runs.MarkQueuedAsync(run.Id, [.. due.Select(contract => contract.Id)], clock.GetCurrentInstant(), cancellationToken).ConfigureAwait(false);

        // Each message carries the contract as read here, so the handler need not read it again (SettleContractMessage.Snapshot).
        await Parallel.ForEachAsync(
            due,
            new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrentEnqueues, CancellationToken = cancellationToken },
            async (contract, token) => await queues.EnqueueAsync(
                StorageNames.SettlementQueue, SettlementMessages.Write(new SettleContractMessage(run.Id, contract.Id) { Snapshot = contract }), token).ConfigureAwait(false)).ConfigureAwait(false);

        if (listed.ContinuationToken is { } next)
        {
            await queues.EnqueueAsync(StorageNames.SettlementRunsQueue, SettlementMessages.Write(new EnumerationPage(run.Id, next, page.Number + 1)), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await runs.MarkEnumeratedAsync(run.Id, cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Settlement run {RunId} enqueued its last page ({Pages} pages).", run.Id, page.Number + 1);
        }
    }

    // Decided as of the run's start, so every page of one run applies the same rule whenever it is handled.
    private static bool IsDue(SettlementRun run, Contract contract) =>
        run.EndedSince is { } since
            ? SettlementDue.EndedBetween(contract, since, run.StartedAt) == run.Id.Period
            : SettlementDue.Decide(contract, run.Id.Period, run.StartedAt) == DueDecision.Due;
}
