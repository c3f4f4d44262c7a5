namespace ServiceLedger.Domain.Settlement;

using ServiceLedger.Domain.Money;

/// <summary>
/// One line of a statement: its <see cref="Kind"/>, its <see cref="Amount"/> (rounded once, half away from zero, to the
/// currency's minor unit; charges positive, credits negative) and <see cref="How"/>, the inputs and formula that gave the
/// amount, for people (e.g. <c>15 service days of 29 × 30000.00 CNY = 15517.24 CNY</c>).
/// </summary>
/// <param name="Kind">What the line charges or credits.</param>
/// <param name="Amount">The rounded, signed amount.</param>
/// <param name="How">The inputs and the formula; one line of plain text.</param>
public sealed record StatementLine(StatementLineKind Kind, Money Amount, string How)
{
    /// <summary>What the line is about outside the statement: a dispute, an earlier statement; null when nothing.</summary>
    public string? Reference { get; init; }

    /// <summary>For a <see cref="StatementLineKind.Correction"/>: the kind whose difference it carries; null otherwise.</summary>
    public StatementLineKind? Corrects { get; init; }

    /// <summary>For a <see cref="StatementLineKind.Correction"/>: the issued statement that is corrected; null otherwise.</summary>
    public StatementId? IssuedStatement { get; init; }

    /// <summary>For a <see cref="StatementLineKind.Correction"/>: the recomputed statement the difference comes from; null otherwise.</summary>
    public StatementId? RecomputedStatement { get; init; }
}
