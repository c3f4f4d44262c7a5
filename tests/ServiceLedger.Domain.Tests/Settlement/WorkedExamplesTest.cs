using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Settlement;
using ServiceLedger.Domain.Tests.Calendar;
using ServiceLedger.TestSupport.Contracts;
using static ServiceLedger.Domain.Tests.Settlement.SettlementTestData;

namespace ServiceLedger.Domain.Tests.Settlement;

/// <summary>
/// The worked examples of docs/settlement.md, each computed by hand there (the arithmetic is in the comments here too).
/// Defaults (SettlementTestData): one seat at 30,000.00 a month, bands [0, 0.3) 1% / [0.3, 0.5) 1.5% / [0.5, 1] 2%,
/// platform fee 5%, payment 5 working days on a weekday-only calendar.
/// </summary>
public sealed class WorkedExamplesTest
{
    private static readonly SettlementPeriod March2027 = SettlementPeriod.Month(2027, 3);

    [Fact]
    public void Monthly_base_plus_commission_below_the_first_edge_bills_base_and_one_percent_in_arrears()
    {
        // 299 of 1000 = 29.9% is below 30%: 1% of 200,000.00 = 2,000.00; base 30,000.00; total 32,000.00.
        var statement = Settle(Input(Monthly, March2027, Figures(1000, 299, 200_000m)));

        Assert.Equal(Cn(30_000m), Line(statement, StatementLineKind.BaseFee).Amount);
        Assert.Equal(Cn(2_000m), Line(statement, StatementLineKind.Commission).Amount);
        Assert.Equal(Cn(32_000m), statement.Total);
        Assert.Equal(Cn(1_600m), statement.PlatformFee);
        Assert.Equal(Cn(30_400m), statement.VendorShare);
        Assert.Equal(March2027, statement.BilledPeriod);
        Assert.Equal(Date("2027-04-08"), statement.DueOn); // issued Thu 2027-04-01: Fri 2, Mon 5, Tue 6, Wed 7, Thu 8
        Assert.Equal("attributed sales 200,000.00 CNY × 1% (tier [0, 0.3): 299 of 1000 inquiries converted) = 2,000.00 CNY", Line(statement, StatementLineKind.Commission).How);
    }

    [Theory]
    [InlineData(299, 2_000)] // 29.9%: below the inclusive lower edge of [0.3, 0.5) -> 1%
    [InlineData(300, 3_000)] // 30% exactly: [0.3 is inclusive -> 1.5%
    [InlineData(499, 3_000)] // 49.9% -> 1.5%
    [InlineData(500, 4_000)] // 50% exactly: 0.5) is exclusive, [0.5 inclusive -> 2%
    [InlineData(1000, 4_000)] // 100%: 1] is inclusive -> 2%
    public void Monthly_commission_at_each_tier_edge_follows_the_declared_inclusive_edges(long converted, decimal commission)
    {
        var statement = Settle(Input(Monthly, March2027, Figures(1000, converted, 200_000m)));

        Assert.Equal(Cn(commission), Line(statement, StatementLineKind.Commission).Amount);
    }

    [Theory]
    [InlineData(300, 2_000)] // 30% exactly: [0, 0.3] owns its upper edge -> 1%
    [InlineData(301, 4_000)] // 30.1%: (0.3, 1] -> 2%
    public void Monthly_commission_at_an_exclusive_lower_edge_stays_in_the_band_below(long converted, decimal commission)
    {
        var terms = TermsOf(MonthlyInput with
        {
            CommissionTiers = [SampleTerms.Band("0", true, "0.3", true, "0.01"), SampleTerms.Band("0.3", false, "1", true, "0.02")],
        });

        var statement = Settle(Input(terms, March2027, Figures(1000, converted, 200_000m)));

        Assert.Equal(Cn(commission), Line(statement, StatementLineKind.Commission).Amount);
    }

