using NodaTime;

namespace ServiceLedger.Domain.Ledger;

using ServiceLedger.Domain.Money;

/// <summary>
/// A clearing account with a non-zero balance: money stuck in a pipe that should have emptied (Stripe Ledger's clearing
/// invariant). The balance is aged first-in, first-out: money leaving the account settles the oldest money that entered
/// it, so <paramref name="OpenSince"/> is the effective date of the oldest amount still unsettled — under a steady flow of
/// charges and payouts that date stays recent, and it only grows old when something is really stuck.
/// </summary>
/// <param name="Account">The clearing account.</param>
/// <param name="Balance">The balance on the account's normal side (negative when more left than entered).</param>
/// <param name="OpenSince">Effective date of the oldest entry whose amount is still (partly) unsettled.</param>
/// <param name="OpenSinceRecordedAt">Recorded-at of that entry.</param>
/// <param name="OpenedBy">That entry.</param>
/// <param name="AgeDays">Days from <paramref name="OpenSince"/> to the check's as-of date.</param>
public sealed record OpenClearingBalance(AccountId Account, Money Balance, LocalDate OpenSince, Instant OpenSinceRecordedAt, JournalEntryId OpenedBy, int AgeDays);

/// <summary>Finds clearing accounts that have not returned to zero, and how long their oldest unsettled money has waited.</summary>
public static class ClearingCheck
{
    /// <summary>
    /// Walks the entries dated on or before <paramref name="asOf"/> in effective-date order (then recorded-at, book, sequence)
    /// and returns every clearing account and currency whose balance is not zero at the end, ordered by account then currency.
    /// </summary>
    public static IReadOnlyList<OpenClearingBalance> Run(IEnumerable<JournalEntry> entries, LocalDate asOf)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var accounts = new SortedDictionary<(string Account, string Currency), (AccountId Account, Currency Currency, Queue<Lot> Lots)>(LedgerText.OrdinalPairs);
        var ordered = entries
            .Where(entry => entry.EffectiveDate <= asOf)
            .OrderBy(entry => entry.EffectiveDate)
            .ThenBy(entry => entry.RecordedAt)
            .ThenBy(entry => entry.Id);
        foreach (var entry in ordered)
        {
            foreach (var posting in entry.Postings.Where(posting => posting.Account.IsClearing))
            {
                var key = (posting.Account.Value, posting.Currency.Code);
                if (!accounts.TryGetValue(key, out var state))
                {
                    state = (posting.Account, posting.Currency, new Queue<Lot>());
                    accounts[key] = state;
                }

                Settle(state.Lots, entry, posting);
            }
        }

        return accounts.Values
            .Where(state => state.Lots.Count > 0)
            .Select(state =>
            {
                var oldest = state.Lots.Peek().Entry;
                var net = state.Lots.Sum(lot => lot.Side == PostingSide.Debit ? lot.Remaining : -lot.Remaining);
                var normal = state.Account.Type.NormalBalance() == PostingSide.Debit ? net : -net;
                return new OpenClearingBalance(
                    state.Account,
                    new Money(normal, state.Currency),
                    oldest.EffectiveDate,
                    oldest.RecordedAt,
                    oldest.Id,
                    Period.Between(oldest.EffectiveDate, asOf, PeriodUnits.Days).Days);
            })
            .ToArray();
    }

    // All lots in the queue are on one side; a posting on the other side consumes them oldest first, and what is left
    // of it becomes a lot of its own (the balance changed sign).
    private static void Settle(Queue<Lot> lots, JournalEntry entry, Posting posting)
    {
        var remaining = posting.Amount.Amount;
        while (remaining > 0m && lots.Count > 0 && lots.Peek().Side != posting.Side)
        {
            var oldest = lots.Peek();
            if (oldest.Remaining > remaining)
            {
                oldest.Remaining -= remaining;
                remaining = 0m;
            }
            else
            {
                remaining -= oldest.Remaining;
                lots.Dequeue();
            }
        }

        if (remaining > 0m)
        {
            lots.Enqueue(new Lot(entry, posting.Side, remaining));
        }
    }

    // Mutable on purpose and never shared: a lot lives inside one run of the check.
    private sealed class Lot(JournalEntry entry, PostingSide side, decimal remaining)
    {
        public JournalEntry Entry { get; } = entry;

        public PostingSide Side { get; } = side;

        public decimal Remaining { get; set; } = remaining;
    }
}
