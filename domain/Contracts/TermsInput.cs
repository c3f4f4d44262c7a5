namespace ServiceLedger.Domain.Contracts;

// The unvalidated shape of terms as a request carries them (also the JSON body: property names are the camelCase field
// paths that refusals name). Everything is nullable text or numbers so that Terms.Create can refuse each field by name
// instead of a deserializer failing on the first. Amounts and rates are decimal strings (STYLE.md rule 7).

/// <summary>Terms as received: every field optional here; <see cref="Terms.Create"/> says which are required and why.</summary>
public sealed record TermsInput
{
    /// <summary><c>BasePlusCommission</c> or <c>FixedFee</c>.</summary>
    public string? CooperationMode { get; init; }

    /// <summary>ISO 4217 code; every amount in the terms is in it.</summary>
    public string? Currency { get; init; }

    /// <summary>IANA time zone id; defaults to <c>Asia/Shanghai</c>.</summary>
    public string? TimeZone { get; init; }

    /// <summary><c>Monthly</c> or <c>Quarterly</c>.</summary>
    public string? SettlementCycle { get; init; }

    /// <summary>Seats per agent type, from which the base fee derives; give these or <see cref="LumpSumBaseFee"/>.</summary>
    public IReadOnlyList<SeatInput>? Seats { get; init; }

    /// <summary>A base fee per settlement period, instead of seats.</summary>
    public MoneyInput? LumpSumBaseFee { get; init; }

    /// <summary>Commission bands on the period's conversion rate, in ascending order (BasePlusCommission only).</summary>
    public IReadOnlyList<CommissionTierInput>? CommissionTiers { get; init; }

    /// <summary>How the deposit is sized.</summary>
    public DepositRuleInput? Deposit { get; init; }

    /// <summary>What happens to the deposit at the end.</summary>
    public DepositRefundInput? DepositRefund { get; init; }

    /// <summary>Working days after signing until the first base fee is due; defaults to 2.</summary>
    public int? FirstBaseFeeDueWorkingDays { get; init; }

    /// <summary>Working days after a statement is issued until it is due.</summary>
    public int? PaymentTermsWorkingDays { get; init; }

    /// <summary>Late-payment penalty.</summary>
    public LatePenaltyInput? LatePenalty { get; init; }

    /// <summary>Service-level targets and the credits for missing them.</summary>
    public SlaInput? Sla { get; init; }

    /// <summary>The platform's share of each statement, as a fraction.</summary>
    public string? PlatformFeeRate { get; init; }

    /// <summary>The term.</summary>
    public TermInput? Term { get; init; }
}

/// <summary>An amount as received: a decimal string and an ISO 4217 code.</summary>
public sealed record MoneyInput
{
    /// <summary>Decimal string in major units, e.g. <c>"27068.52"</c>.</summary>
    public string? Amount { get; init; }

    /// <summary>ISO 4217 code.</summary>
    public string? Currency { get; init; }
}

/// <summary>One seat line as received.</summary>
public sealed record SeatInput
{
    /// <summary>The agent type, e.g. <c>pre-sales</c>, <c>after-sales</c>, <c>night-shift</c>.</summary>
    public string? AgentType { get; init; }

    /// <summary>How many seats of this type.</summary>
    public int? Count { get; init; }

    /// <summary>The rate of one seat for one month.</summary>
    public MoneyInput? MonthlyRate { get; init; }
}

/// <summary>One commission band as received: edges as fractions of conversion, each inclusive or exclusive.</summary>
public sealed record CommissionTierInput
{
    /// <summary>Lower edge, a fraction (<c>"0.3"</c> = 30% conversion).</summary>
    public string? From { get; init; }

    /// <summary>Whether a conversion equal to <see cref="From"/> is in the band.</summary>
    public bool? FromInclusive { get; init; }

    /// <summary>Upper edge, a fraction.</summary>
    public string? UpTo { get; init; }

    /// <summary>Whether a conversion equal to <see cref="UpTo"/> is in the band.</summary>
    public bool? UpToInclusive { get; init; }

    /// <summary>The commission rate on attributed sales in this band, a fraction.</summary>
    public string? Rate { get; init; }
}

/// <summary>The deposit rule as received.</summary>
public sealed record DepositRuleInput
{
    /// <summary><c>FixedAmount</c> or <c>MonthsOfSeatRates</c>.</summary>
    public string? Kind { get; init; }

    /// <summary>The amount, for <c>FixedAmount</c>.</summary>
    public MoneyInput? Amount { get; init; }

    /// <summary>Months of all seats' monthly rates, for <c>MonthsOfSeatRates</c>.</summary>
    public int? Months { get; init; }
}

/// <summary>The deposit refund rule as received.</summary>
public sealed record DepositRefundInput
{
    /// <summary><c>ApplyToFinalStatement</c> or <c>RefundInFull</c>.</summary>
    public string? Kind { get; init; }

    /// <summary>Working days after the contract ends by which the deposit (or what remains) is refunded.</summary>
    public int? WithinWorkingDays { get; init; }
}

/// <summary>The late penalty as received.</summary>
public sealed record LatePenaltyInput
{
    /// <summary>Daily rate on the overdue amount, a fraction (<c>"0.0005"</c> = 0.05% a day).</summary>
    public string? DailyRate { get; init; }

    /// <summary>Cap on the total penalty, as a fraction of the overdue amount.</summary>
    public string? Cap { get; init; }
}

/// <summary>SLA targets as received; a target left out is not measured.</summary>
public sealed record SlaInput
{
    /// <summary>Target for the average first response, in seconds.</summary>
    public int? FirstResponseSeconds { get; init; }

    /// <summary>Target share of inquiries answered, a fraction.</summary>
    public string? AnswerRate { get; init; }

    /// <summary>Target first-contact resolution, a fraction.</summary>
    public string? FirstContactResolution { get; init; }

    /// <summary>Target share of satisfied customers, a fraction.</summary>
    public string? Satisfaction { get; init; }

    /// <summary>Target QA pass rate, a fraction.</summary>
    public string? QaPassRate { get; init; }

    /// <summary>Credit against the period's base fee per missed target, a fraction of the base fee.</summary>
    public string? CreditPerMissedTarget { get; init; }

    /// <summary>Cap on the period's total credit, a fraction of the base fee.</summary>
    public string? CreditCap { get; init; }
}

/// <summary>The term as received.</summary>
public sealed record TermInput
{
    /// <summary>First day of service, <c>yyyy-MM-dd</c>.</summary>
    public string? StartOn { get; init; }

    /// <summary>Last day of service (inclusive), <c>yyyy-MM-dd</c>.</summary>
    public string? EndOn { get; init; }

    /// <summary>Whether the term renews for the same length unless notice is given.</summary>
    public bool? AutoRenew { get; init; }

    /// <summary>Days of notice before the end to stop a renewal or terminate for convenience.</summary>
    public int? NoticePeriodDays { get; init; }
}
