using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using ServiceLedger.Domain.Calendar;

namespace ServiceLedger.Domain.Tests.Calendar;

public sealed class SettlementPeriodTest
{
    [Theory]
    [InlineData("2027-03", SettlementCycle.Monthly, "2027-03-01", "2027-04-01", 31)]
    [InlineData("2028-02", SettlementCycle.Monthly, "2028-02-01", "2028-03-01", 29)]
    [InlineData("2027-02", SettlementCycle.Monthly, "2027-02-01", "2027-03-01", 28)]
    [InlineData("2027-12", SettlementCycle.Monthly, "2027-12-01", "2028-01-01", 31)]
    [InlineData("2027-Q1", SettlementCycle.Quarterly, "2027-01-01", "2027-04-01", 90)]
    [InlineData("2028-Q1", SettlementCycle.Quarterly, "2028-01-01", "2028-04-01", 91)]
    [InlineData("2027-Q3", SettlementCycle.Quarterly, "2027-07-01", "2027-10-01", 92)]
    [InlineData("2027-Q4", SettlementCycle.Quarterly, "2027-10-01", "2028-01-01", 92)]
    public void Periods_run_from_start_inclusive_to_end_exclusive(string text, SettlementCycle cycle, string start, string end, int days)
    {
        var period = SettlementPeriod.Parse(text, "period").Value;

        Assert.Equal(cycle, period.Cycle);
        Assert.Equal(Date(start), period.Start);
        Assert.Equal(Date(end), period.End);
        Assert.Equal(Date(end).PlusDays(-1), period.LastDay);
        Assert.Equal(days, period.Days);
        Assert.Equal(days, period.ToDateInterval().Length);
        Assert.True(period.Contains(period.Start));
        Assert.True(period.Contains(period.LastDay));
        Assert.False(period.Contains(period.End));
        Assert.False(period.Contains(period.Start.PlusDays(-1)));
        Assert.Equal(text, period.ToString());
    }

    [Theory]
    [InlineData("2027-3")]
    [InlineData("2027-00")]
    [InlineData("2027-13")]
    [InlineData("2027-Q0")]
    [InlineData("2027-Q5")]
    [InlineData("2027-q1")]
    [InlineData("1999-12")]
    [InlineData("3000-01")]
    [InlineData("2027/03")]
    [InlineData(" 2027-03")]
    [InlineData("2027-03-01")]
    [InlineData("")]
    [InlineData(null)]
    public void Malformed_or_out_of_range_periods_are_refused_naming_the_field(string? text)
    {
        var refusal = Assert.Single(SettlementPeriod.Parse(text, "period").Refusals);

        Assert.Equal(CalendarRule.PeriodInvalid, refusal.Code);
        Assert.Equal("period", refusal.Field);
    }

    [Fact]
    public void First_and_last_accepted_years_parse()
    {
        Assert.True(SettlementPeriod.TryParse("2000-01", out _));
        Assert.True(SettlementPeriod.TryParse("2999-Q4", out _));
    }

    [Fact]
    public void A_quarter_has_its_three_months_in_order()
    {
        Assert.Equal(
            [new YearMonth(2027, 4), new YearMonth(2027, 5), new YearMonth(2027, 6)],
            SettlementPeriod.Quarter(2027, 2).Months);
        Assert.Equal([new YearMonth(2027, 3)], SettlementPeriod.Month(2027, 3).Months);
    }

    [Theory]
    [InlineData("2027-12", "2028-01", "2027-11")]
    [InlineData("2027-01", "2027-02", "2026-12")]
    [InlineData("2027-Q4", "2028-Q1", "2027-Q3")]
    [InlineData("2027-Q1", "2027-Q2", "2026-Q4")]
    public void Next_and_previous_keep_the_cycle_and_cross_years(string text, string next, string previous)
    {
        var period = SettlementPeriod.Parse(text, "period").Value;

        Assert.Equal(next, period.Next().ToString());
        Assert.Equal(previous, period.Previous().ToString());
    }

    [Theory]
    [InlineData("2027-03-31", SettlementCycle.Monthly, "2027-03")]
    [InlineData("2027-03-31", SettlementCycle.Quarterly, "2027-Q1")]
    [InlineData("2027-04-01", SettlementCycle.Quarterly, "2027-Q2")]
    [InlineData("2027-12-31", SettlementCycle.Quarterly, "2027-Q4")]
    public void The_period_of_a_date_depends_on_the_cycle(string date, SettlementCycle cycle, string expected)
    {
        Assert.Equal(expected, SettlementPeriod.Containing(Date(date), cycle).ToString());
    }

