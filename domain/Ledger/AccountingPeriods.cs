using NodaTime;

namespace ServiceLedger.Domain.Ledger;

/// <summary>
/// The record that finance closed one accounting period (a calendar month): who, when, the hash of the period's trial
/// balance report, and a hash chained to the previous closing, so that removing or editing a closing is detectable —
/// closing cannot be undone silently. Built by <see cref="AccountingPeriods.ProposeClosing"/>.
/// </summary>
public sealed record PeriodClosing
{
    internal PeriodClosing(YearMonth period, string closedBy, Instant closedAt, EntryHash reportHash, EntryHash previousHash)
    {
        Period = period;
        ClosedBy = closedBy;
        ClosedAt = closedAt;
        ReportHash = reportHash;
        PreviousHash = previousHash;
        Hash = ComputeHash();
    }

    /// <summary>The month closed.</summary>
    public YearMonth Period { get; }

    /// <summary>Who closed it (the authenticated finance user's id).</summary>
    public string ClosedBy { get; }

    /// <summary>When it was closed (UTC, whole microseconds).</summary>
    public Instant ClosedAt { get; }

    /// <summary>SHA-256 of the period's canonical trial balance (<see cref="TrialBalance.ReportHash"/>).</summary>
    public EntryHash ReportHash { get; }

    /// <summary>The hash of the previous closing; <see cref="EntryHash.Zero"/> for the first.</summary>
    public EntryHash PreviousHash { get; }

    /// <summary><c>SHA-256(previous hash || canonical bytes of this closing)</c>.</summary>
    public EntryHash Hash { get; private init; }

    /// <summary>Rebuilds a closing read from storage with its stored hash (which <see cref="AccountingPeriods.FromClosings"/> checks).</summary>
    public static PeriodClosing FromStored(YearMonth period, string closedBy, Instant closedAt, EntryHash reportHash, EntryHash previousHash, EntryHash hash)
    {
        ArgumentNullException.ThrowIfNull(closedBy);
        if (reportHash.IsDefault || previousHash.IsDefault || hash.IsDefault)
        {
            throw new ArgumentException("A stored closing has a report hash, a previous hash and a hash.", nameof(hash));
        }

        return new PeriodClosing(period, closedBy, closedAt, reportHash, previousHash) { Hash = hash };
    }

    /// <summary>What the hash should be.</summary>
    public EntryHash ComputeHash()
    {
        var writer = new CanonicalForm.CanonicalWriter();
        writer.Field("format", "period-closing/v1");
        writer.Field("period", CanonicalForm.FormatPeriod(Period));
        writer.Field("closed-by", ClosedBy);
        writer.Field("closed-at", CanonicalForm.FormatInstant(ClosedAt));
        writer.Field("report-hash", ReportHash.Hex);
        return EntryHash.Chain(PreviousHash, writer.ToBytes());
    }
}

/// <summary>
/// Which accounting periods (calendar months of effective dates) are closed. Closed months are contiguous: the first closing
/// closes its month and every earlier month; after that only the first open period (the month after the last closed one)
/// can be closed. Nothing reopens a period: there is no operation for it, and the chained closings make a removed closing
/// visible. A correction after a close is a new entry dated in the first open period.
/// </summary>
public sealed class AccountingPeriods
{
    private AccountingPeriods(IReadOnlyList<PeriodClosing> closings) => Closings = closings;

    /// <summary>A ledger with no closed period: every date is open.</summary>
    public static AccountingPeriods None { get; } = new([]);

    /// <summary>The closings, oldest first.</summary>
    public IReadOnlyList<PeriodClosing> Closings { get; }

    /// <summary>The last closed month; every month up to it is closed. Null when nothing is closed.</summary>
    public YearMonth? LastClosed => Closings.Count == 0 ? null : Closings[^1].Period;

    /// <summary>The month after the last closed one; null when nothing is closed (then every month is open).</summary>
    public YearMonth? FirstOpenPeriod => LastClosed?.PlusMonths(1);

    /// <summary>The hash of the last closing; <see cref="EntryHash.Zero"/> when nothing is closed.</summary>
    public EntryHash LastHash => Closings.Count == 0 ? EntryHash.Zero : Closings[^1].Hash;

    /// <summary>
    /// Rebuilds the closed periods from stored closings, oldest first. They must be consecutive months and their hash chain
    /// intact, and when the store keeps a head of the closings (<paramref name="storedLastHash"/>, replaced in the same
    /// transaction as each closing) the last hash must equal it, which catches a deleted last closing. Otherwise the store
    /// was altered and this throws (an invariant, not input).
    /// </summary>
    public static AccountingPeriods FromClosings(IEnumerable<PeriodClosing> closings, EntryHash? storedLastHash = null)
    {
        ArgumentNullException.ThrowIfNull(closings);
        var list = closings.ToArray();
        var previousHash = EntryHash.Zero;
        for (var index = 0; index < list.Length; index++)
        {
            var closing = list[index];
            if (index > 0 && closing.Period != list[index - 1].Period.PlusMonths(1))
            {
                throw new InvalidOperationException(
                    $"Closed periods must be consecutive months: {CanonicalForm.FormatPeriod(closing.Period)} follows {CanonicalForm.FormatPeriod(list[index - 1].Period)}.");
            }

            if (closing.PreviousHash != previousHash || closing.ComputeHash() != closing.Hash)
            {
                throw new InvalidOperationException(
                    $"The closing of {CanonicalForm.FormatPeriod(closing.Period)} does not match its hash chain; the closing records were altered.");
            }

            previousHash = closing.Hash;
        }

        if (storedLastHash is { } expected && expected != previousHash)
        {
            throw new InvalidOperationException(
                $"The closings end on hash {previousHash.Hex} but the stored head says {expected.Hex}; a closing was removed or added behind the head.");
        }

        return new AccountingPeriods(list);
    }

