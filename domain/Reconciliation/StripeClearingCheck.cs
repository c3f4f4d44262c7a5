using System.Globalization;
using ServiceLedger.Domain.Ledger;

namespace ServiceLedger.Domain.Reconciliation;

using ServiceLedger.Domain.Money;

/// <summary>
/// The clearing invariant for one period (Stripe Ledger's "clearing accounts net to zero, or are explained"): per currency,
/// what the ledger moved through <c>platform:stripe-clearing</c> in the period must equal what Stripe moved through its
/// balance in the period, except for items in transit across the period's edges (the <see cref="ReconciliationKind.Timing"/>
/// lines, whose two sides fall in different periods). Whatever is left is unexplained: one
/// <see cref="ReconciliationKind.ClearingUnexplained"/> line per currency, carrying that amount. It is the period's control
/// total: a missed webhook, a mis-keyed or invented clearing posting, or a fee booked wrong also shows up item by item
/// (<see cref="ReconciliationKind.InStripeOnly"/>, <see cref="ReconciliationKind.InLedgerOnly"/>,
/// <see cref="ReconciliationKind.FeeDiffers"/>, …); this line says by how much the clearing account is off in total.
/// </summary>
public static class StripeClearingCheck
{
    /// <summary>
    /// Zero or one exception per currency. <paramref name="stripe"/> and <paramref name="ledger"/> are the matcher's inputs
    /// (period and margins); <paramref name="lines"/> its output, of which only <see cref="ReconciliationKind.Timing"/>
    /// lines are read (their references name the items in transit).
    /// </summary>
    public static IReadOnlyList<ExceptionLine> Run(ReadOnlySpan<StripeItem> stripe, ReadOnlySpan<LedgerItem> ledger, IEnumerable<ReconciliationLine> lines, ReconciliationPeriod period)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var start = period.StartInstant;
        var end = period.EndInstant;
        var totals = new SortedDictionary<string, (Currency Currency, long Ledger, long Stripe, long InTransit)>(StringComparer.Ordinal);
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
        // of it that falls in this period explains that much of the difference.
        foreach (var line in lines.Where(line => line.Kind == ReconciliationKind.Timing))
        {
            var ledgerPart = line.LedgerRefs.Sum(reference => ledgerInPeriod.GetValueOrDefault((reference, line.Currency.Code)));
            var stripePart = line.StripeRefs.Sum(reference => stripeInPeriod.GetValueOrDefault(reference));
            var total = Totals(totals, line.Currency);
            totals[line.Currency.Code] = total with { InTransit = checked(total.InTransit + ledgerPart - stripePart) };
        }

        var exceptions = new List<ExceptionLine>();
        foreach (var (code, total) in totals)
        {
            var unexplained = checked(total.Ledger - total.Stripe - total.InTransit);
            if (unexplained == 0)
            {
                continue;
            }

            var explained = checked(total.Stripe + total.InTransit);
            exceptions.Add(ExceptionLine.Create(
                ReconciliationKind.ClearingUnexplained,
                $"{AccountId.PlatformStripeClearing}:{period}:{code}",
                code,
                new ExceptionSide("stripe", Text(explained, total.Currency), []),
                new ExceptionSide("ledger", Text(total.Ledger, total.Currency), [AccountId.PlatformStripeClearing.ToString()]),
                $"Stripe clearing moved {Text(total.Ledger, total.Currency)} in {period}; Stripe's balance and items in transit explain {Text(explained, total.Currency)}, leaving {Text(unexplained, total.Currency)} unexplained (see the period's item lines)."));
        }

        return exceptions;
    }

    private static (Currency Currency, long Ledger, long Stripe, long InTransit) Totals(
        SortedDictionary<string, (Currency Currency, long Ledger, long Stripe, long InTransit)> totals, Currency currency) =>
        totals.TryGetValue(currency.Code, out var total) ? total : (currency, 0, 0, 0);

    private static string Text(long amountMinor, Currency currency) =>
        Money.FromMinorUnits(amountMinor, currency).Amount.ToString(CultureInfo.InvariantCulture);
}
