using System.Globalization;
using NodaTime;
using ServiceLedger.Domain.Ledger;

namespace ServiceLedger.Domain.Reconciliation;

/// <summary>What a reconciliation period spans: a calendar month, a quarter or a year.</summary>
public enum ReconciliationPeriodKind
{
    /// <summary>One calendar month, written <c>2027-03</c>.</summary>
    Month = 1,

    /// <summary>Three calendar months from January, April, July or October, written <c>2027-Q1</c>.</summary>
    Quarter = 2,

    /// <summary>One calendar year, written <c>2027</c>.</summary>
    Year = 3,
}

/// <summary>
/// The period a reconciliation run covers: the half-open date range [<see cref="Start"/>, <see cref="End"/>) of a month,
/// quarter or year. Instants (Stripe's <c>created</c>) fall in the period by their UTC date, because Stripe reports in UTC
/// and the ledger's accounting periods are calendar months without a zone. Equality is by kind and start; ordering is by
/// start, then length. <c>default</c> is no period.
/// </summary>
public readonly record struct ReconciliationPeriod
{
    private ReconciliationPeriod(ReconciliationPeriodKind kind, LocalDate start)
    {
        Kind = kind;
        Start = start;
    }

    /// <summary>Month, quarter or year.</summary>
    public ReconciliationPeriodKind Kind { get; }

    /// <summary>The first day in the period.</summary>
    public LocalDate Start { get; }

    /// <summary>The first day after the period (exclusive end).</summary>
    public LocalDate End => Start.PlusMonths(MonthCount);

    /// <summary>The number of calendar months the period spans (1, 3 or 12).</summary>
    public int MonthCount => Kind switch
    {
        ReconciliationPeriodKind.Month => 1,
        ReconciliationPeriodKind.Quarter => 3,
        ReconciliationPeriodKind.Year => 12,
        _ => 0,
    };

    /// <summary>The months of the period, in order: the accounting periods a close of this period closes.</summary>
    public IReadOnlyList<YearMonth> Months
    {
        get
        {
            var first = Start.ToYearMonth();
            return Enumerable.Range(0, MonthCount).Select(first.PlusMonths).ToArray();
        }
    }

    /// <summary>Start as a UTC instant, for Stripe's <c>created</c> filter (inclusive).</summary>
    public Instant StartInstant => Start.AtStartOfDayInZone(DateTimeZone.Utc).ToInstant();

    /// <summary>End as a UTC instant (exclusive).</summary>
    public Instant EndInstant => End.AtStartOfDayInZone(DateTimeZone.Utc).ToInstant();

    /// <summary>True for <c>default</c>, which spans nothing.</summary>
    public bool IsDefault => Kind == 0;

    /// <summary>The calendar month.</summary>
    public static ReconciliationPeriod Month(YearMonth month) => new(ReconciliationPeriodKind.Month, month.OnDayOfMonth(1));

    /// <summary>The quarter 1 to 4 of a year; throws outside 1..4.</summary>
    public static ReconciliationPeriod Quarter(int year, int quarter) =>
        quarter is >= 1 and <= 4
            ? new(ReconciliationPeriodKind.Quarter, new LocalDate(year, ((quarter - 1) * 3) + 1, 1))
            : throw new ArgumentOutOfRangeException(nameof(quarter), quarter, "A quarter is 1 to 4.");

    /// <summary>The calendar year.</summary>
    public static ReconciliationPeriod Year(int year) => new(ReconciliationPeriodKind.Year, new LocalDate(year, 1, 1));

    /// <summary>True when the date lies in [Start, End).</summary>
    public bool Contains(LocalDate date) => date >= Start && date < End;

    /// <summary>
    /// Reads <c>2027-03</c>, <c>2027-Q1</c> or <c>2027</c> (years 2000 to 2099, the ledger's effective-date range);
    /// refuses anything else with <see cref="ReconciliationRule.PeriodInvalid"/> naming <paramref name="field"/>.
    /// </summary>
    public static Validated<ReconciliationPeriod> Parse(string? text, string field)
    {
        if (TryParse(text, out var period))
        {
            return Validated.Valid(period);
        }

        return Validated.Refused<ReconciliationPeriod>(new Refusal(
            ReconciliationRule.PeriodInvalid,
            field,
            $"'{text}' is not a reconciliation period: give a month '2027-03', a quarter '2027-Q1' or a year '2027' (2000 to 2099)."));
    }

    /// <summary>Parses the three written forms; false for anything else.</summary>
    public static bool TryParse(string? text, out ReconciliationPeriod period)
    {
        period = default;
        if (text is null || text.Length is not (4 or 7) || !int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || year is < 2000 or > 2099)
        {
            return false;
        }

        if (text.Length == 4)
        {
            period = Year(year);
            return true;
        }

        if (text[4] != '-')
        {
            return false;
        }

        if (text[5] == 'Q' && text[6] is >= '1' and <= '4')
        {
            period = Quarter(year, text[6] - '0');
            return true;
        }

        if (int.TryParse(text.AsSpan(5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var month) && month is >= 1 and <= 12)
        {
            period = Month(new YearMonth(year, month));
            return true;
        }

        return false;
    }

    /// <summary>The written form: <c>2027-03</c>, <c>2027-Q1</c> or <c>2027</c>.</summary>
    public override string ToString() => Kind switch
    {
        ReconciliationPeriodKind.Month => Start.ToString("yyyy'-'MM", CultureInfo.InvariantCulture),
        ReconciliationPeriodKind.Quarter => string.Create(CultureInfo.InvariantCulture, $"{Start.Year:D4}-Q{((Start.Month - 1) / 3) + 1}"),
        ReconciliationPeriodKind.Year => Start.Year.ToString("D4", CultureInfo.InvariantCulture),
        _ => "(no period)",
    };
}
