namespace ServiceLedger.Domain.Settlement;

/// <summary>Bounds on what one settlement takes in, so that a statement always fits one ledger entry and one page.</summary>
public static class SettlementLimits
{
    /// <summary>Most dispute adjustments on one statement.</summary>
    public const int MaxDisputeAdjustments = 50;

    /// <summary>Most held amounts shown on one statement.</summary>
    public const int MaxHeldAmounts = 50;

    /// <summary>Most overdue items judged for penalties on one statement.</summary>
    public const int MaxOverdueItems = 50;

    /// <summary>Most credit notes listed as memo lines on one statement.</summary>
    public const int MaxCreditNotes = 50;

    /// <summary>Most correction lines carried onto one statement.</summary>
    public const int MaxCorrections = 100;

    /// <summary>Longest dispute or statement reference.</summary>
    public const int MaxReferenceLength = 64;

    /// <summary>Most terms versions one settlement looks at (a contract's version limit).</summary>
    public const int MaxTermsVersions = Contracts.ContractLimits.MaxVersions;
}
