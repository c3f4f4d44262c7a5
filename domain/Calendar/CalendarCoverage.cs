using System.Globalization;
using NodaTime;

namespace ServiceLedger.Domain.Calendar;

/// <summary>
/// Whether a working-day calendar has the holiday schedules the coming months need. Due dates, dispute deadlines and the
/// statements issued on the first day of a year all count working days of that year, and a missing schedule refuses them
/// (never guesses), so a missing year must be noticed before it is needed, not on the first statement that needs it.
/// </summary>
public static class CalendarCoverage
{
    /// <summary>
    /// How far ahead schedules must exist: a quarter, the longest settlement period, so that a quarterly statement's due
    /// date and the longest dispute deadline (20 working days) fall inside it.
    /// </summary>
    public static Period Horizon { get; } = Period.FromDays(92);

    /// <summary>
    /// The years from <paramref name="today"/> through <paramref name="today"/> + <see cref="Horizon"/> that
    /// <paramref name="calendar"/> has no schedule for, ascending; empty when it covers them all.
    /// </summary>
    public static IReadOnlyList<int> MissingYears(IWorkingDayCalendar calendar, LocalDate today)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        var last = today.Plus(Horizon);
        return Enumerable.Range(today.Year, last.Year - today.Year + 1).Where(year => !calendar.Years.Contains(year)).ToArray();
    }

    /// <summary>
    /// A sentence for operators naming the missing years and what fails without them, or null when nothing is missing.
    /// </summary>
    public static string? Warning(IWorkingDayCalendar calendar, LocalDate today)
    {
        var missing = MissingYears(calendar, today);
        if (missing.Count == 0)
        {
            return null;
        }

        var years = string.Join(", ", missing.Select(year => year.ToString(CultureInfo.InvariantCulture)));
        return $"No {calendar.Jurisdiction} holiday schedule for {years}: statements, due dates and dispute deadlines that "
            + $"count working days in {years} will be refused until finance uploads the year's schedule or adds its file (docs/holiday-calendars.md, \"Adding a year\").";
    }
}
