using NodaTime;
using ServiceLedger.Domain.Calendar;

namespace ServiceLedger.Domain.Tests.Calendar;

public sealed class HolidayScheduleTest
{
    private const string Header = "jurisdiction CN\nyear 2026\n";

    [Fact]
    public void Shipped_mainland_china_2026_file_matches_the_state_council_notice()
    {
        var schedule = CalendarTestData.ShippedSchedule("CN-2026.txt");

        Assert.Equal("CN", schedule.Jurisdiction);
        Assert.Equal(2026, schedule.Year);
        var holidays = schedule.Days.Where(day => day.Kind == ScheduledDayKind.Holiday).Select(day => day.Date).ToArray();
        var makeUps = schedule.Days.Where(day => day.Kind == ScheduledDayKind.MakeUpWorkingDay).Select(day => day.Date).ToArray();
        Assert.Equal(3 + 9 + 3 + 5 + 3 + 3 + 7, holidays.Length);
        Assert.Equal(
            new[] { Day(1, 4), Day(2, 14), Day(2, 28), Day(5, 9), Day(9, 20), Day(10, 10) },
            makeUps);
        Assert.Contains(Day(2, 15), holidays);
        Assert.Contains(Day(2, 23), holidays);
        Assert.Contains(Day(10, 7), holidays);
        Assert.DoesNotContain(Day(10, 8), holidays);
    }

    [Theory]
    [InlineData("2026-01-04", true)] // Sunday, make-up working day
    [InlineData("2026-01-03", false)] // Saturday inside the New Year break
    [InlineData("2026-01-05", true)] // Monday, ordinary
    [InlineData("2026-01-10", false)] // Saturday, ordinary
    [InlineData("2026-02-23", false)] // Monday, last day of the Spring Festival break
    [InlineData("2026-02-24", true)]
    [InlineData("2026-10-08", true)] // Thursday after National Day
    public void A_schedule_knows_working_days(string date, bool working)
    {
        Assert.Equal(working, CalendarTestData.ShippedSchedule("CN-2026.txt").IsWorkingDay(CalendarTestData.Date(date)));
    }

    [Fact]
    public void Comments_blank_lines_crlf_and_extra_spaces_are_allowed()
    {
        var text = "# comment\r\n\r\n  jurisdiction CN\r\nyear 2026\r\n   # indented comment\r\n2026-10-01 holiday 国庆节  National Day \r\n";

        var schedule = HolidaySchedule.Parse(text, "CN-2026.txt").Value;

        var day = Assert.Single(schedule.Days);
        Assert.Equal("国庆节  National Day", day.Name);
    }

    [Theory]
    [InlineData("2026-10-01 holiday National Day", 1, "dates come after")]
    [InlineData(Header + "2026-10-1 holiday National Day", 3, "not a date")]
    [InlineData(Header + "2026-02-30 holiday Nothing", 3, "not a date")]
    [InlineData(Header + "2027-01-01 holiday New Year", 3, "not in 2026")]
    [InlineData(Header + "2026-10-01 off National Day", 3, "not a kind")]
    [InlineData(Header + "2026-10-01 holiday", 3, "expected")]
    [InlineData(Header + "2026-10-09 workday Friday", 3, "Saturday or Sunday")]
    [InlineData(Header + "2026-10-02 holiday A\n2026-10-01 holiday B", 4, "ascending")]
    [InlineData(Header + "2026-10-01 holiday A\n2026-10-01 holiday B", 4, "listed twice")]
    [InlineData(Header + "2026-10-01\tholiday A", 3, "tabs")]
    [InlineData("jurisdiction cn\nyear 2026", 1, "two upper-case letters")]
    [InlineData("jurisdiction CN\njurisdiction CN\nyear 2026", 2, "twice")]
    [InlineData("jurisdiction CN\nyear 26", 2, "not a year")]
    [InlineData("jurisdiction CN\nyear 1999", 2, "not a year")]
    [InlineData("jurisdiction CN", 1, "needs a 'jurisdiction XX' line and a 'year yyyy' line")]
    [InlineData(Header + "2026-10-01 holiday A\u0001", 3, "control characters")]
    public void Each_problem_is_refused_with_its_line_number(string text, int line, string message)
    {
        var refusal = Assert.Single(HolidaySchedule.Parse(text, "CN-2026.txt").Refusals);

        Assert.Equal(CalendarRule.HolidayScheduleLineInvalid, refusal.Code);
        Assert.Equal($"CN-2026.txt line {line}", refusal.Field);
        Assert.Contains(message, refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_bad_line_is_reported_not_only_the_first()
    {
        var result = HolidaySchedule.Parse(Header + "2026-10-09 workday A\nnonsense\n2026-13-01 holiday B", "CN-2026.txt");

        Assert.Equal(["CN-2026.txt line 3", "CN-2026.txt line 4", "CN-2026.txt line 5"], result.Refusals.Select(refusal => refusal.Field));
    }

    [Fact]
    public void Lengths_are_limited_just_past_each_bound()
    {
        var longestName = new string('n', HolidaySchedule.MaxNameLength);
        Assert.True(HolidaySchedule.Parse(Header + "2026-10-01 holiday " + longestName, "f").IsValid);
        Assert.Contains("name has", HolidaySchedule.Parse(Header + "2026-10-01 holiday " + longestName + "n", "f").Refusals[0].Message, StringComparison.Ordinal);

        var longComment = "#" + new string('c', HolidaySchedule.MaxLineLength - 1);
        Assert.True(HolidaySchedule.Parse(Header + longComment, "f").IsValid);
        Assert.Contains("characters", HolidaySchedule.Parse(Header + longComment + "c", "f").Refusals[0].Message, StringComparison.Ordinal);

        var lines = Header + string.Concat(Enumerable.Repeat("#\n", HolidaySchedule.MaxLines - 3));
        Assert.Equal(HolidaySchedule.MaxLines, lines.Split('\n').Length);
        Assert.True(HolidaySchedule.Parse(lines, "f").IsValid);
        Assert.False(HolidaySchedule.Parse(lines + "\n", "f").IsValid);
    }

    [Fact]
    public void Asking_a_schedule_about_another_year_is_a_bug()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CalendarTestData.ShippedSchedule("CN-2026.txt").IsWorkingDay(new LocalDate(2027, 1, 4)));
    }

    [Fact]
    public void Schedules_with_the_same_dates_and_kinds_answer_alike_whatever_their_names_and_comments()
    {
        var original = HolidaySchedule.Parse("jurisdiction CN\nyear 2026\n2026-01-01 holiday 元旦\n2026-01-04 workday 调休\n", "CN-2026.txt").Value;
        var renamed = HolidaySchedule.Parse("# renamed\njurisdiction CN\nyear 2026\n2026-01-01 holiday New Year\n2026-01-04 workday make-up\n", "CN-2026.txt").Value;
        var otherKind = HolidaySchedule.Parse("jurisdiction CN\nyear 2026\n2026-01-01 holiday 元旦\n2026-01-05 holiday 调休\n", "CN-2026.txt").Value;
        var fewer = HolidaySchedule.Parse("jurisdiction CN\nyear 2026\n2026-01-01 holiday 元旦\n", "CN-2026.txt").Value;

        Assert.True(original.SameDaysAs(renamed));
        Assert.False(original.SameDaysAs(otherKind));
        Assert.False(original.SameDaysAs(fewer));
        Assert.False(fewer.SameDaysAs(original));
        Assert.False(original.SameDaysAs(CalendarTestData.ShippedSchedule("CN-2026.txt")));
    }

    private static LocalDate Day(int month, int day) => new(2026, month, day);
}