    [Fact]
    public void Quarter_commission_uses_quarter_totals_not_monthly_average()
    {
        // Months: Jan 9/10 (90%), Feb 100/1000 (10%), Mar 100/1000 (10%): their average, 36.7%, would tier at 1.5%.
        // The quarter is one period: 209/2010 = 10.4% -> 1% of 400,000.00 = 4,000.00. Base 3 × 30,000.00 = 90,000.00.
        var terms = TermsOf(MonthlyInput with { SettlementCycle = "Quarterly" });

        var statement = Settle(Input(terms, SettlementPeriod.Quarter(2027, 1), Figures(2010, 209, 400_000m)));

        Assert.Equal(Cn(90_000m), Line(statement, StatementLineKind.BaseFee).Amount);
        Assert.Equal(Cn(4_000m), Line(statement, StatementLineKind.Commission).Amount);
        Assert.Equal("[0, 0.3)", statement.Commission!.Tier.Band);
        Assert.Equal(Cn(94_000m), statement.Total);
        Assert.Equal(Cn(4_700m), statement.PlatformFee);
        Assert.Equal(Cn(89_300m), statement.VendorShare);
    }

    [Fact]
    public void Start_mid_February_of_a_leap_year_prorates_15_of_29_days()
    {
        // 2028-02-15..2028-02-29 = 15 days of 29: 30,000.00 × 15 / 29 = 15,517.2413... -> 15,517.24.
        // Commission 400/1000 = 40% -> 1.5% of 100,000.00 = 1,500.00. Total 17,017.24.
        // Platform 5% = 850.862 -> 850.86 (largest remainder gives the odd fen to the vendor's .8): vendor 16,166.38.
        var terms = TermsOf(MonthlyInput with { Term = MonthlyInput.Term! with { StartOn = "2028-02-15", EndOn = "2029-02-14" } });

        var statement = Settle(Input(terms, SettlementPeriod.Month(2028, 2), Figures(1000, 400, 100_000m)));

        var baseFee = Line(statement, StatementLineKind.BaseFee);
        Assert.Equal(Cn(15_517.24m), baseFee.Amount);
        Assert.Equal("2028-02 2028-02-15..2028-02-29: 15 service days of 29 × 30,000.00 CNY (1 × pre-sales seat at 30,000.00 CNY a month) = 15,517.24 CNY", baseFee.How);
        Assert.Equal(Cn(17_017.24m), statement.Total);
        Assert.Equal(Cn(850.86m), statement.PlatformFee);
        Assert.Equal(Cn(16_166.38m), statement.VendorShare);
        Assert.Equal(Date("2028-03-08"), statement.DueOn);
    }

    [Fact]
    public void Amendment_mid_period_splits_the_base_fee_at_its_effective_date_and_takes_commission_from_period_end_terms()
    {
        // v1 30,000.00 a month until 2027-03-10: 10/31 × 30,000.00 = 9,677.419 -> 9,677.42.
        // v2 40,000.00 a month from 2027-03-11: 21/31 × 40,000.00 = 27,096.774 -> 27,096.77.
        // Commission by the terms in force on the period's last day (v2, rates doubled): 40% -> 3% of 100,000.00 = 3,000.00.
        // Total 39,774.19; platform 5% = 1,988.7095 -> 1,988.71; vendor 37,785.48.
        var amended = TermsOf(MonthlyInput with
        {
            Seats = [new SeatInput { AgentType = "pre-sales", Count = 1, MonthlyRate = SampleTerms.Cny("40000.00") }],
            CommissionTiers = [SampleTerms.Band("0", true, "0.3", false, "0.02"), SampleTerms.Band("0.3", true, "0.5", false, "0.03"), SampleTerms.Band("0.5", true, "1", true, "0.04")],
        });
        var input = Input(Monthly, March2027, Figures(1000, 400, 100_000m)) with
        {
            TermsVersions = [new TermsInForce(Date("2026-10-01"), Monthly), new TermsInForce(Date("2027-03-11"), amended)],
        };

        var statement = Settle(input);

        Assert.Equal([9_677.42m, 27_096.77m], Amounts(statement, StatementLineKind.BaseFee));
        Assert.Equal(Cn(3_000m), Line(statement, StatementLineKind.Commission).Amount);
        Assert.Equal(Cn(39_774.19m), statement.Total);
        Assert.Equal(Cn(1_988.71m), statement.PlatformFee);
        Assert.Equal(Cn(37_785.48m), statement.VendorShare);
    }

