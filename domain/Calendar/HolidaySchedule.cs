using System.Collections.Frozen;
using System.Globalization;
using NodaTime;
using NodaTime.Text;
using ServiceLedger.Domain.Ledger;

namespace ServiceLedger.Domain.Calendar;

/// <summary>What an official notice makes of a date.</summary>
public enum ScheduledDayKind
{
    /// <summary>A public holiday (or a day of the holiday break, including weekend days inside it): not a working day.</summary>
    Holiday = 1,

    /// <summary>An official make-up working day (调休上班) on a Saturday or Sunday: a working day.</summary>
    MakeUpWorkingDay = 2,
}

/// <summary>One date of a holiday schedule: the date, what it is, and the holiday it belongs to (e.g. <c>国庆节 National Day</c>).</summary>
/// <param name="Date">The date.</param>
/// <param name="Kind">Holiday or make-up working day.</param>
/// <param name="Name">The holiday it belongs to, as written in the file.</param>
public sealed record ScheduledDay(LocalDate Date, ScheduledDayKind Kind, string Name);

/// <summary>
/// One jurisdiction's public holidays and official make-up working days for one calendar year, parsed from the text format
/// of docs/holiday-calendars.md. A date the schedule does not list is a working day from Monday to Friday and a rest day on
/// Saturday and Sunday. Built only by <see cref="Parse"/>, so every schedule has passed the format's rules.
/// </summary>
public sealed class HolidaySchedule
{
    /// <summary>Most lines a schedule file may have, comments included; a year has at most 366 dates to list.</summary>
    public const int MaxLines = 1_000;

    /// <summary>Longest line, in UTF-16 code units.</summary>
    public const int MaxLineLength = 200;

    /// <summary>Longest holiday name on a date line.</summary>
    public const int MaxNameLength = 100;

    /// <summary>Most line problems one parse reports; a file this broken needs rewriting, not a longer list.</summary>
    public const int MaxReportedProblems = 50;

    private const string HolidayKeyword = "holiday";
    private const string WorkdayKeyword = "workday";

    private readonly FrozenDictionary<LocalDate, ScheduledDay> daysByDate;

    private HolidaySchedule(string jurisdiction, int year, IReadOnlyList<ScheduledDay> days)
    {
        Jurisdiction = jurisdiction;
        Year = year;
        Days = days;
        daysByDate = days.ToFrozenDictionary(day => day.Date);
    }

    /// <summary>The jurisdiction, an ISO 3166-1 alpha-2 code such as <c>CN</c>.</summary>
    public string Jurisdiction { get; }

    /// <summary>The calendar year every listed date falls in.</summary>
    public int Year { get; }

    /// <summary>The listed dates, ascending.</summary>
    public IReadOnlyList<ScheduledDay> Days { get; }

    /// <summary>
    /// True when <paramref name="other"/> is the same jurisdiction and year and lists the same dates as the same kinds: the
    /// two answer every working-day question alike (names and comments may differ).
    /// </summary>
    public bool SameDaysAs(HolidaySchedule other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Jurisdiction == other.Jurisdiction
            && Year == other.Year
            && Days.Select(day => (day.Date, day.Kind)).SequenceEqual(other.Days.Select(day => (day.Date, day.Kind)));
    }

    /// <summary>
    /// True when <paramref name="day"/> is a working day: a listed make-up working day, or an unlisted Monday to Friday.
    /// The date must be in <see cref="Year"/> (a bug otherwise: the calendar picks the schedule by year).
    /// </summary>
    public bool IsWorkingDay(LocalDate day)
    {
        if (day.Year != Year)
        {
            throw new ArgumentOutOfRangeException(nameof(day), day, $"The {Jurisdiction} schedule of {Year} says nothing about another year.");
        }

        return daysByDate.TryGetValue(day, out var listed)
            ? listed.Kind == ScheduledDayKind.MakeUpWorkingDay
            : !IsWeekend(day);
    }

    /// <summary>
    /// Parses a schedule file (docs/holiday-calendars.md). Every problem is refused with
    /// <see cref="CalendarRule.HolidayScheduleLineInvalid"/>, the field naming <paramref name="source"/> and the line number.
    /// </summary>
    /// <param name="text">The file's content; the caller reads the file (the domain reads none).</param>
    /// <param name="source">The file's name, for messages, e.g. <c>CN-2026.txt</c>.</param>
    public static Validated<HolidaySchedule> Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(source);
        var problems = new List<Refusal>();
        string? jurisdiction = null;
        int? year = null;
        var days = new List<ScheduledDay>();

        var lines = text.Split('\n');
        if (lines.Length > MaxLines)
        {
            return Refuse(source, MaxLines + 1, $"the file has {lines.Length} lines; a schedule has at most {MaxLines}.");
        }

        for (var index = 0; index < lines.Length && problems.Count < MaxReportedProblems; index++)
        {
            var lineNumber = index + 1;
            var line = lines[index].TrimEnd('\r');
            var problem = ParseLine(line, ref jurisdiction, ref year, days);
            if (problem is not null)
            {
                problems.Add(Problem(source, lineNumber, problem));
            }
        }

