using System.Diagnostics.CodeAnalysis;
using NodaTime;
using ServiceLedger.Domain;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Domain.Reconciliation;
using ServiceLedger.Functions.Adapters.Stripe;
using ServiceLedger.Functions.Hosting;
using ServiceLedger.Functions.Ledger;

namespace ServiceLedger.Functions.Reconciliation;

/// <summary>What starting a run answered.</summary>
public abstract record StartRunResult
{
    private StartRunResult()
    {
    }

    /// <summary>The run was recorded (and enqueued, for an API run).</summary>
    public sealed record Started(ReconciliationRun Run) : StartRunResult;

    /// <summary>Bad input; nothing was written.</summary>
    public sealed record Refused(IReadOnlyList<Refusal> Refusals) : StartRunResult;
}

/// <summary>
/// The reconciliation use case: start a run, run its checks (from the queue), and close its period. The checks are pure
/// (domain/Reconciliation); this class reads their inputs — Stripe through the client or the uploaded CSV, the ledger
/// through <see cref="LedgerService"/>, the parties' figures and receivables through <see cref="IReconciliationSources"/> —
/// and stores what they find.
/// </summary>
public sealed partial class ReconcilePeriod(
    ReconciliationStore store,
    LedgerService ledger,
    IServiceProvider services,
    IReconciliationSources sources,
    TriggerQueues queues,
    IClock clock,
    ILogger<ReconcilePeriod> logger)
{
    /// <summary>The queue function's name.</summary>
    public const string FunctionName = "RunReconciliation";

    /// <summary>Days read on each side of the period, so that items in transit across its edges are seen as timing, not as missing.</summary>
    public const int MarginDays = 7;

    /// <summary>Most Stripe pages a run reads (100 a page).</summary>
    public const int MaxStripePages = 10_000;

    /// <summary>Most payouts whose balance transactions a run fetches.</summary>
    public const int MaxPayouts = 1_000;

    /// <summary>Records a run for <paramref name="periodText"/> from <paramref name="sourceText"/>; an API run is enqueued at once.</summary>
    public async Task<StartRunResult> StartAsync(string? periodText, string? sourceText, string requestedBy, CancellationToken cancellationToken)
    {
        var refusals = new List<Refusal>();
        var period = ReconciliationPeriod.Parse(periodText, "period");
        refusals.AddRange(period.Refusals);
        StripeSource? source = sourceText switch
        {
            "api" => StripeSource.Api,
            "csv" => StripeSource.Csv,
            _ => null,
        };
        if (source is null)
        {
            refusals.Add(new Refusal(ReconciliationRule.StripeSourceInvalid, "stripeSource", $"'{sourceText}' is not a Stripe source: give 'api' or 'csv'."));
        }

        if (refusals.Count > 0)
        {
            return new StartRunResult.Refused(refusals);
        }

        var run = new ReconciliationRun
        {
            RunId = NewRunId(),
            Period = period.Value.ToString(),
            StripeSource = source!.Value,
            Status = source == StripeSource.Csv ? RunStatus.AwaitingCsv : RunStatus.Queued,
            RequestedBy = requestedBy,
            RequestedAt = clock.GetCurrentInstant(),
        };
        await store.InsertRunAsync(run, cancellationToken).ConfigureAwait(false);
        if (run.Status == RunStatus.Queued)
        {
            await queues.EnqueueAsync(Configuration.StorageNames.ReconciliationQueue, run.RunId, cancellationToken).ConfigureAwait(false);
        }

        LogStarted(run.RunId, run.Period, run.StripeSource);
        return new StartRunResult.Started(run);
    }

    /// <summary>Stores the CSV's rows for a run waiting for them and enqueues it; null when the run is unknown.</summary>
    public async Task<ReconciliationRun?> AcceptCsvAsync(string runId, IReadOnlyList<StripeItem> items, CancellationToken cancellationToken)
    {
        var run = await store.GetRunAsync(runId, cancellationToken).ConfigureAwait(false);
        if (run is null)
        {
            return null;
        }

        await store.SaveStripeItemsAsync(runId, items, cancellationToken).ConfigureAwait(false);
        var queued = run with { Status = RunStatus.Queued, StripeItems = items.Count };
        await store.SaveRunAsync(queued, cancellationToken).ConfigureAwait(false);
        await queues.EnqueueAsync(Configuration.StorageNames.ReconciliationQueue, runId, cancellationToken).ConfigureAwait(false);
        return queued;
    }

    /// <summary>
    /// Runs every check of a run and stores the exceptions (the queue function). Idempotent: a redelivered message re-runs
    /// the checks, stores the same exception ids and keeps resolutions already made; a closed run is left alone.
    /// </summary>
    [SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "The run records its failure for finance, then rethrows for the queue's retry.")]
    public async Task RunAsync(string runId, CancellationToken cancellationToken)
    {
        var run = await store.GetRunAsync(runId, cancellationToken).ConfigureAwait(false);
        if (run is null || run.Status is RunStatus.Closed or RunStatus.AwaitingCsv)
        {
            LogSkipped(runId, run?.Status.ToString() ?? "unknown");
            return;
        }

        var period = ReconciliationPeriod.Parse(run.Period, "period").Value;
        await store.SaveRunAsync(run with { Status = RunStatus.Running, Failure = null }, cancellationToken).ConfigureAwait(false);
        try
        {
            var stripeItems = run.StripeSource == StripeSource.Csv
                ? await store.ReadStripeItemsAsync(runId, cancellationToken).ConfigureAwait(false)
                : await FetchStripeAsync(period, cancellationToken).ConfigureAwait(false);
            var window = new DateInterval(period.Start.PlusDays(-MarginDays), period.End.PlusDays(MarginDays - 1));
            var entries = await ledger.ReadEntriesDatedAsync(window, cancellationToken).ConfigureAwait(false);
            var ledgerItems = LedgerItems.From(entries);
            StripeItem[] stripeArray = [.. stripeItems];
            LedgerItem[] ledgerArray = [.. ledgerItems];
            var outcome = StripeLedgerMatch.Run(stripeArray, ledgerArray, period, MatchPolicy.Default);

            var lines = new List<ExceptionLine>(outcome.Exceptions.Select(ExceptionLine.FromMatch));
            lines.AddRange(StripeClearingCheck.Run(stripeArray, ledgerArray, outcome.Lines, period));
            lines.AddRange(await IntegrityAsync(period, cancellationToken).ConfigureAwait(false));

            // A statement's entry is dated on its issue day, inside the period, so the window's entries hold every posting.
            lines.AddRange(StatementPostingsCheck.Run(await sources.ReadIssuedStatementsAsync(period, cancellationToken).ConfigureAwait(false), entries));
            foreach (var figures in await sources.ReadFiguresAsync(period, cancellationToken).ConfigureAwait(false))
            {
                lines.AddRange(FiguresCheck.Compare(figures.ContractId, figures.Period, figures.Vendor, figures.Merchant, figures.Tolerance ?? FiguresCheck.DefaultTolerance));
            }

            lines.AddRange(ReceivablesCheck.Run(
                period,
                await sources.ReadOpenStatementsAsync(cancellationToken).ConfigureAwait(false),
                await sources.ReadHeldDepositsAsync(cancellationToken).ConfigureAwait(false)));
            if (lines.Count > ReconciliationStore.MaxExceptionsPerRun)
            {
                throw new InvalidOperationException($"{lines.Count} exceptions; at most {ReconciliationStore.MaxExceptionsPerRun} are stored per run.");
            }

            var report = ExceptionLine.InReportOrder(lines);
            await store.SaveExceptionsAsync(runId, report, cancellationToken).ConfigureAwait(false);
            await store.SaveRunAsync(
                run with
                {
                    Status = RunStatus.Completed,
                    StripeItems = stripeItems.Count,
                    LedgerItems = ledgerItems.Count,
                    MatchedById = outcome.MatchedById,
                    MatchedByRule = outcome.MatchedByRule,
                    Exceptions = report.Count,
                    ReportHash = ExceptionLine.ReportHash(report),
                    CompletedAt = clock.GetCurrentInstant(),
                    Failure = null,
                },
                cancellationToken).ConfigureAwait(false);
            LogCompleted(runId, run.Period, report.Count);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogFailed(exception, runId, run.Period);
            await store.SaveRunAsync(run with { Status = RunStatus.Failed, Failure = "A check failed; see the log for run " + runId + ". Re-running is safe." }, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Appends a resolution to an exception; an <c>adjust</c> first posts its entry through the ledger, dated in the first
    /// open period, with idempotency key <c>recon:{runId}:{exceptionId}</c> (so a retried request posts once).
    /// </summary>
    public async Task<ResolveResult> ResolveAsync(string runId, string exceptionId, ResolutionRequest request, string resolvedBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var run = await store.GetRunAsync(runId, cancellationToken).ConfigureAwait(false);
        var stored = run is null ? null : await store.GetExceptionAsync(runId, exceptionId, cancellationToken).ConfigureAwait(false);
        if (run is null || stored is null)
        {
            return new ResolveResult.NotFound();
        }

        if (run.Status == RunStatus.Closed)
        {
            return new ResolveResult.Conflict(new Refusal(ReconciliationRule.RunClosed, "runId", $"Run {runId} is closed; its exceptions take no more resolutions."));
        }

        string? adjustmentEntry = null;
        if (request.Action == ResolutionAction.Adjust)
        {
            var periods = await ledger.ReadPeriodsAsync(cancellationToken).ConfigureAwait(false);
            var period = ReconciliationPeriod.Parse(run.Period, "period").Value;
            var date = periods.FirstOpenDateOnOrAfter(period.End.PlusDays(-1));
            var key = IdempotencyKey.Parse($"recon:{runId}:{exceptionId}", "exceptionId").Value;
            var entry = ProposedEntry.Create(
                BookId.PlatformGeneral,
                key,
                date,
                $"Reconciliation {runId} adjustment for {stored.Line.Kind} {stored.Line.Subject}",
                request.Postings,
                [SourceReference.Of("reconciliation", runId), SourceReference.Of("recon-exception", exceptionId)]);
            if (!entry.IsValid)
            {
                return new ResolveResult.Refused(entry.Refusals);
            }

            switch (await ledger.AppendAsync(entry.Value, cancellationToken).ConfigureAwait(false))
            {
                case AppendResult.Appended appended:
                    adjustmentEntry = appended.Entry.Id.ToString();
                    break;
                case AppendResult.AlreadyAppended already:
                    adjustmentEntry = already.Entry.Id.ToString();
                    break;
                case AppendResult.Refused refused:
                    return new ResolveResult.Refused(refused.Refusals);
                default:
                    throw new InvalidOperationException("Unknown append result.");
            }
        }

        // A retried adjust finds its entry already appended; the resolution it records is the same one, so append it once.
        if (adjustmentEntry is not null && stored.Resolutions.Any(resolution => resolution.AdjustmentEntry == adjustmentEntry))
        {
            return new ResolveResult.Resolved(stored);
        }

        var resolution = new ExceptionResolution(request.ActionName, request.Comment, resolvedBy, clock.GetCurrentInstant(), adjustmentEntry);
        await store.AppendResolutionAsync(runId, stored, resolution, cancellationToken).ConfigureAwait(false);
        LogResolved(runId, exceptionId, request.ActionName, adjustmentEntry ?? "-");
        return new ResolveResult.Resolved(stored with { Resolutions = stored.Resolutions.Add(resolution) });
    }

    /// <summary>
    /// Closes the run's period: refused while the run has not completed or any exception is unresolved; otherwise closes
    /// every month of the period in the ledger (already-closed months are skipped) and records who, when and the report hash.
    /// </summary>
    public async Task<CloseRunResult> CloseAsync(string runId, string closedBy, CancellationToken cancellationToken)
    {
        var run = await store.GetRunAsync(runId, cancellationToken).ConfigureAwait(false);
        if (run is null)
        {
            return new CloseRunResult.NotFound();
        }

        if (run.Status == RunStatus.Closed)
        {
            return new CloseRunResult.Closed(run);
        }

        if (run.Status != RunStatus.Completed)
        {
            return new CloseRunResult.Refused(new Refusal(ReconciliationRule.RunNotCompleted, "runId", $"Run {runId} is {run.Status}; only a completed run can close its period."));
        }

        var open = (await store.ListExceptionsAsync(runId, cancellationToken).ConfigureAwait(false)).Count(stored => !stored.IsResolved);
        if (open > 0)
        {
            return new CloseRunResult.Refused(new Refusal(
                ReconciliationRule.UnresolvedExceptions, "runId", $"Run {runId} has {open} unresolved exception(s); resolve each before closing {run.Period}."));
        }

        var periods = await ledger.ReadPeriodsAsync(cancellationToken).ConfigureAwait(false);
        foreach (var month in ReconciliationPeriod.Parse(run.Period, "period").Value.Months.Where(month => !periods.IsClosed(month)))
        {
            if (await ledger.ClosePeriodAsync(month, closedBy, cancellationToken).ConfigureAwait(false) is ClosePeriodResult.Refused refused)
            {
                return new CloseRunResult.Refused([.. refused.Refusals]);
            }
        }

        var closed = run with { Status = RunStatus.Closed, ClosedBy = closedBy, ClosedAt = clock.GetCurrentInstant() };
        await store.SaveRunAsync(closed, cancellationToken).ConfigureAwait(false);
        LogClosed(runId, run.Period, closedBy);
        return new CloseRunResult.Closed(closed);
    }

    private async Task<IReadOnlyList<ExceptionLine>> IntegrityAsync(ReconciliationPeriod period, CancellationToken cancellationToken)
    {
        var lines = new List<ExceptionLine>();
        var verification = await ledger.VerifyAsync(cancellationToken).ConfigureAwait(false);
        lines.AddRange(LedgerIntegrity.FromChainProblems(verification.Books.SelectMany(book => book.Problems)));
        foreach (var month in period.Months)
        {
            lines.AddRange(LedgerIntegrity.FromTrialBalance(await ledger.ComputeTrialBalanceAsync(month, cancellationToken).ConfigureAwait(false)));
        }

        lines.AddRange(LedgerIntegrity.FromProjection((await ledger.CheckProjectionAsync(cancellationToken).ConfigureAwait(false)).Differences));
        return lines;
    }

    // Balance transactions created in the period and its margins, then those of every payout in the period (which may
    // have been created earlier), each tagged with its payout.
    private async Task<IReadOnlyList<StripeItem>> FetchStripeAsync(ReconciliationPeriod period, CancellationToken cancellationToken)
    {
        // Resolved here, not injected: the typed client needs Stripe's secret key, which only API runs need.
        var stripe = services.GetRequiredService<StripeClient>();
        var byId = new Dictionary<string, StripeItem>(StringComparer.Ordinal);
        var query = new BalanceTransactionQuery
        {
            CreatedFrom = period.StartInstant.Minus(Duration.FromDays(MarginDays)),
            CreatedBefore = period.EndInstant.Plus(Duration.FromDays(MarginDays)),
        };
        await foreach (var transaction in stripe.ListBalanceTransactionsAsync(query, MaxStripePages, cancellationToken).ConfigureAwait(false))
        {
            if (StripeItems.From(transaction, null) is { } item)
            {
                byId[item.BalanceTransactionId] = item;
            }
        }

        var payouts = byId.Values
            .Where(item => item.Type == StripeItem.PayoutType && item.Created >= period.StartInstant && item.Created < period.EndInstant)
            .Select(item => item.SourceId)
            .Order(StringComparer.Ordinal)
            .ToArray();
        if (payouts.Length > MaxPayouts)
        {
            throw new InvalidOperationException($"{payouts.Length} payouts in {period}; at most {MaxPayouts} are reconciled per run.");
        }

        foreach (var payoutId in payouts)
        {
            await foreach (var transaction in stripe.ListBalanceTransactionsAsync(new BalanceTransactionQuery { PayoutId = payoutId }, MaxStripePages, cancellationToken).ConfigureAwait(false))
            {
                if (StripeItems.From(transaction, payoutId) is { } item && item.Type != StripeItem.PayoutType)
                {
                    byId[item.BalanceTransactionId] = item;
                }
            }
        }

        return [.. byId.Values];
    }

    // Run ids are random, not derived: two runs of the same period are two runs (a re-run after fixing things).
    private static string NewRunId() => "rec_" + Guid.NewGuid().ToString("N")[..20];

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconciliation {RunId} for {Period} started from {Source}")]
    private partial void LogStarted(string runId, string period, StripeSource source);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconciliation {RunId} skipped: run is {Status}")]
    private partial void LogSkipped(string runId, string status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconciliation {RunId} for {Period} completed with {Exceptions} exceptions")]
    private partial void LogCompleted(string runId, string period, int exceptions);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reconciliation {RunId} for {Period} failed")]
    private partial void LogFailed(Exception exception, string runId, string period);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconciliation {RunId} exception {ExceptionId} resolved: {Action} (entry {Entry})")]
    private partial void LogResolved(string runId, string exceptionId, string action, string entry);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconciliation {RunId} closed {Period} by {ClosedBy}")]
    private partial void LogClosed(string runId, string period, string closedBy);
}
