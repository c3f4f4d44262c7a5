using NodaTime;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Domain.Money;
using ServiceLedger.Functions.Adapters.Ledger;
using ServiceLedger.Functions.Adapters.Tables;
using ServiceLedger.Functions.Ledger;
using ServiceLedger.TestSupport.Azurite;

namespace ServiceLedger.Bench;

/// <summary>
/// The ledger store of the settlement-run scenario, on its own counted clients (so the ledger's share of the requests is
/// measured apart from the settlement's), and restartable: <see cref="Restart"/> replaces it with a store whose caches are
/// empty, as a new Functions instance would start with no book heads or bindings known.
/// </summary>
internal sealed class RestartableLedgerStore : ILedgerStore, IContractBookWrites
{
    private readonly StorageTestClients clients;
    private readonly LedgerTables tables;
    private readonly IClock clock;
    private TableLedgerStore current;

    public RestartableLedgerStore(string connectionString, LedgerTables tables, IClock clock)
    {
        clients = StorageTestClients.Create(connectionString);
        this.tables = tables;
        this.clock = clock;
        current = NewStore();
    }

    /// <summary>Table requests the ledger has sent (journal, books, accounts, periods and balance index).</summary>
    public long TableRequests => clients.Counter.TableRequests;

    /// <summary>Drops every cache: the next append of each book is that of a process that has never seen it.</summary>
    public void Restart() => current = NewStore();

    public Task<AppendResult> AppendAsync(ProposedEntry entry, CancellationToken cancellationToken) => current.AppendAsync(entry, cancellationToken);

    public Task<bool> OpenAccountsAsync(BookId book, IReadOnlyList<KeyValuePair<AccountId, Currency>> accounts, CancellationToken cancellationToken) =>
        current.OpenAccountsAsync(book, accounts, cancellationToken);

    public bool RememberHead(BookId book, string table, string partitionKey, TableEntity? head) => current.RememberHead(book, table, partitionKey, head);

    public Task<JournalEntry?> TryAppendWithAsync(ProposedEntry entry, Func<JournalEntry, IReadOnlyList<TableEntity>> alongside, CancellationToken cancellationToken) =>
        current.TryAppendWithAsync(entry, alongside, cancellationToken);

    public Task<JournalEntry?> FindByIdempotencyKeyAsync(BookId book, IdempotencyKey key, CancellationToken cancellationToken) =>
        current.FindByIdempotencyKeyAsync(book, key, cancellationToken);

    public Task<BookHead> ReadHeadAsync(BookId book, CancellationToken cancellationToken) => current.ReadHeadAsync(book, cancellationToken);

    public Task<LedgerPage<JournalEntry>> ReadEntriesAsync(BookId book, SequenceRange range, PageRequest page, CancellationToken cancellationToken) =>
        current.ReadEntriesAsync(book, range, page, cancellationToken);

    public Task<LedgerPage<JournalEntry>> ReadEntriesByEffectiveDateAsync(BookId book, DateInterval effectiveDates, PageRequest page, CancellationToken cancellationToken) =>
        current.ReadEntriesByEffectiveDateAsync(book, effectiveDates, page, cancellationToken);

    public Task<LedgerPage<BookId>> ListBooksAsync(PageRequest page, CancellationToken cancellationToken) => current.ListBooksAsync(page, cancellationToken);

    public Task<IReadOnlyList<AccountBalance>> ReadAccountBalancesAsync(AccountId account, CancellationToken cancellationToken) =>
        current.ReadAccountBalancesAsync(account, cancellationToken);

    public Task<LedgerPage<AccountBalance>> ReadBalancesAsync(PageRequest page, CancellationToken cancellationToken) => current.ReadBalancesAsync(page, cancellationToken);

    public Task<IReadOnlyDictionary<AccountId, Currency>> ReadAccountCurrenciesAsync(IReadOnlyCollection<AccountId> accounts, CancellationToken cancellationToken) =>
        current.ReadAccountCurrenciesAsync(accounts, cancellationToken);

    public Task<AccountingPeriods> ReadPeriodsAsync(CancellationToken cancellationToken) => current.ReadPeriodsAsync(cancellationToken);

    public Task<ClosePeriodResult> ClosePeriodAsync(YearMonth period, string closedBy, LocalDate today, EntryHash reportHash, CancellationToken cancellationToken) =>
        current.ClosePeriodAsync(period, closedBy, today, reportHash, cancellationToken);

    private TableLedgerStore NewStore() =>
        new(clients.Tables, tables, clock, Microsoft.Extensions.Logging.Abstractions.NullLogger<TableLedgerStore>.Instance);
}
