using System.Collections.Immutable;
using System.Runtime.InteropServices;
using NodaTime;

namespace ServiceLedger.Domain.Reconciliation;

/// <summary>
/// Matches Stripe balance transactions against ledger items for one period. First a hash join on the Stripe object id
/// (both sides grouped by it, sums compared), then the policy's rules over what is left: ledger items that name no Stripe
/// object against Stripe objects no entry names. Items outside the period on both sides are ignored (the caller fetches a
/// margin around the period so that items in transit across its edges are seen as <see cref="ReconciliationKind.Timing"/>
/// instead of as missing). Payouts are checked against the sum of the balance transactions they paid out.
/// Built for a million items a side: flat arrays and one dictionary sized up front, no allocation per matched item, and
/// output only for the lines that are not plain id matches. Deterministic: the same inputs give the same lines in the same
/// order, whatever the input order.
/// </summary>
public static class StripeLedgerMatch
{
    /// <summary>Most items a side one run accepts: the bench's million with room to spare; beyond it, split the period.</summary>
    public const int MaxItemsPerSide = 4_000_000;

    /// <summary>Matches <paramref name="stripe"/> against <paramref name="ledger"/> for <paramref name="period"/> under <paramref name="policy"/>.</summary>
    public static MatchOutcome Run(ReadOnlySpan<StripeItem> stripe, ReadOnlySpan<LedgerItem> ledger, ReconciliationPeriod period, MatchPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        policy.RequireBounds();
        if (period.IsDefault)
        {
            throw new ArgumentException("A match needs a period.", nameof(period));
        }

        if (stripe.Length > MaxItemsPerSide || ledger.Length > MaxItemsPerSide)
        {
            throw new ArgumentException($"At most {MaxItemsPerSide} items a side; got {stripe.Length} Stripe and {ledger.Length} ledger items. Split the period.");
        }

        var join = new IdJoin(stripe, ledger, period);
        var lines = new List<ReconciliationLine>();
        var matchedById = join.Classify(stripe, ledger, lines);
        var matchedByRule = RuleMatch.Run(join, stripe, ledger, policy, period, lines);
        join.ReportLeftovers(stripe, ledger, lines);
        CheckPayouts(stripe, period, lines);
        lines.Sort(ReconciliationLine.CompareForReport);
        return new MatchOutcome(matchedById, matchedByRule, [.. lines]);
    }

    /// <summary>The kind for two sides that were paired, or null when neither side lies in the period (not this period's business).</summary>
    internal static ReconciliationKind? Classify(in Sides sides)
    {
        if (!sides.StripeInPeriod && !sides.LedgerInPeriod)
        {
            return null;
        }

        if (sides.CurrencyDiffers || sides.StripeAmount != sides.LedgerAmount)
        {
            return ReconciliationKind.AmountDiffers;
        }

        if (sides.StripeFee != sides.LedgerFee)
        {
            return ReconciliationKind.FeeDiffers;
        }

        return sides.StripeInPeriod == sides.LedgerInPeriod ? ReconciliationKind.Matched : ReconciliationKind.Timing;
    }

    // A payout's own balance transaction is negative (money leaving the balance); the transactions it paid out must net to
    // its opposite. Only payouts created in the period are checked; their members may be older (fetched by payout id).
    private static void CheckPayouts(ReadOnlySpan<StripeItem> stripe, ReconciliationPeriod period, List<ReconciliationLine> lines)
    {
        Dictionary<string, (long Net, List<string> Refs)>? members = null;
        foreach (ref readonly var item in stripe)
        {
            if (item.PayoutId is { } payoutId && item.Type != StripeItem.PayoutType)
            {
                members ??= new Dictionary<string, (long, List<string>)>(StringComparer.Ordinal);
                ref var sum = ref CollectionsMarshal.GetValueRefOrAddDefault(members, payoutId, out var exists);
                if (!exists)
                {
                    sum.Refs = [];
                }

                sum.Net = checked(sum.Net + item.NetMinor);
                sum.Refs.Add(item.BalanceTransactionId);
            }
        }

        var start = period.StartInstant;
        var end = period.EndInstant;
        foreach (ref readonly var payout in stripe)
        {
            if (payout.Type != StripeItem.PayoutType || payout.Created < start || payout.Created >= end)
            {
                continue;
            }

            var (net, refs) = members is not null && members.TryGetValue(payout.SourceId, out var found) ? found : (0L, []);
            if (net != -payout.AmountMinor)
            {
                refs.Sort(StringComparer.Ordinal);
                lines.Add(new ReconciliationLine(
                    ReconciliationKind.PayoutDiffers,
                    payout.SourceId,
                    payout.Currency,
                    -payout.AmountMinor,
                    0,
                    net,
                    0,
                    [payout.BalanceTransactionId, .. refs],
                    [],
                    MatchBasis.None));
            }
        }
    }

