namespace ServiceLedger.Domain.Settlement;

/// <summary>
/// What a statement line charges or credits. The numeric values are stable (they order lines in the canonical form and are
/// never renumbered); add new kinds at the end.
/// </summary>
public enum StatementLineKind
{
    /// <summary>Base fee of a base-plus-commission contract for service days of the settled period (in arrears); positive.</summary>
    BaseFee = 1,

    /// <summary>Fixed fee of a fixed-fee contract for service days of the coming period (in advance); positive.</summary>
    FixedFee = 2,

    /// <summary>Commission: attributed sales × the rate of the tier the period's conversion falls in; zero or positive.</summary>
    Commission = 3,

    /// <summary>Credit for one missed SLA target, capped per period; zero or negative.</summary>
    SlaCredit = 4,

    /// <summary>Late penalty on an overdue amount of an earlier statement; positive. Not fee-bearing: it is the platform's.</summary>
    LatePenalty = 5,

    /// <summary>An approved dispute adjustment (a credit note); negative.</summary>
    DisputeAdjustment = 6,

    /// <summary>The difference between an issued statement and its recomputation, per kind; either sign.</summary>
    Correction = 7,

    /// <summary>The deposit applied to the final statement; negative, at most the statement's total before it.</summary>
    DepositApplied = 8,
}

/// <summary>Which lines carry the platform fee, and which belong to someone else in full.</summary>
public static class StatementLineKinds
{
    /// <summary>
    /// True when the platform fee is taken from the line and the rest is the vendor's: fees, commission, SLA credits, dispute
    /// adjustments, and corrections of those. Late penalties (all the platform's) and the deposit applied (a payment, not a
    /// charge) are not fee-bearing.
    /// </summary>
    public static bool IsFeeBearing(StatementLineKind kind) =>
        kind is StatementLineKind.BaseFee or StatementLineKind.FixedFee or StatementLineKind.Commission
            or StatementLineKind.SlaCredit or StatementLineKind.DisputeAdjustment;

    /// <summary>
    /// True for the kinds a period's own terms, service window and figures give (fees, commission, SLA credits): the kinds a
    /// recomputation of a settled period can change when a report is corrected, an amendment reaches back or service is cut short.
    /// </summary>
    public static bool IsPeriodKind(StatementLineKind kind) =>
        kind is StatementLineKind.BaseFee or StatementLineKind.FixedFee or StatementLineKind.Commission or StatementLineKind.SlaCredit;

    /// <summary>True when <paramref name="line"/> carries the platform fee: a fee-bearing kind, or a correction of one.</summary>
    public static bool IsFeeBearing(StatementLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return line.Kind == StatementLineKind.Correction ? line.Corrects is { } corrected && IsFeeBearing(corrected) : IsFeeBearing(line.Kind);
    }

    /// <summary>
    /// True when <paramref name="line"/> is what a commission statement shows as an adjustment: a dispute adjustment, or a
    /// correction of a fee-bearing line. With commission, fees and SLA credits these make up the fee-bearing total, so the
    /// columns add up to platform fee + vendor share.
    /// </summary>
    public static bool IsCommissionAdjustment(StatementLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return line.Kind is StatementLineKind.DisputeAdjustment or StatementLineKind.Correction && IsFeeBearing(line);
    }

    /// <summary>True when <paramref name="line"/> is a late penalty or a correction of one: the platform's penalty revenue.</summary>
    public static bool IsPenalty(StatementLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return line.Kind == StatementLineKind.LatePenalty || (line.Kind == StatementLineKind.Correction && line.Corrects == StatementLineKind.LatePenalty);
    }
}