    [Fact]
    public void Sla_credits_two_misses_below_the_cap_credit_two_percent_each()
    {
        // Base 30,000.00; 2 misses × 2% = 600.00 each; cap 10% = 3,000.00 not reached.
        var statement = Settle(Input(Monthly, March2027, MissingTargets(2)));

        Assert.Equal([-600m, -600m], Amounts(statement, StatementLineKind.SlaCredit));
    }

    [Fact]
    public void Sla_credits_reaching_the_cap_exactly_are_all_granted()
    {
        // 5 misses × 2% × 30,000.00 = 3,000.00 = the cap of 10%.
        var statement = Settle(Input(Monthly, March2027, MissingTargets(5)));

        Assert.Equal([-600m, -600m, -600m, -600m, -600m], Amounts(statement, StatementLineKind.SlaCredit));
        Assert.Equal(Cn(30_000m + 1_500m - 3_000m), statement.Total);
    }

    [Fact]
    public void Sla_credits_beyond_the_cap_are_cut_to_the_cap()
    {
        // 3% per miss: 900.00 × 5 = 4,500.00 would exceed the cap 3,000.00: 900, 900, 900, then 300, then 0.
        var terms = TermsOf(MonthlyInput with { Sla = MonthlyInput.Sla! with { CreditPerMissedTarget = "0.03" } });

        var statement = Settle(Input(terms, March2027, MissingTargets(5)));

        Assert.Equal([-900m, -900m, -900m, -300m, 0m], Amounts(statement, StatementLineKind.SlaCredit));
        Assert.Contains("\nline=SlaCredit|0.00|", statement.CanonicalText, StringComparison.Ordinal);
        Assert.Contains("cut to 300.00 CNY by the cap 10% of base = 3,000.00 CNY", statement.Lines.Where(line => line.Kind == StatementLineKind.SlaCredit).ElementAt(3).How, StringComparison.Ordinal);
    }

    [Fact]
    public void Fixed_fee_is_billed_in_advance_for_the_next_period()
    {
        // Run for 2027-Q1 (issued 2027-04-01): the quarter's lump sum 50,000.00 for 2027-Q2; Q1's SLA all met; no commission.
        var terms = TermsOf(SampleTerms.FixedFeeInput);

        var statement = Settle(Input(terms, SettlementPeriod.Quarter(2027, 1), Figures(1000, 400, 100_000m)));

        var fee = Line(statement, StatementLineKind.FixedFee);
        Assert.Equal(Cn(50_000m), fee.Amount);
        Assert.StartsWith("2027-Q2 full period", fee.How, StringComparison.Ordinal);
        Assert.Equal(SettlementPeriod.Quarter(2027, 2), statement.BilledPeriod);
        Assert.DoesNotContain(statement.Lines, line => line.Kind == StatementLineKind.Commission);
        Assert.Null(statement.Commission);
        Assert.Equal(Cn(2_500m), statement.PlatformFee);
        Assert.Equal(Cn(47_500m), statement.VendorShare);
    }

    [Fact]
    public void Fixed_fee_before_service_starts_bills_the_first_period_without_figures()
    {
        var terms = TermsOf(SampleTerms.FixedFeeInput);

        var statement = Settle(Input(terms, SettlementPeriod.Quarter(2026, 3), figures: null));

        Assert.Equal(Cn(50_000m), Line(statement, StatementLineKind.FixedFee).Amount);
        Assert.Equal(SettlementPeriod.Quarter(2026, 4), statement.BilledPeriod);
    }

    [Fact]
    public void Fixed_fee_final_run_bills_no_fee_and_credits_the_last_quarter_misses()
    {
        // Run for 2027-Q3, the term's last quarter: nothing to bill in advance; 1 miss × 2% × 50,000.00 = 1,000.00 credit.
        var terms = TermsOf(SampleTerms.FixedFeeInput);

        var statement = Settle(Input(terms, SettlementPeriod.Quarter(2027, 3), MissingTargets(1)) with { IsFinal = true });

        Assert.DoesNotContain(statement.Lines, line => line.Kind == StatementLineKind.FixedFee);
        Assert.Equal(Cn(-1_000m), statement.Total);
        Assert.Equal(Cn(-50m), statement.PlatformFee);
        Assert.Equal(Cn(-950m), statement.VendorShare);
    }

