using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Settlement;
using ServiceLedger.TestSupport.Contracts;
using static ServiceLedger.Domain.Tests.Settlement.SettlementTestData;

namespace ServiceLedger.Domain.Tests.Settlement;

/// <summary>
/// The cells of the coverage grid in docs/settlement.md that the worked examples leave open: quarterly base-plus-commission
/// and fixed fee (monthly and quarterly) at each period boundary. Each amount is worked by hand in the comment.
/// </summary>
public sealed class CoverageGridTest
{
    private static readonly SettlementPeriod Q1 = SettlementPeriod.Quarter(2027, 1);

    private static Terms Quarterly(string startOn = "2026-10-01", string endOn = "2027-09-30") =>
        TermsOf(MonthlyInput with { SettlementCycle = "Quarterly", Term = MonthlyInput.Term! with { StartOn = startOn, EndOn = endOn } });

    private static Terms FixedFee(string cycle, string startOn = "2026-10-01", string endOn = "2027-09-30", string lumpSum = "50000.00") =>
        TermsOf(SampleTerms.FixedFeeInput with
        {
            SettlementCycle = cycle,
            LumpSumBaseFee = SampleTerms.Cny(lumpSum),
            Term = SampleTerms.FixedFeeInput.Term! with { StartOn = startOn, EndOn = endOn },
        });

    [Fact]
    public void Quarterly_start_mid_quarter_prorates_by_days_of_the_quarter()
    {
        // 2027-02-15..2027-03-31 = 14 + 31 = 45 days of 90: 90,000.00 × 45 / 90 = 45,000.00.
        var statement = Settle(Input(Quarterly("2027-02-15", "2028-02-14"), Q1, Figures(1000, 400, 100_000m)));

        Assert.Equal(Cn(45_000m), Line(statement, StatementLineKind.BaseFee).Amount);
    }

    [Fact]
    public void Quarterly_end_mid_quarter_prorates_to_the_last_service_day()
    {
        // 2027-01-01..2027-02-14 = 31 + 14 = 45 days of 90: 45,000.00.
        var terms = Quarterly();

        var statement = Settle(Input(terms, Q1, Figures(1000, 400, 100_000m)) with { Service = ServiceWindow.Of(terms.Term, Date("2027-02-14")) });

        Assert.Equal(Cn(45_000m), Line(statement, StatementLineKind.BaseFee).Amount);
    }

    [Fact]
    public void Quarterly_amendment_mid_quarter_gives_one_base_line_per_segment()
    {
        // v1 90,000.00 a quarter for January: 31/90 × 90,000.00 = 31,000.00; v2 108,000.00 (36,000.00 a month) from
        // 2027-02-01: 59/90 × 108,000.00 = 70,800.00.
        var amended = TermsOf(MonthlyInput with
        {
            SettlementCycle = "Quarterly",
            Seats = [new SeatInput { AgentType = "pre-sales", Count = 1, MonthlyRate = SampleTerms.Cny("36000.00") }],
        });
        var input = Input(Quarterly(), Q1, Figures(1000, 400, 100_000m)) with
        {
            TermsVersions = [new TermsInForce(Date("2026-10-01"), Quarterly()), new TermsInForce(Date("2027-02-01"), amended)],
        };

        Assert.Equal([31_000m, 70_800m], Amounts(Settle(input), StatementLineKind.BaseFee));
    }

    [Fact]
    public void Monthly_fixed_fee_bills_the_next_month_in_full()
    {
        var statement = Settle(Input(FixedFee("Monthly"), SettlementPeriod.Month(2027, 3), Figures(1000, 400, 100_000m)));

        Assert.Equal(Cn(50_000m), Line(statement, StatementLineKind.FixedFee).Amount);
        Assert.Equal(SettlementPeriod.Month(2027, 4), statement.BilledPeriod);
    }

    [Fact]
    public void Monthly_fixed_fee_starting_mid_next_month_bills_its_service_days_in_advance()
    {
        // Service from 2027-04-11: 20 days of April's 30 × 50,000.00 = 33,333.333 -> 33,333.33. March has no service: no figures.
        var statement = Settle(Input(FixedFee("Monthly", "2027-04-11", "2028-04-10"), SettlementPeriod.Month(2027, 3), figures: null));

        Assert.Equal(Cn(33_333.33m), Line(statement, StatementLineKind.FixedFee).Amount);
    }

    [Fact]
    public void Monthly_fixed_fee_amended_mid_next_month_splits_the_advance_bill()
    {
        // April: 2027-04-01..15 at 50,000.00: 15/30 = 25,000.00; from 2027-04-16 at 60,000.00: 15/30 = 30,000.00.
        var input = Input(FixedFee("Monthly"), SettlementPeriod.Month(2027, 3), Figures(1000, 400, 100_000m)) with
        {
            TermsVersions = [new TermsInForce(Date("2026-10-01"), FixedFee("Monthly")), new TermsInForce(Date("2027-04-16"), FixedFee("Monthly", lumpSum: "60000.00"))],
        };

        Assert.Equal([25_000m, 30_000m], Amounts(Settle(input), StatementLineKind.FixedFee));
    }

    [Fact]
    public void Quarterly_fixed_fee_starting_mid_next_quarter_bills_its_service_days_in_advance()
    {
        // Service from 2027-05-16: 16 + 30 = 46 days of Q2's 91 × 50,000.00 = 25,274.725 -> 25,274.73.
        var statement = Settle(Input(FixedFee("Quarterly", "2027-05-16", "2028-05-15"), Q1, figures: null));

        Assert.Equal(Cn(25_274.73m), Line(statement, StatementLineKind.FixedFee).Amount);
    }

    [Fact]
    public void Quarterly_fixed_fee_ending_mid_next_quarter_bills_only_the_days_left()
    {
        // Last service day 2027-08-15: 31 + 15 = 46 days of Q3's 92 × 50,000.00 = 25,000.00.
        var terms = FixedFee("Quarterly");

        var statement = Settle(Input(terms, SettlementPeriod.Quarter(2027, 2), Figures(1000, 400, 100_000m)) with { Service = ServiceWindow.Of(terms.Term, Date("2027-08-15")) });

        Assert.Equal(Cn(25_000m), Line(statement, StatementLineKind.FixedFee).Amount);
    }
}
