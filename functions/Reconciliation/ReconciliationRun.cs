using NodaTime;

namespace ServiceLedger.Functions.Reconciliation;

/// <summary>Where a run reads Stripe's side from.</summary>
public enum StripeSource
{
    /// <summary>The balance transactions API, through the Stripe client.</summary>
    Api = 1,

    /// <summary>Stripe's CSV export of balance transactions, uploaded to the run.</summary>
    Csv = 2,
}

/// <summary>Where a run is in its life.</summary>
public enum RunStatus
{
    /// <summary>Waiting for its Stripe CSV upload (csv runs only).</summary>
    AwaitingCsv = 1,

    /// <summary>Enqueued; the queue function has not started it yet.</summary>
    Queued = 2,

    /// <summary>The checks are running.</summary>
    Running = 3,

    /// <summary>Every check ran; exceptions are stored.</summary>
    Completed = 4,

    /// <summary>A check failed with an error (logged); re-running is safe.</summary>
    Failed = 5,

    /// <summary>Every exception was resolved and the period's months were closed.</summary>
    Closed = 6,
}

/// <summary>
/// A reconciliation run as stored in table <c>reconciliations</c> and shown by <c>GET /api/reconciliations/{runId}</c>:
/// its period and source, who asked when, progress counts, and once closed who closed it, when, and the report's hash.
/// </summary>
public sealed record ReconciliationRun
{
    /// <summary>The run's id, <c>rec_…</c>.</summary>
    public required string RunId { get; init; }

    /// <summary>The period, <c>2027-03</c>, <c>2027-Q1</c> or <c>2027</c>.</summary>
    public required string Period { get; init; }

    /// <summary>Where Stripe's side comes from.</summary>
    public required StripeSource StripeSource { get; init; }

    /// <summary>Where the run is.</summary>
    public required RunStatus Status { get; init; }

    /// <summary>Who started it (the caller's subject).</summary>
    public required string RequestedBy { get; init; }

    /// <summary>When it was started.</summary>
    public required Instant RequestedAt { get; init; }

    /// <summary>Stripe balance transactions read.</summary>
    public int StripeItems { get; init; }

    /// <summary>Ledger items (entries moving Stripe clearing) read.</summary>
    public int LedgerItems { get; init; }

    /// <summary>Stripe objects whose two sides agreed by id.</summary>
    public int MatchedById { get; init; }

    /// <summary>Pairs made by rules whose two sides agreed.</summary>
    public int MatchedByRule { get; init; }

    /// <summary>Exceptions stored.</summary>
    public int Exceptions { get; init; }

    /// <summary>SHA-256 (hex) of the exception report in canonical order; set when the run completes.</summary>
    public string? ReportHash { get; init; }

    /// <summary>When the checks finished.</summary>
    public Instant? CompletedAt { get; init; }

    /// <summary>Why the run failed, for people (no exception text).</summary>
    public string? Failure { get; init; }

    /// <summary>Who closed the period.</summary>
    public string? ClosedBy { get; init; }

    /// <summary>When the period was closed.</summary>
    public Instant? ClosedAt { get; init; }
}

/// <summary>One resolution appended to an exception: never edited, never removed.</summary>
/// <param name="Action"><c>acceptTiming</c>, <c>adjust</c> or <c>openDispute</c>.</param>
/// <param name="Comment">Finance's words.</param>
/// <param name="ResolvedBy">The caller's subject.</param>
/// <param name="ResolvedAt">When.</param>
/// <param name="AdjustmentEntry">The adjusting entry posted (<c>book#sequence</c>), for <c>adjust</c>.</param>
public sealed record ExceptionResolution(string Action, string Comment, string ResolvedBy, Instant ResolvedAt, string? AdjustmentEntry);
