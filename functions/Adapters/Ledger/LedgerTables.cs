using ServiceLedger.Functions.Configuration;

namespace ServiceLedger.Functions.Adapters.Ledger;

/// <summary>
/// The tables the ledger store uses. Production names come from <see cref="StorageNames"/>; tests pass unique names so that
/// tests sharing one Azurite never see each other's books.
/// </summary>
/// <param name="Journal">One partition per book: entries, idempotency markers, and the head (with the book's totals per account).</param>
/// <param name="Balances">The balance index: one partition per account, one row per (currency, book) that posted it.</param>
/// <param name="Periods">The period closings and their head.</param>
/// <param name="Books">The registry of books, one row per book, for listing them without scanning the journal.</param>
/// <param name="Accounts">The currency each single-currency account holds, bound by its first posting.</param>
public sealed record LedgerTables(string Journal, string Balances, string Periods, string Books, string Accounts)
{
    /// <summary>
    /// The production tables: contract books in the contract's statements partition (<see cref="ContractBooks"/>), the other
    /// books in the journal.
    /// </summary>
    public static LedgerTables Default { get; } = new(
        StorageNames.LedgerJournal, StorageNames.LedgerBalances, StorageNames.LedgerPeriods, StorageNames.LedgerBooks, StorageNames.LedgerAccounts)
    {
        ContractBooks = StorageNames.StatementsTable,
    };

    /// <summary>
    /// The table whose partition per contract (PartitionKey = contract id) holds that contract's book beside its statements
    /// (<see cref="BookPartitions"/>); null keeps contract books in <see cref="Journal"/> with the others.
    /// </summary>
    public string? ContractBooks { get; init; }

    /// <summary>Every table the store writes, for provisioning.</summary>
    public IReadOnlyList<string> All => ContractBooks is { } contractBooks
        ? [Journal, Balances, Periods, Books, Accounts, contractBooks]
        : [Journal, Balances, Periods, Books, Accounts];
}
