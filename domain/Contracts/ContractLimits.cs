namespace ServiceLedger.Domain.Contracts;

/// <summary>
/// Bounds on everything a contract holds, so that one contract (all its versions and history) always fits one Table
/// entity: the stored JSON is split over string properties of at most 32K characters, and an entity is at most 1 MB.
/// </summary>
public static class ContractLimits
{
    /// <summary>Most seat lines (agent types) in one version's terms.</summary>
    public const int MaxSeatLines = 20;

    /// <summary>Most seats on one line.</summary>
    public const int MaxSeatsPerLine = 10_000;

    /// <summary>Longest agent type name, in characters.</summary>
    public const int MaxAgentTypeLength = 40;

    /// <summary>Most commission tiers.</summary>
    public const int MaxCommissionTiers = 20;

    /// <summary>Largest amount anywhere in the terms, in major units (matches the ledger's largest posting).</summary>
    public const decimal MaxAmount = 1_000_000_000_000m;

    /// <summary>Most months of seat rates a deposit may hold.</summary>
    public const int MaxDepositMonths = 24;

    /// <summary>Most working days until the first base fee is due (the default is 2).</summary>
    public const int MaxFirstBaseFeeDueWorkingDays = 30;

    /// <summary>The default working days from signing until the first base fee is due (DESIGN.md section 1).</summary>
    public const int DefaultFirstBaseFeeDueWorkingDays = 2;

    /// <summary>Most working days between issuing a statement and its due date.</summary>
    public const int MaxPaymentTermsWorkingDays = 90;

    /// <summary>Most working days to refund a deposit.</summary>
    public const int MaxRefundWorkingDays = 90;

    /// <summary>Longest first-response target, in seconds (one day).</summary>
    public const int MaxFirstResponseSeconds = 86_400;

    /// <summary>Longest term, in years.</summary>
    public const int MaxTermYears = 10;

    /// <summary>Longest notice period, in days.</summary>
    public const int MaxNoticePeriodDays = 365;

    /// <summary>Longest reason (termination, suspension), in characters.</summary>
    public const int MaxReasonLength = 500;

    /// <summary>Most versions (the original plus amendments) of one contract.</summary>
    public const int MaxVersions = 50;

    /// <summary>Most recorded transitions of one contract (each version needs at most a handful).</summary>
    public const int MaxHistoryEntries = 1_000;

    /// <summary>Longest reference to the ledger entry that recorded the deposit.</summary>
    public const int MaxDepositEntryRefLength = 200;
}
