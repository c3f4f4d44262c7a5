using System.Collections.Immutable;

namespace ServiceLedger.Domain.Reconciliation;

/// <summary>
/// The second pass of <see cref="StripeLedgerMatch"/>: pairs Stripe objects no entry names with entries that name no Stripe
/// object, by the policy's rules and cardinalities. Both pools are small (what the id join left), but every search is still
/// bounded: one-to-one scans a sorted window, and a group search looks at most at <see cref="MatchPolicy.MaxCandidates"/>
/// candidates, taken from at most <see cref="MaxWindowScan"/> items of the date window.
/// </summary>
internal static class RuleMatch
{
    /// <summary>Most pool items scanned for one group search before taking the nearest candidates.</summary>
    public const int MaxWindowScan = 4096;

    public static int Run(
        StripeLedgerMatch.IdJoin join,
        ReadOnlySpan<StripeItem> stripe,
        ReadOnlySpan<LedgerItem> ledger,
        MatchPolicy policy,
        ReconciliationPeriod period,
        List<ReconciliationLine> lines)
    {
        var stripeUnits = new List<Unit>();
        foreach (var g in join.StripeOnlyGroups())
        {
            ref readonly var first = ref stripe[join[g].FirstStripe];
            stripeUnits.Add(new Unit(g, join[g].StripeAmount, join[g].StripeFee, DayNumber(first.CreatedDate), first.Currency.Code, first.SourceId, join[g].StripeInPeriod));
        }

        if (stripeUnits.Count == 0)
        {
            return 0;
        }

        // Ledger units: entries that name no Stripe object, and Stripe object ids only the ledger names (a mis-keyed entry,
        // e.g. one naming the Checkout Session where Stripe lists the charge). A group's Source is encoded as ~group.
        var ledgerUnits = new List<Unit>(join.UnnamedLedger.Count);
        foreach (var j in join.UnnamedLedger)
        {
            ref readonly var item = ref ledger[j];
            ledgerUnits.Add(new Unit(j, item.AmountMinor, item.FeeMinor, DayNumber(item.EffectiveDate), item.Currency.Code, item.EntryRef, period.Contains(item.EffectiveDate)));
        }

        foreach (var g in join.LedgerOnlyGroups())
        {
            ref readonly var first = ref ledger[join[g].FirstLedger];
            ledgerUnits.Add(new Unit(~g, join[g].LedgerAmount, join[g].LedgerFee, DayNumber(join.EarliestLedgerDate(g, ledger)), first.Currency.Code, first.StripeObjectId!, join[g].LedgerInPeriod));
        }

        if (ledgerUnits.Count == 0)
        {
            return 0;
        }

        var s = stripeUnits.OrderBy(unit => unit.Ref, StringComparer.Ordinal).ToArray();
        var l = ledgerUnits.OrderBy(unit => unit.Ref, StringComparer.Ordinal).ToArray();
        var sUsed = new bool[s.Length];
        var lUsed = new bool[l.Length];
        var matched = 0;
        var refs = new RefsOf(join, stripe, ledger);
        foreach (var cardinality in policy.Cardinalities)
        {
            switch (cardinality)
            {
                case MatchCardinality.OneToOne:
                    matched += OneToOne(s, sUsed, l, lUsed, policy, lines, join, refs);
                    break;
                case MatchCardinality.OneToMany:
                    matched += Grouped(s, sUsed, l, lUsed, policy, lines, join, refs, manyOnLedger: true);
                    break;
                case MatchCardinality.ManyToOne:
                    matched += Grouped(l, lUsed, s, sUsed, policy, lines, join, refs, manyOnLedger: false);
                    break;
                default:
                    throw new InvalidOperationException($"Unknown cardinality {cardinality}.");
            }
        }

        return matched;
    }

    // A day number shared by both sides (days since 0001-01-01), for the date rule's arithmetic.
    private static int DayNumber(NodaTime.LocalDate date) => date.ToDateOnly().DayNumber;

    private static int OneToOne(Unit[] s, bool[] sUsed, Unit[] l, bool[] lUsed, MatchPolicy policy, List<ReconciliationLine> lines, StripeLedgerMatch.IdJoin join, RefsOf refs)
    {
        // Ledger units ordered by currency, then amount, so each Stripe unit scans only the window its amount rule allows.
        var byAmount = Enumerable.Range(0, l.Length)
            .OrderBy(k => l[k].Currency, StringComparer.Ordinal)
            .ThenBy(k => l[k].Amount)
            .ThenBy(k => k)
            .ToArray();
        var amountTolerance = policy.AmountToleranceMinor;
        var matched = 0;
        for (var i = 0; i < s.Length; i++)
        {
            if (sUsed[i])
            {
                continue;
            }

            var target = s[i];
            var low = amountTolerance is { } tolerance ? target.Amount - tolerance : long.MinValue;
            var high = amountTolerance is { } tolerance2 ? target.Amount + tolerance2 : long.MaxValue;
            var best = -1;
            (long Amount, long Day) bestDistance = (long.MaxValue, long.MaxValue);
            for (var p = LowerBound(byAmount, l, target.Currency, low); p < byAmount.Length; p++)
            {
                var candidate = l[byAmount[p]];
                if (!string.Equals(candidate.Currency, target.Currency, StringComparison.Ordinal) || candidate.Amount > high)
                {
                    break;
                }

                if (lUsed[byAmount[p]] || !Accepts(policy, target, candidate.Amount, candidate.Fee, candidate.Day))
                {
                    continue;
                }

                var distance = (Math.Abs(candidate.Amount - target.Amount), (long)Math.Abs(candidate.Day - target.Day));
                if (distance.CompareTo(bestDistance) < 0)
                {
                    best = byAmount[p];
                    bestDistance = distance;
                }
            }

            if (best >= 0)
            {
                sUsed[i] = true;
                lUsed[best] = true;
                matched += Pair([target], [l[best]], MatchBasis.RuleOneToOne, lines, join, refs);
            }
        }

        return matched;
    }

