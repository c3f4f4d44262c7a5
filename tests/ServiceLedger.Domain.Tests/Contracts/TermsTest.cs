namespace ServiceLedger.Domain.Tests.Contracts;

using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Domain.Money;
using static ServiceLedger.TestSupport.Contracts.SampleTerms;

public sealed class TermsTest
{
    [Fact]
    public void Sample_terms_are_valid_and_derive_base_fee_annual_value_and_deposit_from_seats()
    {
        var terms = Terms.Create(Input);

        Assert.True(terms.IsValid, terms.ToString());
        Assert.Equal(new Money(90_000m, Currency.Cny), terms.Value.BaseFeePerPeriod);
        Assert.Equal(new Money(1_080_000m, Currency.Cny), terms.Value.AnnualValue);
        Assert.Equal(new Money(180_000m, Currency.Cny), terms.Value.DepositAmount);
        Assert.Equal("Asia/Shanghai", terms.Value.TimeZone.Id);
    }

    [Fact]
    public void Quarterly_seat_terms_charge_three_months_per_period_and_four_periods_a_year()
    {
        var terms = Terms.Create(Input with { SettlementCycle = "Quarterly" }).Value;

        Assert.Equal(new Money(270_000m, Currency.Cny), terms.BaseFeePerPeriod);
        Assert.Equal(new Money(1_080_000m, Currency.Cny), terms.AnnualValue);
    }

    [Fact]
    public void Fixed_fee_terms_take_a_lump_sum_per_period_and_no_tiers()
    {
        var terms = Terms.Create(FixedFeeInput).Value;

        Assert.Equal(CooperationMode.FixedFee, terms.Mode);
        Assert.Equal(SettlementCycle.Quarterly, terms.Cycle);
        Assert.Equal(new Money(50_000m, Currency.Cny), terms.BaseFeePerPeriod);
        Assert.Equal(new Money(200_000m, Currency.Cny), terms.AnnualValue);
        Assert.Equal(new Money(20_000m, Currency.Cny), terms.DepositAmount);
        Assert.Empty(terms.CommissionTiers);
        Assert.Null(terms.TierFor(0.7m));
    }

    [Fact]
    public void Time_zone_defaults_to_Shanghai_and_first_base_fee_to_two_working_days()
    {
        var terms = Terms.Create(Input with { TimeZone = null, FirstBaseFeeDueWorkingDays = null }).Value;

        Assert.Equal(Terms.DefaultTimeZoneId, terms.TimeZone.Id);
        Assert.Equal(2, terms.FirstBaseFeeDueWorkingDays);
    }

    [Fact]
    public void Missing_terms_are_refused_as_a_whole()
    {
        AssertRefused(Terms.Create(null), ContractRule.FieldRequired, "terms");
    }

