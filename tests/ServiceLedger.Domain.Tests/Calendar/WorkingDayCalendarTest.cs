using FsCheck.Xunit;
using ServiceLedger.Domain.Calendar;
using static ServiceLedger.Domain.Tests.Calendar.CalendarTestData;

namespace ServiceLedger.Domain.Tests.Calendar;

public sealed class WorkingDayCalendarTest
{
    private readonly WorkingDayCalendar calendar = MainlandChina();

    [Fact]
    public void Signing_on_the_working_day_before_national_day_is_due_two_working_days_later_across_the_break()
    {
        // Wed 30 Sep is the last working day before the 1-7 Oct break; Thu 8 Oct is the first after it.
        var due = calendar.AddWorkingDays(Date("2026-09-30"), 2, "signedOn").Value;

        Assert.Equal(Date("2026-10-09"), due);
    }

    [Fact]
    public void A_make_up_working_day_on_a_weekend_counts()
    {
        // Fri 9 Oct, then Sat 10 Oct is a make-up working day.
        Assert.Equal(Date("2026-10-10"), calendar.AddWorkingDays(Date("2026-10-09"), 1, "signedOn").Value);
        Assert.Equal(Date("2026-10-12"), calendar.AddWorkingDays(Date("2026-10-09"), 2, "signedOn").Value);
        Assert.True(calendar.IsWorkingDay(Date("2026-09-20"), "day").Value);
    }

    [Theory]
    [InlineData("2026-02-13", 1, "2026-02-14")] // Friday, then the make-up Saturday before Spring Festival
    [InlineData("2026-02-14", 1, "2026-02-24")] // the nine-day break
    [InlineData("2026-02-14", 5, "2026-02-28")] // Tue-Fri, then the make-up Saturday 28 Feb
    [InlineData("2026-04-03", 1, "2026-04-07")] // Qingming Sat-Mon
    [InlineData("2026-04-30", 1, "2026-05-06")] // Labour Day 1-5 May
    [InlineData("2026-05-08", 1, "2026-05-09")] // make-up Saturday
    [InlineData("2026-10-01", 1, "2026-10-08")] // counting from inside a holiday
    [InlineData("2026-01-01", 1, "2026-01-04")] // make-up Sunday after New Year
    public void Working_days_skip_holidays_and_weekends_and_count_make_up_days(string start, int days, string expected)
    {
        Assert.Equal(Date(expected), calendar.AddWorkingDays(Date(start), days, "signedOn").Value);
    }

    [Fact]
    public void A_date_in_a_year_without_a_schedule_is_refused_naming_the_year()
    {
        var refusal = Assert.Single(calendar.IsWorkingDay(Date("2028-03-01"), "signedOn").Refusals);

        Assert.Equal(CalendarRule.HolidayScheduleMissing, refusal.Code);
        Assert.Equal("signedOn", refusal.Field);
        Assert.Contains("2028", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("docs/holiday-calendars.md", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Counting_into_a_year_without_a_schedule_is_refused_naming_that_year()
    {
        var last = calendar.Years[^1];

        var refusal = Assert.Single(calendar.AddWorkingDays(new NodaTime.LocalDate(last, 12, 30), 5, "signedOn").Refusals);

        Assert.Equal(CalendarRule.HolidayScheduleMissing, refusal.Code);
        Assert.Contains($"for {last + 1}", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Counting_crosses_into_the_next_year_when_both_have_schedules()
    {
        var twoYears = new WorkingDayCalendar("XX", [PlainYear("XX", 2030), PlainYear("XX", 2031)]);

        // Tue 31 Dec 2030, then Wed 1 Jan 2031 (a plain year lists no holidays).
        Assert.Equal(Date("2031-01-01"), twoYears.AddWorkingDays(Date("2030-12-31"), 1, "d").Value);
        Assert.Equal([2030, 2031], twoYears.Years);
    }

    [Fact]
    public void Working_day_count_limits_are_bugs_just_past_each_end()
    {
        var plain = new WorkingDayCalendar("XX", [PlainYear("XX", 2030), PlainYear("XX", 2031), PlainYear("XX", 2032)]);

        Assert.Throws<ArgumentOutOfRangeException>(() => plain.AddWorkingDays(Date("2030-01-01"), 0, "d"));
        Assert.Throws<ArgumentOutOfRangeException>(() => plain.AddWorkingDays(Date("2030-01-01"), IWorkingDayCalendar.MaxWorkingDays + 1, "d"));
        Assert.True(plain.AddWorkingDays(Date("2030-01-01"), IWorkingDayCalendar.MaxWorkingDays, "d").IsValid);
    }

    [Fact]
    public void A_calendar_holds_one_schedule_per_year_of_one_jurisdiction()
    {
        Assert.Throws<ArgumentException>(() => new WorkingDayCalendar("CN", [PlainYear("CN", 2030), PlainYear("CN", 2030)]));
        Assert.Throws<ArgumentException>(() => new WorkingDayCalendar("CN", [PlainYear("HK", 2030)]));
    }

    [Property]
    public void Counting_working_days_composes_and_lands_on_a_working_day(byte startOffset, byte first, byte second)
    {
        // Starts anywhere in the first half of 2026; up to 2 x 60 working days stays inside the shipped 2026 schedule.
        var start = new NodaTime.LocalDate(2026, 1, 1).PlusDays(startOffset % 180);
        var a = (first % 60) + 1;
        var b = (second % 60) + 1;

        var direct = calendar.AddWorkingDays(start, a + b, "d").Value;
        var stepped = calendar.AddWorkingDays(calendar.AddWorkingDays(start, a, "d").Value, b, "d").Value;

        Assert.Equal(direct, stepped);
        Assert.True(calendar.IsWorkingDay(direct, "d").Value);
        var workingDaysBetween = Enumerable.Range(1, NodaTime.Period.DaysBetween(start, direct))
            .Count(offset => calendar.IsWorkingDay(start.PlusDays(offset), "d").Value);
        Assert.Equal(a + b, workingDaysBetween);
    }
}
