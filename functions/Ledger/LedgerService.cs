using NodaTime;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Domain.Money;
using ServiceLedger.Functions.Adapters.Ledger;

namespace ServiceLedger.Functions.Ledger;

/// <summary>
/// The ledger's use cases over the store port: append, reads, reports and checks (DESIGN.md section 4). Use cases that post
/// money call <see cref="AppendAsync"/>; finance's endpoints call the rest. Reports that need the whole journal (trial
/// balance, balances as of a date, clearing, projection check) load at most <see cref="MaxEntriesLoaded"/> entries and fail
/// loudly above that rather than answer from part of the journal.
/// </summary>
public sealed class LedgerService(ILedgerStore store, IClock clock, ILogger<LedgerService> logger)
{
    /// <summary>Most entries a whole-journal report loads into memory.</summary>
    public const int MaxEntriesLoaded = 500_000;

    /// <summary>Most books a whole-ledger walk visits.</summary>
    public const int MaxBooks = 100_000;

    /// <summary>Appends a proposed entry exactly once per (book, key); see <see cref="ILedgerStore.AppendAsync"/>.</summary>
    public Task<AppendResult> AppendAsync(ProposedEntry entry, CancellationToken cancellationToken) =>
        store.AppendAsync(entry, cancellationToken);

    /// <summary>The entry of <paramref name="book"/> appended under <paramref name="key"/>, or null (two point reads).</summary>
    public Task<JournalEntry?> FindAsync(BookId book, IdempotencyKey key, CancellationToken cancellationToken) =>
        store.FindByIdempotencyKeyAsync(book, key, cancellationToken);

    /// <summary>A page of a book's entries by sequence.</summary>
    public Task<LedgerPage<JournalEntry>> ReadEntriesAsync(BookId book, SequenceRange range, PageRequest page, CancellationToken cancellationToken) =>
        store.ReadEntriesAsync(book, range, page, cancellationToken);

    /// <summary>A page of a book's entries by effective date (inclusive).</summary>
    public Task<LedgerPage<JournalEntry>> ReadEntriesByEffectiveDateAsync(
        BookId book, DateInterval effectiveDates, PageRequest page, CancellationToken cancellationToken) =>
        store.ReadEntriesByEffectiveDateAsync(book, effectiveDates, page, cancellationToken);

    /// <summary>An account's current balances (the sum of its books' totals, exact at every append), one per currency.</summary>
    public Task<IReadOnlyList<AccountBalance>> ReadBalancesAsync(AccountId account, CancellationToken cancellationToken) =>
        store.ReadAccountBalancesAsync(account, cancellationToken);

    /// <summary>An account's balances from the journal, counting entries dated on or before <paramref name="asOf"/>.</summary>
    public async Task<IReadOnlyList<AccountBalance>> ReadBalancesAsOfAsync(AccountId account, LocalDate asOf, CancellationToken cancellationToken) =>
        BalanceProjection.AsOf(account, asOf, await LoadEntriesAsync(asOf, cancellationToken).ConfigureAwait(false));

    /// <summary>
    /// Every posting of <paramref name="account"/>, with its entry, in book then sequence order, read from the journal (at most
    /// <see cref="MaxEntriesLoaded"/> entries are scanned).
    /// </summary>
    public async Task<IReadOnlyList<(JournalEntry Entry, Posting Posting)>> ReadAccountPostingsAsync(AccountId account, CancellationToken cancellationToken) =>
        (await LoadEntriesAsync(null, cancellationToken).ConfigureAwait(false))
            .SelectMany(entry => entry.Postings.Where(posting => posting.Account == account).Select(posting => (entry, posting)))
            .ToArray();

    /// <summary>The trial balance of <paramref name="period"/> per account and currency, from the journal.</summary>
    public async Task<TrialBalance> ComputeTrialBalanceAsync(YearMonth period, CancellationToken cancellationToken) =>
        TrialBalance.Compute(period, await LoadEntriesAsync(period.ToDateInterval().End, cancellationToken).ConfigureAwait(false));

