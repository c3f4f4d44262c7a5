using System.Collections.Concurrent;
using System.Globalization;
using Azure;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Domain.Money;
using ServiceLedger.Functions.Adapters.Tables;

namespace ServiceLedger.Functions.Adapters.Ledger;

/// <summary>
/// The balance projection in the balances table: one partition per account, one row per (currency, book) holding that book's
/// debit and credit totals on the account and <c>AppliedThrough</c>, the last sequence of the book applied to the row. Entries
/// of a book are applied in sequence order, and a row skips an entry at or below its <c>AppliedThrough</c>, so applying twice
/// (a retry, two processes, a catch-up after a crash) changes nothing. Each book's journal partition keeps a watermark
/// (<c>head.projected</c>) at or below the last entry applied everywhere; catching up starts there. Appends record it in their
/// own transaction (at most one entry behind the head), catch-ups write it themselves. Writes use If-Match, so two processes
/// applying the same entry cannot both add it. What the process knows per book (its gate and watermarks) is bounded: least
/// recently used books beyond <see cref="MaxCachedBooks"/> are forgotten, never one in use (<see cref="BookCache"/>).
/// </summary>
/// <param name="journal">The journal table (entries and <c>head.projected</c>).</param>
/// <param name="balances">The balances table.</param>
/// <param name="maxCachedBooks">Books whose state is kept (tests pass a small one to see eviction).</param>
internal sealed class TableBalanceProjection(TableClient journal, TableClient balances, int maxCachedBooks = TableBalanceProjection.MaxCachedBooks)
{
    /// <summary>Attempts to update one row against concurrent writers before giving up (the journal stays the truth).</summary>
    public const int MaxRowAttempts = 8;

    /// <summary>Rows cached with their ETags; beyond this the cache starts again empty.</summary>
    public const int MaxCachedRows = 100_000;

    /// <summary>Pages of balance rows read for one account or one page of accounts.</summary>
    public const int MaxRowPages = 1_000;

    /// <summary>
    /// Books whose gate and watermarks this process keeps (as many as the store keeps heads for,
    /// <see cref="TableLedgerStore.MaxCachedBooks"/>); the least recently used beyond it are forgotten.
    /// </summary>
    public const int MaxCachedBooks = TableLedgerStore.MaxCachedBooks;

    private readonly BookCache books = new(maxCachedBooks);
    private readonly ConcurrentDictionary<JournalEntryId, JournalEntry> pending = new();
    private readonly ConcurrentDictionary<(string Account, string RowKey), BalanceRow> rows = new();

