using System.Globalization;
using ServiceLedger.Domain.Ledger;

namespace ServiceLedger.Domain.Reconciliation;

using ServiceLedger.Domain.Money;

/// <summary>
/// The clearing invariant for one period (Stripe Ledger's "clearing accounts net to zero, or are explained"): per currency,
/// what the ledger moved through <c>platform:stripe-clearing</c> in the period must equal what Stripe moved through its
/// balance in the period, except for items in transit across the period's edges (the <see cref="ReconciliationKind.Timing"/>
/// lines, whose two sides fall in different periods) and for the differences already reported item by item
/// (<see cref="ReconciliationKind.InStripeOnly"/>, <see cref="ReconciliationKind.InLedgerOnly"/>,
/// <see cref="ReconciliationKind.AmountDiffers"/>, <see cref="ReconciliationKind.FeeDiffers"/>): a planted fault is reported
/// once, as its own kind, not again as a clearing total. Whatever is left is unexplained: one
/// <see cref="ReconciliationKind.ClearingUnexplained"/> line per currency, carrying that amount. It is the period's control
/// total, a backstop against the item matching itself (an item no line accounts for, or a pair matched within a tolerance
/// that leaves the clearing account off).
/// </summary>
public static class StripeClearingCheck
{
    /// <summary>
    /// Zero or one exception per currency. <paramref name="stripe"/> and <paramref name="ledger"/> are the matcher's inputs
    /// (period and margins); <paramref name="lines"/> its output, of which the <see cref="ReconciliationKind.Timing"/> lines
    /// (items in transit) and the item-level exception lines are read.
    /// </summary>
    public static IReadOnlyList<ExceptionLine> Run(ReadOnlySpan<StripeItem> stripe, ReadOnlySpan<LedgerItem> ledger, IEnumerable<ReconciliationLine> lines, ReconciliationPeriod period)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var start = period.StartInstant;
        var end = period.EndInstant;
        var totals = new SortedDictionary<string, (Currency Currency, long Ledger, long Stripe, long Explained)>(StringComparer.Ordinal);
        var stripeInPeriod = new Dictionary<string, long>(StringComparer.Ordinal);
        var ledgerInPeriod = new Dictionary<(string EntryRef, string Currency), long>();
        foreach (var item in stripe)
        {
            if (item.Created >= start && item.Created < end)
            {
                var total = Totals(totals, item.Currency);
                totals[item.Currency.Code] = total with { Stripe = checked(total.Stripe + item.NetMinor) };
                stripeInPeriod[item.BalanceTransactionId] = item.NetMinor;
            }
        }

        foreach (var item in ledger)
        {
            if (period.Contains(item.EffectiveDate))
            {
                var total = Totals(totals, item.Currency);
                totals[item.Currency.Code] = total with { Ledger = checked(total.Ledger + item.NetMinor) };
                var key = (item.EntryRef, item.Currency.Code);
                ledgerInPeriod[key] = checked(ledgerInPeriod.GetValueOrDefault(key) + item.NetMinor);
            }
        }

        // An item in transit moved the clearing account on one side of the edge and Stripe's balance on the other: the part
        // of it that falls in this period explains that much of the difference. An item-level exception explains its own
        // difference the same way (a missed webhook: Stripe's part alone; a fee off by a cent: the two parts' difference).
        foreach (var line in lines.Where(line => ExplainsItsDifference(line.Kind)))
        {
            var ledgerPart = line.LedgerRefs.Sum(reference => ledgerInPeriod.GetValueOrDefault((reference, line.Currency.Code)));
            var stripePart = line.StripeRefs.Sum(reference => stripeInPeriod.GetValueOrDefault(reference));
            var total = Totals(totals, line.Currency);
            totals[line.Currency.Code] = total with { Explained = checked(total.Explained + ledgerPart - stripePart) };
        }

        var exceptions = new List<ExceptionLine>();
        foreach (var (code, total) in totals)
        {
            var unexplained = checked(total.Ledger - total.Stripe - total.Explained);
            if (unexplained == 0)
            {
                continue;
            }

            var explained = checked(total.Stripe + total.Explained);
            exceptions.Add(ExceptionLine.Create(
                ReconciliationKind.ClearingUnexplained,
                $"{AccountId.PlatformStripeClearing}:{period}:{code}",
                code,
                new ExceptionSide("stripe", Text(explained, total.Currency), []),
                new ExceptionSide("ledger", Text(total.Ledger, total.Currency), [AccountId.PlatformStripeClearing.ToString()]),
                $"Stripe clearing moved {Text(total.Ledger, total.Currency)} in {period}; Stripe's balance, items in transit and the item-level exceptions explain {Text(explained, total.Currency)}, leaving {Text(unexplained, total.Currency)} unexplained: an item no line accounts for, or a pair matched within tolerance."));
        }

        return exceptions;
    }

    private static bool ExplainsItsDifference(ReconciliationKind kind) => kind is ReconciliationKind.Timing
        or ReconciliationKind.InStripeOnly or ReconciliationKind.InLedgerOnly or ReconciliationKind.AmountDiffers or ReconciliationKind.FeeDiffers;

    private static (Currency Currency, long Ledger, long Stripe, long Explained) Totals(
        SortedDictionary<string, (Currency Currency, long Ledger, long Stripe, long Explained)> totals, Currency currency) =>
        totals.TryGetValue(currency.Code, out var total) ? total : (currency, 0, 0, 0);

    private static string Text(long amountMinor, Currency currency) =>
        Money.FromMinorUnits(amountMinor, currency).Amount.ToString(CultureInfo.InvariantCulture);
}