    [Fact]
    public void Every_refusal_is_reported_at_once_with_its_field_path()
    {
        var input = Input with
        {
            CooperationMode = "Commission",
            Currency = "XXX",
            TimeZone = "Mars/Olympus",
            SettlementCycle = "Weekly",
            PlatformFeeRate = "1.5",
        };

        var result = Terms.Create(input);

        Assert.Equal(
            ["terms.cooperationMode", "terms.currency", "terms.timeZone", "terms.settlementCycle", "terms.platformFeeRate"],
            result.Refusals.Select(refusal => refusal.Field).Where(field => !field.Contains("monthlyRate", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("1")]
    [InlineData("None")]
    [InlineData("basePlusCommission")]
    public void Cooperation_mode_accepts_only_the_exact_names(string mode)
    {
        AssertRefused(Terms.Create(Input with { CooperationMode = mode }), ContractRule.ValueNotRecognised, "terms.cooperationMode");
    }

    [Fact]
    public void An_amount_in_another_currency_than_the_terms_is_refused()
    {
        var input = Input with { Seats = [new SeatInput { AgentType = "pre-sales", Count = 1, MonthlyRate = new MoneyInput { Amount = "100", Currency = "USD" } }] };

        AssertRefused(Terms.Create(input), ContractRule.CurrencyMustMatchTerms, "terms.seats[0].monthlyRate.currency");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("1e3")]
    [InlineData("1,000")]
    [InlineData(" 100")]
    [InlineData("100.001")]
    [InlineData("1000000000000.01")]
    public void Seat_rates_must_be_positive_decimal_strings_in_whole_minor_units_within_the_limit(string amount)
    {
        var input = Input with { Seats = [new SeatInput { AgentType = "pre-sales", Count = 1, MonthlyRate = Cny(amount) }] };

        AssertRefused(Terms.Create(input), ContractRule.AmountInvalid, "terms.seats[0].monthlyRate.amount");
    }

    [Fact]
    public void The_largest_amount_is_accepted()
    {
        var input = Input with { Seats = [new SeatInput { AgentType = "pre-sales", Count = 1, MonthlyRate = Cny("1000000000000.00") }] };

        Assert.True(Terms.Create(input).IsValid);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(ContractLimits.MaxSeatsPerLine + 1)]
    public void Seat_counts_are_bounded(int count)
    {
        var input = Input with { Seats = [new SeatInput { AgentType = "pre-sales", Count = count, MonthlyRate = Cny("100") }] };

        AssertRefused(Terms.Create(input), ContractRule.NumberOutOfRange, "terms.seats[0].count");
    }

    [Fact]
    public void Seat_lines_are_bounded()
    {
        var lines = Enumerable.Range(0, ContractLimits.MaxSeatLines + 1)
            .Select(index => new SeatInput { AgentType = $"type-{index}", Count = 1, MonthlyRate = Cny("100") })
            .ToArray();

        AssertRefused(Terms.Create(Input with { Seats = lines }), ContractRule.TooManyItems, "terms.seats");
        Assert.True(Terms.Create(Input with { Seats = lines[..ContractLimits.MaxSeatLines] }).IsValid);
    }

    [Fact]
    public void An_agent_type_appears_once()
    {
        var input = Input with
        {
            Seats =
            [
                new SeatInput { AgentType = "pre-sales", Count = 1, MonthlyRate = Cny("100") },
                new SeatInput { AgentType = "Pre-Sales", Count = 2, MonthlyRate = Cny("100") },
            ],
        };

        AssertRefused(Terms.Create(input), ContractRule.AgentTypeRepeated, "terms.seats[1].agentType");
    }

    [Theory]
    [InlineData("")]
    [InlineData(" pre-sales")]
    [InlineData("pre\tsales")]
    [InlineData("12345678901234567890123456789012345678901")]
    public void Agent_types_are_short_plain_text(string agentType)
    {
        var input = Input with { Seats = [new SeatInput { AgentType = agentType, Count = 1, MonthlyRate = Cny("100") }] };

        AssertRefused(Terms.Create(input), ContractRule.TextInvalid, "terms.seats[0].agentType");
    }

    [Fact]
    public void Chinese_agent_types_are_plain_text()
    {
        var input = Input with { Seats = [new SeatInput { AgentType = "售前客服", Count = 3, MonthlyRate = Cny("5000") }] };

        Assert.Equal("售前客服", Terms.Create(input).Value.Seats[0].AgentType);
    }

    [Fact]
    public void Base_fee_is_seats_or_a_lump_sum_not_both()
    {
        AssertRefused(Terms.Create(Input with { LumpSumBaseFee = Cny("100") }), ContractRule.BaseFeeMustBeSeatsOrLumpSum, "terms.seats");
    }

    [Fact]
    public void Base_fee_is_seats_or_a_lump_sum_not_neither()
    {
        AssertRefused(Terms.Create(Input with { Seats = [] }), ContractRule.BaseFeeMustBeSeatsOrLumpSum, "terms.seats");
    }

    [Fact]
    public void Base_plus_commission_needs_tiers()
    {
        AssertRefused(Terms.Create(Input with { CommissionTiers = null }), ContractRule.CommissionTiersRequired, "terms.commissionTiers");
    }

    [Fact]
    public void Fixed_fee_refuses_tiers()
    {
        AssertRefused(Terms.Create(FixedFeeInput with { CommissionTiers = ThreeBands }), ContractRule.CommissionTiersNotAllowed, "terms.commissionTiers");
    }

    [Fact]
    public void Tiers_are_bounded()
    {
        var tiers = Enumerable.Range(0, ContractLimits.MaxCommissionTiers + 1)
            .Select(_ => Band("0", true, "1", true, "0.01"))
            .ToArray();

        AssertRefused(Terms.Create(Input with { CommissionTiers = tiers }), ContractRule.TooManyItems, "terms.commissionTiers");
    }

    [Fact]
    public void A_band_must_not_be_empty()
    {
        var tiers = new[] { Band("0", true, "0.5", false, "0.01"), Band("0.5", true, "0.5", true, "0.02"), Band("0.5", false, "1", true, "0.03") };

        AssertRefused(Terms.Create(Input with { CommissionTiers = tiers }), ContractRule.TierBandEmpty, "terms.commissionTiers[1].upTo");
    }

    [Fact]
    public void Bands_must_start_at_zero_inclusive()
    {
        var tiers = new[] { Band("0", false, "0.5", false, "0.01"), Band("0.5", true, "1", true, "0.02") };

        AssertRefused(Terms.Create(Input with { CommissionTiers = tiers }), ContractRule.TiersMustStartAtZero, "terms.commissionTiers[0].from");
    }

    [Fact]
    public void Bands_must_end_at_one_hundred_percent_inclusive()
    {
        var tiers = new[] { Band("0", true, "0.5", false, "0.01"), Band("0.5", true, "0.99", true, "0.02") };

        AssertRefused(Terms.Create(Input with { CommissionTiers = tiers }), ContractRule.TiersMustEndAtOneHundredPercent, "terms.commissionTiers[1].upTo");
    }

    [Fact]
    public void A_gap_between_bands_is_refused()
    {
        var tiers = new[] { Band("0", true, "0.3", false, "0.01"), Band("0.35", true, "1", true, "0.02") };

        AssertRefused(Terms.Create(Input with { CommissionTiers = tiers }), ContractRule.TiersLeaveGap, "terms.commissionTiers[1].from");
    }

    [Fact]
    public void Two_exclusive_edges_at_the_same_point_leave_that_point_uncovered()
    {
        var tiers = new[] { Band("0", true, "0.3", false, "0.01"), Band("0.3", false, "1", true, "0.02") };

        AssertRefused(Terms.Create(Input with { CommissionTiers = tiers }), ContractRule.TiersLeaveGap, "terms.commissionTiers[1].from");
    }

    [Fact]
    public void Two_inclusive_edges_at_the_same_point_overlap()
    {
        var tiers = new[] { Band("0", true, "0.3", true, "0.01"), Band("0.3", true, "1", true, "0.02") };

        AssertRefused(Terms.Create(Input with { CommissionTiers = tiers }), ContractRule.TiersOverlap, "terms.commissionTiers[1].from");
    }

    [Fact]
    public void Bands_that_reach_back_into_the_previous_one_overlap()
    {
        var tiers = new[] { Band("0", true, "0.5", false, "0.01"), Band("0.4", true, "1", true, "0.02") };

        AssertRefused(Terms.Create(Input with { CommissionTiers = tiers }), ContractRule.TiersOverlap, "terms.commissionTiers[1].from");
    }

    [Fact]
    public void A_band_edge_that_is_not_a_rate_names_its_path()
    {
        var tiers = new[] { Band("0", true, "0.3", false, "0.01"), Band("0.3", true, "0.5", false, "0.015"), Band("0.5", true, "150%", true, "0.02") };

        var result = Terms.Create(Input with { CommissionTiers = tiers });

        Assert.Equal("terms.commissionTiers[2].upTo", Assert.Single(result.Refusals).Field);
    }

    [Fact]
    public void A_band_edge_flag_is_required()
    {
        var tiers = new[] { new CommissionTierInput { From = "0", UpTo = "1", UpToInclusive = true, Rate = "0.01" } };

        AssertRefused(Terms.Create(Input with { CommissionTiers = tiers }), ContractRule.FieldRequired, "terms.commissionTiers[0].fromInclusive");
    }

    [Theory]
    [InlineData(0, 0.01)]
    [InlineData(0.2999999, 0.01)]
    [InlineData(0.3, 0.015)]
    [InlineData(0.4999999, 0.015)]
    [InlineData(0.5, 0.02)]
    [InlineData(1, 0.02)]
    public void Each_conversion_rate_falls_in_exactly_the_band_its_edges_declare(decimal conversion, decimal expectedRate)
    {
        Assert.Equal(expectedRate, Valid.TierFor(conversion)!.Rate.Fraction);
    }

    [Fact]
    public void A_single_band_covering_everything_is_valid()
    {
        var terms = Terms.Create(Input with { CommissionTiers = [Band("0", true, "1", true, "0.03")] }).Value;

        Assert.Equal(0.03m, terms.TierFor(0.42m)!.Rate.Fraction);
    }

    [Fact]
    public void Deposit_by_months_needs_seats()
    {
        var input = FixedFeeInput with { Deposit = new DepositRuleInput { Kind = "MonthsOfSeatRates", Months = 2 } };

        AssertRefused(Terms.Create(input), ContractRule.DepositMonthsNeedSeats, "terms.deposit.kind");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(ContractLimits.MaxDepositMonths + 1)]
    public void Deposit_months_are_bounded(int months)
    {
        var input = Input with { Deposit = new DepositRuleInput { Kind = "MonthsOfSeatRates", Months = months } };

        AssertRefused(Terms.Create(input), ContractRule.NumberOutOfRange, "terms.deposit.months");
    }

    [Fact]
    public void A_fixed_deposit_needs_its_amount()
    {
        var input = Input with { Deposit = new DepositRuleInput { Kind = "FixedAmount" } };

        AssertRefused(Terms.Create(input), ContractRule.FieldRequired, "terms.deposit.amount");
    }

    [Fact]
    public void The_refund_rule_is_required()
    {
        AssertRefused(Terms.Create(Input with { DepositRefund = null }), ContractRule.FieldRequired, "terms.depositRefund");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(ContractLimits.MaxFirstBaseFeeDueWorkingDays + 1)]
    public void First_base_fee_due_days_are_bounded(int days)
    {
        AssertRefused(Terms.Create(Input with { FirstBaseFeeDueWorkingDays = days }), ContractRule.NumberOutOfRange, "terms.firstBaseFeeDueWorkingDays");
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(ContractLimits.MaxPaymentTermsWorkingDays + 1)]
    public void Payment_terms_are_bounded(int days)
    {
        AssertRefused(Terms.Create(Input with { PaymentTermsWorkingDays = days }), ContractRule.NumberOutOfRange, "terms.paymentTermsWorkingDays");
    }

    [Fact]
    public void Payment_terms_are_required()
    {
        AssertRefused(Terms.Create(Input with { PaymentTermsWorkingDays = null }), ContractRule.FieldRequired, "terms.paymentTermsWorkingDays");
    }

    [Fact]
    public void A_late_penalty_rate_above_one_hundred_percent_is_refused()
    {
        var input = Input with { LatePenalty = new LatePenaltyInput { DailyRate = "1.0001", Cap = "0.2" } };

        AssertRefused(Terms.Create(input), MoneyRule.RateOutOfRange, "terms.latePenalty.dailyRate");
    }

    [Fact]
    public void A_late_penalty_cap_is_required()
    {
        var input = Input with { LatePenalty = new LatePenaltyInput { DailyRate = "0.0005" } };

        AssertRefused(Terms.Create(input), ContractRule.FieldRequired, "terms.latePenalty.cap");
    }

    [Fact]
    public void Sla_is_optional_but_once_given_needs_its_credits()
    {
        Assert.Null(Terms.Create(Input with { Sla = null }).Value.Sla);
        AssertRefused(
            Terms.Create(Input with { Sla = new SlaInput { AnswerRate = "0.9", CreditCap = "0.1" } }),
            ContractRule.FieldRequired,
            "terms.sla.creditPerMissedTarget");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(ContractLimits.MaxFirstResponseSeconds + 1)]
    public void First_response_target_is_bounded(int seconds)
    {
        var input = Input with { Sla = Input.Sla! with { FirstResponseSeconds = seconds } };

        AssertRefused(Terms.Create(input), ContractRule.NumberOutOfRange, "terms.sla.firstResponseSeconds");
    }

    [Fact]
    public void Sla_targets_are_rates()
    {
        var input = Input with { Sla = Input.Sla! with { QaPassRate = "95%" } };

        AssertRefused(Terms.Create(input), MoneyRule.RateMustBeDecimalText, "terms.sla.qaPassRate");
    }

    [Fact]
    public void A_term_must_end_after_it_starts()
    {
        var input = Input with { Term = Input.Term! with { EndOn = "2026-10-01" } };

        AssertRefused(Terms.Create(input), ContractRule.TermInvalid, "terms.term.endOn");
    }

    [Fact]
    public void A_term_runs_at_most_ten_years()
    {
        Assert.True(Terms.Create(Input with { Term = Input.Term! with { EndOn = "2036-10-01" } }).IsValid);
        AssertRefused(Terms.Create(Input with { Term = Input.Term! with { EndOn = "2036-10-02" } }), ContractRule.TermInvalid, "terms.term.endOn");
    }

    [Theory]
    [InlineData("2026-13-01")]
    [InlineData("01/10/2026")]
    [InlineData("1999-12-31")]
    public void Term_dates_are_iso_dates_in_range(string date)
    {
        AssertRefused(Terms.Create(Input with { Term = Input.Term! with { StartOn = date } }), ContractRule.DateInvalid, "terms.term.startOn");
    }

    [Fact]
    public void The_notice_period_fits_in_the_term()
    {
        var input = Input with { Term = new TermInput { StartOn = "2026-10-01", EndOn = "2026-10-31", AutoRenew = true, NoticePeriodDays = 31 } };

        AssertRefused(Terms.Create(input), ContractRule.NoticePeriodLongerThanTerm, "terms.term.noticePeriodDays");
    }

    [Fact]
    public void Auto_renewal_must_be_stated()
    {
        AssertRefused(Terms.Create(Input with { Term = Input.Term! with { AutoRenew = null } }), ContractRule.FieldRequired, "terms.term.autoRenew");
    }

    [Fact]
    public void Refusals_can_be_rooted_at_another_field()
    {
        var result = Terms.Create(Input with { PlatformFeeRate = null }, "amendment.terms");

        Assert.Equal("amendment.terms.platformFeeRate", Assert.Single(result.Refusals).Field);
    }

    private static void AssertRefused(Validated<Terms> result, string code, string field)
    {
        Assert.False(result.IsValid, $"expected {code} at {field}");
        Assert.Contains(result.Refusals, refusal => refusal.Code == code && refusal.Field == field);
    }
}