    /// <summary>The sums of two paired sides and where they fall.</summary>
    internal readonly record struct Sides(
        long StripeAmount, long StripeFee, long LedgerAmount, long LedgerFee, bool CurrencyDiffers, bool StripeInPeriod, bool LedgerInPeriod);

    /// <summary>
    /// The hash join: groups both sides by Stripe object id. Each group keeps its sums and the heads of two intrusive lists
    /// (next-index arrays), so a million groups cost a few flat arrays, not a million objects.
    /// </summary>
    internal sealed class IdJoin
    {
        private readonly Instant start;
        private readonly Instant end;
        private readonly ReconciliationPeriod period;
        private readonly int[] nextStripe;
        private readonly int[] nextLedger;
        private Group[] groups;
        private int groupCount;

        public IdJoin(ReadOnlySpan<StripeItem> stripe, ReadOnlySpan<LedgerItem> ledger, ReconciliationPeriod period)
        {
            this.period = period;
            start = period.StartInstant;
            end = period.EndInstant;
            nextStripe = new int[stripe.Length];
            nextLedger = new int[ledger.Length];
            groups = new Group[Math.Max(16, stripe.Length + (ledger.Length / 16))];
            var index = new Dictionary<string, int>(stripe.Length + (ledger.Length / 16), StringComparer.Ordinal);
            for (var i = 0; i < stripe.Length; i++)
            {
                ref readonly var item = ref stripe[i];
                ref var group = ref GroupFor(index, item.SourceId);
                nextStripe[i] = group.FirstStripe;
                if (group.FirstStripe < 0)
                {
                    group.Currency = item.Currency.Code;
                }
                else if (!string.Equals(group.Currency, item.Currency.Code, StringComparison.Ordinal))
                {
                    group.CurrencyDiffers = true;
                }

                group.FirstStripe = i;
                group.StripeAmount = checked(group.StripeAmount + item.AmountMinor);
                group.StripeFee = checked(group.StripeFee + item.FeeMinor);
                group.StripeInPeriod |= item.Created >= start && item.Created < end;
            }

            var unnamed = new List<int>();
            for (var j = 0; j < ledger.Length; j++)
            {
                ref readonly var item = ref ledger[j];
                if (item.StripeObjectId is null)
                {
                    unnamed.Add(j);
                    nextLedger[j] = -1;
                    continue;
                }

                ref var group = ref GroupFor(index, item.StripeObjectId);
                nextLedger[j] = group.FirstLedger;
                if (group.FirstStripe < 0 && group.FirstLedger < 0)
                {
                    group.Currency = item.Currency.Code;
                }
                else if (!string.Equals(group.Currency, item.Currency.Code, StringComparison.Ordinal))
                {
                    group.CurrencyDiffers = true;
                }

                group.FirstLedger = j;
                group.LedgerAmount = checked(group.LedgerAmount + item.AmountMinor);
                group.LedgerFee = checked(group.LedgerFee + item.FeeMinor);
                group.LedgerInPeriod |= period.Contains(item.EffectiveDate);
            }

            UnnamedLedger = unnamed;
        }

        /// <summary>Indices of ledger items that name no Stripe object, in input order.</summary>
        public List<int> UnnamedLedger { get; }

        /// <summary>Groups that have a Stripe side and no ledger side: candidates for the rules.</summary>
        public IEnumerable<int> StripeOnlyGroups()
        {
            for (var g = 0; g < groupCount; g++)
            {
                if (groups[g].FirstLedger < 0 && groups[g].FirstStripe >= 0)
                {
                    yield return g;
                }
            }
        }

        /// <summary>Groups that have a ledger side and no Stripe side: also candidates for the rules (a mis-keyed entry).</summary>
        public IEnumerable<int> LedgerOnlyGroups()
        {
            for (var g = 0; g < groupCount; g++)
            {
                if (groups[g].FirstStripe < 0 && groups[g].FirstLedger >= 0)
                {
                    yield return g;
                }
            }
        }

        /// <summary>The earliest effective date among a group's ledger items.</summary>
        public LocalDate EarliestLedgerDate(int g, ReadOnlySpan<LedgerItem> ledger)
        {
            var earliest = ledger[groups[g].FirstLedger].EffectiveDate;
            for (var j = nextLedger[groups[g].FirstLedger]; j >= 0; j = nextLedger[j])
            {
                earliest = LocalDate.Min(earliest, ledger[j].EffectiveDate);
            }

            return earliest;
        }

        /// <summary>The entry references of a group, sorted.</summary>
        public ImmutableArray<string> LedgerRefs(int g, ReadOnlySpan<LedgerItem> ledger)
        {
            var refs = ImmutableArray.CreateBuilder<string>();
            for (var j = groups[g].FirstLedger; j >= 0; j = nextLedger[j])
            {
                refs.Add(ledger[j].EntryRef);
            }

            refs.Sort(StringComparer.Ordinal);
            return refs.ToImmutable();
        }

