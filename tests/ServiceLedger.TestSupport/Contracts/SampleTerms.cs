namespace ServiceLedger.TestSupport.Contracts;

using ServiceLedger.Domain.Contracts;

/// <summary>
/// Valid sample terms to start from in tests: change one thing with <c>with</c> and the test reads as that one thing.
/// Pure domain types only, so the domain tests compile this file too (linked), and the settlement tests can reuse it.
/// The default is a monthly BasePlusCommission contract in CNY: 10 pre-sales seats at 6,000.00 and 4 night-shift seats at
/// 7,500.00 (base fee 90,000.00 a month, annual value 1,080,000.00), three commission bands.
/// </summary>
public static class SampleTerms
{
    /// <summary>Three bands: [0, 0.3) at 1%, [0.3, 0.5) at 1.5%, [0.5, 1] at 2%.</summary>
    public static IReadOnlyList<CommissionTierInput> ThreeBands { get; } =
    [
        Band("0", true, "0.3", false, "0.01"),
        Band("0.3", true, "0.5", false, "0.015"),
        Band("0.5", true, "1", true, "0.02"),
    ];

    /// <summary>The default sample terms as a request would carry them.</summary>
    public static TermsInput Input { get; } = new()
    {
        CooperationMode = "BasePlusCommission",
        Currency = "CNY",
        TimeZone = "Asia/Shanghai",
        SettlementCycle = "Monthly",
        Seats =
        [
            new SeatInput { AgentType = "pre-sales", Count = 10, MonthlyRate = Cny("6000.00") },
            new SeatInput { AgentType = "night-shift", Count = 4, MonthlyRate = Cny("7500.00") },
        ],
        CommissionTiers = ThreeBands,
        Deposit = new DepositRuleInput { Kind = "MonthsOfSeatRates", Months = 2 },
        DepositRefund = new DepositRefundInput { Kind = "ApplyToFinalStatement", WithinWorkingDays = 10 },
        FirstBaseFeeDueWorkingDays = 2,
        PaymentTermsWorkingDays = 5,
        LatePenalty = new LatePenaltyInput { DailyRate = "0.0005", Cap = "0.2" },
        Sla = new SlaInput
        {
            FirstResponseSeconds = 30,
            AnswerRate = "0.95",
            FirstContactResolution = "0.8",
            Satisfaction = "0.9",
            QaPassRate = "0.95",
            CreditPerMissedTarget = "0.02",
            CreditCap = "0.1",
        },
        PlatformFeeRate = "0.05",
        Term = new TermInput { StartOn = "2026-10-01", EndOn = "2027-09-30", AutoRenew = false, NoticePeriodDays = 30 },
    };

    /// <summary>A fixed-fee variant: a lump sum of 50,000.00 per quarter, billed in advance, fixed deposit, no tiers.</summary>
    public static TermsInput FixedFeeInput { get; } = Input with
    {
        CooperationMode = "FixedFee",
        SettlementCycle = "Quarterly",
        Seats = null,
        LumpSumBaseFee = Cny("50000.00"),
        CommissionTiers = null,
        Deposit = new DepositRuleInput { Kind = "FixedAmount", Amount = Cny("20000.00") },
    };

    /// <summary>The default sample terms, validated.</summary>
    public static Terms Valid => Terms.Create(Input).Value;

    /// <summary>Sample terms whose base fee is <paramref name="monthlyFee"/> a month (one seat), to place the annual value exactly.</summary>
    public static Terms WithMonthlyFee(string monthlyFee) =>
        Terms.Create(Input with { Seats = [new SeatInput { AgentType = "pre-sales", Count = 1, MonthlyRate = Cny(monthlyFee) }] }).Value;

    /// <summary>An amount in CNY as a request carries it.</summary>
    public static MoneyInput Cny(string amount) => new() { Amount = amount, Currency = "CNY" };

    /// <summary>A commission band as a request carries it.</summary>
    public static CommissionTierInput Band(string from, bool fromInclusive, string upTo, bool upToInclusive, string rate) =>
        new() { From = from, FromInclusive = fromInclusive, UpTo = upTo, UpToInclusive = upToInclusive, Rate = rate };
}
