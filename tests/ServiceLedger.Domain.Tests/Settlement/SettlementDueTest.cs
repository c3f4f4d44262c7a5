namespace ServiceLedger.Domain.Tests.Settlement;

using NodaTime;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Settlement;
using ServiceLedger.Domain.Tests.Contracts;
using ServiceLedger.TestSupport.Contracts;

/// <summary>When a contract's period is due: at local midnight after the period in the contract's own zone, written in UTC.</summary>
public sealed class SettlementDueTest
{
    private static readonly SettlementPeriod March2027 = SettlementPeriod.Month(2027, 3);

    [Fact]
    public void A_Shanghai_monthly_contract_is_due_from_16_00_UTC_on_the_last_day_of_the_month_and_not_a_second_earlier()
    {
        var contract = Active(SampleTerms.Input);

        Assert.Equal(DueDecision.NotEndedYet, SettlementDue.Decide(contract, March2027, Instant.FromUtc(2027, 3, 31, 15, 59, 59)));
        Assert.Equal(DueDecision.Due, SettlementDue.Decide(contract, March2027, Instant.FromUtc(2027, 3, 31, 16, 0)));
        Assert.Equal(Instant.FromUtc(2027, 3, 31, 16, 0), SettlementDue.EndsAt(March2027, DateTimeZoneProviders.Tzdb["Asia/Shanghai"]));
    }

    [Fact]
    public void A_New_York_contract_is_not_due_at_the_UTC_month_end_but_once_its_own_month_has_ended()
    {
        var contract = Active(SampleTerms.Input with { TimeZone = "America/New_York" });

        // March 2027 ends at 00:00 EDT on 1 April = 04:00 UTC.
        Assert.Equal(DueDecision.NotEndedYet, SettlementDue.Decide(contract, March2027, Instant.FromUtc(2027, 4, 1, 0, 0)));
        Assert.Equal(DueDecision.NotEndedYet, SettlementDue.Decide(contract, March2027, Instant.FromUtc(2027, 4, 1, 3, 59)));
        Assert.Equal(DueDecision.Due, SettlementDue.Decide(contract, March2027, Instant.FromUtc(2027, 4, 1, 4, 0)));
    }

    [Fact]
    public void A_quarterly_contract_is_due_only_for_quarters_and_only_at_the_quarter_end()
    {
        var contract = Active(SampleTerms.Input with { SettlementCycle = "Quarterly" });
        var afterMarch = Instant.FromUtc(2027, 4, 2, 0, 0);

        Assert.Equal(DueDecision.OtherCycle, SettlementDue.Decide(contract, SettlementPeriod.Month(2027, 1), afterMarch));
        Assert.Equal(DueDecision.OtherCycle, SettlementDue.Decide(contract, March2027, afterMarch));
        Assert.Equal(DueDecision.Due, SettlementDue.Decide(contract, SettlementPeriod.Quarter(2027, 1), afterMarch));
        Assert.Equal(DueDecision.NotEndedYet, SettlementDue.Decide(contract, SettlementPeriod.Quarter(2027, 2), Instant.FromUtc(2027, 5, 2, 0, 0)));
    }

    [Fact]
    public void A_monthly_contract_is_not_due_for_a_quarter()
    {
        Assert.Equal(DueDecision.OtherCycle, SettlementDue.Decide(Active(SampleTerms.Input), SettlementPeriod.Quarter(2027, 1), Instant.FromUtc(2027, 5, 1, 0, 0)));
    }

    [Fact]
    public void Periods_outside_the_term_and_contracts_that_are_not_active_are_not_due()
    {
        var after = Instant.FromUtc(2028, 1, 1, 0, 0);

        // The sample term runs 2026-10-01 to 2027-09-30.
        Assert.Equal(DueDecision.OutsideTerm, SettlementDue.Decide(Active(SampleTerms.Input), SettlementPeriod.Month(2027, 10), after));
        Assert.Equal(DueDecision.Due, SettlementDue.Decide(Active(SampleTerms.Input), SettlementPeriod.Month(2027, 9), after));
        Assert.Equal(DueDecision.NotActive, SettlementDue.Decide(SampleContracts.SignedByBoth(new StubCalendar()), March2027, after));
        Assert.Equal(DueDecision.NoTermsInForce, SettlementDue.Decide(Active(SampleTerms.Input), SettlementPeriod.Month(2026, 9), after));
    }

    [Fact]
    public void A_timer_window_reports_a_contracts_period_only_in_the_hour_it_ended_in_the_contracts_zone()
    {
        var shanghai = Active(SampleTerms.Input);
        var newYork = Active(SampleTerms.Input with { TimeZone = "America/New_York" });

        // The firing at 16:05 UTC on 31 March looks back to 15:05: Shanghai's March ended at 16:00, New York's has not.
        var since = Instant.FromUtc(2027, 3, 31, 15, 5);
        var now = Instant.FromUtc(2027, 3, 31, 16, 5);
        Assert.Equal(March2027, SettlementDue.EndedBetween(shanghai, since, now));
        Assert.Null(SettlementDue.EndedBetween(newYork, since, now));

        // An hour later Shanghai's period is no longer new; New York's ends at 04:00 UTC on 1 April.
        Assert.Null(SettlementDue.EndedBetween(shanghai, now, now + Duration.FromHours(1)));
        Assert.Equal(March2027, SettlementDue.EndedBetween(newYork, Instant.FromUtc(2027, 4, 1, 3, 5), Instant.FromUtc(2027, 4, 1, 4, 5)));
    }

    [Fact]
    public void Hours_far_from_any_month_end_name_no_period_and_a_quarter_end_names_the_month_and_the_quarter()
    {
        Assert.Empty(SettlementDue.PeriodsEndingBetween(Instant.FromUtc(2027, 3, 15, 9, 5), Instant.FromUtc(2027, 3, 15, 10, 5)));

        // 14 hours before UTC midnight of 1 April is the first instant any zone (UTC+14) starts April.
        Assert.Empty(SettlementDue.PeriodsEndingBetween(Instant.FromUtc(2027, 3, 31, 8, 0), Instant.FromUtc(2027, 3, 31, 9, 59)));
        Assert.Equal(
            [March2027, SettlementPeriod.Quarter(2027, 1)],
            SettlementDue.PeriodsEndingBetween(Instant.FromUtc(2027, 3, 31, 9, 0), Instant.FromUtc(2027, 3, 31, 10, 0)));

        // 12 hours after UTC midnight is the last (UTC−12); just after it, nothing more ends.
        Assert.Equal([SettlementPeriod.Month(2027, 4)], SettlementDue.PeriodsEndingBetween(Instant.FromUtc(2027, 5, 1, 11, 0), Instant.FromUtc(2027, 5, 1, 12, 0)));
        Assert.Empty(SettlementDue.PeriodsEndingBetween(Instant.FromUtc(2027, 5, 1, 12, 0), Instant.FromUtc(2027, 5, 1, 13, 0)));
    }

    private static Contract Active(TermsInput input) => SampleContracts.Active(new StubCalendar(), Terms.Create(input).Value);
}
