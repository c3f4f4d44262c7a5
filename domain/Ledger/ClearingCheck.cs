using NodaTime;

namespace ServiceLedger.Domain.Ledger;

using ServiceLedger.Domain.Money;

/// <summary>
/// A clearing account with a non-zero balance: money stuck in a pipe that should have emptied (Stripe Ledger's clearing
/// invariant). <paramref name="OpenSince"/> is the effective date of the entry after which the balance last left zero;
/// <paramref name="OpenSinceRecordedAt"/> is when that entry was recorded.
/// </summary>
/// <param name="Account">The clearing account.</param>
/// <param name="Balance">The balance on the account's normal side.</param>
/// <param name="OpenSince">Effective date since which the balance has been continuously non-zero.</param>
/// <param name="OpenSinceRecordedAt">Recorded-at of the entry that opened it.</param>
/// <param name="OpenedBy">The entry that opened it.</param>
/// <param name="AgeDays">Days from <paramref name="OpenSince"/> to the check's as-of date.</param>
public sealed record OpenClearingBalance(AccountId Account, Money Balance, LocalDate OpenSince, Instant OpenSinceRecordedAt, JournalEntryId OpenedBy, int AgeDays);

/// <summary>Finds clearing accounts that have not returned to zero, and how long they have been open.</summary>
public static class ClearingCheck
{
    /// <summary>
    /// Walks the entries dated on or before <paramref name="asOf"/> in effective-date order (then recorded-at, book, sequence)
    /// and returns every clearing account and currency whose balance is not zero at the end, ordered by account then currency.
    /// </summary>
    public static IReadOnlyList<OpenClearingBalance> Run(IEnumerable<JournalEntry> entries, LocalDate asOf)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var open = new SortedDictionary<(string Account, string Currency), (AccountBalance Balance, JournalEntry? OpenedBy)>(LedgerText.OrdinalPairs);
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
                var (balance, openedBy) = open.TryGetValue(key, out var found) ? found : (AccountBalance.Zero(posting.Account, posting.Currency), null);
                var wasZero = balance.IsZero;
                balance = balance.Add(posting);
                openedBy = balance.IsZero ? null : wasZero ? entry : openedBy;
                open[key] = (balance, openedBy);
            }
        }

        return open.Values
            .Where(state => !state.Balance.IsZero)
            .Select(state => new OpenClearingBalance(
                state.Balance.Account,
                state.Balance.Balance,
                state.OpenedBy!.EffectiveDate,
                state.OpenedBy.RecordedAt,
                state.OpenedBy.Id,
                Period.Between(state.OpenedBy.EffectiveDate, asOf, PeriodUnits.Days).Days))
            .ToArray();
    }
}
