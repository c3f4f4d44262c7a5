namespace ServiceLedger.Domain.Settlement;

/// <summary>Codes of the settlement engine's refusals; clients may switch on them.</summary>
public static class SettlementRule
{
    /// <summary>The input names no terms version, or versions out of order, or more than the limit.</summary>
    public const string TermsVersionsInvalid = nameof(TermsVersionsInvalid);

    /// <summary>Terms versions in different currencies, or an amount in another currency than the terms'.</summary>
    public const string CurrencyMismatch = nameof(CurrencyMismatch);

    /// <summary>The service window ends before it starts.</summary>
    public const string ServiceWindowInvalid = nameof(ServiceWindowInvalid);

    /// <summary>The period's cycle is not the terms' cycle.</summary>
    public const string PeriodCycleMismatch = nameof(PeriodCycleMismatch);

    /// <summary>The statement version is below 1, above the range of its kind, or a correction-only version on another statement (<see cref="StatementVersions"/>).</summary>
    public const string VersionInvalid = nameof(VersionInvalid);

    /// <summary>The period has service days and commission or SLA targets, but no figures were given.</summary>
    public const string FiguresRequired = nameof(FiguresRequired);

    /// <summary>An amount that must be positive is not.</summary>
    public const string AmountMustBePositive = nameof(AmountMustBePositive);

    /// <summary>A reference is empty, too long or has characters outside <c>[A-Za-z0-9_-:.]</c>.</summary>
    public const string ReferenceInvalid = nameof(ReferenceInvalid);

    /// <summary>More items than <see cref="SettlementLimits"/> allow.</summary>
    public const string TooManyItems = nameof(TooManyItems);

    /// <summary>An overdue item was paid after the issue date, or penalty already charged is negative.</summary>
    public const string OverdueItemInvalid = nameof(OverdueItemInvalid);

    /// <summary>A credit note to list names no statement or was resolved after the issue date.</summary>
    public const string CreditNoteInvalid = nameof(CreditNoteInvalid);

    /// <summary>A correction line given as input is not a correction linked to two statements.</summary>
    public const string CorrectionInvalid = nameof(CorrectionInvalid);

    /// <summary>A correction-only statement without corrections, or with something besides them (figures aside), or marked final.</summary>
    public const string CorrectionOnlyInvalid = nameof(CorrectionOnlyInvalid);

    /// <summary>A deposit was given for a statement that is not the final one.</summary>
    public const string DepositOnlyOnFinalStatement = nameof(DepositOnlyOnFinalStatement);

    /// <summary>Two statements compared by <see cref="SettlementEngine.Correct(Statement, Statement)"/> are not of the same contract, period and currency.</summary>
    public const string StatementsNotComparable = nameof(StatementsNotComparable);

    /// <summary>A statement whose every amount is zero posts nothing to the ledger.</summary>
    public const string NothingToPost = nameof(NothingToPost);
}
