using System.Collections.Immutable;

namespace ServiceLedger.Domain.Reconciliation;

/// <summary>The field of a Stripe item and a ledger item that a <see cref="MatchRule"/> compares.</summary>
public enum MatchField
{
    /// <summary>Gross amount (sum of the group on a many side).</summary>
    Amount = 1,

    /// <summary>Stripe fee (sum of the group on a many side).</summary>
    Fee = 2,

    /// <summary>Stripe's created date against the entry's effective date (earliest of a group).</summary>
    Date = 3,
}

/// <summary>How a <see cref="MatchRule"/> compares its field.</summary>
public enum MatchOperator
{
    /// <summary>Exactly equal.</summary>
    Equal = 1,

    /// <summary>Amounts within <see cref="MatchRule.Tolerance"/> minor units of each other.</summary>
    WithinMinorUnits = 2,

    /// <summary>Dates within <see cref="MatchRule.Tolerance"/> days of each other, either way.</summary>
    WithinDays = 3,
}

/// <summary>How many items on each side one match may pair (Blnk's strategies).</summary>
public enum MatchCardinality
{
    /// <summary>One Stripe item with one ledger item.</summary>
    OneToOne = 1,

    /// <summary>One Stripe item with several ledger items whose sum satisfies the rules.</summary>
    OneToMany = 2,

    /// <summary>Several Stripe items whose sum satisfies the rules with one ledger item.</summary>
    ManyToOne = 3,
}

/// <summary>
/// One condition a rule-based match must meet, after Blnk's matching rules: a field, an operator and a non-negative
/// tolerance (minor units or days). Currency always has to be equal and needs no rule. Built through <see cref="Create"/>.
/// </summary>
public readonly record struct MatchRule
{
    private MatchRule(MatchField field, MatchOperator @operator, long tolerance)
    {
        Field = field;
        Operator = @operator;
        Tolerance = tolerance;
    }

    /// <summary>The field compared.</summary>
    public MatchField Field { get; }

    /// <summary>How it is compared.</summary>
    public MatchOperator Operator { get; }

    /// <summary>Minor units for amounts, days for dates; 0 for <see cref="MatchOperator.Equal"/>.</summary>
    public long Tolerance { get; }

    /// <summary>Amounts (or fees) exactly equal.</summary>
    public static MatchRule Equal(MatchField field) => Create(field, MatchOperator.Equal, 0).Value;

    /// <summary>
    /// A rule, or <see cref="ReconciliationRule.MatchRuleInvalid"/> when the operator does not fit the field (days on an
    /// amount, minor units on a date) or the tolerance is negative or above 10^12.
    /// </summary>
    public static Ledger.Validated<MatchRule> Create(MatchField field, MatchOperator @operator, long tolerance)
    {
        var fits = @operator switch
        {
            MatchOperator.Equal => tolerance == 0,
            MatchOperator.WithinMinorUnits => field is MatchField.Amount or MatchField.Fee,
            MatchOperator.WithinDays => field == MatchField.Date,
            _ => false,
        };
        if (!fits || tolerance is < 0 or > 1_000_000_000_000 || !Enum.IsDefined(field))
        {
            return Ledger.Validated.Refused<MatchRule>(new Refusal(
                ReconciliationRule.MatchRuleInvalid,
                "rules",
                $"{field} {@operator} {tolerance} is not a match rule: amounts and fees take Equal or WithinMinorUnits, dates Equal or WithinDays, "
                + "with a tolerance from 0 to 10^12 (0 for Equal)."));
        }

        return Ledger.Validated.Valid(new MatchRule(field, @operator, tolerance));
    }

    /// <summary>Whether <paramref name="stripeValue"/> and <paramref name="ledgerValue"/> (minor units or day numbers) satisfy the rule.</summary>
    public bool Accepts(long stripeValue, long ledgerValue) => Math.Abs(stripeValue - ledgerValue) <= Tolerance;

    /// <summary>For example <c>Amount WithinMinorUnits 1</c>.</summary>
    public override string ToString() => $"{Field} {Operator} {Tolerance}";
}

/// <summary>
/// How items left over after the id match are paired: the rules every pair must meet, the cardinalities tried in order,
/// and the bounds of the subset search (so a one-to-many match costs at most C(<see cref="MaxCandidates"/>,
/// <see cref="MaxGroupSize"/>) sums per item, whatever the input).
/// </summary>
/// <param name="Rules">Conditions every pair meets; an amount rule is usually among them.</param>
/// <param name="Cardinalities">Strategies, tried in this order over what is still unmatched.</param>
/// <param name="MaxGroupSize">Most items on the many side of one match (2 to 6).</param>
/// <param name="MaxCandidates">Most candidates considered for the many side of one match (2 to 24), nearest dates first.</param>
public sealed record MatchPolicy(ImmutableArray<MatchRule> Rules, ImmutableArray<MatchCardinality> Cardinalities, int MaxGroupSize, int MaxCandidates)
{
    /// <summary>Largest allowed <see cref="MaxGroupSize"/>.</summary>
    public const int GroupSizeLimit = 6;

    /// <summary>Largest allowed <see cref="MaxCandidates"/>.</summary>
    public const int CandidateLimit = 24;

    /// <summary>
    /// The policy a run uses unless told otherwise: amount and fee equal, dates within 3 days (a webhook processed late, a
    /// weekend), one-to-one first, then one-to-many and many-to-one up to 4 items among the 12 nearest candidates.
    /// </summary>
    public static MatchPolicy Default { get; } = new(
        [MatchRule.Equal(MatchField.Amount), MatchRule.Equal(MatchField.Fee), MatchRule.Create(MatchField.Date, MatchOperator.WithinDays, 3).Value],
        [MatchCardinality.OneToOne, MatchCardinality.OneToMany, MatchCardinality.ManyToOne],
        MaxGroupSize: 4,
        MaxCandidates: 12);

    /// <summary>The tolerance of the date rule, or null when dates are not compared.</summary>
    internal long? DateToleranceDays => Rules.Where(rule => rule.Field == MatchField.Date).Select(rule => (long?)rule.Tolerance).FirstOrDefault();

    /// <summary>The tolerance of the amount rule, or null when amounts are not compared.</summary>
    internal long? AmountToleranceMinor => Rules.Where(rule => rule.Field == MatchField.Amount).Select(rule => (long?)rule.Tolerance).FirstOrDefault();

    /// <summary>Throws when the bounds are outside their limits: a policy is code, not input.</summary>
    internal void RequireBounds()
    {
        if (MaxGroupSize is < 2 or > GroupSizeLimit || MaxCandidates < MaxGroupSize || MaxCandidates > CandidateLimit)
        {
            throw new InvalidOperationException(
                $"A match policy needs 2 <= MaxGroupSize <= {GroupSizeLimit} and MaxGroupSize <= MaxCandidates <= {CandidateLimit}; got {MaxGroupSize} and {MaxCandidates}.");
        }
    }
}