    [Fact]
    public void Termination_mid_month_prorates_to_the_last_service_day_and_applies_the_deposit()
    {
        // Last service day 2027-03-20: 20/31 × 30,000.00 = 19,354.838 -> 19,354.84; commission 1,500.00; owed 20,854.84.
        // Deposit held 60,000.00 covers it all: deposit line -20,854.84, total 0.00. Split of 20,854.84: 1,042.74 / 19,812.10.
        var input = Input(Monthly, March2027, Figures(1000, 400, 100_000m)) with
        {
            Service = ServiceWindow.Of(Monthly.Term, Date("2027-03-20")),
            IsFinal = true,
            DepositHeld = Cn(60_000m),
        };

        var statement = Settle(input);

        Assert.Equal(Cn(19_354.84m), Line(statement, StatementLineKind.BaseFee).Amount);
        Assert.Equal(Cn(-20_854.84m), Line(statement, StatementLineKind.DepositApplied).Amount);
        Assert.Equal(Cn(0m), statement.Total);
        Assert.Equal(Cn(20_854.84m), statement.DepositApplied);
        Assert.Equal(Cn(1_042.74m), statement.PlatformFee);
        Assert.Equal(Cn(19_812.10m), statement.VendorShare);
    }

    [Fact]
    public void Deposit_smaller_than_the_total_is_applied_in_full()
    {
        var input = Input(Monthly, March2027, Figures(1000, 400, 100_000m)) with { IsFinal = true, DepositHeld = Cn(10_000m) };

        var statement = Settle(input);

        Assert.Equal(Cn(-10_000m), Line(statement, StatementLineKind.DepositApplied).Amount);
        Assert.Equal(Cn(21_500m), statement.Total);
    }

    [Fact]
    public void Late_penalty_counts_from_the_due_date_the_holiday_moved()
    {
        // An earlier statement issued Mon 2026-09-28 with 5 working days to pay. Weekdays only: Sep 29, 30, Oct 1, 2, 5 ->
        // due 2026-10-05. Mainland China 2026: Sep 29, 30, (National Day Oct 1-7), Oct 8, 9, Sat Oct 10 (make-up day) ->
        // due 2026-10-10. 10,000.00 still unpaid when the next statement is issued on 2026-11-02, at 0.05% a day:
        // weekdays-only 28 days = 140.00; with the holiday 23 days = 115.00.
        var terms = TermsOf(MonthlyInput with { Term = MonthlyInput.Term! with { StartOn = "2026-08-01", EndOn = "2027-07-31" } });
        var china = CalendarTestData.MainlandChina();
        var dueInChina = DueDates.Statement(Date("2026-09-28"), terms, china).Value;
        var dueOnWeekdays = DueDates.Statement(Date("2026-09-28"), terms, PlainCalendar).Value;
        var earlier = StatementId.For(TestContract, SettlementPeriod.Month(2026, 8), 1);

        Statement SettleWithOverdueDueOn(NodaTime.LocalDate due) => Settle(Input(terms, SettlementPeriod.Month(2026, 10), Figures(1000, 400, 100_000m)) with
        {
            IssuedOn = Date("2026-11-02"),
            Calendar = china,
            Overdue = [new OverdueItem(earlier, Cn(10_000m), due, null, false, Cn(0m))],
        });

        Assert.Equal(Date("2026-10-10"), dueInChina);
        Assert.Equal(Date("2026-10-05"), dueOnWeekdays);
        Assert.Equal(Cn(115m), Line(SettleWithOverdueDueOn(dueInChina), StatementLineKind.LatePenalty).Amount);
        Assert.Equal(Cn(140m), Line(SettleWithOverdueDueOn(dueOnWeekdays), StatementLineKind.LatePenalty).Amount);
    }
}
