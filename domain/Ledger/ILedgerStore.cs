using NodaTime;

namespace ServiceLedger.Domain.Ledger;

using ServiceLedger.Domain.Money;

/// <summary>
/// A page request: 1 to <see cref="LedgerLimits.MaxPageSize"/> items, and the opaque continuation token of the previous
/// page (null for the first). Tokens are the store's own and only valid for the same query.
/// </summary>
public sealed record PageRequest
{
    private PageRequest(int pageSize, string? continuationToken)
    {
        PageSize = pageSize;
        ContinuationToken = continuationToken;
    }

    /// <summary>Most items the page may hold.</summary>
    public int PageSize { get; }

    /// <summary>Where the previous page stopped; null for the first page.</summary>
    public string? ContinuationToken { get; }

    /// <summary>The first page of the largest size.</summary>
    public static PageRequest First { get; } = new(LedgerLimits.MaxPageSize, null);

    /// <summary>Checks a page size from a request; refuses with <see cref="LedgerRule.PageSizeOutOfRange"/> naming <c>pageSize</c>.</summary>
    public static Validated<PageRequest> Create(int pageSize, string? continuationToken) =>
        pageSize is >= 1 and <= LedgerLimits.MaxPageSize
            ? Validated.Valid(new PageRequest(pageSize, continuationToken))
            : Validated.Refused<PageRequest>(new Refusal(
                LedgerRule.PageSizeOutOfRange,
                "pageSize",
                $"Page size {pageSize} is outside 1..{LedgerLimits.MaxPageSize}."));
}

/// <summary>One page of a store read and the token for the next page (null when this is the last).</summary>
/// <typeparam name="T">The item type.</typeparam>
/// <param name="Items">At most the requested page size; may be empty even when more pages follow.</param>
/// <param name="ContinuationToken">Pass it back in the next <see cref="PageRequest"/>; null when there is nothing more.</param>
public sealed record LedgerPage<T>(IReadOnlyList<T> Items, string? ContinuationToken);

/// <summary>An inclusive range of sequences in one book, 1 ≤ <paramref name="First"/> ≤ <paramref name="Last"/>.</summary>
/// <param name="First">First sequence read.</param>
/// <param name="Last">Last sequence read; <see cref="long.MaxValue"/> for "to the end".</param>
public sealed record SequenceRange(long First, long Last)
{
    /// <summary>First sequence read.</summary>
    public long First { get; } = First >= 1 ? First : throw new ArgumentOutOfRangeException(nameof(First), First, "Sequences start at 1.");

    /// <summary>Last sequence read.</summary>
    public long Last { get; } = Last >= First ? Last : throw new ArgumentOutOfRangeException(nameof(Last), Last, "The range ends before it starts.");

    /// <summary>Every sequence of the book.</summary>
    public static SequenceRange All { get; } = new(1, long.MaxValue);

    /// <summary>Every sequence after a checkpoint.</summary>
    public static SequenceRange After(long sequence) => new(sequence + 1, long.MaxValue);
}

/// <summary>The outcome of closing a period.</summary>
public abstract record ClosePeriodResult
{
    private ClosePeriodResult()
    {
    }

    /// <summary>The period is closed; the closing is recorded.</summary>
    /// <param name="Closing">The recorded closing.</param>
    public sealed record Closed(PeriodClosing Closing) : ClosePeriodResult;

    /// <summary>Nothing was recorded.</summary>
    /// <param name="Refusals">Why, in rule order.</param>
    public sealed record Refused(IReadOnlyList<Refusal> Refusals) : ClosePeriodResult;
}

/// <summary>
/// Thrown by <see cref="ILedgerStore.AppendAsync"/> when the book's head moved under every one of
/// <see cref="LedgerLimits.MaxAppendAttempts"/> attempts. Not the caller's fault and nothing was written: retry later (503).
/// </summary>
public sealed class LedgerWriteConflictException : Exception
{
    /// <summary>Creates the exception for a book.</summary>
    public LedgerWriteConflictException(BookId book, int attempts)
        : base($"Book {book} kept moving: {attempts} append attempts met a newer head. Nothing was written; retry later.")
    {
        Book = book;
    }

    /// <summary>Creates the exception with a message only.</summary>
    public LedgerWriteConflictException()
    {
    }

    /// <summary>Creates the exception with a message only.</summary>
    public LedgerWriteConflictException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and inner exception.</summary>
    public LedgerWriteConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The contended book.</summary>
    public BookId Book { get; }
}

