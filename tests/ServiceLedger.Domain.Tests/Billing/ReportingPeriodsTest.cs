namespace ServiceLedger.Domain.Tests.Billing;

using NodaTime;
using ServiceLedger.Domain.Billing;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Money;
using ServiceLedger.Domain.Tests.Contracts;
using ServiceLedger.TestSupport.Contracts;

public sealed class ReportingPeriodsTest
{
    // The sample term runs 2026-10-01 to 2027-09-30, monthly, in Asia/Shanghai (UTC+8).
    private static readonly Contract Active = SampleContracts.Active(new StubCalendar());
    private static readonly Instant AfterOctober = Instant.FromUtc(2026, 11, 2, 1, 0);

    [Fact]
    public void An_ended_month_within_the_term_is_reportable() =>
        Assert.Empty(ReportingPeriods.Check(Active, SettlementPeriod.Month(2026, 10), AfterOctober, "period"));

    [Fact]
    public void A_month_ends_at_midnight_in_the_contract_time_zone_not_in_UTC()
    {
        var octoberEndsInShanghai = Instant.FromUtc(2026, 10, 31, 16, 0);

        Assert.Equal(BillingRule.PeriodNotEnded, Assert.Single(ReportingPeriods.Check(Active, SettlementPeriod.Month(2026, 10), octoberEndsInShanghai.Minus(Duration.FromSeconds(1)), "period")).Code);
        Assert.Empty(ReportingPeriods.Check(Active, SettlementPeriod.Month(2026, 10), octoberEndsInShanghai, "period"));
    }

    [Fact]
    public void A_quarter_for_a_monthly_contract_is_refused() =>
        Assert.Equal(BillingRule.PeriodNotOfContractCycle, Assert.Single(ReportingPeriods.Check(Active, SettlementPeriod.Quarter(2026, 4), Instant.FromUtc(2027, 1, 5, 0, 0), "rows[2].period")).Code);

    [Fact]
    public void A_month_before_the_term_is_refused()
    {
        var refusal = Assert.Single(ReportingPeriods.Check(Active, SettlementPeriod.Month(2026, 9), AfterOctober, "period"));

        Assert.Equal((BillingRule.PeriodOutsideTerm, "period"), (refusal.Code, refusal.Field));
    }

    [Fact]
    public void A_contract_not_yet_in_service_reports_nothing() =>
        Assert.Equal(BillingRule.ContractNotInService, Assert.Single(ReportingPeriods.Check(SampleContracts.SignedByBoth(new StubCalendar()), SettlementPeriod.Month(2026, 10), AfterOctober, "period")).Code);

    [Fact]
    public void Amounts_in_another_currency_are_refused()
    {
        var refusal = ReportingPeriods.CheckCurrency(Active, SettlementPeriod.Month(2026, 10), new Money(1m, Currency.FromCode("USD")), "rows[1].currency");

        Assert.Equal((BillingRule.CurrencyMustMatchContract, "rows[1].currency"), (refusal!.Code, refusal.Field));
        Assert.Null(ReportingPeriods.CheckCurrency(Active, SettlementPeriod.Month(2026, 10), new Money(1m, Currency.Cny), "currency"));
    }
}
