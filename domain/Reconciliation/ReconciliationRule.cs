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
}