        if (problems.Count == 0 && (jurisdiction is null || year is null))
        {
            problems.Add(Problem(source, lines.Length, "the file needs a 'jurisdiction XX' line and a 'year yyyy' line before its dates."));
        }

        return problems.Count > 0
            ? Validated.Refused<HolidaySchedule>(problems)
            : Validated.Valid(new HolidaySchedule(jurisdiction!, year!.Value, days.ToArray()));
    }

    /// <summary>True on Saturday and Sunday, the rest days of the working week in every jurisdiction we ship.</summary>
    internal static bool IsWeekend(LocalDate day) => day.DayOfWeek is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday;

    // Returns what is wrong with the line, or null when it is fine (and then records what it says).
    private static string? ParseLine(string line, ref string? jurisdiction, ref int? year, List<ScheduledDay> days)
    {
        if (line.Length > MaxLineLength)
        {
            return $"the line has {line.Length} characters; at most {MaxLineLength} are allowed.";
        }

        var content = line.Trim();
        if (content.Length == 0 || content[0] == '#')
        {
            return null;
        }

        if (content.Contains('\t', StringComparison.Ordinal))
        {
            return "separate the fields with spaces, not tabs.";
        }

        if (!LedgerText.IsPlainText(content))
        {
            return "the line has control characters or broken UTF-16.";
        }

        var fields = content.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        switch (fields)
        {
            case ["jurisdiction", var code]:
                if (jurisdiction is not null)
                {
                    return "the jurisdiction is given twice.";
                }

                if (code.Length != 2 || !code.All(char.IsAsciiLetterUpper))
                {
                    return $"'{code}' is not a jurisdiction: expected two upper-case letters (ISO 3166-1), e.g. 'CN'.";
                }

                jurisdiction = code;
                return null;

            case ["year", var yearText]:
                if (year is not null)
                {
                    return "the year is given twice.";
                }

                if (yearText.Length != 4 || !yearText.All(char.IsAsciiDigit)
                    || int.Parse(yearText, NumberStyles.None, CultureInfo.InvariantCulture) is < SettlementPeriod.MinYear or > SettlementPeriod.MaxYear)
                {
                    return $"'{yearText}' is not a year from {SettlementPeriod.MinYear} to {SettlementPeriod.MaxYear}.";
                }

                year = int.Parse(yearText, NumberStyles.None, CultureInfo.InvariantCulture);
                return null;

            case [var dateText, var kindText, var name]:
                return ParseDay(dateText, kindText, name.Trim(), jurisdiction, year, days);

            default:
                return "expected 'jurisdiction XX', 'year yyyy', or 'yyyy-MM-dd holiday|workday name'.";
        }
    }

    private static string? ParseDay(string dateText, string kindText, string name, string? jurisdiction, int? year, List<ScheduledDay> days)
    {
        if (jurisdiction is null || year is null)
        {
            return "dates come after the 'jurisdiction' and 'year' lines.";
        }

        var parsed = LocalDatePattern.Iso.Parse(dateText);
        if (!parsed.Success || dateText.Length != 10)
        {
            return $"'{dateText}' is not a date: expected yyyy-MM-dd.";
        }

        var date = parsed.Value;
        if (date.Year != year)
        {
            return $"{dateText} is not in {year}; a file holds one year.";
        }

        ScheduledDayKind kind;
        switch (kindText)
        {
            case HolidayKeyword:
                kind = ScheduledDayKind.Holiday;
                break;
            case WorkdayKeyword:
                kind = ScheduledDayKind.MakeUpWorkingDay;
                break;
            default:
                return $"'{kindText}' is not a kind: expected '{HolidayKeyword}' or '{WorkdayKeyword}'.";
        }

        if (kind == ScheduledDayKind.MakeUpWorkingDay && !IsWeekend(date))
        {
            return $"{dateText} is a {date.DayOfWeek}; a make-up working day falls on a Saturday or Sunday (a weekday is a working day already).";
        }

        if (name.Length > MaxNameLength)
        {
            return $"the name has {name.Length} characters; at most {MaxNameLength} are allowed.";
        }

        if (days.Count > 0 && date <= days[^1].Date)
        {
            return date == days[^1].Date
                ? $"{dateText} is listed twice."
                : $"{dateText} comes after {LocalDatePattern.Iso.Format(days[^1].Date)}; list dates in ascending order.";
        }

        days.Add(new ScheduledDay(date, kind, name));
        return null;
    }

    private static Refusal Problem(string source, int lineNumber, string message) =>
        new(CalendarRule.HolidayScheduleLineInvalid, string.Create(CultureInfo.InvariantCulture, $"{source} line {lineNumber}"), $"{source} line {lineNumber}: {message}");

    private static Validated<HolidaySchedule> Refuse(string source, int lineNumber, string message) =>
        Validated.Refused<HolidaySchedule>(Problem(source, lineNumber, message));
}