    // One unit of 'targets' against a subset of 'pool' whose sums meet the rules. With manyOnLedger the targets are Stripe
    // units and the pool ledger units (one-to-many); otherwise the reverse (many-to-one).
    private static int Grouped(
        Unit[] targets, bool[] targetUsed, Unit[] pool, bool[] poolUsed, MatchPolicy policy, List<ReconciliationLine> lines,
        StripeLedgerMatch.IdJoin join, RefsOf refs, bool manyOnLedger)
    {
        var byDay = Enumerable.Range(0, pool.Length)
            .OrderBy(k => pool[k].Currency, StringComparer.Ordinal)
            .ThenBy(k => pool[k].Day)
            .ThenBy(k => k)
            .ToArray();
        var dayTolerance = policy.DateToleranceDays;
        var amountTolerance = policy.AmountToleranceMinor ?? long.MaxValue / 4;
        var matched = 0;
        var candidates = new List<int>();
        for (var t = 0; t < targets.Length; t++)
        {
            if (targetUsed[t])
            {
                continue;
            }

            var target = targets[t];
            candidates.Clear();
            var scanned = 0;
            var fromDay = dayTolerance is { } days ? target.Day - days : long.MinValue;
            var toDay = dayTolerance is { } days2 ? target.Day + days2 : long.MaxValue;
            for (var p = LowerBound(byDay, pool, target.Currency, fromDay, byDay: true); p < byDay.Length && scanned < MaxWindowScan; p++, scanned++)
            {
                var k = byDay[p];
                var candidate = pool[k];
                if (!string.Equals(candidate.Currency, target.Currency, StringComparison.Ordinal) || candidate.Day > toDay)
                {
                    break;
                }

                // Members of a group share the target's sign and none exceeds it (beyond the tolerance): a sum of
                // same-signed parts cannot come back below an overshoot.
                if (!poolUsed[k] && Math.Sign(candidate.Amount) == Math.Sign(target.Amount) && Math.Abs(candidate.Amount) <= Math.Abs(target.Amount) + amountTolerance)
                {
                    candidates.Add(k);
                }
            }

            if (candidates.Count < 2)
            {
                continue;
            }

            var nearest = candidates
                .OrderBy(k => Math.Abs(pool[k].Day - target.Day))
                .ThenBy(k => k)
                .Take(policy.MaxCandidates)
                .Order()
                .ToArray();
            var chosen = new int[policy.MaxGroupSize];
            for (var size = 2; size <= policy.MaxGroupSize && size <= nearest.Length; size++)
            {
                if (!Search(nearest, pool, 0, 0, size, chosen, 0, 0, target, policy))
                {
                    continue;
                }

                targetUsed[t] = true;
                var members = new Unit[size];
                for (var m = 0; m < size; m++)
                {
                    poolUsed[chosen[m]] = true;
                    members[m] = pool[chosen[m]];
                }

                matched += manyOnLedger
                    ? Pair([target], members, MatchBasis.RuleOneToMany, lines, join, refs)
                    : Pair(members, [target], MatchBasis.RuleManyToOne, lines, join, refs);
                break;
            }
        }

        return matched;
    }

