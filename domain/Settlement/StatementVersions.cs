using NodaTime;

namespace ServiceLedger.Domain.Settlement;

/// <summary>
/// What a statement's version says, so that no two kinds of statement of one contract and period can share an id or a ledger
/// key (<c>statement:{contract}:{period}:v{n}</c>): version <see cref="Issued"/> is the period's statement; versions 2 to
/// <see cref="MaxRecomputed"/> are recomputed statements of a corrected period (stored so correction lines can name them,
/// never posted); versions <see cref="FirstCorrectionOnly"/> to <see cref="MaxCorrectionOnly"/> are correction-only statements
/// of a contract's final period (docs/settlement.md, "Corrections after the final statement"). Pure.
/// </summary>
public static class StatementVersions
{
    /// <summary>The version of a period's own statement.</summary>
    public const int Issued = 1;

    /// <summary>The highest version a recomputed statement may have: a period may be corrected 99 times.</summary>
    public const int MaxRecomputed = 100;

    /// <summary>The version of a final period's first correction-only statement.</summary>
    public const int FirstCorrectionOnly = MaxRecomputed + 1;

    /// <summary>The highest version a statement id holds (three digits in its row key): 899 correction-only statements per contract.</summary>
    public const int MaxCorrectionOnly = 999;

    /// <summary>True when <paramref name="version"/> is in the correction-only range.</summary>
    public static bool IsCorrectionOnly(int version) => version is >= FirstCorrectionOnly and <= MaxCorrectionOnly;

    /// <summary>
    /// The version of the next correction-only statement of a final period, given the versions of that period's statements
    /// issued so far (any order; versions outside the correction-only range are ignored): one more than the highest
    /// correction-only version, else <see cref="FirstCorrectionOnly"/>. Null when the range is used up.
    /// </summary>
    public static int? NextCorrectionOnly(IEnumerable<int> issuedVersions)
    {
        ArgumentNullException.ThrowIfNull(issuedVersions);
        var next = issuedVersions.Where(IsCorrectionOnly).DefaultIfEmpty(FirstCorrectionOnly - 1).Max() + 1;
        return next <= MaxCorrectionOnly ? next : null;
    }

    /// <summary>
    /// The issue day of a correction-only statement, derived from its inputs and never from the clock: the day, in the
    /// contract's <paramref name="zone"/>, the latest correction it carries was noticed (<paramref name="noticedAt"/>), and not
    /// before the final statement's issue day <paramref name="finalIssuedOn"/>. So a redelivery on another day computes the same
    /// statement, and the statement is dated when the change became known rather than back at the final period's end.
    /// </summary>
    public static LocalDate CorrectionOnlyIssueDay(LocalDate finalIssuedOn, IEnumerable<Instant> noticedAt, DateTimeZone zone)
    {
        ArgumentNullException.ThrowIfNull(noticedAt);
        ArgumentNullException.ThrowIfNull(zone);
        var latest = noticedAt.Select(instant => instant.InZone(zone).Date).DefaultIfEmpty(finalIssuedOn).Max();
        return LocalDate.Max(latest, finalIssuedOn);
    }
}