    /// <summary>Clearing accounts that are not zero on <paramref name="asOf"/>, with their age.</summary>
    public async Task<IReadOnlyList<OpenClearingBalance>> CheckClearingAsync(LocalDate asOf, CancellationToken cancellationToken) =>
        ClearingCheck.Run(await LoadEntriesAsync(asOf, cancellationToken).ConfigureAwait(false), asOf);

    /// <summary>Every book's entries dated within <paramref name="dates"/> (inclusive), book by book in sequence order.</summary>
    public async Task<IReadOnlyList<JournalEntry>> ReadEntriesDatedAsync(DateInterval dates, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dates);
        return (await LoadEntriesAsync(dates.End, cancellationToken).ConfigureAwait(false)).Where(entry => entry.EffectiveDate >= dates.Start).ToArray();
    }

    /// <summary>The closed periods.</summary>
    public Task<AccountingPeriods> ReadPeriodsAsync(CancellationToken cancellationToken) => store.ReadPeriodsAsync(cancellationToken);

    /// <summary>
    /// Closes <paramref name="period"/> on behalf of <paramref name="closedBy"/>, recording the hash of its trial balance. "Today"
    /// is the UTC date of the clock: a month can be closed once it has ended in UTC.
    /// </summary>
    public async Task<ClosePeriodResult> ClosePeriodAsync(YearMonth period, string closedBy, CancellationToken cancellationToken)
    {
        var report = await ComputeTrialBalanceAsync(period, cancellationToken).ConfigureAwait(false);
        var today = clock.GetCurrentInstant().InUtc().Date;
        return await store.ClosePeriodAsync(period, closedBy, today, report.ReportHash, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Walks every book's chain from its first entry to its head and reports the broken links.</summary>
    public async Task<LedgerVerification> VerifyAsync(CancellationToken cancellationToken)
    {
        var results = new List<BookVerification>();
        foreach (var book in await ListBooksAsync(cancellationToken).ConfigureAwait(false))
        {
            results.Add(await VerifyBookAsync(book, cancellationToken).ConfigureAwait(false));
        }

        var verification = new LedgerVerification(results);
        if (!verification.IsIntact)
        {
            logger.LogError("Ledger verification found a broken chain: {Problem}", verification.FirstProblem?.Message);
        }

        return verification;
    }

    /// <summary>Walks one book's chain up to the head read first (entries appended meanwhile are left for the next walk).</summary>
    public async Task<BookVerification> VerifyBookAsync(BookId book, CancellationToken cancellationToken)
    {
        var head = await store.ReadHeadAsync(book, cancellationToken).ConfigureAwait(false);
        var verification = ChainVerification.Start(book);
        if (head.LastSequence > 0)
        {
            try
            {
                await foreach (var entry in ReadBookAsync(book, new SequenceRange(1, head.LastSequence), cancellationToken).ConfigureAwait(false))
                {
                    verification = verification.Next(entry);
                }
            }
            catch (LedgerEntryUnreadableException unreadable)
            {
                // The chain cannot go past an entry that no longer parses: that entry is the first broken link.
                var problem = new ChainProblem(ChainProblemKind.HashMismatch, book, unreadable.Sequence, "an entry in canonical form ledger-entry/v1", unreadable.Reason);
                var listed = verification.Problems.Append(problem).Take(LedgerLimits.MaxReportedChainProblems).ToArray();
                return new BookVerification(book, verification.EntriesChecked, verification.ProblemCount + 1, listed);
            }
        }

        verification = verification.AtHead(head);
        return new BookVerification(book, verification.EntriesChecked, verification.ProblemCount, verification.Problems);
    }

    /// <summary>
    /// Compares the stored balances (every book's totals, as its head carries them, summed per account through the balance
    /// index) with a recomputation from the journal: a difference means a head's totals or an index row were altered or lost.
    /// </summary>
    public async Task<ProjectionCheck> CheckProjectionAsync(CancellationToken cancellationToken)
    {
        var entries = await LoadEntriesAsync(null, cancellationToken).ConfigureAwait(false);
        var recomputed = BalanceProjection.Recompute(entries).Balances.ToDictionary(balance => (balance.Account, balance.Currency));
        var projected = new Dictionary<(AccountId, Currency), AccountBalance>();
        string? token = null;
        do
        {
            var page = await store.ReadBalancesAsync(PageRequest.Create(LedgerLimits.MaxPageSize, token).Value, cancellationToken).ConfigureAwait(false);
            foreach (var balance in page.Items)
            {
                projected[(balance.Account, balance.Currency)] = balance;
            }

            token = page.ContinuationToken;
        }
        while (token is not null);

        var differences = projected.Keys.Union(recomputed.Keys)
            .Order(Comparer<(AccountId Account, Currency Currency)>.Create((x, y) =>
            {
                var byAccount = x.Account.CompareTo(y.Account);
                return byAccount != 0 ? byAccount : string.CompareOrdinal(x.Currency.Code, y.Currency.Code);
            }))
            .Select(key => new BalanceDifference(
                key.Item1,
                key.Item2,
                projected.GetValueOrDefault(key) ?? AccountBalance.Zero(key.Item1, key.Item2),
                recomputed.GetValueOrDefault(key) ?? AccountBalance.Zero(key.Item1, key.Item2)))
            .Where(difference => difference.Projected.Debits != difference.Recomputed.Debits || difference.Projected.Credits != difference.Recomputed.Credits)
            .ToArray();
        return new ProjectionCheck(entries.Count, differences);
    }

    private async Task<IReadOnlyList<BookId>> ListBooksAsync(CancellationToken cancellationToken)
    {
        var books = new List<BookId>();
        string? token = null;
        do
        {
            var page = await store.ListBooksAsync(PageRequest.Create(LedgerLimits.MaxPageSize, token).Value, cancellationToken).ConfigureAwait(false);
            books.AddRange(page.Items);
            if (books.Count > MaxBooks)
            {
                throw new InvalidOperationException($"The ledger has more than {MaxBooks} books; walk them in pages instead.");
            }

            token = page.ContinuationToken;
        }
        while (token is not null);

        return books;
    }

    private async IAsyncEnumerable<JournalEntry> ReadBookAsync(
        BookId book, SequenceRange range, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? token = null;
        do
        {
            var page = await store.ReadEntriesAsync(book, range, PageRequest.Create(LedgerLimits.MaxPageSize, token).Value, cancellationToken).ConfigureAwait(false);
            foreach (var entry in page.Items)
            {
                yield return entry;
            }

            token = page.ContinuationToken;
        }
        while (token is not null);
    }

    /// <summary>Every entry of every book (dated on or before <paramref name="through"/> when given), book by book in sequence order.</summary>
    private async Task<IReadOnlyList<JournalEntry>> LoadEntriesAsync(LocalDate? through, CancellationToken cancellationToken)
    {
        var entries = new List<JournalEntry>();
        foreach (var book in await ListBooksAsync(cancellationToken).ConfigureAwait(false))
        {
            string? token = null;
            do
            {
                var page = PageRequest.Create(LedgerLimits.MaxPageSize, token).Value;
                var read = through is { } last
                    ? await store.ReadEntriesByEffectiveDateAsync(book, new DateInterval(new LocalDate(LedgerLimits.MinEffectiveYear, 1, 1), last), page, cancellationToken).ConfigureAwait(false)
                    : await store.ReadEntriesAsync(book, SequenceRange.All, page, cancellationToken).ConfigureAwait(false);
                entries.AddRange(read.Items);
                if (entries.Count > MaxEntriesLoaded)
                {
                    throw new InvalidOperationException($"This report needs more than {MaxEntriesLoaded} entries in memory; it must be computed in pages.");
                }

                token = read.ContinuationToken;
            }
            while (token is not null);
        }

        return entries;
    }
}
