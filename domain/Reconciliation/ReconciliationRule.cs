namespace ServiceLedger.Domain.Reconciliation;

/// <summary>The reconciliation capability's refusal codes; clients may switch on them, and a code is never reused.</summary>
public static class ReconciliationRule
{
    /// <summary>A period is not <c>2027-03</c>, <c>2027-Q1</c> or <c>2027</c>.</summary>
    public const string PeriodInvalid = nameof(PeriodInvalid);

    /// <summary>A match rule is not one the engine can apply (wrong operator for the field, negative tolerance).</summary>
    public const string MatchRuleInvalid = nameof(MatchRuleInvalid);

    /// <summary>A tolerance is not a rate between 0 and 1.</summary>
    public const string ToleranceInvalid = nameof(ToleranceInvalid);

    /// <summary>A tolerance request id was used before for another rate.</summary>
    public const string ToleranceRequestIdReused = nameof(ToleranceRequestIdReused);

    /// <summary>A run's Stripe source is not <c>api</c> or <c>csv</c>.</summary>
    public const string StripeSourceInvalid = nameof(StripeSourceInvalid);

    /// <summary>A resolution's action is not <c>acceptTiming</c>, <c>adjust</c> or <c>openDispute</c>, or its parts do not fit the action.</summary>
    public const string ResolutionInvalid = nameof(ResolutionInvalid);

    /// <summary>The run is closed: its exceptions take no more resolutions.</summary>
    public const string RunClosed = nameof(RunClosed);

    /// <summary>The run has not completed its checks, so its period cannot be closed yet.</summary>
    public const string RunNotCompleted = nameof(RunNotCompleted);

    /// <summary>The run still has exceptions without a resolution.</summary>
    public const string UnresolvedExceptions = nameof(UnresolvedExceptions);

    /// <summary>An uploaded Stripe CSV cannot be read: missing column, bad value, too many rows.</summary>
    public const string StripeCsvInvalid = nameof(StripeCsvInvalid);
}
