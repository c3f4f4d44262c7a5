using ServiceLedger.Domain.Billing;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Settlement;
using ServiceLedger.TestSupport.Contracts;
using static ServiceLedger.Domain.Tests.Settlement.SettlementTestData;

namespace ServiceLedger.Domain.Tests.Settlement;

using ServiceLedger.Domain.Money;

/// <summary>Rounding of prorated fees: once per line, to the currency's minor unit, half away from zero.</summary>
public sealed class RoundingTest
{
    [Fact]
    public void A_prorated_fee_on_an_exact_midpoint_rounds_away_from_zero()
    {
        // Service on 2027-04-30 only: 30,000.15 × 1 / 30 = 1,000.005 exactly -> 1,000.01 (dividing first, 1/30 = 0.0333...,
        // would give 1,000.00499... and round down: the engine multiplies before it divides).
        var terms = TermsOf(MonthlyInput with
        {
            Seats = null,
            LumpSumBaseFee = SampleTerms.Cny("30000.15"),
            Deposit = new DepositRuleInput { Kind = "FixedAmount", Amount = SampleTerms.Cny("1000.00") },
            Term = MonthlyInput.Term! with { StartOn = "2027-04-30", EndOn = "2028-04-29" },
        });

        var statement = Settle(Input(terms, SettlementPeriod.Month(2027, 4), Figures(1000, 400, 0m)));

        Assert.Equal(Cn(1_000.01m), Line(statement, StatementLineKind.BaseFee).Amount);
    }

    [Fact]
    public void A_currency_without_minor_units_rounds_to_whole_units()
    {
        // JPY: 300,000 × 15 / 29 = 155,172.41 -> 155,172 JPY; commission 1.5% of 1,000,001 JPY = 15,000.015 -> 15,000 JPY.
        var yen = Currency.FromCode("JPY");
        MoneyInput Jpy(string amount) => new() { Amount = amount, Currency = "JPY" };
        var terms = TermsOf(MonthlyInput with
        {
            Currency = "JPY",
            Seats = [new SeatInput { AgentType = "pre-sales", Count = 1, MonthlyRate = Jpy("300000") }],
            Term = MonthlyInput.Term! with { StartOn = "2028-02-15", EndOn = "2029-02-14" },
        });
        var figures = ServiceFigures.Create(1000, 400, new Money(1_000_001m, yen), 20, Rate.Of(0.97m), Rate.Of(0.85m), Rate.Of(0.95m), Rate.Of(0.96m)).Value;

        var statement = Settle(Input(terms, SettlementPeriod.Month(2028, 2), figures));

        Assert.Equal(new Money(155_172m, yen), Line(statement, StatementLineKind.BaseFee).Amount);
        Assert.Equal(new Money(15_000m, yen), Line(statement, StatementLineKind.Commission).Amount);
        Assert.Equal(statement.Total, statement.PlatformFee + statement.VendorShare);
    }
}
