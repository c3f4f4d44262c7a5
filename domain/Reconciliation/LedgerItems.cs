using ServiceLedger.Domain.Ledger;

namespace ServiceLedger.Domain.Reconciliation;

using ServiceLedger.Domain.Money;

/// <summary>
/// Reads the ledger side of a Stripe reconciliation out of journal entries: one <see cref="LedgerItem"/> per entry and
/// currency that moves <c>platform:stripe-clearing</c>, in Stripe's signs. The clearing movement is Stripe's net (money
/// into the Stripe balance positive); the fee is what the entry put on the processing-fee and dispute-fee accounts; the
/// gross amount is their sum. So a deposit of 300.00 with a 8.70 fee reads (30000, 870), a refund of 50.00 (-5000, 0), a
/// payout of 1000.00 (-100000, 0) — as Stripe reports them.
/// </summary>
public static class LedgerItems
{
    /// <summary>The reference kind that names a Stripe object on an entry.</summary>
    public const string StripeObjectKind = "stripe-object";

    /// <summary>The reference kind that names the charge which paid a deposit (see <see cref="Deposits.StripeLedgerEntries.ChargeReferenceKind"/>).</summary>
    public const string ChargeKind = Deposits.StripeLedgerEntries.ChargeReferenceKind;

    /// <summary>One item per entry and currency that touches Stripe clearing, in the order of <paramref name="entries"/>.</summary>
    public static IReadOnlyList<LedgerItem> From(IEnumerable<JournalEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var items = new List<LedgerItem>();
        foreach (var entry in entries)
        {
            // An entry may name a balance transaction beside the object that caused it (a fee entry names both);
            // Stripe lists balance transactions by their source, so the source is the key. A deposit names its Checkout
            // Session and, when it was known, the charge that paid it: the charge is what Stripe lists, so it wins.
            var named = entry.References.Where(reference => reference.Kind == StripeObjectKind).ToArray();
            var stripeObject = entry.References.FirstOrDefault(reference => reference.Kind == ChargeKind);
            stripeObject = stripeObject.IsDefault ? named.FirstOrDefault(reference => !reference.Value.StartsWith("txn_", StringComparison.Ordinal)) : stripeObject;
            stripeObject = stripeObject.IsDefault ? named.FirstOrDefault() : stripeObject;
            foreach (var currency in entry.Postings.Where(posting => posting.Account.IsClearing).Select(posting => posting.Currency).Distinct())
            {
                var net = 0m;
                var fee = 0m;
                foreach (var posting in entry.Postings.Where(posting => posting.Currency == currency))
                {
                    var signed = posting.Side == PostingSide.Debit ? posting.Amount.Amount : -posting.Amount.Amount;
                    if (posting.Account == AccountId.PlatformStripeClearing)
                    {
                        net += signed;
                    }
                    else if (posting.Account == AccountId.PlatformProcessingFees || posting.Account == AccountId.PlatformDisputeFees)
                    {
                        fee += signed;
                    }
                }

                items.Add(new LedgerItem(
                    entry.Id.ToString(),
                    stripeObject.IsDefault ? null : stripeObject.Value,
                    ToMinor(net + fee, currency),
                    ToMinor(fee, currency),
                    currency,
                    entry.EffectiveDate,
                    entry.Book.ToString()));
            }
        }

        return items;
    }

    /// <summary>An amount in minor units; throws when it has digits beyond the minor unit (a ledger posting never does).</summary>
    public static long ToMinor(decimal amount, Currency currency)
    {
        var minor = amount / currency.MinorUnit;
        return decimal.Truncate(minor) == minor
            ? checked((long)minor)
            : throw new InvalidOperationException($"{amount} {currency} has digits beyond the currency's minor unit.");
    }
}