    [Fact]
    public void A_month_and_the_quarter_it_opens_differ_and_the_month_sorts_first()
    {
        var january = SettlementPeriod.Month(2027, 1);
        var firstQuarter = SettlementPeriod.Quarter(2027, 1);

        ValueContracts.AssertEqualityAndOrdering(january, SettlementPeriod.Parse("2027-01", "period").Value, firstQuarter);
        ValueContracts.AssertEqualityAndOrdering(firstQuarter, SettlementPeriod.Containing(new LocalDate(2027, 3, 31), SettlementCycle.Quarterly), SettlementPeriod.Month(2027, 2));
        Assert.Equal(january.Start, firstQuarter.Start);
        Assert.True(january < firstQuarter);
        Assert.True(firstQuarter < SettlementPeriod.Month(2027, 2));
        Assert.True(SettlementPeriod.Quarter(2026, 4) < january);
    }

    [Fact]
    public void Default_names_no_period_sorts_first_and_has_no_dates()
    {
        SettlementPeriod none = default;

        Assert.True(none.IsDefault);
        Assert.True(none < SettlementPeriod.Month(2000, 1));
        Assert.Equal(0, none.CompareTo(default));
        Assert.Throws<InvalidOperationException>(() => none.Start);
        Assert.Equal("(no period)", none.ToString());
    }

    [Fact]
    public void Constructing_outside_the_accepted_range_is_a_bug()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SettlementPeriod.Month(1999, 12));
        Assert.Throws<ArgumentOutOfRangeException>(() => SettlementPeriod.Month(2027, 13));
        Assert.Throws<ArgumentOutOfRangeException>(() => SettlementPeriod.Quarter(2027, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => SettlementPeriod.Containing(Date("2027-01-01"), default));
    }

    [Theory]
    [InlineData("2027-03", "2027-03-10", "2027-04-15", 22)]
    [InlineData("2027-03", "2027-01-01", "2027-03-11", 10)]
    [InlineData("2027-03", "2027-01-01", "2028-01-01", 31)]
    [InlineData("2027-03", "2027-04-01", "2027-05-01", 0)]
    [InlineData("2027-03", "2027-02-01", "2027-03-01", 0)]
    [InlineData("2027-03", "2027-03-31", "2027-03-31", 0)]
    [InlineData("2027-Q1", "2027-02-15", "2027-06-30", 45)]
    public void Days_overlapping_count_service_days_inside_the_period(string period, string start, string end, int days)
    {
        Assert.Equal(days, SettlementPeriod.Parse(period, "period").Value.DaysOverlapping(Date(start), Date(end)));
    }

    [Fact]
    public void Days_overlapping_a_range_that_ends_before_it_starts_is_a_bug()
    {
        Assert.Throws<ArgumentException>(() => SettlementPeriod.Month(2027, 3).DaysOverlapping(Date("2027-03-10"), Date("2027-03-09")));
    }

    [Property(Arbitrary = [typeof(PeriodArbitraries)])]
    public void Every_period_round_trips_through_its_text_and_tiles_time_with_its_neighbours(SettlementPeriod period)
    {
        Assert.Equal(period, SettlementPeriod.Parse(period.ToString(), "period").Value);
        Assert.Equal(period.End, period.Next().Start);
        Assert.Equal(period, period.Next().Previous());
        Assert.Equal(period, SettlementPeriod.Containing(period.LastDay, period.Cycle));
        Assert.Equal(period.Days, period.Months.Sum(month => month.ToDateInterval().Length));
        Assert.True(period < period.Next());
    }

    private static LocalDate Date(string text) => NodaTime.Text.LocalDatePattern.Iso.Parse(text).Value;
}

/// <summary>Generators of settlement periods for property tests (years inside the accepted range, away from its ends).</summary>
public static class PeriodArbitraries
{
    /// <summary>Monthly and quarterly periods of 2001 to 2998.</summary>
    public static Arbitrary<SettlementPeriod> Periods() => Arb.From(
        from year in Gen.Choose(SettlementPeriod.MinYear + 1, SettlementPeriod.MaxYear - 1)
        from quarterly in Gen.Elements(true, false)
        from number in Gen.Choose(1, quarterly ? 4 : 12)
        select quarterly ? SettlementPeriod.Quarter(year, number) : SettlementPeriod.Month(year, number));
}