        /// <summary>The group at <paramref name="g"/>.</summary>
        public ref Group this[int g] => ref groups[g];

        /// <summary>Classifies every group with both sides; adds a line for each that is not a plain match; returns the matches.</summary>
        public int Classify(ReadOnlySpan<StripeItem> stripe, ReadOnlySpan<LedgerItem> ledger, List<ReconciliationLine> lines)
        {
            var matched = 0;
            for (var g = 0; g < groupCount; g++)
            {
                ref readonly var group = ref groups[g];
                if (group.FirstStripe < 0 || group.FirstLedger < 0)
                {
                    continue;
                }

                var sides = new Sides(group.StripeAmount, group.StripeFee, group.LedgerAmount, group.LedgerFee, group.CurrencyDiffers, group.StripeInPeriod, group.LedgerInPeriod);
                switch (StripeLedgerMatch.Classify(sides))
                {
                    case null:
                        break;
                    case ReconciliationKind.Matched:
                        matched++;
                        break;
                    case { } kind:
                        lines.Add(Line(kind, g, stripe, ledger, MatchBasis.StripeObjectId));
                        break;
                }
            }

            return matched;
        }

        /// <summary>Lines for the groups and unnamed items no match took, when they lie in the period.</summary>
        public void ReportLeftovers(ReadOnlySpan<StripeItem> stripe, ReadOnlySpan<LedgerItem> ledger, List<ReconciliationLine> lines)
        {
            for (var g = 0; g < groupCount; g++)
            {
                ref readonly var group = ref groups[g];
                if (group.RuleMatched)
                {
                    continue;
                }

                if (group.FirstLedger < 0 && group.StripeInPeriod)
                {
                    lines.Add(Line(ReconciliationKind.InStripeOnly, g, stripe, ledger, MatchBasis.None));
                }
                else if (group.FirstStripe < 0 && group.LedgerInPeriod)
                {
                    lines.Add(Line(ReconciliationKind.InLedgerOnly, g, stripe, ledger, MatchBasis.None));
                }
            }

            foreach (var j in UnnamedLedger)
            {
                ref readonly var item = ref ledger[j];
                if (nextLedger[j] != RuleMatchedMark && period.Contains(item.EffectiveDate))
                {
                    lines.Add(new ReconciliationLine(
                        ReconciliationKind.InLedgerOnly, item.EntryRef, item.Currency, 0, 0, item.AmountMinor, item.FeeMinor, [], [item.EntryRef], MatchBasis.None));
                }
            }
        }

        /// <summary>Marks an unnamed ledger item as taken by a rule match.</summary>
        public void MarkLedgerRuleMatched(int j) => nextLedger[j] = RuleMatchedMark;

        /// <summary>The balance transaction ids of a group, sorted.</summary>
        public ImmutableArray<string> StripeRefs(int g, ReadOnlySpan<StripeItem> stripe)
        {
            var refs = ImmutableArray.CreateBuilder<string>();
            for (var i = groups[g].FirstStripe; i >= 0; i = nextStripe[i])
            {
                refs.Add(stripe[i].BalanceTransactionId);
            }

            refs.Sort(StringComparer.Ordinal);
            return refs.ToImmutable();
        }

        private const int RuleMatchedMark = -2;

        private ReconciliationLine Line(ReconciliationKind kind, int g, ReadOnlySpan<StripeItem> stripe, ReadOnlySpan<LedgerItem> ledger, MatchBasis basis)
        {
            ref readonly var group = ref groups[g];
            var currency = group.FirstStripe >= 0 ? stripe[group.FirstStripe].Currency : ledger[group.FirstLedger].Currency;
            var key = group.FirstStripe >= 0 ? stripe[group.FirstStripe].SourceId : ledger[group.FirstLedger].StripeObjectId!;
            return new ReconciliationLine(
                kind, key, currency, group.StripeAmount, group.StripeFee, group.LedgerAmount, group.LedgerFee, StripeRefs(g, stripe), LedgerRefs(g, ledger), basis);
        }

        private ref Group GroupFor(Dictionary<string, int> index, string key)
        {
            ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(index, key, out var exists);
            if (!exists)
            {
                if (groupCount == groups.Length)
                {
                    Array.Resize(ref groups, groups.Length * 2);
                }

                slot = groupCount++;
                groups[slot] = new Group { FirstStripe = -1, FirstLedger = -1 };
            }

            return ref groups[slot];
        }
    }

    /// <summary>One Stripe object id's two sides.</summary>
    internal struct Group
    {
        public int FirstStripe;
        public int FirstLedger;
        public long StripeAmount;
        public long StripeFee;
        public long LedgerAmount;
        public long LedgerFee;
        public string Currency;
        public bool CurrencyDiffers;
        public bool StripeInPeriod;
        public bool LedgerInPeriod;
        public bool RuleMatched;
    }
}
