using System.Collections.Concurrent;
using Azure;
using NodaTime;
using ServiceLedger.Domain;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Domain.Money;
using ServiceLedger.Functions.Adapters.Tables;
using ServiceLedger.Functions.Ledger;

namespace ServiceLedger.Functions.Adapters.Ledger;

/// <summary>
/// <see cref="ILedgerStore"/> on Table Storage (DESIGN.md section 4, docs/ledger-store.md). Each append is one entity-group
/// transaction in the book's partition: replace the head with <c>If-Match</c> (insert it for a new book), insert the entry,
/// insert the idempotency marker. The head carries the book's totals per account, so balances are exact at every append and
/// no balance row is written (<see cref="TableAccountBalances"/>). The head, the closed periods and the accounts' currencies
/// are cached, so an uncontended append to a known book sends exactly one request; a stale head (412) is re-read and the
/// append retried. Appends to one book queue inside this process, so contention only comes from other processes.
/// A contract's book lives in its contract's statements partition (<see cref="BookPartitions"/>), which lets the settlement
/// hand over the head its query read and store its statement in the entry's transaction (<see cref="IContractBookWrites"/>).
/// Thread-safe; one per process.
/// </summary>
public sealed class TableLedgerStore : ILedgerStore, IContractBookWrites
{
    /// <summary>Books whose heads (and append gates) are cached; beyond this the cache starts again empty.</summary>
    public const int MaxCachedBooks = 100_000;

    /// <summary>Accounts whose bound currency is cached (a binding never changes, so the cache never goes stale).</summary>
    public const int MaxCachedAccounts = 100_000;

    /// <summary>The latest local time anywhere is UTC + 14 h (Line Islands): until then a month has not ended for anyone.</summary>
    private static readonly Duration LatestUtcOffset = Duration.FromHours(14);

    /// <summary>Pages read when listing the closed periods: 1,000 pages of 1,000 months is far beyond any ledger's life.</summary>
    private const int MaxClosingPages = 10;

    private static readonly IReadOnlyDictionary<AccountId, Currency> NoCurrencies = new Dictionary<AccountId, Currency>();

    private readonly BookPartitions placement;
    private readonly TableClient periodsTable;
    private readonly TableClient books;
    private readonly TableClient accounts;
    private readonly IClock clock;
    private readonly ILogger<TableLedgerStore> logger;
    private readonly TableAccountBalances balances;
    private readonly ConcurrentDictionary<BookId, StoredHead> heads = new();
    private readonly ConcurrentDictionary<BookId, SemaphoreSlim> gates = new();
    private readonly ConcurrentDictionary<BookId, bool> registeredBooks = new();
    private readonly ConcurrentDictionary<AccountId, Currency> boundCurrencies = new();
    private volatile AccountingPeriods? periods;

    /// <summary>Creates the store over <paramref name="tables"/> (which must exist) with the injected clock.</summary>
    public TableLedgerStore(TableServiceClient service, LedgerTables tables, IClock clock, ILogger<TableLedgerStore> logger)
        : this(service, service, tables, clock, logger)
    {
    }

