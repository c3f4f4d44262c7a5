using System.Collections.Immutable;

namespace ServiceLedger.Domain.Reconciliation;

using ServiceLedger.Domain.Money;

/// <summary>How the two sides of a line were paired.</summary>
public enum MatchBasis
{
    /// <summary>Not paired: one side only.</summary>
    None = 0,

    /// <summary>Both sides name the same Stripe object id.</summary>
    StripeObjectId = 1,

    /// <summary>Paired by the policy's rules, one Stripe item to one ledger item.</summary>
    RuleOneToOne = 2,

    /// <summary>Paired by the rules, one Stripe item to several ledger items.</summary>
    RuleOneToMany = 3,

    /// <summary>Paired by the rules, several Stripe items to one ledger item.</summary>
    RuleManyToOne = 4,
}

/// <summary>
/// One result of matching Stripe against the ledger: its kind, the amounts and references on both sides (sums on a many
/// side, zero on a missing side) and the suggested action. References are sorted (ordinal) so the same inputs give the same
/// line. Amounts are minor units of <see cref="Currency"/>.
/// </summary>
/// <param name="Kind">What was found.</param>
/// <param name="Key">The Stripe object id the line is about, or for a rule pair or an unnamed entry the first reference.</param>
/// <param name="Currency">The Stripe side's currency (the ledger's when Stripe has no side).</param>
/// <param name="StripeAmountMinor">Stripe's gross amount.</param>
/// <param name="StripeFeeMinor">Stripe's fee.</param>
/// <param name="LedgerAmountMinor">The ledger's gross amount.</param>
/// <param name="LedgerFeeMinor">The ledger's fee.</param>
/// <param name="StripeRefs">Balance transaction ids (<c>txn_…</c>).</param>
/// <param name="LedgerRefs">Entry references.</param>
/// <param name="Basis">How the sides were paired.</param>
public sealed record ReconciliationLine(
    ReconciliationKind Kind,
    string Key,
    Currency Currency,
    long StripeAmountMinor,
    long StripeFeeMinor,
    long LedgerAmountMinor,
    long LedgerFeeMinor,
    ImmutableArray<string> StripeRefs,
    ImmutableArray<string> LedgerRefs,
    MatchBasis Basis)
{
    /// <summary>What finance should do about it.</summary>
    public string SuggestedAction => SuggestedActions.For(Kind);

    /// <summary>Stripe's amount as money.</summary>
    public Money StripeAmount => Money.FromMinorUnits(StripeAmountMinor, Currency);

    /// <summary>The ledger's amount as money.</summary>
    public Money LedgerAmount => Money.FromMinorUnits(LedgerAmountMinor, Currency);

    /// <summary>Orders lines by kind, then key, then first Stripe and ledger reference (ordinal): the report's order.</summary>
    public static int CompareForReport(ReconciliationLine left, ReconciliationLine right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        var byKind = left.Kind.CompareTo(right.Kind);
        if (byKind != 0)
        {
            return byKind;
        }

        var byKey = string.CompareOrdinal(left.Key, right.Key);
        if (byKey != 0)
        {
            return byKey;
        }

        var byStripe = string.CompareOrdinal(left.StripeRefs.FirstOrDefault(), right.StripeRefs.FirstOrDefault());
        return byStripe != 0 ? byStripe : string.CompareOrdinal(left.LedgerRefs.FirstOrDefault(), right.LedgerRefs.FirstOrDefault());
    }
}

/// <summary>
/// What a match of Stripe against the ledger produced: counts of matched items, and every line that is not a plain id
/// match (exceptions, and matches made by rules, which finance may want to see), in report order.
/// </summary>
/// <param name="MatchedById">Stripe object ids whose two sides agree (counted, not listed: there may be millions).</param>
/// <param name="MatchedByRule">Rule pairs whose two sides agree (also listed among <see cref="Lines"/> as <see cref="ReconciliationKind.Matched"/>).</param>
/// <param name="Lines">Rule matches and exceptions, ordered by <see cref="ReconciliationLine.CompareForReport"/>.</param>
public sealed record MatchOutcome(int MatchedById, int MatchedByRule, ImmutableArray<ReconciliationLine> Lines)
{
    /// <summary>Lines that are exceptions (every kind but <see cref="ReconciliationKind.Matched"/>), in report order.</summary>
    public IEnumerable<ReconciliationLine> Exceptions => Lines.Where(line => line.Kind != ReconciliationKind.Matched);

    /// <summary>How many exceptions of <paramref name="kind"/> there are.</summary>
    public int Count(ReconciliationKind kind) => Lines.Count(line => line.Kind == kind);
}
