using NodaTime;
using ServiceLedger.Domain.Calendar;

namespace ServiceLedger.Domain.Tests.Calendar;

public sealed class CalendarCoverageTest
{
    [Fact]
    public void A_calendar_with_this_year_only_is_enough_until_a_quarter_before_new_year()
    {
        var calendar = CalendarOf(2026);

        Assert.Empty(CalendarCoverage.MissingYears(calendar, new LocalDate(2026, 9, 30)));
        Assert.Null(CalendarCoverage.Warning(calendar, new LocalDate(2026, 9, 30)));
    }

    [Fact]
    public void The_next_year_is_missing_once_its_days_are_within_a_quarter()
    {
        var calendar = CalendarOf(2026);

        Assert.Equal([2027], CalendarCoverage.MissingYears(calendar, new LocalDate(2026, 10, 1)));
        var warning = CalendarCoverage.Warning(calendar, new LocalDate(2026, 12, 1));
        Assert.NotNull(warning);
        Assert.Contains("CN", warning, StringComparison.Ordinal);
        Assert.Contains("2027", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Adding_the_next_year_clears_the_warning()
    {
        Assert.Empty(CalendarCoverage.MissingYears(CalendarOf(2026, 2027), new LocalDate(2026, 12, 1)));
    }

    [Fact]
    public void A_calendar_without_the_current_year_misses_it()
    {
        Assert.Equal([2028], CalendarCoverage.MissingYears(CalendarOf(2026, 2027), new LocalDate(2028, 1, 15)));
    }

    private static WorkingDayCalendar CalendarOf(params int[] years) =>
        new("CN", years.Select(year => CalendarTestData.PlainYear("CN", year)));
}
