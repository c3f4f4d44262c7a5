using ServiceLedger.Domain.Ledger;
using ServiceLedger.Domain.Money;
using ServiceLedger.Functions.Adapters.Tables;

namespace ServiceLedger.Functions.Adapters.Ledger;

/// <summary>
/// Account balances from the books' heads. Each head carries its book's totals per (account, currency) (<see cref="BookTotals"/>),
/// exact at every append; the balances table is the index from an account to the books that posted it: one partition per
/// account, one row per (currency, book), inserted before the append that first posts the pair and never changed after. An
/// account's balance is its index partition (one query) and the heads of the books it lists, summed. Appends therefore write
/// no balance row at all, and a balance never trails the journal. Thread-safe and stateless.
/// </summary>
/// <param name="placement">Where each book's head (and, for a head that predates totals, its entries) lives.</param>
/// <param name="index">The balances table: the account-to-books index.</param>
internal sealed class TableAccountBalances(BookPartitions placement, TableClient index)
{
    /// <summary>Pages of index rows read for one account or one page of accounts.</summary>
    public const int MaxIndexPages = 1_000;

    /// <summary>Heads read at once for one balance read.</summary>
    public const int MaxParallelHeadReads = 16;

    private static readonly IReadOnlyList<string> HeadTotalsSelect = [LedgerEntities.LastSequence, .. BookTotals.PropertyNames];

    /// <summary>
    /// Inserts the index rows of (account, currency) pairs <paramref name="book"/> is about to post for the first time, all at
    /// once; a row already there (an earlier attempt, another process) is what was wanted. Done before the append's
    /// transaction, so every pair a head holds is indexed; a row whose append then failed lists a book that holds nothing on
    /// the account, which adds nothing.
    /// </summary>
    public Task IndexAsync(BookId book, IEnumerable<AccountBalance> pairs, CancellationToken cancellationToken) =>
        Task.WhenAll(pairs.Select(async pair =>
        {
            try
            {
                await index.InsertAsync(IndexRow(pair.Account, pair.Currency, book), cancellationToken).ConfigureAwait(false);
            }
            catch (TableStorageException exception) when (exception.IsConflict)
            {
                // Indexed already.
            }
        }));

    /// <summary>The balances of <paramref name="account"/>, one per currency it was posted in, ordered by currency code.</summary>
    public async Task<IReadOnlyList<AccountBalance>> ReadAccountAsync(AccountId account, CancellationToken cancellationToken)
    {
        var books = new HashSet<BookId>();
        var query = new TableQuery(TableFilter.PartitionKeyEquals(account.Value));
        await foreach (var row in index.QueryAsync(query, MaxIndexPages, cancellationToken).ConfigureAwait(false))
        {
            books.Add(BookOf(row));
        }

        var totals = await ReadTotalsAsync(books, cancellationToken).ConfigureAwait(false);
        return Sum(account, totals.Values);
    }

    /// <summary>Balances of whole accounts, <paramref name="page"/>.PageSize accounts at a time; the token is the last account returned.</summary>
    public async Task<LedgerPage<AccountBalance>> ReadPageAsync(PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        string? after = null;
        if (page.ContinuationToken is not null)
        {
            after = AccountId.TryParse(page.ContinuationToken, out var account)
                ? account.Value
                : throw new ArgumentException("The continuation token is not one this ledger produced.", nameof(page));
        }

        var query = new TableQuery(after is null ? null : TableFilter.Compare("PartitionKey", TableFilterOperator.GreaterThan, after));
        var accounts = new List<(AccountId Account, HashSet<BookId> Books)>();
        string? token = null;
        await foreach (var row in index.QueryAsync(query, MaxIndexPages, cancellationToken).ConfigureAwait(false))
        {
            if (accounts.Count == 0 || accounts[^1].Account.Value != row.PartitionKey)
            {
                if (accounts.Count == page.PageSize)
                {
                    // The page's last account is complete: its partition ended where this row's began.
                    token = accounts[^1].Account.Value;
                    break;
                }

                accounts.Add((AccountOf(row.PartitionKey), []));
            }

            accounts[^1].Books.Add(BookOf(row));
        }

        var totals = await ReadTotalsAsync(accounts.SelectMany(account => account.Books).ToHashSet(), cancellationToken).ConfigureAwait(false);
        var balances = accounts.SelectMany(account => Sum(account.Account, account.Books.Select(book => totals[book]))).ToArray();
        return new LedgerPage<AccountBalance>(balances, token);
    }

