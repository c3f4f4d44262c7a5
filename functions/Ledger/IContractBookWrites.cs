using ServiceLedger.Domain.Ledger;
using ServiceLedger.Functions.Adapters.Tables;

namespace ServiceLedger.Functions.Ledger;

/// <summary>
/// What a ledger store that keeps a contract's book in the contract's statements partition (<c>LedgerTables.ContractBooks</c>,
/// docs/ledger-store.md, "Where a book lives") offers the settlement: the book's head as the statements query read it, and an
/// append that inserts the statement in the same transaction as its entry. A store that keeps books elsewhere offers
/// neither (<see cref="None"/>): the settlement then stores and posts in two requests, as before.
/// </summary>
public interface IContractBookWrites
{
    /// <summary>The store that shares no partition: remembers nothing, appends nothing alongside.</summary>
    static IContractBookWrites None { get; } = new NoSharedPartition();

    /// <summary>
    /// Remembers the head of <paramref name="book"/> as a query of partition <paramref name="partitionKey"/> of
    /// <paramref name="table"/> just read it (<paramref name="head"/> null: the query found none, the book is new), so the next
    /// append need not read it. False, nothing remembered, when the book does not live there.
    /// </summary>
    bool RememberHead(BookId book, string table, string partitionKey, TableEntity? head);

    /// <summary>
    /// Appends <paramref name="entry"/> and inserts the rows <paramref name="alongside"/> builds from the journal entry (rows of
    /// the book's own partition) in one transaction, all or nothing. Returns the appended entry; null when nothing was written
    /// (the store keeps the book elsewhere, the key or a row exists already, the entry is refused, or the rows do not fit one
    /// transaction): the caller then takes the plain path (store the rows, then <see cref="ILedgerStore.AppendAsync"/>), which
    /// answers each of those cases as it always did.
    /// </summary>
    Task<JournalEntry?> TryAppendWithAsync(ProposedEntry entry, Func<JournalEntry, IReadOnlyList<TableEntity>> alongside, CancellationToken cancellationToken);

    /// <summary>
    /// Opens <paramref name="accounts"/> in <paramref name="book"/> before their first posting (a contract's, at activation:
    /// docs/ledger-store.md, "Opening a contract's accounts"): binds each single-currency account's currency, indexes each
    /// (account, currency) pair for balance reads, registers a new book, and writes the book's head listing them with zero
    /// totals, so the first statement's append needs none of those requests. Changes no entry and no hash. Idempotent; false,
    /// nothing opened, when an account holds another currency or the book would exceed its accounts.
    /// </summary>
    Task<bool> OpenAccountsAsync(BookId book, IReadOnlyList<KeyValuePair<AccountId, Domain.Money.Currency>> accounts, CancellationToken cancellationToken);

    private sealed class NoSharedPartition : IContractBookWrites
    {
        public Task<bool> OpenAccountsAsync(BookId book, IReadOnlyList<KeyValuePair<AccountId, Domain.Money.Currency>> accounts, CancellationToken cancellationToken) =>
            Task.FromResult(false);

        public bool RememberHead(BookId book, string table, string partitionKey, TableEntity? head) => false;

        public Task<JournalEntry?> TryAppendWithAsync(ProposedEntry entry, Func<JournalEntry, IReadOnlyList<TableEntity>> alongside, CancellationToken cancellationToken) =>
            Task.FromResult<JournalEntry?>(null);
    }
}