    /// <summary>True when the month is closed (it is the last closed month or earlier).</summary>
    public bool IsClosed(YearMonth period) => LastClosed is { } last && period.CompareTo(last) <= 0;

    /// <summary>True when the date's month is closed.</summary>
    public bool IsClosed(LocalDate date) => IsClosed(date.ToYearMonth());

    /// <summary>The date itself when its period is open, else the first day of the first open period.</summary>
    public LocalDate FirstOpenDateOnOrAfter(LocalDate date) =>
        IsClosed(date) ? FirstOpenPeriod!.Value.OnDayOfMonth(1) : date;

    /// <summary>
    /// Refuses an effective date in a closed period with <see cref="LedgerRule.EffectiveDateInClosedPeriod"/>, naming the first
    /// open period; null when the date is open.
    /// </summary>
    public Refusal? CheckEffectiveDate(LocalDate effectiveDate, string field) =>
        IsClosed(effectiveDate)
            ? new Refusal(
                LedgerRule.EffectiveDateInClosedPeriod,
                field,
                $"{CanonicalForm.FormatDate(effectiveDate)} is in the closed period {CanonicalForm.FormatPeriod(effectiveDate.ToYearMonth())}; "
                + $"the first open period is {CanonicalForm.FormatPeriod(FirstOpenPeriod!.Value)}. Date the entry (or its correction) on or after "
                + $"{CanonicalForm.FormatDate(FirstOpenPeriod.Value.OnDayOfMonth(1))}.")
            : null;

    /// <summary>
    /// Checks a request to close <paramref name="period"/> and builds its closing record, chained to the last closing.
    /// Refusals: <see cref="LedgerRule.PeriodAlreadyClosed"/>, <see cref="LedgerRule.PeriodMustBeFirstOpen"/>,
    /// <see cref="LedgerRule.PeriodMustHaveEnded"/> (the month must be over on <paramref name="today"/>),
    /// <see cref="LedgerRule.ClosedByInvalid"/>.
    /// </summary>
    /// <param name="period">The month to close.</param>
    /// <param name="closedBy">Who closes it: 1 to <see cref="LedgerLimits.MaxActorLength"/> characters of plain text.</param>
    /// <param name="closedAt">When (from the injected clock); truncated to whole microseconds.</param>
    /// <param name="today">Today's date in the ledger's time zone.</param>
    /// <param name="reportHash">The period's <see cref="TrialBalance.ReportHash"/>.</param>
    public Validated<PeriodClosing> ProposeClosing(YearMonth period, string closedBy, Instant closedAt, LocalDate today, EntryHash reportHash)
    {
        if (reportHash.IsDefault)
        {
            throw new ArgumentException("A closing needs the hash of the period's report.", nameof(reportHash));
        }

        var refusals = new List<Refusal>();
        if (IsClosed(period))
        {
            var closing = Closings.First(candidate => candidate.Period.CompareTo(period) >= 0);
            refusals.Add(new Refusal(
                LedgerRule.PeriodAlreadyClosed,
                "period",
                closing.Period == period
                    ? $"{CanonicalForm.FormatPeriod(period)} was closed by {closing.ClosedBy} at {CanonicalForm.FormatInstant(closing.ClosedAt)}; closed periods do not reopen."
                    : $"{CanonicalForm.FormatPeriod(period)} was closed with {CanonicalForm.FormatPeriod(closing.Period)}; closed periods do not reopen."));
        }
        else if (FirstOpenPeriod is { } firstOpen && period != firstOpen)
        {
            refusals.Add(new Refusal(
                LedgerRule.PeriodMustBeFirstOpen,
                "period",
                $"Periods close in order; the first open period is {CanonicalForm.FormatPeriod(firstOpen)}, not {CanonicalForm.FormatPeriod(period)}."));
        }

        if (today.CompareTo(period.ToDateInterval().End) <= 0)
        {
            refusals.Add(new Refusal(
                LedgerRule.PeriodMustHaveEnded,
                "period",
                $"{CanonicalForm.FormatPeriod(period)} has not ended (today is {CanonicalForm.FormatDate(today)}); it can be closed from "
                + $"{CanonicalForm.FormatDate(period.PlusMonths(1).OnDayOfMonth(1))}."));
        }

        if (string.IsNullOrWhiteSpace(closedBy) || closedBy.Length > LedgerLimits.MaxActorLength || !LedgerText.IsPlainText(closedBy))
        {
            refusals.Add(new Refusal(
                LedgerRule.ClosedByInvalid,
                "closedBy",
                $"Say who closes the period: 1 to {LedgerLimits.MaxActorLength} characters without control characters."));
        }

        return refusals.Count > 0
            ? Validated.Refused<PeriodClosing>(refusals)
            : Validated.Valid(new PeriodClosing(period, closedBy, CanonicalForm.TruncateToMicroseconds(closedAt), reportHash, LastHash));
    }

    /// <summary>The periods after recording <paramref name="closing"/>, which must be the next closing of this ledger.</summary>
    public AccountingPeriods With(PeriodClosing closing)
    {
        ArgumentNullException.ThrowIfNull(closing);
        return FromClosings(Closings.Append(closing));
    }
}