/// <summary>
/// The port to the journal's storage. One implementation per storage technology (the Table Storage adapter lives in
/// functions/Adapters/Tables); it keeps each book as one partition: entries under zero-padded sequence RowKeys, an
/// idempotency marker <c>idem:{key}</c> per entry, and a <c>head</c> entity. The rules are in the domain: an adapter reads,
/// calls <see cref="AppendDecision.Decide"/> or <see cref="AccountingPeriods.ProposeClosing"/>, and writes what they say.
/// Every method honours its cancellation token; a cancelled append has either written everything or nothing (the batch is
/// atomic), and retrying it with the same proposed entry is safe.
/// </summary>
public interface ILedgerStore
{
    /// <summary>
    /// Appends a proposed entry to its book, exactly once per (book, idempotency key). In order:
    /// (1) if the book holds the key: <see cref="AppendResult.AlreadyAppended"/> when the request hash matches, else
    /// <see cref="AppendResult.Refused"/> with <see cref="LedgerRule.ExistsWithDifferentContent"/> — before any other rule, so
    /// a retry is answered the same after its period closed;
    /// (2) refuses an effective date in a closed period (<see cref="LedgerRule.EffectiveDateInClosedPeriod"/>) and a
    /// single-currency account posted in a currency other than the one it holds (<see cref="LedgerRule.AccountCurrencyMismatch"/>),
    /// re-reading both so a caller that checked earlier cannot race past a close;
    /// (3) seals the entry on the current head (sequence = head + 1, previous hash, recorded-at from the clock) and writes entry,
    /// marker and head in one entity-group transaction with <c>If-Match</c> on the head. A stale head (412) re-reads and starts
    /// again at (1), at most <see cref="LedgerLimits.MaxAppendAttempts"/> times, then throws
    /// <see cref="LedgerWriteConflictException"/>; a marker conflict (409) means a concurrent writer won with the same key,
    /// and the answer is (1) for the winner's entry. The balance projection is updated after the write (see
    /// <see cref="ReadAccountBalancesAsync"/>). Refusals write nothing.
    /// </summary>
    Task<AppendResult> AppendAsync(ProposedEntry entry, CancellationToken cancellationToken);

    /// <summary>The entry of <paramref name="book"/> appended under <paramref name="key"/>, or null.</summary>
    Task<JournalEntry?> FindByIdempotencyKeyAsync(BookId book, IdempotencyKey key, CancellationToken cancellationToken);

    /// <summary>The book's head; <see cref="BookHead.Empty"/> for a book with no entries.</summary>
    Task<BookHead> ReadHeadAsync(BookId book, CancellationToken cancellationToken);

    /// <summary>
    /// Entries of a book with sequences in <paramref name="range"/>, in sequence order, one page at a time. Entries come back
    /// exactly as stored (with their stored hashes, unverified), so <see cref="ChainVerification"/> can judge them.
    /// </summary>
    Task<LedgerPage<JournalEntry>> ReadEntriesAsync(BookId book, SequenceRange range, PageRequest page, CancellationToken cancellationToken);

    /// <summary>Entries of a book whose effective date lies in <paramref name="effectiveDates"/> (inclusive), in sequence order, paged.</summary>
    Task<LedgerPage<JournalEntry>> ReadEntriesByEffectiveDateAsync(BookId book, DateInterval effectiveDates, PageRequest page, CancellationToken cancellationToken);

    /// <summary>Every book that has at least one entry, in book order, paged (for verification and trial balances).</summary>
    Task<LedgerPage<BookId>> ListBooksAsync(PageRequest page, CancellationToken cancellationToken);

    /// <summary>
    /// An account's balances from the projection, one per currency, ordered by currency code; empty when never posted. The
    /// projection is applied after each append, idempotently by (book, sequence) as <see cref="BalanceProjection.Apply"/>
    /// does, so it may trail the journal by the entries in flight; exact figures come from recomputation.
    /// </summary>
    Task<IReadOnlyList<AccountBalance>> ReadAccountBalancesAsync(AccountId account, CancellationToken cancellationToken);

    /// <summary>Every balance of the projection, ordered by account then currency, paged (for projection-vs-journal checks).</summary>
    Task<LedgerPage<AccountBalance>> ReadBalancesAsync(PageRequest page, CancellationToken cancellationToken);

    /// <summary>
    /// The currency each of <paramref name="accounts"/> holds, for the single-currency ones already posted; accounts that hold
    /// none yet (and platform accounts) are absent. At most <see cref="LedgerLimits.MaxPostingsPerEntry"/> accounts per call.
    /// </summary>
    Task<IReadOnlyDictionary<AccountId, Currency>> ReadAccountCurrenciesAsync(IReadOnlyCollection<AccountId> accounts, CancellationToken cancellationToken);

    /// <summary>
    /// The closed periods, with the closings' hash chain verified against the stored head of the closings
    /// (<see cref="AccountingPeriods.FromClosings"/> with the head's hash).
    /// </summary>
    Task<AccountingPeriods> ReadPeriodsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Closes <paramref name="period"/>: re-reads the closed periods, calls <see cref="AccountingPeriods.ProposeClosing"/> with
    /// closed-at from the store's clock, and records the closing and replaces the closings' head (last period and hash) in one
    /// transaction, <c>If-Match</c> on the head it read (a concurrent close makes this one re-read and, being no longer the
    /// first open period, refuse). There is no way to reopen. An append that
    /// read the periods just before the close may still land in the closed month (the two live in different partitions);
    /// recomputing a closed period's <see cref="TrialBalance.ReportHash"/> and comparing it with the recorded one exposes it.
    /// </summary>
    /// <param name="period">The month to close.</param>
    /// <param name="closedBy">The authenticated finance user.</param>
    /// <param name="today">Today in the ledger's time zone: the month must be over.</param>
    /// <param name="reportHash">The period's <see cref="TrialBalance.ReportHash"/>, computed by the caller from the journal.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<ClosePeriodResult> ClosePeriodAsync(YearMonth period, string closedBy, LocalDate today, EntryHash reportHash, CancellationToken cancellationToken);
}
