namespace ServiceLedger.Domain.Contracts;

using ServiceLedger.Domain.Money;


/// <summary>How the vendor is paid (DESIGN.md section 2).</summary>
public enum CooperationMode
{
    /// <summary>A base fee per period plus commission on attributed sales; settles in arrears (底薪加提成).</summary>
    BasePlusCommission = 1,

    /// <summary>A fixed fee per period, billed in advance (固定薪资).</summary>
    FixedFee = 2,
}

/// <summary>Seats of one agent type: <see cref="Count"/> agents at <see cref="MonthlyRate"/> each per month.</summary>
/// <param name="AgentType">The agent type, e.g. <c>pre-sales</c>; unique within the terms.</param>
/// <param name="Count">Seats, 1 to <see cref="ContractLimits.MaxSeatsPerLine"/>.</param>
/// <param name="MonthlyRate">One seat for one month, positive, in the terms' currency.</param>
public sealed record SeatLine(string AgentType, int Count, Money MonthlyRate)
{
    /// <summary>All seats of this line for one month.</summary>
    public Money MonthlyTotal => MonthlyRate * Count;
}

/// <summary>
/// One commission band on the period's conversion rate. Each edge says whether it is inside the band, so adjacent bands
/// meet at one point that exactly one of them owns; <see cref="Terms.Create"/> checks that the bands cover 0–100% once.
/// </summary>
/// <param name="From">Lower edge, a fraction of conversion.</param>
/// <param name="FromInclusive">Whether a conversion equal to <paramref name="From"/> is in the band.</param>
/// <param name="UpTo">Upper edge, a fraction of conversion, above <paramref name="From"/>.</param>
/// <param name="UpToInclusive">Whether a conversion equal to <paramref name="UpTo"/> is in the band.</param>
/// <param name="Rate">The commission rate on attributed sales when the conversion is in the band.</param>
public sealed record CommissionTier(Rate From, bool FromInclusive, Rate UpTo, bool UpToInclusive, Rate Rate)
{
    /// <summary>True when <paramref name="conversion"/> (a fraction, any precision) lies in the band, edges as declared.</summary>
    public bool Contains(decimal conversion) =>
        (FromInclusive ? conversion >= From.Fraction : conversion > From.Fraction)
        && (UpToInclusive ? conversion <= UpTo.Fraction : conversion < UpTo.Fraction);

    /// <summary>The band in interval notation, e.g. <c>[0.3, 0.5)</c>.</summary>
    public string Band => $"{(FromInclusive ? '[' : '(')}{From}, {UpTo}{(UpToInclusive ? ']' : ')')}";
}

/// <summary>How the deposit is sized.</summary>
public enum DepositKind
{
    /// <summary>A stated amount.</summary>
    FixedAmount = 1,

    /// <summary>A number of months of all seats' monthly rates (industry practice: sized from seats and agent types).</summary>
    MonthsOfSeatRates = 2,
}

/// <summary>The deposit rule: a fixed <see cref="Amount"/>, or <see cref="Months"/> × the seats' monthly total.</summary>
/// <param name="Kind">Which sizing applies.</param>
/// <param name="Amount">The amount for <see cref="DepositKind.FixedAmount"/>; null otherwise.</param>
/// <param name="Months">The months for <see cref="DepositKind.MonthsOfSeatRates"/>; null otherwise.</param>
public sealed record DepositRule(DepositKind Kind, Money? Amount, int? Months);

/// <summary>What happens to the deposit when the contract ends.</summary>
public enum DepositRefundKind
{
    /// <summary>The deposit pays the final statement first; what remains is refunded.</summary>
    ApplyToFinalStatement = 1,

    /// <summary>The deposit is refunded in full; the final statement is paid separately.</summary>
    RefundInFull = 2,
}

/// <summary>The refund rule: how, and within how many working days after the end.</summary>
/// <param name="Kind">How the deposit is returned.</param>
/// <param name="WithinWorkingDays">Working days after the end by which the refund is made.</param>
public sealed record DepositRefund(DepositRefundKind Kind, int WithinWorkingDays);

/// <summary>Late penalty: <see cref="DailyRate"/> of the overdue amount per day from the day after the due date, at most <see cref="Cap"/> of it in all.</summary>
/// <param name="DailyRate">Share of the overdue amount accrued per day.</param>
/// <param name="Cap">Most the penalty can reach, as a share of the overdue amount.</param>
public sealed record LatePenalty(Rate DailyRate, Rate Cap);

/// <summary>
/// SLA targets for one period (null = not measured) and the base-fee credit per missed target, capped. A target is met
/// when the period's figure is at least the target (at most, for first response).
/// </summary>
/// <param name="FirstResponseSeconds">Most average first-response time, in seconds.</param>
/// <param name="AnswerRate">Least share of inquiries answered.</param>
/// <param name="FirstContactResolution">Least first-contact resolution.</param>
/// <param name="Satisfaction">Least share of satisfied customers.</param>
/// <param name="QaPassRate">Least QA pass rate.</param>
/// <param name="CreditPerMissedTarget">Base-fee credit per missed target, a share of the base fee.</param>
/// <param name="CreditCap">Most credit in one period, a share of the base fee.</param>
public sealed record SlaTargets(
    int? FirstResponseSeconds,
    Rate? AnswerRate,
    Rate? FirstContactResolution,
    Rate? Satisfaction,
    Rate? QaPassRate,
    Rate CreditPerMissedTarget,
    Rate CreditCap);

/// <summary>The term: service from <see cref="StartOn"/> to <see cref="EndOn"/>, both inclusive.</summary>
/// <param name="StartOn">First day of service.</param>
/// <param name="EndOn">Last day of service; after <paramref name="StartOn"/>, at most <see cref="ContractLimits.MaxTermYears"/> years on.</param>
/// <param name="AutoRenew">Whether the term renews for the same length unless notice is given.</param>
/// <param name="NoticePeriodDays">Days of notice, shorter than the term.</param>
public sealed record ContractTerm(NodaTime.LocalDate StartOn, NodaTime.LocalDate EndOn, bool AutoRenew, int NoticePeriodDays)
{
    /// <summary>True when <paramref name="date"/> is within the term, both ends inclusive.</summary>
    public bool Contains(NodaTime.LocalDate date) => date >= StartOn && date <= EndOn;
}
