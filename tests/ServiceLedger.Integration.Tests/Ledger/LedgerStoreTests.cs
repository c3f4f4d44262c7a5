using NodaTime;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Functions.Adapters.Ledger;
using ServiceLedger.Functions.Adapters.Tables;
using static ServiceLedger.Integration.Tests.Ledger.LedgerHarness;

namespace ServiceLedger.Integration.Tests.Ledger;

/// <summary>The Table Storage ledger store against Azurite: exactly-once appends, the chain, refusals and periods.</summary>
public sealed class LedgerStoreTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Eight_concurrent_appenders_of_200_entries_into_one_book_leave_1600_gap_free_chained_entries()
    {
        const int appenders = 8;
        const int entriesEach = 200;
        var ledger = await CreateAsync();
        var book = BookId.ForContract("ctr_Busy1");

        // Two store instances, as two processes would have, each with four appenders: inside a process appends to one book
        // queue behind each other; between the two, heads go stale and the If-Match on the head decides.
        var processes = new[] { ledger.NewStore(), ledger.NewStore() };
        var conflicts = 0;
        await Task.WhenAll(Enumerable.Range(0, appenders).Select(appender => Task.Run(async () =>
        {
            var store = processes[appender % processes.Length];
            for (var i = 0; i < entriesEach; i++)
            {
                var entry = CardPayment(book, $"test:{appender}:{i}", 10m + i);
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        // AlreadyAppended only when the HTTP pipeline retried a transaction whose first attempt was written.
                        var result = await store.AppendAsync(entry, None);
                        Assert.True(result is AppendResult.Appended or AppendResult.AlreadyAppended, result.ToString());
                        break;
                    }
                    catch (LedgerWriteConflictException) when (attempt < 100)
                    {
                        // What a queue trigger does with a 503: try again later. Nothing was written.
                        Interlocked.Increment(ref conflicts);
                    }
                }
            }
        })));

        var reader = ledger.NewStore();
        var entries = await ReadAllAsync(reader, book);
        Assert.Equal(Enumerable.Range(1, appenders * entriesEach).Select(n => (long)n), entries.Select(entry => entry.Sequence));
        Assert.Equal(appenders * entriesEach, entries.Select(entry => entry.IdempotencyKey).Distinct().Count());
        var verification = await ledger.Service(reader).VerifyBookAsync(book, None);
        Assert.True(verification.IsIntact, string.Join("; ", verification.Problems.Select(problem => problem.Message)));
        Assert.Equal(appenders * entriesEach, verification.EntriesChecked);
        var head = await reader.ReadHeadAsync(book, None);
        Assert.Equal(entries[^1].Hash, head.LastHash);
    }

    [Fact]
    public async Task Every_key_appended_twice_exists_once_and_the_retry_gets_the_first_entry()
    {
        var ledger = await CreateAsync();
        var book = BookId.ForContract("ctr_Twice1");
        var first = ledger.NewStore();
        var entries = Enumerable.Range(1, 20).Select(i => CardPayment(book, $"stripe:evt_{i}", i)).ToArray();
        var appended = new List<JournalEntry>();
        foreach (var entry in entries)
        {
            appended.Add(Assert.IsType<AppendResult.Appended>(await first.AppendAsync(entry, None)).Entry);
        }

        // A second process that has never seen the book retries every key, and so does the first one (cached head).
        var second = ledger.NewStore();
        for (var i = 0; i < entries.Length; i++)
        {
            var again = Assert.IsType<AppendResult.AlreadyAppended>(await second.AppendAsync(entries[i], None));
            Assert.Equal(appended[i].Hash, again.Entry.Hash);
            Assert.Equal(appended[i].Sequence, again.Entry.Sequence);
            Assert.IsType<AppendResult.AlreadyAppended>(await first.AppendAsync(entries[i], None));
        }

        var stored = await ReadAllAsync(second, book);
        Assert.Equal(20, stored.Count);
        Assert.Equal(20, (await second.ReadHeadAsync(book, None)).LastSequence);
    }

    [Fact]
    public async Task The_same_key_with_different_content_is_refused_and_nothing_is_written()
    {
        var ledger = await CreateAsync();
        var book = BookId.ForContract("ctr_Differ1");
        var store = ledger.NewStore();
        var original = Assert.IsType<AppendResult.Appended>(await store.AppendAsync(CardPayment(book, "stripe:evt_same", 100m), None)).Entry;

        var refused = Assert.IsType<AppendResult.Refused>(await ledger.NewStore().AppendAsync(CardPayment(book, "stripe:evt_same", 101m), None));

        var refusal = Assert.Single(refused.Refusals);
        Assert.Equal(LedgerRule.ExistsWithDifferentContent, refusal.Code);
        Assert.Equal("idempotencyKey", refusal.Field);
        Assert.Contains(original.RequestHash.Hex, refusal.Message, StringComparison.Ordinal);
        Assert.Single(await ReadAllAsync(store, book));
        Assert.Equal(original.Hash, (await store.ReadHeadAsync(book, None)).LastHash);
    }

    [Fact]
    public async Task An_entry_edited_in_storage_is_found_by_verify_at_its_sequence()
    {
        var ledger = await CreateAsync();
        var book = BookId.ForContract("ctr_Tamper1");
        var untouched = BookId.ForContract("ctr_Tamper2");
        var store = ledger.NewStore();
        for (var i = 1; i <= 6; i++)
        {
            await store.AppendAsync(CardPayment(book, $"stripe:evt_t{i}", 100m * i), None);
            await store.AppendAsync(CardPayment(untouched, $"stripe:evt_u{i}", 100m * i), None);
        }

        // Someone changes 400.00 into 900.00 in entry 4, on both postings so that it still balances and still parses.
        var stored = (await ledger.Journal.GetAsync(book.Value, "0000000000000000004", null, None))!;
        var text = stored.Get(LedgerEntities.Canonical).AsString();
        Assert.Contains("posting-amount=6:400.00", text, StringComparison.Ordinal);
        var edited = new Dictionary<string, TableValue>(stored.Properties) { [LedgerEntities.Canonical] = text.Replace("400.00", "900.00", StringComparison.Ordinal) };
        await ledger.Journal.ReplaceAsync(new TableEntity(book.Value, stored.RowKey, edited), stored.ETag, None);

        var verification = await ledger.Service(ledger.NewStore()).VerifyAsync(None);

        Assert.False(verification.IsIntact);
        var problem = verification.FirstProblem!;
        Assert.Equal(ChainProblemKind.HashMismatch, problem.Kind);
        Assert.Equal(book, problem.Book);
        Assert.Equal(4, problem.Sequence);
        Assert.True(verification.Books.Single(result => result.Book == untouched).IsIntact);
    }

    [Fact]
    public async Task An_entry_edited_until_it_no_longer_parses_is_reported_at_its_sequence()
    {
        var ledger = await CreateAsync();
        var book = BookId.ForContract("ctr_Tamper3");
        var store = ledger.NewStore();
        for (var i = 1; i <= 3; i++)
        {
            await store.AppendAsync(CardPayment(book, $"stripe:evt_p{i}", 10m * i), None);
        }

        var stored = (await ledger.Journal.GetAsync(book.Value, "0000000000000000002", null, None))!;
        var edited = new Dictionary<string, TableValue>(stored.Properties)
        {
            [LedgerEntities.Canonical] = stored.Get(LedgerEntities.Canonical).AsString().Replace("posting-amount=5:20.00", "posting-amount=5:2O.00", StringComparison.Ordinal),
        };
        await ledger.Journal.ReplaceAsync(new TableEntity(book.Value, stored.RowKey, edited), stored.ETag, None);

        var verification = await ledger.Service(ledger.NewStore()).VerifyBookAsync(book, None);

        Assert.False(verification.IsIntact);
        Assert.Equal(2, verification.Problems[0].Sequence);
        Assert.Equal(ChainProblemKind.HashMismatch, verification.Problems[0].Kind);
    }

    [Fact]
    public async Task An_entry_dated_in_a_closed_period_is_refused_naming_the_first_open_period_and_a_retry_still_gets_its_first_answer()
    {
        var ledger = await CreateAsync();
        var book = BookId.ForContract("ctr_Close1");
        var store = ledger.NewStore();
        var march = Statement(book, "statement:ctr_Close1:2027-03:v1", 1000m, new LocalDate(2027, 3, 31));
        Assert.IsType<AppendResult.Appended>(await store.AppendAsync(march, None));
        var otherProcess = ledger.NewStore();
        Assert.Empty((await otherProcess.ReadPeriodsAsync(None)).Closings);

        var closed = Assert.IsType<ClosePeriodResult.Closed>(await ledger.Service(store).ClosePeriodAsync(new YearMonth(2027, 3), "finance:ada", None));
        var late = Statement(book, "statement:ctr_Close1:2027-03:v2", 1200m, new LocalDate(2027, 3, 31));

        foreach (var writer in new[] { store, otherProcess })
        {
            var refused = Assert.IsType<AppendResult.Refused>(await writer.AppendAsync(late, None));
            var refusal = Assert.Single(refused.Refusals);
            Assert.Equal(LedgerRule.EffectiveDateInClosedPeriod, refusal.Code);
            Assert.Equal("effectiveDate", refusal.Field);
            Assert.Contains("2027-04", refusal.Message, StringComparison.Ordinal);
            Assert.IsType<AppendResult.AlreadyAppended>(await writer.AppendAsync(march, None));
        }

        Assert.Single(await ReadAllAsync(store, book));
        var periods = await ledger.NewStore().ReadPeriodsAsync(None);
        Assert.Equal(closed.Closing, Assert.Single(periods.Closings));
        var again = Assert.IsType<ClosePeriodResult.Refused>(await ledger.Service(ledger.NewStore()).ClosePeriodAsync(new YearMonth(2027, 3), "finance:ada", None));
        Assert.Equal(LedgerRule.PeriodAlreadyClosed, again.Refusals[0].Code);
    }

    [Fact]
    public async Task A_merchant_account_keeps_the_currency_of_its_first_posting_across_books()
    {
        var ledger = await CreateAsync();
        Assert.IsType<AppendResult.Appended>(await ledger.NewStore().AppendAsync(CardPayment(BookId.ForContract("ctr_Cur1"), "stripe:evt_c1", 5m, merchantId: "mer_Cur1"), None));
        var inDollars = ProposedEntry.Create(
            BookId.ForContract("ctr_Cur2"),
            Key("stripe:evt_c2"),
            new LocalDate(2027, 4, 10),
            "Paid in dollars",
            [
                Posting.Debit(Clearing, new Domain.Money.Money(5m, Domain.Money.Currency.FromCode("USD"))),
                Posting.Credit(AccountId.MerchantReceivable("mer_Cur1"), new Domain.Money.Money(5m, Domain.Money.Currency.FromCode("USD"))),
            ]).Value;

        var refused = Assert.IsType<AppendResult.Refused>(await ledger.NewStore().AppendAsync(inDollars, None));

        Assert.Equal(LedgerRule.AccountCurrencyMismatch, Assert.Single(refused.Refusals).Code);
        Assert.Equal(0, (await ledger.NewStore().ReadHeadAsync(BookId.ForContract("ctr_Cur2"), None)).LastSequence);
    }

    [Fact]
    public async Task Entries_are_read_in_pages_by_sequence_and_by_effective_date()
    {
        var ledger = await CreateAsync();
        var book = BookId.ForContract("ctr_Pages1");
        var store = ledger.NewStore();
        for (var day = 1; day <= 9; day++)
        {
            await store.AppendAsync(CardPayment(book, $"stripe:evt_d{day}", day, new LocalDate(2027, 4, day)), None);
        }

        var first = await store.ReadEntriesAsync(book, new SequenceRange(2, 6), PageRequest.Create(3, null).Value, None);
        var second = await store.ReadEntriesAsync(book, new SequenceRange(2, 6), PageRequest.Create(3, first.ContinuationToken).Value, None);
        var dated = await store.ReadEntriesByEffectiveDateAsync(book, new DateInterval(new LocalDate(2027, 4, 4), new LocalDate(2027, 4, 7)), PageRequest.First, None);

        Assert.Equal([2L, 3, 4], first.Items.Select(entry => entry.Sequence));
        Assert.Equal([5L, 6], second.Items.Select(entry => entry.Sequence));
        Assert.Null(second.ContinuationToken);
        Assert.Equal([4L, 5, 6, 7], dated.Items.Select(entry => entry.Sequence));
        var books = await store.ListBooksAsync(PageRequest.First, None);
        Assert.Equal([book], books.Items);
    }
}