    /// <summary>The totals a book's head carries now; recomputed from the journal for a head that predates totals.</summary>
    public async Task<BookTotals> ReadBookAsync(BookId book, CancellationToken cancellationToken)
    {
        var at = placement.Of(book);
        var head = await at.Table.GetAsync(at.PartitionKey, LedgerEntities.HeadRowKey, HeadTotalsSelect, cancellationToken).ConfigureAwait(false);
        if (head is null)
        {
            return BookTotals.Empty;
        }

        return BookTotals.Read(head) ?? await RecomputeAsync(book, head.Get(LedgerEntities.LastSequence).AsInt64(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The totals of <paramref name="book"/>'s entries 1 to <paramref name="lastSequence"/>, read from the journal: only for a
    /// head written before heads carried totals (once per such book: the next append stores them).
    /// </summary>
    public async Task<BookTotals> RecomputeAsync(BookId book, long lastSequence, CancellationToken cancellationToken)
    {
        var totals = BookTotals.Empty;
        if (lastSequence == 0)
        {
            return totals;
        }

        var next = 1L;
        var at = placement.Of(book);
        var query = new TableQuery(LedgerQueries.Entries(at.PartitionKey, 1, lastSequence), top: LedgerLimits.MaxPageSize);
        await foreach (var entity in at.Table.QueryAsync(query, TableClient.DefaultMaxPages, cancellationToken).ConfigureAwait(false))
        {
            var entry = LedgerEntities.ReadEntry(entity);
            if (entry.Sequence != next++)
            {
                throw new InvalidOperationException($"Book {book}: the journal has no gap-free run of entries up to #{lastSequence}; its totals cannot be computed.");
            }

            totals = totals.With(entry);
        }

        return next == lastSequence + 1
            ? totals
            : throw new InvalidOperationException($"Book {book}: the head names #{lastSequence} but the journal ends at #{next - 1}.");
    }

    private static TableEntity IndexRow(AccountId account, Currency currency, BookId book) =>
        new(account.Value, currency.Code + "|" + book.Value, new Dictionary<string, TableValue>
        {
            [LedgerEntities.Currency] = currency.Code,
            [LedgerEntities.Book] = book.Value,
        });

    private static BookId BookOf(TableEntity row)
    {
        var separator = row.RowKey.IndexOf('|', StringComparison.Ordinal);
        return separator > 0 && BookId.TryParse(row.RowKey[(separator + 1)..], out var book)
            ? book
            : throw new InvalidOperationException($"Balance index row '{row.PartitionKey}' / '{row.RowKey}' does not name a book.");
    }

    private static AccountId AccountOf(string partitionKey) =>
        AccountId.TryParse(partitionKey, out var account) ? account : throw new InvalidOperationException($"Balance partition '{partitionKey}' is not an account id.");

    private static AccountBalance[] Sum(AccountId account, IEnumerable<BookTotals> books)
    {
        var sums = new SortedDictionary<string, AccountBalance>(StringComparer.Ordinal);
        foreach (var balance in books.SelectMany(book => book.Of(account)))
        {
            sums[balance.Currency.Code] = sums.TryGetValue(balance.Currency.Code, out var sum)
                ? new AccountBalance(account, sum.Debits + balance.Debits, sum.Credits + balance.Credits)
                : balance;
        }

        return sums.Values.ToArray();
    }

    private async Task<Dictionary<BookId, BookTotals>> ReadTotalsAsync(IReadOnlyCollection<BookId> books, CancellationToken cancellationToken)
    {
        var read = new System.Collections.Concurrent.ConcurrentDictionary<BookId, BookTotals>();
        await Parallel.ForEachAsync(
            books,
            new ParallelOptions { MaxDegreeOfParallelism = MaxParallelHeadReads, CancellationToken = cancellationToken },
            async (book, token) => read[book] = await ReadBookAsync(book, token).ConfigureAwait(false)).ConfigureAwait(false);
        return new Dictionary<BookId, BookTotals>(read);
    }
}
