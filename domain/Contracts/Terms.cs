namespace ServiceLedger.Domain.Contracts;

using NodaTime;
using NodaTime.Text;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Domain.Money;


/// <summary>
/// The priced part of one contract version (DESIGN.md section 2): immutable, and valid by construction — the only way to
/// get one is <see cref="Create"/>, which checks every rule and returns all refusals at once, each naming its field path
/// (e.g. <c>terms.commissionTiers[2].upTo</c>). Every amount is in <see cref="Currency"/>.
/// </summary>
public sealed record Terms
{
    /// <summary>The time zone when the request names none: the product's merchants are in mainland China.</summary>
    public const string DefaultTimeZoneId = "Asia/Shanghai";

    internal Terms()
    {
    }

    /// <summary>Base plus commission, or fixed fee.</summary>
    public required CooperationMode Mode { get; init; }

    /// <summary>The currency of every amount in the terms and of every statement.</summary>
    public required Currency Currency { get; init; }

    /// <summary>The time zone in which dates (periods, signing day, due dates) are counted.</summary>
    public required DateTimeZone TimeZone { get; init; }

    /// <summary>Monthly or quarterly settlement.</summary>
    public required SettlementCycle Cycle { get; init; }

    /// <summary>Seats per agent type; empty when the base fee is a lump sum.</summary>
    public required IReadOnlyList<SeatLine> Seats { get; init; }

    /// <summary>Base fee per settlement period when not derived from seats; null otherwise.</summary>
    public required Money? LumpSumBaseFee { get; init; }

    /// <summary>Commission bands covering 0–100% conversion once, ascending; empty for <see cref="CooperationMode.FixedFee"/>.</summary>
    public required IReadOnlyList<CommissionTier> CommissionTiers { get; init; }

    /// <summary>How the deposit is sized.</summary>
    public required DepositRule Deposit { get; init; }

    /// <summary>What happens to the deposit at the end.</summary>
    public required DepositRefund DepositRefund { get; init; }

    /// <summary>Working days after signing until the first base fee is due (default 2).</summary>
    public required int FirstBaseFeeDueWorkingDays { get; init; }

    /// <summary>Working days after a statement is issued until it is due.</summary>
    public required int PaymentTermsWorkingDays { get; init; }

    /// <summary>Late-payment penalty.</summary>
    public required LatePenalty LatePenalty { get; init; }

    /// <summary>SLA targets and credits; null when the contract has none.</summary>
    public required SlaTargets? Sla { get; init; }

    /// <summary>The platform's share of each statement.</summary>
    public required Rate PlatformFeeRate { get; init; }

    /// <summary>Start, end, renewal and notice.</summary>
    public required ContractTerm Term { get; init; }

    /// <summary>Settlement periods in a year: 12 monthly, 4 quarterly.</summary>
    public int PeriodsPerYear => 12 / MonthsPerPeriod;

    /// <summary>Months in one settlement period: 1 or 3.</summary>
    public int MonthsPerPeriod => Cycle switch
    {
        SettlementCycle.Monthly => 1,
        SettlementCycle.Quarterly => 3,
        _ => throw new InvalidOperationException($"Terms hold an unknown settlement cycle {Cycle}."),
    };

    /// <summary>All seats for one month; zero when the base fee is a lump sum.</summary>
    public Money MonthlySeatTotal =>
        Seats.Aggregate(Money.Zero(Currency), (total, line) => total + line.MonthlyTotal);

    /// <summary>The base fee (or fixed fee) for one full settlement period, before proration and SLA credits.</summary>
    public Money BaseFeePerPeriod => LumpSumBaseFee ?? MonthlySeatTotal * MonthsPerPeriod;

    /// <summary>
    /// The value of one year of the contract for approval: base fee per period × periods per year. Commission is left out
    /// because it depends on sales nobody knows at approval time; the thresholds are set with that in mind (docs/contracts.md).
    /// </summary>
    public Money AnnualValue => BaseFeePerPeriod * PeriodsPerYear;

    /// <summary>The deposit the merchant pays before service starts.</summary>
    public Money DepositAmount => Deposit.Kind switch
    {
        DepositKind.FixedAmount => Deposit.Amount!.Value,
        DepositKind.MonthsOfSeatRates => MonthlySeatTotal * Deposit.Months!.Value,
        _ => throw new InvalidOperationException($"Terms hold an unknown deposit kind {Deposit.Kind}."),
    };

    /// <summary>The commission tier whose band holds <paramref name="conversion"/> (0 to 1); null for fixed-fee terms.</summary>
    public CommissionTier? TierFor(decimal conversion)
    {
        if (conversion < 0m || conversion > 1m)
        {
            throw new ArgumentOutOfRangeException(nameof(conversion), conversion, "A conversion rate is a fraction from 0 to 1.");
        }

        if (CommissionTiers.Count == 0)
        {
            return null;
        }

        // The bands were checked to cover 0–100% exactly once, so exactly one matches.
        return CommissionTiers.Single(tier => tier.Contains(conversion));
    }