    // Depth-first over subsets of exactly 'size' candidates in index order: the first subset whose sums meet the rules wins,
    // so the result is deterministic. Date rules were applied per candidate when the window was taken.
    private static bool Search(int[] candidates, Unit[] pool, int from, int depth, int size, int[] chosen, long amount, long fee, Unit target, MatchPolicy policy)
    {
        if (depth == size)
        {
            return AcceptsSums(policy, target, amount, fee);
        }

        for (var c = from; c <= candidates.Length - (size - depth); c++)
        {
            var unit = pool[candidates[c]];
            chosen[depth] = candidates[c];
            if (Search(candidates, pool, c + 1, depth + 1, size, chosen, amount + unit.Amount, fee + unit.Fee, target, policy))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Accepts(MatchPolicy policy, Unit target, long amount, long fee, int day)
    {
        foreach (var rule in policy.Rules)
        {
            var accepted = rule.Field switch
            {
                MatchField.Amount => rule.Accepts(target.Amount, amount),
                MatchField.Fee => rule.Accepts(target.Fee, fee),
                MatchField.Date => rule.Accepts(target.Day, day),
                _ => false,
            };
            if (!accepted)
            {
                return false;
            }
        }

        return true;
    }

    private static bool AcceptsSums(MatchPolicy policy, Unit target, long amount, long fee)
    {
        foreach (var rule in policy.Rules)
        {
            if ((rule.Field == MatchField.Amount && !rule.Accepts(target.Amount, amount)) || (rule.Field == MatchField.Fee && !rule.Accepts(target.Fee, fee)))
            {
                return false;
            }
        }

        return true;
    }

    // Adds the line for a rule pair (when it concerns the period) and marks its members taken; returns 1 for a clean match.
    private static int Pair(Unit[] stripeSide, Unit[] ledgerSide, MatchBasis basis, List<ReconciliationLine> lines, StripeLedgerMatch.IdJoin join, RefsOf refs)
    {
        var sides = new StripeLedgerMatch.Sides(
            stripeSide.Sum(unit => unit.Amount),
            stripeSide.Sum(unit => unit.Fee),
            ledgerSide.Sum(unit => unit.Amount),
            ledgerSide.Sum(unit => unit.Fee),
            CurrencyDiffers: false,
            stripeSide.Any(unit => unit.InPeriod),
            ledgerSide.Any(unit => unit.InPeriod));
        foreach (var unit in stripeSide)
        {
            join[unit.Source].RuleMatched = true;
        }

        foreach (var unit in ledgerSide)
        {
            if (unit.Source >= 0)
            {
                join.MarkLedgerRuleMatched(unit.Source);
            }
            else
            {
                join[~unit.Source].RuleMatched = true;
            }
        }

        if (StripeLedgerMatch.Classify(sides) is not { } kind)
        {
            return 0;
        }

        var firstStripe = stripeSide.Select(unit => unit.Ref).Order(StringComparer.Ordinal).First();
        lines.Add(new ReconciliationLine(
            kind,
            firstStripe,
            refs.CurrencyOf(stripeSide[0].Source),
            sides.StripeAmount,
            sides.StripeFee,
            sides.LedgerAmount,
            sides.LedgerFee,
            [.. stripeSide.SelectMany(unit => refs.StripeOf(unit.Source)).Order(StringComparer.Ordinal)],
            [.. ledgerSide.SelectMany(unit => refs.LedgerOf(unit)).Order(StringComparer.Ordinal)],
            basis));
        return kind == ReconciliationKind.Matched ? 1 : 0;
    }

    // The first position in 'order' (sorted by currency, then amount or day) at or after (currency, value).
    private static int LowerBound(int[] order, Unit[] units, string currency, long value, bool byDay = false)
    {
        int low = 0, high = order.Length;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            var unit = units[order[mid]];
            var byCurrency = string.CompareOrdinal(unit.Currency, currency);
            if (byCurrency < 0 || (byCurrency == 0 && (byDay ? unit.Day : unit.Amount) < value))
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }

    /// <summary>One side of a rule pair: a Stripe group (by index) or an unnamed ledger item (by index), with its sums.</summary>
    internal readonly record struct Unit(int Source, long Amount, long Fee, int Day, string Currency, string Ref, bool InPeriod);

    // The spans cannot be captured by the lambdas above, so the references of every unit are copied out once.
    private sealed class RefsOf(StripeLedgerMatch.IdJoin join, ReadOnlySpan<StripeItem> stripe, ReadOnlySpan<LedgerItem> ledger)
    {
        private readonly Dictionary<int, (ImmutableArray<string> Refs, Money.Currency Currency)> stripeByGroup = CollectStripe(join, stripe);
        private readonly Dictionary<int, ImmutableArray<string>> ledgerByGroup = CollectLedger(join, ledger);

        public ImmutableArray<string> StripeOf(int group) => stripeByGroup[group].Refs;

        public Money.Currency CurrencyOf(int group) => stripeByGroup[group].Currency;

        public ImmutableArray<string> LedgerOf(Unit unit) => unit.Source >= 0 ? [unit.Ref] : ledgerByGroup[~unit.Source];

        private static Dictionary<int, (ImmutableArray<string>, Money.Currency)> CollectStripe(StripeLedgerMatch.IdJoin join, ReadOnlySpan<StripeItem> stripe)
        {
            var result = new Dictionary<int, (ImmutableArray<string>, Money.Currency)>();
            foreach (var g in join.StripeOnlyGroups())
            {
                result[g] = (join.StripeRefs(g, stripe), stripe[join[g].FirstStripe].Currency);
            }

            return result;
        }

        private static Dictionary<int, ImmutableArray<string>> CollectLedger(StripeLedgerMatch.IdJoin join, ReadOnlySpan<LedgerItem> ledger)
        {
            var result = new Dictionary<int, ImmutableArray<string>>();
            foreach (var g in join.LedgerOnlyGroups())
            {
                result[g] = join.LedgerRefs(g, ledger);
            }

            return result;
        }
    }
}
