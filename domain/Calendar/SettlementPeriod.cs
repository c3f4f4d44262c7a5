using System.Globalization;
using NodaTime;
using ServiceLedger.Domain.Ledger;

namespace ServiceLedger.Domain.Calendar;

/// <summary>
/// A calendar month or quarter that a contract settles for, as dates in the contract's time zone. Written <c>2027-03</c>
/// (month) or <c>2027-Q1</c> (quarter) on the wire, in paths and in keys. The period covers <see cref="Start"/> inclusive to
/// <see cref="End"/> exclusive (half-open, so consecutive periods meet without overlap); <see cref="LastDay"/> is the last
/// day inside it. Equality is by cycle, year and number: <c>2027-01</c> is not <c>2027-Q1</c> though both start on
/// 2027-01-01. Ordering is by start date, then shorter period first (a month sorts before the quarter it opens).
/// <c>default(SettlementPeriod)</c> names no period; its dates throw.
/// </summary>
public readonly record struct SettlementPeriod : IComparable<SettlementPeriod>, System.Numerics.IComparisonOperators<SettlementPeriod, SettlementPeriod, bool>
{
    /// <summary>First year a period may fall in (the years the ledger accepts effective dates for).</summary>
    public const int MinYear = LedgerLimits.MinEffectiveYear;

    /// <summary>Last year a period may fall in.</summary>
    public const int MaxYear = LedgerLimits.MaxEffectiveYear;

    private const int MonthsPerQuarter = 3;

    private SettlementPeriod(SettlementCycle cycle, int year, int number)
    {
        Cycle = cycle;
        Year = year;
        Number = number;
    }

    /// <summary>Monthly or quarterly.</summary>
    public SettlementCycle Cycle { get; }

    /// <summary>The calendar year.</summary>
    public int Year { get; }

    /// <summary>The month (1 to 12) of a monthly period, or the quarter (1 to 4) of a quarterly one.</summary>
    public int Number { get; }

    /// <summary>True for <c>default(SettlementPeriod)</c>.</summary>
    public bool IsDefault => Cycle == 0;

    /// <summary>The first day of the period (inclusive).</summary>
    public LocalDate Start => FirstMonth.OnDayOfMonth(1);

    /// <summary>The first day after the period (exclusive): the <see cref="Start"/> of <see cref="Next"/>.</summary>
    public LocalDate End => Start.PlusMonths(MonthCount);

    /// <summary>The last day inside the period (inclusive).</summary>
    public LocalDate LastDay => End.PlusDays(-1);

    /// <summary>Number of calendar days in the period (28 to 92).</summary>
    public int Days => Period.DaysBetween(Start, End);

    /// <summary>The months of the period in order: one for a monthly period, three for a quarter.</summary>
    public IReadOnlyList<YearMonth> Months
    {
        get
        {
            var first = FirstMonth;
            return Enumerable.Range(0, MonthCount).Select(first.PlusMonths).ToArray();
        }
    }

    private YearMonth FirstMonth => Cycle switch
    {
        SettlementCycle.Monthly => new YearMonth(Year, Number),
        SettlementCycle.Quarterly => new YearMonth(Year, ((Number - 1) * MonthsPerQuarter) + 1),
        _ => throw new InvalidOperationException("default(SettlementPeriod) names no period."),
    };

    private int MonthCount => Cycle == SettlementCycle.Quarterly ? MonthsPerQuarter : 1;

    /// <summary>The monthly period of a month; a year outside <see cref="MinYear"/>..<see cref="MaxYear"/> is a bug and throws.</summary>
    public static SettlementPeriod Month(int year, int month)
    {
        CheckYear(year);
        ArgumentOutOfRangeException.ThrowIfLessThan(month, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(month, 12);
        return new SettlementPeriod(SettlementCycle.Monthly, year, month);
    }

    /// <summary>The monthly period of a NodaTime <see cref="YearMonth"/> (the type accounting periods use).</summary>
    public static SettlementPeriod Month(YearMonth month) => Month(month.Year, month.Month);

    /// <summary>The quarterly period (quarter 1 to 4) of a year; anything else is a bug and throws.</summary>
    public static SettlementPeriod Quarter(int year, int quarter)
    {
        CheckYear(year);
        ArgumentOutOfRangeException.ThrowIfLessThan(quarter, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quarter, 4);
        return new SettlementPeriod(SettlementCycle.Quarterly, year, quarter);
    }

    /// <summary>The period of <paramref name="cycle"/> that contains <paramref name="date"/>.</summary>
    public static SettlementPeriod Containing(LocalDate date, SettlementCycle cycle) => cycle switch
    {
        SettlementCycle.Monthly => Month(date.Year, date.Month),
        SettlementCycle.Quarterly => Quarter(date.Year, ((date.Month - 1) / MonthsPerQuarter) + 1),
        _ => throw new ArgumentOutOfRangeException(nameof(cycle), cycle, "A settlement cycle is Monthly or Quarterly."),
    };

    /// <summary>Parses <c>yyyy-MM</c> or <c>yyyy-Qn</c> exactly (no spaces, lower-case q or single-digit month); false otherwise.</summary>
    public static bool TryParse(string? text, out SettlementPeriod period)
    {
        period = default;
        if (text is not { Length: 7 } || text[4] != '-' || !TryParseDigits(text.AsSpan(0, 4), out var year) || year is < MinYear or > MaxYear)
        {
            return false;
        }

        if (text[5] == 'Q' && TryParseDigits(text.AsSpan(6, 1), out var quarter) && quarter is >= 1 and <= 4)
        {
            period = new SettlementPeriod(SettlementCycle.Quarterly, year, quarter);
            return true;
        }

        if (TryParseDigits(text.AsSpan(5, 2), out var month) && month is >= 1 and <= 12)
        {
            period = new SettlementPeriod(SettlementCycle.Monthly, year, month);
            return true;
        }

        return false;
    }

    /// <summary>Parses a period from a request or path; refuses with <see cref="CalendarRule.PeriodInvalid"/> naming <paramref name="field"/>.</summary>
    public static Validated<SettlementPeriod> Parse(string? text, string field) =>
        TryParse(text, out var period)
            ? Validated.Valid(period)
            : Validated.Refused<SettlementPeriod>(new Refusal(
                CalendarRule.PeriodInvalid,
                field,
                $"{LedgerText.Quote(text)} is not a settlement period: expected a month 'yyyy-MM' (e.g. '2027-03') or a quarter "
                + $"'yyyy-Qn' (e.g. '2027-Q1'), in years {MinYear} to {MaxYear}."));

    /// <summary>The period right after this one, of the same cycle.</summary>
    public SettlementPeriod Next() => Containing(End, Cycle);

    /// <summary>The period right before this one, of the same cycle.</summary>
    public SettlementPeriod Previous() => Containing(Start.PlusDays(-1), Cycle);

    /// <summary>True when <paramref name="date"/> is on or after <see cref="Start"/> and before <see cref="End"/>.</summary>
    public bool Contains(LocalDate date) => date >= Start && date < End;

    /// <summary>
    /// Days of this period that fall in <paramref name="start"/> (inclusive) to <paramref name="end"/> (exclusive), e.g. the
    /// service days of a contract that starts or ends inside the period; 0 when they do not meet. Proration divides this by
    /// <see cref="Days"/>. An end before the start is a bug and throws.
    /// </summary>
    public int DaysOverlapping(LocalDate start, LocalDate end)
    {
        if (end < start)
        {
            throw new ArgumentException($"The range ends ({end}) before it starts ({start}).", nameof(end));
        }

        var from = LocalDate.Max(start, Start);
        var to = LocalDate.Min(end, End);
        return from < to ? Period.DaysBetween(from, to) : 0;
    }

    /// <summary>The period as NodaTime's inclusive <see cref="DateInterval"/> (<see cref="Start"/> to <see cref="LastDay"/>).</summary>
    public DateInterval ToDateInterval() => new(Start, LastDay);

    /// <summary>Orders by start date, then shorter period first; <c>default</c> sorts first.</summary>
    public int CompareTo(SettlementPeriod other)
    {
        if (IsDefault || other.IsDefault)
        {
            return other.IsDefault.CompareTo(IsDefault);
        }

        var byStart = Start.CompareTo(other.Start);
        return byStart != 0 ? byStart : MonthCount.CompareTo(other.MonthCount);
    }

    /// <summary>Orders by start date, then shorter period first.</summary>
    public static bool operator <(SettlementPeriod left, SettlementPeriod right) => left.CompareTo(right) < 0;

    /// <summary>Orders by start date, then shorter period first.</summary>
    public static bool operator >(SettlementPeriod left, SettlementPeriod right) => left.CompareTo(right) > 0;

    /// <summary>Orders by start date, then shorter period first.</summary>
    public static bool operator <=(SettlementPeriod left, SettlementPeriod right) => left.CompareTo(right) <= 0;

    /// <summary>Orders by start date, then shorter period first.</summary>
    public static bool operator >=(SettlementPeriod left, SettlementPeriod right) => left.CompareTo(right) >= 0;

    /// <summary>The wire form: <c>2027-03</c> or <c>2027-Q1</c>.</summary>
    public override string ToString() => Cycle switch
    {
        SettlementCycle.Monthly => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{Number:D2}"),
        SettlementCycle.Quarterly => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-Q{Number}"),
        _ => "(no period)",
    };

    private static void CheckYear(int year)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(year, MinYear);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(year, MaxYear);
    }

    private static bool TryParseDigits(ReadOnlySpan<char> digits, out int value)
    {
        value = 0;
        foreach (var digit in digits)
        {
            if (!char.IsAsciiDigit(digit))
            {
                return false;
            }

            value = (value * 10) + (digit - '0');
        }

        return true;
    }
}