    /// <summary>
    /// The terms in their request shape: <c>Terms.Create(terms.ToInput())</c> gives equal terms back. Used to show terms and to
    /// store them, so that stored terms pass the same rules again when read.
    /// </summary>
    public TermsInput ToInput() => new()
    {
        CooperationMode = Mode.ToString(),
        Currency = Currency.Code,
        TimeZone = TimeZone.Id,
        SettlementCycle = Cycle.ToString(),
        Seats = Seats.Count == 0 ? null : Seats.Select(line => new SeatInput { AgentType = line.AgentType, Count = line.Count, MonthlyRate = MoneyInputOf(line.MonthlyRate) }).ToArray(),
        LumpSumBaseFee = LumpSumBaseFee is { } lumpSum ? MoneyInputOf(lumpSum) : null,
        CommissionTiers = CommissionTiers.Count == 0
            ? null
            : CommissionTiers.Select(tier => new CommissionTierInput
            {
                From = tier.From.ToString(),
                FromInclusive = tier.FromInclusive,
                UpTo = tier.UpTo.ToString(),
                UpToInclusive = tier.UpToInclusive,
                Rate = tier.Rate.ToString(),
            }).ToArray(),
        Deposit = new DepositRuleInput
        {
            Kind = Deposit.Kind.ToString(),
            Amount = Deposit.Amount is { } amount ? MoneyInputOf(amount) : null,
            Months = Deposit.Months,
        },
        DepositRefund = new DepositRefundInput { Kind = DepositRefund.Kind.ToString(), WithinWorkingDays = DepositRefund.WithinWorkingDays },
        FirstBaseFeeDueWorkingDays = FirstBaseFeeDueWorkingDays,
        PaymentTermsWorkingDays = PaymentTermsWorkingDays,
        LatePenalty = new LatePenaltyInput { DailyRate = LatePenalty.DailyRate.ToString(), Cap = LatePenalty.Cap.ToString() },
        Sla = Sla is null
            ? null
            : new SlaInput
            {
                FirstResponseSeconds = Sla.FirstResponseSeconds,
                AnswerRate = Sla.AnswerRate?.ToString(),
                FirstContactResolution = Sla.FirstContactResolution?.ToString(),
                Satisfaction = Sla.Satisfaction?.ToString(),
                QaPassRate = Sla.QaPassRate?.ToString(),
                CreditPerMissedTarget = Sla.CreditPerMissedTarget.ToString(),
                CreditCap = Sla.CreditCap.ToString(),
            },
        PlatformFeeRate = PlatformFeeRate.ToString(),
        Term = new TermInput
        {
            StartOn = LocalDatePattern.Iso.Format(Term.StartOn),
            EndOn = LocalDatePattern.Iso.Format(Term.EndOn),
            AutoRenew = Term.AutoRenew,
            NoticePeriodDays = Term.NoticePeriodDays,
        },
    };

    /// <summary>
    /// Validates terms from a request. Returns every refusal (not just the first), in field order, each naming the field
    /// path under <paramref name="field"/> (e.g. <c>terms</c>); or the terms when all rules pass.
    /// </summary>
    public static Validated<Terms> Create(TermsInput? input, string field = "terms")
    {
        var read = new TermsReader(field);
        if (input is null)
        {
            return Validated.Refused<Terms>(new Refusal(ContractRule.FieldRequired, field, "Give the terms of the contract."));
        }

        var mode = read.ReadEnum<CooperationMode>(input.CooperationMode, "cooperationMode");
        var currency = read.ReadCurrency(input.Currency, "currency");
        var zone = read.ReadTimeZone(input.TimeZone, "timeZone");
        var cycle = read.ReadEnum<SettlementCycle>(input.SettlementCycle, "settlementCycle");
        var seats = read.ReadSeats(input.Seats, currency);
        var lumpSum = input.LumpSumBaseFee is null ? null : read.ReadMoney(input.LumpSumBaseFee, "lumpSumBaseFee", currency);
        if ((input.Seats is null || input.Seats.Count == 0) == (input.LumpSumBaseFee is null))
        {
            read.Refuse(ContractRule.BaseFeeMustBeSeatsOrLumpSum, "seats", "Give the base fee either as seats (agent type, count, monthly rate) or as lumpSumBaseFee per settlement period, not both and not neither.");
        }

        var tiers = read.ReadCommissionTiers(input.CommissionTiers, mode);
        var deposit = read.ReadDeposit(input.Deposit, currency, hasSeats: input.Seats is { Count: > 0 });
        var refund = read.ReadRefund(input.DepositRefund);
        var firstDue = input.FirstBaseFeeDueWorkingDays is null
            ? ContractLimits.DefaultFirstBaseFeeDueWorkingDays
            : read.ReadNumber(input.FirstBaseFeeDueWorkingDays, "firstBaseFeeDueWorkingDays", 1, ContractLimits.MaxFirstBaseFeeDueWorkingDays);
        var paymentTerms = read.ReadNumber(input.PaymentTermsWorkingDays, "paymentTermsWorkingDays", 0, ContractLimits.MaxPaymentTermsWorkingDays);
        var penalty = read.ReadLatePenalty(input.LatePenalty);
        var sla = read.ReadSla(input.Sla);
        var platformFee = read.ReadRate(input.PlatformFeeRate, "platformFeeRate");
        var term = read.ReadTerm(input.Term);

        if (read.Refusals.Count > 0)
        {
            return Validated.Refused<Terms>(read.Refusals);
        }

        return Validated.Valid(new Terms
        {
            Mode = mode!.Value,
            Currency = currency!.Value,
            TimeZone = zone!,
            Cycle = cycle!.Value,
            Seats = seats,
            LumpSumBaseFee = lumpSum,
            CommissionTiers = tiers,
            Deposit = deposit!,
            DepositRefund = refund!,
            FirstBaseFeeDueWorkingDays = firstDue!.Value,
            PaymentTermsWorkingDays = paymentTerms!.Value,
            LatePenalty = penalty!,
            Sla = sla,
            PlatformFeeRate = platformFee!.Value,
            Term = term!,
        });
    }

    private static MoneyInput MoneyInputOf(Money money) => new() { Amount = money.FormatAmount(), Currency = money.Currency.Code };
}