    /// <summary>
    /// Creates the store with the balance index on its own client, so that tests and the bench can count journal requests and
    /// index requests apart.
    /// </summary>
    /// <param name="service">The client for the journal, periods, books and accounts tables.</param>
    /// <param name="indexService">The client for the balance index (and the head reads of balance reads).</param>
    /// <param name="tables">The table names.</param>
    /// <param name="clock">The clock for recorded-at and closed-at.</param>
    /// <param name="logger">The log.</param>
    internal TableLedgerStore(
        TableServiceClient service,
        TableServiceClient indexService,
        LedgerTables tables,
        IClock clock,
        ILogger<TableLedgerStore> logger)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(indexService);
        ArgumentNullException.ThrowIfNull(tables);
        placement = new BookPartitions(service, tables);
        periodsTable = service.GetTableClient(tables.Periods);
        books = service.GetTableClient(tables.Books);
        accounts = service.GetTableClient(tables.Accounts);
        this.clock = clock ?? throw new ArgumentNullException(nameof(clock));
        this.logger = logger ?? throw new ArgumentNullException(nameof(logger));
        balances = new TableAccountBalances(new BookPartitions(indexService, tables), indexService.GetTableClient(tables.Balances));
    }

    /// <inheritdoc />
    public async Task<AppendResult> AppendAsync(ProposedEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var gate = GateOf(entry.Book);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return (await AppendInOrderAsync(entry, alongside: null, cancellationToken).ConfigureAwait(false))!;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <inheritdoc />
    public bool RememberHead(BookId book, string table, string partitionKey, TableEntity? head)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(partitionKey);
        if (!placement.IsIn(book, table, partitionKey) || (head is not null && head.RowKey != LedgerEntities.HeadRowKey))
        {
            return false;
        }

        RememberHead(StoredHeadOf(book, head));
        return true;
    }

    /// <inheritdoc />
    public async Task<JournalEntry?> TryAppendWithAsync(ProposedEntry entry, Func<JournalEntry, IReadOnlyList<TableEntity>> alongside, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(alongside);
        if (!placement.LivesWithContract(entry.Book))
        {
            return null;
        }

        var gate = GateOf(entry.Book);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await AppendInOrderAsync(entry, alongside, cancellationToken).ConfigureAwait(false) is AppendResult.Appended appended ? appended.Entry : null;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <inheritdoc />
    public async Task<bool> OpenAccountsAsync(BookId book, IReadOnlyList<KeyValuePair<AccountId, Currency>> accounts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        var gate = GateOf(book);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await OpenInOrderAsync(book, accounts, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <inheritdoc />
    public async Task<JournalEntry?> FindByIdempotencyKeyAsync(BookId book, IdempotencyKey key, CancellationToken cancellationToken)
    {
        var at = placement.Of(book);
        var marker = await at.Table.GetAsync(at.PartitionKey, key.MarkerRowKey, null, cancellationToken).ConfigureAwait(false);
        if (marker is null)
        {
            return null;
        }

        var sequence = marker.Get(LedgerEntities.Sequence).AsInt64();
        var stored = await at.Table.GetAsync(at.PartitionKey, LedgerEntities.SequenceRowKey(sequence), null, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Book {book}: marker {key.MarkerRowKey} names sequence {sequence}, which is not stored.");
        return LedgerEntities.ReadEntry(stored);
    }

    /// <inheritdoc />
    public async Task<BookHead> ReadHeadAsync(BookId book, CancellationToken cancellationToken) =>
        (await ReadStoredHeadAsync(book, cancellationToken).ConfigureAwait(false)).Head;

    /// <inheritdoc />
    public async Task<LedgerPage<JournalEntry>> ReadEntriesAsync(BookId book, SequenceRange range, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(range);
        ArgumentNullException.ThrowIfNull(page);
        var at = placement.Of(book);
        var query = new TableQuery(LedgerQueries.Entries(at.PartitionKey, range.First, range.Last), top: page.PageSize);
        var found = await at.Table.QueryPageAsync(query, page.ContinuationToken, cancellationToken).ConfigureAwait(false);
        return new LedgerPage<JournalEntry>(found.Entities.Select(LedgerEntities.ReadEntry).ToArray(), found.ContinuationToken);
    }

    /// <inheritdoc />
    public async Task<LedgerPage<JournalEntry>> ReadEntriesByEffectiveDateAsync(
        BookId book, DateInterval effectiveDates, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(effectiveDates);
        ArgumentNullException.ThrowIfNull(page);
        var at = placement.Of(book);
        var filter = TableFilter.And(
            LedgerQueries.Entries(at.PartitionKey, 1, long.MaxValue),
            TableFilter.And(
                TableFilter.Compare(LedgerEntities.EffectiveDate, TableFilterOperator.GreaterThanOrEqual, LedgerEntities.FormatDate(effectiveDates.Start)),
                TableFilter.Compare(LedgerEntities.EffectiveDate, TableFilterOperator.LessThanOrEqual, LedgerEntities.FormatDate(effectiveDates.End))));
        var found = await at.Table.QueryPageAsync(new TableQuery(filter, top: page.PageSize), page.ContinuationToken, cancellationToken).ConfigureAwait(false);
        return new LedgerPage<JournalEntry>(found.Entities.Select(LedgerEntities.ReadEntry).ToArray(), found.ContinuationToken);
    }

    /// <inheritdoc />
    public async Task<LedgerPage<BookId>> ListBooksAsync(PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        var query = new TableQuery(TableFilter.PartitionKeyEquals(LedgerEntities.BooksPartition), top: page.PageSize);
        var found = await books.QueryPageAsync(query, page.ContinuationToken, cancellationToken).ConfigureAwait(false);
        var ids = found.Entities.Select(entity => BookId.TryParse(entity.RowKey, out var book)
            ? book
            : throw new InvalidOperationException($"The book registry holds '{entity.RowKey}', which is not a book id.")).ToArray();
        return new LedgerPage<BookId>(ids, found.ContinuationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AccountBalance>> ReadAccountBalancesAsync(AccountId account, CancellationToken cancellationToken) =>
        balances.ReadAccountAsync(account, cancellationToken);

    /// <inheritdoc />
    public Task<LedgerPage<AccountBalance>> ReadBalancesAsync(PageRequest page, CancellationToken cancellationToken) =>
        balances.ReadPageAsync(page, cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<AccountId, Currency>> ReadAccountCurrenciesAsync(
        IReadOnlyCollection<AccountId> accounts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(accounts.Count, LedgerLimits.MaxPostingsPerEntry, nameof(accounts));
        var reads = accounts.Where(account => account.IsSingleCurrency).Distinct().Select(async account =>
        {
            var stored = await this.accounts.GetAsync(account.Value, LedgerEntities.CurrencyRowKey, null, cancellationToken).ConfigureAwait(false);
            return (account, currency: stored is null ? (Currency?)null : Currency.FromCode(stored.Get(LedgerEntities.Currency).AsString()));
        });
        var found = await Task.WhenAll(reads).ConfigureAwait(false);
        var result = new Dictionary<AccountId, Currency>();
        foreach (var (account, currency) in found)
        {
            if (currency is { } held)
            {
                result[account] = held;
                Remember(account, held);
            }
        }

        return result;
    }

    /// <inheritdoc />
    public async Task<AccountingPeriods> ReadPeriodsAsync(CancellationToken cancellationToken) =>
        (await ReadClosingsAsync(cancellationToken).ConfigureAwait(false)).Periods;

    /// <inheritdoc />
    public async Task<ClosePeriodResult> ClosePeriodAsync(
        YearMonth period, string closedBy, LocalDate today, EntryHash reportHash, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= LedgerLimits.MaxAppendAttempts; attempt++)
        {
            var (current, headETag) = await ReadClosingsAsync(cancellationToken).ConfigureAwait(false);
            var proposed = current.ProposeClosing(period, closedBy, clock.GetCurrentInstant(), today, reportHash);
            if (!proposed.IsValid)
            {
                return new ClosePeriodResult.Refused(proposed.Refusals);
            }

            var closing = proposed.Value;
            var head = LedgerEntities.ClosingsHead(closing);
            var result = await periodsTable.SubmitBatchAsync(
                [
                    TableBatchOperation.Insert(LedgerEntities.Closing(closing)),
                    headETag == default ? TableBatchOperation.Insert(head) : TableBatchOperation.Replace(head, headETag),
                ],
                cancellationToken).ConfigureAwait(false);
            if (result.Succeeded)
            {
                periods = current.With(closing);
                logger.LogInformation("Period {Period} closed by {ClosedBy}, closing hash {Hash}", closing.Period, closing.ClosedBy, closing.Hash.Hex);
                return new ClosePeriodResult.Closed(closing);
            }

            // Another close won the race: re-read, and the proposal is refused or chained on the new head.
            logger.LogInformation("Closing {Period} met a concurrent closing (attempt {Attempt}): {Failure}", period, attempt, result.Failure);
        }

        throw new LedgerWriteConflictException($"Closing {period} met a concurrent closing {LedgerLimits.MaxAppendAttempts} times; retry later.");
    }

    // With alongside rows (TryAppendWithAsync), every outcome but Appended writes nothing and answers null: the caller takes the
    // plain path, which answers the refusal, the existing key or the existing row as it always did.
    // Bind, index and register first (idempotent, as for an append), then write the head with the zero totals under If-Match
    // (insert for a new book); a head that moved is read again.
    private async Task<bool> OpenInOrderAsync(BookId book, IReadOnlyList<KeyValuePair<AccountId, Currency>> accounts, CancellationToken cancellationToken)
    {
        var at = placement.Of(book);
        for (var attempt = 1; attempt <= LedgerLimits.MaxAppendAttempts; attempt++)
        {
            var head = heads.TryGetValue(book, out var cached) ? cached : await ReadStoredHeadAsync(book, cancellationToken).ConfigureAwait(false);
            var isNewBook = head.ETag == default;
            var totalsBefore = head.Totals ?? await balances.RecomputeAsync(book, head.Head.LastSequence, cancellationToken).ConfigureAwait(false);
            var opening = accounts.Distinct().Where(pair => !totalsBefore.Holds(pair.Key, pair.Value)).ToArray();
            if (opening.Length == 0)
            {
                return true;
            }

            var totals = totalsBefore.Opening(opening);
            var bindings = opening.Where(pair => pair.Key.IsSingleCurrency && !head.Currencies.ContainsKey(pair.Key) && !boundCurrencies.ContainsKey(pair.Key)).ToArray();
            var known = opening.Where(pair => pair.Key.IsSingleCurrency && (head.Currencies.TryGetValue(pair.Key, out var held) || boundCurrencies.TryGetValue(pair.Key, out held)) && held != pair.Value);
            if (totals.Count > LedgerLimits.MaxAccountsPerBook || known.Any() || await BindCurrenciesAsync(bindings, cancellationToken).ConfigureAwait(false) is not null)
            {
                return false;
            }

            await Task.WhenAll(
                isNewBook ? RegisterBookAsync(book, cancellationToken) : Task.CompletedTask,
                balances.IndexAsync(book, opening.Select(pair => AccountBalance.Zero(pair.Key, pair.Value)), cancellationToken)).ConfigureAwait(false);
            var headCurrencies = WithCurrencies(head.Currencies, [.. opening.Where(pair => pair.Key.IsSingleCurrency)]);
            var headEntity = LedgerEntities.Head(head.Head, at.PartitionKey, headCurrencies, totals);
            try
            {
                var etag = isNewBook
                    ? await at.Table.InsertAsync(headEntity, cancellationToken).ConfigureAwait(false)
                    : await at.Table.ReplaceAsync(headEntity, head.ETag, cancellationToken).ConfigureAwait(false);
                RememberHead(new StoredHead(head.Head, etag, headCurrencies, totals));
                return true;
            }
            catch (TableStorageException exception) when (exception.IsConflict || exception.IsPreconditionFailed)
            {
                heads.TryRemove(book, out _);
                logger.LogDebug("Opening accounts of {Book} met a newer head (attempt {Attempt})", book, attempt);
            }
        }

        throw new LedgerWriteConflictException(book, LedgerLimits.MaxAppendAttempts);
    }

    private async Task<AppendResult?> AppendInOrderAsync(
        ProposedEntry proposed, Func<JournalEntry, IReadOnlyList<TableEntity>>? alongside, CancellationToken cancellationToken)
    {
        var book = proposed.Book;
        var at = placement.Of(book);

        // The key comes first in the rules, so a refusal reads it (a retry after the refusal's cause gets its first answer);
        // with rows alongside, the plain path that follows answers instead.
        async Task<AppendResult?> RefuseAsync(AppendResult refusal) =>
            alongside is not null ? null : await AnswerForExistingKeyAsync(proposed, cancellationToken).ConfigureAwait(false) ?? refusal;

        for (var attempt = 1; attempt <= LedgerLimits.MaxAppendAttempts; attempt++)
        {
            var head = heads.TryGetValue(book, out var cached) ? cached : await ReadStoredHeadAsync(book, cancellationToken).ConfigureAwait(false);
            var isNewBook = head.ETag == default;
            var closed = await PeriodsForAsync(proposed.EffectiveDate, cancellationToken).ConfigureAwait(false);
            var currencies = await CurrenciesOfAsync(proposed, head, readUnknown: !isNewBook, cancellationToken).ConfigureAwait(false);

            // The key is not read first: a fresh marker insert in the batch fails with 409 when the key exists, which keeps an
            // uncontended append at one request. Refusals are rare, so they pay the read that lets a retry see its first answer.
            var plan = AppendDecision.Decide(proposed, null, head.Head, closed, currencies, clock.GetCurrentInstant());
            if (plan is AppendPlan.Finish finish)
            {
                return await RefuseAsync(finish.Result).ConfigureAwait(false);
            }

            var write = (AppendPlan.Write)plan;
            var totalsBefore = head.Totals ?? await balances.RecomputeAsync(book, head.Head.LastSequence, cancellationToken).ConfigureAwait(false);
            var totals = totalsBefore.With(write.Entry);
            if (totals.Count > LedgerLimits.MaxAccountsPerBook)
            {
                return await RefuseAsync(TooManyAccounts(book, totals.Count)).ConfigureAwait(false);
            }

            if (await BindCurrenciesAsync(write.NewCurrencyBindings, cancellationToken).ConfigureAwait(false) is { } mismatch)
            {
                return await RefuseAsync(mismatch).ConfigureAwait(false);
            }

            // The accounts this entry posts for the first time in the book are indexed before the entry exists, so a balance read
            // finds every book whose head holds the account (a head without totals had its pairs indexed by the old projection,
            // but indexing them again costs one 409 each, once).
            var firstPostings = totals.Balances.Where(pair => head.Totals is null || !totalsBefore.Holds(pair.Account, pair.Currency));
            await Task.WhenAll(
                isNewBook ? RegisterBookAsync(book, cancellationToken) : Task.CompletedTask,
                balances.IndexAsync(book, firstPostings, cancellationToken)).ConfigureAwait(false);

            // Every single-currency account of the entry is confirmed by now (held, or bound just above), so the head may list it.
            var headCurrencies = WithCurrencies(head.Currencies, proposed.CurrencyBindings());
            var headEntity = LedgerEntities.Head(write.NextHead, at.PartitionKey, headCurrencies, totals);
            List<TableBatchOperation> operations =
            [
                isNewBook ? TableBatchOperation.Insert(headEntity) : TableBatchOperation.Replace(headEntity, head.ETag),
                TableBatchOperation.Insert(LedgerEntities.Entry(write.Entry, at.PartitionKey)),
                TableBatchOperation.Insert(LedgerEntities.Marker(write.Entry, at.PartitionKey)),
            ];
            if (alongside is not null)
            {
                var rows = alongside(write.Entry);
                if (rows.Count > TableBatchBody.MaxOperations - operations.Count || rows.Any(row => row.PartitionKey != at.PartitionKey || LedgerEntities.IsJournalRowKey(row.RowKey)))
                {
                    throw new ArgumentException($"Rows stored with an entry of {book} are at most {TableBatchBody.MaxOperations - operations.Count} rows of its partition '{at.PartitionKey}', none with a journal RowKey.", nameof(alongside));
                }

                operations.AddRange(rows.Select(TableBatchOperation.Insert));
            }

            TableBatchResult result;
            try
            {
                result = await at.Table.SubmitBatchAsync(operations, cancellationToken).ConfigureAwait(false);
            }
            catch (ArgumentException tooLarge) when (alongside is not null)
            {
                // Checked above: one partition, distinct keys, few enough operations; what is left is a body over 4 MiB.
                logger.LogInformation("The entry {Key} and its rows do not fit one transaction ({Reason}); appending it alone", proposed.IdempotencyKey, tooLarge.Message);
                return null;
            }

            if (result.Succeeded)
            {
                RememberHead(new StoredHead(write.NextHead, result.ETags[0], headCurrencies, totals));
                return new AppendResult.Appended(write.Entry);
            }

            heads.TryRemove(book, out _);
            var failure = result.Failure!;
            if (failure.OperationIndex != 0 && alongside is not null)
            {
                return null;
            }

            if (failure.OperationIndex != 0)
            {
                // Not the head: the key exists (409 on the marker), or storage was altered behind the head (409 on the entry).
                if (await AnswerForExistingKeyAsync(proposed, cancellationToken).ConfigureAwait(false) is { } answer)
                {
                    return answer;
                }

                if (failure.OperationIndex == 1)
                {
                    throw new InvalidOperationException(
                        $"Book {book}: entry #{write.Entry.Sequence} already exists although the head says #{head.Head.LastSequence}; the journal was altered.");
                }
            }

            logger.LogDebug("Append to {Book} met a newer head (attempt {Attempt}): {Failure}", book, attempt, failure);
        }

        logger.LogWarning("Append of {Key} to {Book} gave up after {Attempts} attempts on a moving head", proposed.IdempotencyKey, book, LedgerLimits.MaxAppendAttempts);
        throw new LedgerWriteConflictException(book, LedgerLimits.MaxAppendAttempts);
    }

    private async Task<AppendResult?> AnswerForExistingKeyAsync(ProposedEntry proposed, CancellationToken cancellationToken)
    {
        var existing = await FindByIdempotencyKeyAsync(proposed.Book, proposed.IdempotencyKey, cancellationToken).ConfigureAwait(false);
        return existing is null ? null : AppendDecision.ForExistingKey(proposed, existing);
    }

    private static AppendResult.Refused TooManyAccounts(BookId book, int pairs) =>
        new([new Refusal(
            LedgerRule.BookHasTooManyAccounts,
            "postings",
            $"Book {book} would post {pairs} (account, currency) pairs; a book holds at most {LedgerLimits.MaxAccountsPerBook}. Post to another book.")]);

    /// <summary>The head as stored now, with what it carries (currencies, totals), remembered for the next append.</summary>
    private async Task<StoredHead> ReadStoredHeadAsync(BookId book, CancellationToken cancellationToken)
    {
        var at = placement.Of(book);
        var entity = await at.Table.GetAsync(at.PartitionKey, LedgerEntities.HeadRowKey, null, cancellationToken).ConfigureAwait(false);
        var head = StoredHeadOf(book, entity);
        RememberHead(head);
        return head;
    }

    private static StoredHead StoredHeadOf(BookId book, TableEntity? entity) =>
        entity is null
            ? new StoredHead(BookHead.Empty(book), default, NoCurrencies, BookTotals.Empty)
            : new StoredHead(LedgerEntities.ReadHead(book, entity), entity.ETag, LedgerEntities.ReadHeadCurrencies(entity), BookTotals.Read(entity));

    /// <summary>The head's account currencies with this entry's added, while they fit <see cref="LedgerEntities.MaxHeadCurrencies"/>.</summary>
    private static IReadOnlyDictionary<AccountId, Currency> WithCurrencies(
        IReadOnlyDictionary<AccountId, Currency> known, IReadOnlyList<KeyValuePair<AccountId, Currency>> posted)
    {
        if (posted.All(binding => known.ContainsKey(binding.Key)))
        {
            return known;
        }

        var merged = new Dictionary<AccountId, Currency>(known);
        foreach (var (account, currency) in posted)
        {
            if (merged.Count < LedgerEntities.MaxHeadCurrencies || merged.ContainsKey(account))
            {
                merged[account] = currency;
            }
        }

        return merged;
    }

    private void RememberHead(StoredHead head)
    {
        if (heads.Count >= MaxCachedBooks)
        {
            heads.Clear();
        }

        heads[head.Head.Book] = head;
    }

    private SemaphoreSlim GateOf(BookId book)
    {
        if (gates.Count >= MaxCachedBooks)
        {
            // A gate dropped while held only lets two local appenders race; the head's If-Match still serialises them.
            gates.Clear();
        }

        return gates.GetOrAdd(book, _ => new SemaphoreSlim(1, 1));
    }

    private async Task RegisterBookAsync(BookId book, CancellationToken cancellationToken)
    {
        if (registeredBooks.ContainsKey(book))
        {
            return;
        }

        try
        {
            await books.InsertAsync(LedgerEntities.BookRow(book), cancellationToken).ConfigureAwait(false);
        }
        catch (TableStorageException exception) when (exception.IsConflict)
        {
            // Registered by an earlier attempt or another process.
        }

        if (registeredBooks.Count >= MaxCachedBooks)
        {
            registeredBooks.Clear();
        }

        registeredBooks[book] = true;
    }

    /// <summary>
    /// The closed periods to judge an entry dated <paramref name="effectiveDate"/>. A closed month never reopens, so "closed" in
    /// the cache is final. A month that has not ended yet in any time zone (UTC + 14 h is the latest clock on Earth) cannot be
    /// closed, so the cache is good for it too. Only back-dated entries in months the cache says are open re-read
    /// the periods, which narrows the close race to the one documented in <see cref="ILedgerStore.ClosePeriodAsync"/>.
    /// </summary>
    private async Task<AccountingPeriods> PeriodsForAsync(LocalDate effectiveDate, CancellationToken cancellationToken)
    {
        var known = periods;
        var earliestOpenable = clock.GetCurrentInstant().Plus(LatestUtcOffset).InUtc().Date.ToYearMonth();
        if (known is not null && (known.IsClosed(effectiveDate) || effectiveDate.ToYearMonth().CompareTo(earliestOpenable) >= 0))
        {
            return known;
        }

        return (await ReadClosingsAsync(cancellationToken).ConfigureAwait(false)).Periods;
    }

    private async Task<(AccountingPeriods Periods, ETag HeadETag)> ReadClosingsAsync(CancellationToken cancellationToken)
    {
        var closings = new List<PeriodClosing>();
        TableEntity? head = null;
        var query = new TableQuery(TableFilter.PartitionKeyEquals(LedgerEntities.ClosingsPartition));
        await foreach (var entity in periodsTable.QueryAsync(query, MaxClosingPages, cancellationToken).ConfigureAwait(false))
        {
            if (entity.RowKey == LedgerEntities.HeadRowKey)
            {
                head = entity;
            }
            else
            {
                closings.Add(LedgerEntities.ReadClosing(entity));
            }
        }

        var storedLastHash = head is null ? EntryHash.Zero : EntryHash.Parse(head.Get(LedgerEntities.LastHash).AsString());
        var read = AccountingPeriods.FromClosings(closings.OrderBy(closing => closing.Period), storedLastHash);
        periods = read;
        return (read, head?.ETag ?? default);
    }

    /// <summary>
    /// The currencies the entry's single-currency accounts hold, as far as known: from this process's cache, then the book's
    /// head. Accounts still unknown are read when <paramref name="readUnknown"/>; for a new book they are not, because its
    /// accounts are mostly new too: leaving them out makes the append bind them insert-first (one request when new; a 409
    /// then a read when another book bound them first) instead of a read that 404s followed by an insert.
    /// </summary>
    private async Task<IReadOnlyDictionary<AccountId, Currency>> CurrenciesOfAsync(
        ProposedEntry proposed, StoredHead head, bool readUnknown, CancellationToken cancellationToken)
    {
        var held = new Dictionary<AccountId, Currency>();
        var unknown = new List<AccountId>();
        foreach (var (account, _) in proposed.CurrencyBindings())
        {
            if (boundCurrencies.TryGetValue(account, out var currency))
            {
                held[account] = currency;
            }
            else if (head.Currencies.TryGetValue(account, out var listed))
            {
                held[account] = listed;
                Remember(account, listed);
            }
            else if (!unknown.Contains(account))
            {
                unknown.Add(account);
            }
        }

        if (unknown.Count > 0 && readUnknown)
        {
            foreach (var (account, currency) in await ReadAccountCurrenciesAsync(unknown, cancellationToken).ConfigureAwait(false))
            {
                held[account] = currency;
            }
        }

        return held;
    }

    /// <summary>Binds each account to its first currency, insert-if-absent; a refusal when another currency won first.</summary>
    private async Task<AppendResult.Refused?> BindCurrenciesAsync(
        IReadOnlyList<KeyValuePair<AccountId, Currency>> bindings, CancellationToken cancellationToken)
    {
        foreach (var (account, currency) in bindings)
        {
            try
            {
                await accounts.InsertAsync(LedgerEntities.CurrencyBinding(account, currency), cancellationToken).ConfigureAwait(false);
                Remember(account, currency);
            }
            catch (TableStorageException exception) when (exception.IsConflict)
            {
                var stored = await accounts.GetAsync(account.Value, LedgerEntities.CurrencyRowKey, null, cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"Account {account}: the currency binding conflicted but cannot be read.");
                var held = Currency.FromCode(stored.Get(LedgerEntities.Currency).AsString());
                Remember(account, held);
                if (held != currency)
                {
                    return new AppendResult.Refused([new Refusal(
                        LedgerRule.AccountCurrencyMismatch,
                        "postings",
                        $"Account {account} holds {held}; this entry posts it in {currency}. A merchant or vendor account keeps one currency for life.")]);
                }
            }
        }

        return null;
    }

    private void Remember(AccountId account, Currency currency)
    {
        if (boundCurrencies.Count >= MaxCachedAccounts)
        {
            boundCurrencies.Clear();
        }

        boundCurrencies[account] = currency;
    }

    /// <summary>
    /// A head with the ETag it was read or written with (<c>default</c> for a book not stored yet), the account currencies it
    /// lists and the book's totals (null for a head written before heads carried them: they are recomputed from the journal).
    /// </summary>
    private sealed record StoredHead(BookHead Head, ETag ETag, IReadOnlyDictionary<AccountId, Currency> Currencies, BookTotals? Totals);
}