    /// <summary>
    /// Applies <paramref name="entry"/>, just appended by this process, first applying any earlier entry of its book this
    /// process has not seen applied. A book's first entry creates its rows: they are inserted without reading them first
    /// (rows are per book, so none can exist before entry 1 is applied; a process catching up at the same moment makes the
    /// insert fail with 409, and the row is then read and left alone if it holds the entry).
    /// </summary>
    public async Task ApplyAsync(JournalEntry entry, CancellationToken cancellationToken)
    {
        pending[entry.Id] = entry;
        try
        {
            await ApplyThroughAsync(entry.Book, entry.Sequence, rowsAreNew: entry.Sequence == 1, storeWatermark: false, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            pending.TryRemove(entry.Id, out _);
        }
    }

    /// <summary>
    /// Applies the book's entries up to <paramref name="head"/>, taking the last one from <paramref name="last"/> (the head's
    /// copy) when given and reading only older ones from the journal; does nothing when this process has applied them already.
    /// </summary>
    public async Task ApplyStoredAsync(BookHead head, JournalEntry? last, CancellationToken cancellationToken)
    {
        if (head.LastSequence == 0 || books.Applied(head.Book) >= head.LastSequence)
        {
            return;
        }

        if (last is not null)
        {
            pending[last.Id] = last;
        }

        try
        {
            await ApplyThroughAsync(head.Book, head.LastSequence, rowsAreNew: false, storeWatermark: false, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (last is not null)
            {
                pending.TryRemove(last.Id, out _);
            }
        }
    }

    /// <summary>The watermark this process may record for <paramref name="book"/>: what it has applied, when that is past the stored one.</summary>
    public long? WatermarkToStore(BookId book) => books.WatermarkToStore(book);

    /// <summary>Books whose state this process holds now (at most <c>maxCachedBooks</c>, plus books in use beyond it).</summary>
    internal int CachedBooks => books.Count;

    /// <summary>
    /// Applies every entry of <paramref name="book"/> up to <paramref name="lastSequence"/> from <paramref name="storedWatermark"/>
    /// (the watermark as read with the head) on.
    /// </summary>
    public async Task<long> CatchUpAsync(BookId book, long lastSequence, long storedWatermark, CancellationToken cancellationToken)
    {
        books.Reset(book, storedWatermark);
        return await ApplyThroughAsync(book, lastSequence, rowsAreNew: false, storeWatermark: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Takes the watermark stored for a book, as the store read it with the head (one request for both) or wrote it in an
    /// append's transaction, so the book's next application does not read it again. A watermark is a lower bound, so the higher
    /// of this and the one already known is kept.
    /// </summary>
    public void KnowStoredWatermark(BookId book, long storedWatermark) => books.KnowStored(book, storedWatermark);

    public async Task<IReadOnlyList<AccountBalance>> ReadAccountAsync(AccountId account, CancellationToken cancellationToken)
    {
        var totals = new SortedDictionary<string, (decimal Debits, decimal Credits)>(StringComparer.Ordinal);
        var query = new TableQuery(TableFilter.PartitionKeyEquals(account.Value));
        await foreach (var entity in balances.QueryAsync(query, MaxRowPages, cancellationToken).ConfigureAwait(false))
        {
            Add(totals, entity);
        }

        return totals.Select(pair => Balance(account, pair.Key, pair.Value)).ToArray();
    }

    /// <summary>Balances of whole accounts, <paramref name="page"/>.PageSize accounts at a time; the token is the last account returned.</summary>
    public async Task<LedgerPage<AccountBalance>> ReadPageAsync(PageRequest page, CancellationToken cancellationToken)
    {
        string? after = null;
        if (page.ContinuationToken is not null)
        {
            after = AccountId.TryParse(page.ContinuationToken, out var account)
                ? account.Value
                : throw new ArgumentException("The continuation token is not one this ledger produced.", nameof(page));
        }

        var query = new TableQuery(after is null ? null : TableFilter.Compare("PartitionKey", TableFilterOperator.GreaterThan, after));
        var result = new List<AccountBalance>();
        var accountsDone = 0;
        string? current = null;
        var totals = new SortedDictionary<string, (decimal Debits, decimal Credits)>(StringComparer.Ordinal);
        await foreach (var entity in balances.QueryAsync(query, MaxRowPages, cancellationToken).ConfigureAwait(false))
        {
            if (entity.PartitionKey != current)
            {
                if (current is not null)
                {
                    Flush(current, totals, result);
                    accountsDone++;
                    if (accountsDone == page.PageSize)
                    {
                        return new LedgerPage<AccountBalance>(result, current);
                    }
                }

                current = entity.PartitionKey;
            }

            Add(totals, entity);
        }

        if (current is not null)
        {
            Flush(current, totals, result);
        }

        return new LedgerPage<AccountBalance>(result, null);
    }

    private static void Flush(string account, SortedDictionary<string, (decimal Debits, decimal Credits)> totals, List<AccountBalance> result)
    {
        var id = AccountId.TryParse(account, out var parsed) ? parsed : throw new InvalidOperationException($"Balance partition '{account}' is not an account id.");
        result.AddRange(totals.Select(pair => Balance(id, pair.Key, pair.Value)));
        totals.Clear();
    }

    private static void Add(SortedDictionary<string, (decimal Debits, decimal Credits)> totals, TableEntity entity)
    {
        var row = BalanceRow.Read(entity);
        var currency = entity.Get(LedgerEntities.Currency).AsString();
        var sum = totals.GetValueOrDefault(currency);
        totals[currency] = (sum.Debits + row.Debits, sum.Credits + row.Credits);
    }

    private static AccountBalance Balance(AccountId account, string currencyCode, (decimal Debits, decimal Credits) totals)
    {
        var currency = Currency.FromCode(currencyCode);
        return new AccountBalance(account, new Money(totals.Debits, currency), new Money(totals.Credits, currency));
    }

    private async Task<long> ApplyThroughAsync(BookId book, long lastSequence, bool rowsAreNew, bool storeWatermark, CancellationToken cancellationToken)
    {
        // Entered before waiting: a book in use keeps its one gate in the cache, so two callers never hold two gates of a book.
        var state = books.Enter(book);
        try
        {
            await state.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var from = books.Applied(book) ?? await ReadWatermarkAsync(book, cancellationToken).ConfigureAwait(false);
                if (lastSequence <= from)
                {
                    return 0;
                }

                var applied = 0L;
                while (from < lastSequence)
                {
                    var entries = await NextEntriesAsync(book, from + 1, lastSequence, cancellationToken).ConfigureAwait(false);
                    await ApplyToRowsAsync(entries, rowsAreNew && entries[0].Sequence == 1, cancellationToken).ConfigureAwait(false);
                    from = entries[^1].Sequence;
                    applied += entries.Count;
                    books.SetApplied(book, from);
                }

                // Appends record the watermark in their own transaction (TableLedgerStore); only an explicit catch-up writes it here.
                if (storeWatermark && applied > 0)
                {
                    await journal.UpsertAsync(LedgerEntities.Watermark(book, lastSequence), cancellationToken).ConfigureAwait(false);
                    books.KnowStored(book, lastSequence);
                }

                return applied;
            }
            finally
            {
                state.Gate.Release();
            }
        }
        finally
        {
            books.Leave(state);
        }
    }

    private async Task<long> ReadWatermarkAsync(BookId book, CancellationToken cancellationToken)
    {
        var stored = await journal.GetAsync(book.Value, LedgerEntities.ProjectedRowKey, null, cancellationToken).ConfigureAwait(false);
        var watermark = stored?.Get(LedgerEntities.AppliedThrough).AsInt64() ?? 0;
        books.KnowStoredOnly(book, watermark);
        return watermark;
    }

    /// <summary>Entries from <paramref name="first"/> on, in order: appended by this process if it still holds them, else from the journal (one page).</summary>
    private async Task<IReadOnlyList<JournalEntry>> NextEntriesAsync(BookId book, long first, long last, CancellationToken cancellationToken)
    {
        var held = new List<JournalEntry>();
        for (var sequence = first; sequence <= last && pending.TryGetValue(new JournalEntryId(book, sequence), out var entry); sequence++)
        {
            held.Add(entry);
        }

        if (held.Count > 0)
        {
            return held;
        }

        var query = new TableQuery(LedgerQueries.Entries(book, first, last), top: LedgerLimits.MaxPageSize);
        var page = await journal.QueryPageAsync(query, null, cancellationToken).ConfigureAwait(false);
        var read = page.Entities.Select(LedgerEntities.ReadEntry).ToArray();
        if (read.Length == 0 || read[0].Sequence != first || read.Where((entry, index) => entry.Sequence != first + index).Any())
        {
            throw new InvalidOperationException($"Book {book}: the journal has no gap-free run of entries from #{first}; the projection cannot be applied.");
        }

        return read;
    }

    private async Task ApplyToRowsAsync(IReadOnlyList<JournalEntry> entries, bool rowsAreNew, CancellationToken cancellationToken)
    {
        // Per row, the changes in sequence order: a row skips those it already holds.
        var changes = new Dictionary<(string Account, string RowKey), List<(long Sequence, decimal Debits, decimal Credits)>>();
        foreach (var entry in entries)
        {
            foreach (var posting in entry.Postings)
            {
                var key = (posting.Account.Value, RowKeyOf(posting.Currency, entry.Book));
                if (!changes.TryGetValue(key, out var list))
                {
                    changes[key] = list = [];
                }

                var debit = posting.Side == PostingSide.Debit ? posting.Amount.Amount : 0m;
                var credit = posting.Side == PostingSide.Credit ? posting.Amount.Amount : 0m;
                if (list.Count > 0 && list[^1].Sequence == entry.Sequence)
                {
                    list[^1] = (entry.Sequence, list[^1].Debits + debit, list[^1].Credits + credit);
                }
                else
                {
                    list.Add((entry.Sequence, debit, credit));
                }
            }
        }

        var book = entries[0].Book;
        await Task.WhenAll(changes.Select(change => ApplyToRowAsync(change.Key, book, change.Value, rowsAreNew, cancellationToken))).ConfigureAwait(false);
    }

    private async Task ApplyToRowAsync(
        (string Account, string RowKey) key,
        BookId book,
        List<(long Sequence, decimal Debits, decimal Credits)> changes,
        bool rowIsNew,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= MaxRowAttempts; attempt++)
        {
            if (!rows.TryGetValue(key, out var row))
            {
                // A new row is inserted unread on the first attempt only: a 409 means another process created it, so read it then.
                var stored = rowIsNew && attempt == 1 ? null : await balances.GetAsync(key.Account, key.RowKey, null, cancellationToken).ConfigureAwait(false);
                row = stored is null ? BalanceRow.Empty : BalanceRow.Read(stored);
                if (stored is not null)
                {
                    // Kept with its ETag even when it needs nothing now: the next entry of the book replaces it without reading.
                    Remember(key, row);
                }
            }

            var missing = changes.Where(change => change.Sequence > row.AppliedThrough).ToArray();
            if (missing.Length == 0)
            {
                return;
            }

            var next = row with
            {
                Debits = row.Debits + missing.Sum(change => change.Debits),
                Credits = row.Credits + missing.Sum(change => change.Credits),
                AppliedThrough = missing[^1].Sequence,
            };
            var entity = next.ToEntity(key.Account, key.RowKey, book);
            try
            {
                var etag = row.ETag == default
                    ? await balances.InsertAsync(entity, cancellationToken).ConfigureAwait(false)
                    : await balances.ReplaceAsync(entity, row.ETag, cancellationToken).ConfigureAwait(false);
                Remember(key, next with { ETag = etag });
                return;
            }
            catch (TableStorageException exception) when (exception.IsConflict || exception.IsPreconditionFailed)
            {
                // Another process moved the row: read it again; it may already hold these changes.
                rows.TryRemove(key, out _);
            }
        }

        throw new InvalidOperationException($"Balance row {key.Account} {key.RowKey} kept changing under {MaxRowAttempts} attempts.");
    }

    private void Remember((string Account, string RowKey) key, BalanceRow row)
    {
        if (rows.Count >= MaxCachedRows)
        {
            rows.Clear();
        }

        rows[key] = row;
    }

    /// <summary>
    /// What this process knows per book, least recently used first out beyond a capacity: the book's gate (one application of
    /// the book at a time here), the sequence applied through and the watermark known stored. A book is <i>in use</i> from
    /// <see cref="Enter"/> (before waiting on its gate) to <see cref="Leave"/>, and is never evicted then: evicting a held or
    /// awaited gate would let a second caller create another gate for the book and apply it at the same time (rows would stay
    /// right, by If-Match, but at the cost of conflicts and re-reads). Books in use may take the count past the capacity, by at
    /// most the number of callers. A forgotten book is like a book in a fresh process: its watermark comes back with the next
    /// head read (<see cref="KnowStoredWatermark"/>) or one read of <c>head.projected</c>, and rows skip what they hold, so an
    /// entry is still applied exactly once. Every member takes one lock, held for dictionary and list steps only, never across I/O.
    /// </summary>
    private sealed class BookCache(int capacity)
    {
        private readonly int capacity = capacity >= 1 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "The cache keeps at least one book.");
        private readonly Dictionary<BookId, LinkedListNode<BookState>> map = [];

        // Most recently used first.
        private readonly LinkedList<BookState> order = new();
        private readonly Lock gate = new();

        public int Count
        {
            get
            {
                lock (gate)
                {
                    return map.Count;
                }
            }
        }

        /// <summary>Marks <paramref name="book"/> in use (never evicted until <see cref="Leave"/>) and returns its state.</summary>
        public BookState Enter(BookId book)
        {
            lock (gate)
            {
                var state = Touch(book);
                state.Users++;
                return state;
            }
        }

        /// <summary>Ends a use begun by <see cref="Enter"/>; the book may be evicted again (now, if the cache is over capacity).</summary>
        public void Leave(BookState state)
        {
            lock (gate)
            {
                state.Users--;
                if (state.Users < 0)
                {
                    throw new InvalidOperationException($"Book {state.Book} was left more often than entered.");
                }

                EvictBeyondCapacity();
            }
        }

        public long? Applied(BookId book)
        {
            lock (gate)
            {
                return map.TryGetValue(book, out var node) ? Use(node).AppliedThrough : null;
            }
        }

        public void SetApplied(BookId book, long sequence)
        {
            lock (gate)
            {
                Touch(book).AppliedThrough = sequence;
            }
        }

        /// <summary>Starts the book again from <paramref name="storedWatermark"/> (a catch-up from the watermark as read).</summary>
        public void Reset(BookId book, long storedWatermark)
        {
            lock (gate)
            {
                var state = Touch(book);
                state.AppliedThrough = storedWatermark;
                state.Stored = storedWatermark;
            }
        }

        /// <summary>A watermark known stored: applied at least that far, and stored at least that far (lower bounds, so the higher wins).</summary>
        public void KnowStored(BookId book, long storedWatermark)
        {
            lock (gate)
            {
                var state = Touch(book);
                state.AppliedThrough = Math.Max(state.AppliedThrough ?? storedWatermark, storedWatermark);
                state.Stored = Math.Max(state.Stored, storedWatermark);
            }
        }

        /// <summary>A watermark read from storage before applying: only what is stored (the caller applies from it).</summary>
        public void KnowStoredOnly(BookId book, long storedWatermark)
        {
            lock (gate)
            {
                var state = Touch(book);
                state.Stored = Math.Max(state.Stored, storedWatermark);
            }
        }

        public long? WatermarkToStore(BookId book)
        {
            lock (gate)
            {
                return map.TryGetValue(book, out var node) && Use(node) is { AppliedThrough: { } applied } state && applied > state.Stored ? applied : null;
            }
        }

        private BookState Touch(BookId book)
        {
            if (map.TryGetValue(book, out var node))
            {
                return Use(node);
            }

            var state = new BookState(book);
            map[book] = order.AddFirst(state);
            EvictBeyondCapacity();
            return state;
        }

        private BookState Use(LinkedListNode<BookState> node)
        {
            if (node != order.First)
            {
                order.Remove(node);
                order.AddFirst(node);
            }

            return node.Value;
        }

        private void EvictBeyondCapacity()
        {
            // From the least recently used up; a book in use is passed over (the newest is in use or about to be, so kept).
            var node = order.Last;
            while (map.Count > capacity && node is not null && node != order.First)
            {
                var previous = node.Previous;
                if (node.Value.Users == 0)
                {
                    order.Remove(node);
                    map.Remove(node.Value.Book);
                    node.Value.Gate.Dispose();
                }

                node = previous;
            }
        }
    }

    /// <summary>One book's state in <see cref="BookCache"/>; mutated only under the cache's lock (the gate excepted).</summary>
    private sealed class BookState(BookId book)
    {
        public BookId Book { get; } = book;

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public long? AppliedThrough { get; set; }

        public long Stored { get; set; }

        public int Users { get; set; }
    }

    private static string RowKeyOf(Currency currency, BookId book) => currency.Code + "|" + book.Value;

    /// <summary>One book's totals on one account in one currency, as stored.</summary>
    private sealed record BalanceRow(decimal Debits, decimal Credits, long AppliedThrough, ETag ETag)
    {
        public static BalanceRow Empty { get; } = new(0m, 0m, 0, default);

        public static BalanceRow Read(TableEntity entity) => new(
            decimal.Parse(entity.Get(LedgerEntities.Debits).AsString(), NumberStyles.Number, CultureInfo.InvariantCulture),
            decimal.Parse(entity.Get(LedgerEntities.Credits).AsString(), NumberStyles.Number, CultureInfo.InvariantCulture),
            entity.Get(LedgerEntities.AppliedThrough).AsInt64(),
            entity.ETag);

        // Amounts are decimal strings: a Table Double would lose cents beyond 2^53 minor units and is never exact.
        public TableEntity ToEntity(string account, string rowKey, BookId book) => new(account, rowKey, new Dictionary<string, TableValue>
        {
            [LedgerEntities.Currency] = rowKey[..rowKey.IndexOf('|', StringComparison.Ordinal)],
            [LedgerEntities.Book] = book.Value,
            [LedgerEntities.Debits] = Debits.ToString(CultureInfo.InvariantCulture),
            [LedgerEntities.Credits] = Credits.ToString(CultureInfo.InvariantCulture),
            [LedgerEntities.AppliedThrough] = AppliedThrough,
        });
    }
}
