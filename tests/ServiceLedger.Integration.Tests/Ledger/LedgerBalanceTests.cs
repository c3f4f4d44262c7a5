using NodaTime;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Domain.Money;
using ServiceLedger.Functions.Adapters.Ledger;
using ServiceLedger.Functions.Adapters.Tables;
using ServiceLedger.TestSupport.Azurite;
using static ServiceLedger.Integration.Tests.Ledger.LedgerHarness;

namespace ServiceLedger.Integration.Tests.Ledger;

/// <summary>Balances (the books' totals through the balance index) and the reports over the journal, against Azurite.</summary>
public sealed class LedgerBalanceTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Stored_balances_equal_a_recomputation_from_the_journal()
    {
        var ledger = await CreateAsync();
        var store = ledger.NewStore();
        var books = new[] { BookId.ForContract("ctr_Bal1"), BookId.ForContract("ctr_Bal2"), BookId.ForContract("ctr_Bal3") };
        var expectedClearing = 0m;
        for (var i = 1; i <= 40; i++)
        {
            var book = books[i % books.Length];
            await store.AppendAsync(Statement(book, $"statement:{book.ContractId}:2027-04:v{i}", 100m * i, new LocalDate(2027, 4, 1), merchantId: "mer_Bal" + (i % 2)), None);
            await store.AppendAsync(CardPayment(book, $"stripe:evt_b{i}", 50m * i, merchantId: "mer_Bal" + (i % 2)), None);
            expectedClearing += 50m * i;
        }

        var service = ledger.Service(ledger.NewStore());
        var check = await service.CheckProjectionAsync(None);

        Assert.True(check.Agrees, string.Join("; ", check.Differences.Select(difference => difference.Message)));
        Assert.Equal(80, check.EntriesRecomputed);
        var clearing = Assert.Single(await service.ReadBalancesAsync(Clearing, None));
        Assert.Equal(Cny(expectedClearing), clearing.Balance);
        var receivable = await service.ReadBalancesAsync(AccountId.MerchantReceivable("mer_Bal0"), None);
        var asOf = await service.ReadBalancesAsOfAsync(AccountId.MerchantReceivable("mer_Bal0"), new LocalDate(2027, 4, 30), None);
        Assert.Equal(asOf, receivable);
    }

    [Fact]
    public async Task A_balance_is_exact_the_moment_an_append_returns_even_read_by_another_process()
    {
        var ledger = await CreateAsync();
        var book = BookId.ForContract("ctr_Exact1");
        var writer = ledger.NewStore();
        var reader = ledger.NewStore();

        for (var i = 1; i <= 5; i++)
        {
            await writer.AppendAsync(CardPayment(book, $"stripe:evt_x{i}", 10m * i, merchantId: "mer_Exact"), None);

            // Nothing trails: the totals travel in the head, in the entry's own transaction.
            Assert.Equal(Cny(5m * i * (i + 1)), Assert.Single(await reader.ReadAccountBalancesAsync(Clearing, None)).Balance);
        }
    }

    [Fact]
    public async Task An_entry_written_by_a_process_that_died_right_after_its_transaction_is_in_the_balances()
    {
        var ledger = await CreateAsync();
        var book = BookId.ForContract("ctr_Crash1");
        var store = ledger.NewStore();
        await store.AppendAsync(CardPayment(book, "stripe:evt_k1", 10m), None);

        // What a process that died after its transaction leaves: the entry, its marker and the head with the new totals.
        var head = await store.ReadHeadAsync(book, None);
        var stored = await ledger.Journal.GetAsync(book.Value, LedgerEntities.HeadRowKey, null, None);
        var lost = JournalEntry.Seal(CardPayment(book, "stripe:evt_k2", 32m), head, Now);
        var totals = BookTotals.Of(await ReadAllAsync(store, book)).With(lost);
        var written = await ledger.Journal.SubmitBatchAsync(
            [
                TableBatchOperation.Replace(LedgerEntities.Head(head.After(lost), book.Value, new Dictionary<AccountId, Currency>(), totals), stored!.ETag),
                TableBatchOperation.Insert(LedgerEntities.Entry(lost, book.Value)),
                TableBatchOperation.Insert(LedgerEntities.Marker(lost, book.Value)),
            ],
            None);
        Assert.True(written.Succeeded);

        Assert.Equal(Cny(42m), Assert.Single(await ledger.NewStore().ReadAccountBalancesAsync(Clearing, None)).Balance);
        Assert.True((await ledger.Service(ledger.NewStore()).CheckProjectionAsync(None)).Agrees);
    }

    [Fact]
    public async Task An_index_row_left_by_an_append_that_never_happened_adds_nothing()
    {
        var ledger = await CreateAsync();
        var store = ledger.NewStore();
        await store.AppendAsync(CardPayment(BookId.ForContract("ctr_Stray1"), "stripe:evt_s1", 25m, merchantId: "mer_Stray"), None);

        // A process indexed a book for the clearing account and died before its transaction: the book holds nothing there.
        await ledger.Clients.Tables.GetTableClient(ledger.Tables.Balances).InsertAsync(
            new TableEntity(Clearing.Value, "CNY|" + BookId.ForContract("ctr_Stray2").Value, new Dictionary<string, TableValue> { ["Currency"] = "CNY" }), None);

        Assert.Equal(Cny(25m), Assert.Single(await store.ReadAccountBalancesAsync(Clearing, None)).Balance);
        Assert.True((await ledger.Service(store).CheckProjectionAsync(None)).Agrees);
    }

    [Fact]
    public async Task Altered_totals_in_a_head_or_a_lost_index_row_show_in_the_balance_check_naming_the_account()
    {
        var ledger = await CreateAsync();
        var store = ledger.NewStore();
        var (altered, unindexed) = (BookId.ForContract("ctr_Alt1"), BookId.ForContract("ctr_Alt2"));
        await store.AppendAsync(CardPayment(altered, "stripe:evt_a1", 25m, merchantId: "mer_Alt1"), None);
        await store.AppendAsync(CardPayment(unindexed, "stripe:evt_a2", 40m, merchantId: "mer_Alt2"), None);

        // The first head claims 125.00 went through clearing; the second book's receivable loses its index row.
        var head = await ledger.Journal.GetAsync(altered.Value, LedgerEntities.HeadRowKey, null, None);
        var fake = BookTotals.Of([]).With(JournalEntry.Seal(CardPayment(altered, "stripe:evt_fake", 125m, merchantId: "mer_Alt1"), BookHead.Empty(altered), Now));
        var properties = head!.Properties.ToDictionary();
        fake.WriteTo(properties);
        await ledger.Journal.ReplaceAsync(new TableEntity(altered.Value, LedgerEntities.HeadRowKey, properties), head.ETag, None);
        var receivable = AccountId.MerchantReceivable("mer_Alt2");
        await ledger.Clients.Tables.GetTableClient(ledger.Tables.Balances).DeleteAsync(receivable.Value, "CNY|" + unindexed.Value, Azure.ETag.All, None);

        var check = await ledger.Service(ledger.NewStore()).CheckProjectionAsync(None);

        Assert.False(check.Agrees);
        Assert.Equal(
            [(AccountId.MerchantReceivable("mer_Alt1"), 125m, 25m), (receivable, 0m, 40m), (Clearing, 165m, 65m)],
            check.Differences.Select(difference => (difference.Account, difference.Projected.Debits.Amount + difference.Projected.Credits.Amount, difference.Recomputed.Debits.Amount + difference.Recomputed.Credits.Amount)).ToArray());
    }

    [Fact]
    public async Task An_entry_that_would_make_its_book_post_more_than_1000_accounts_is_refused_and_writes_nothing()
    {
        var ledger = await CreateAsync();
        var store = ledger.NewStore();
        var book = BookId.PlatformGeneral;

        // Five adjustments of 199 merchants each: 995 receivables and the clearing account, 996 pairs.
        for (var batch = 0; batch < 5; batch++)
        {
            Assert.IsType<AppendResult.Appended>(await store.AppendAsync(Spread(book, batch), None));
        }

        var refused = Assert.IsType<AppendResult.Refused>(await store.AppendAsync(Spread(book, 5), None));

        var refusal = Assert.Single(refused.Refusals);
        Assert.Equal((LedgerRule.BookHasTooManyAccounts, "postings"), (refusal.Code, refusal.Field));
        Assert.Contains("1195", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(5, (await store.ReadHeadAsync(book, None)).LastSequence);
        Assert.Empty(await store.ReadAccountBalancesAsync(AccountId.MerchantReceivable("mer_Wide5_0"), None));
    }

    private static ProposedEntry Spread(BookId book, int batch)
    {
        var receivables = Enumerable.Range(0, LedgerLimits.MaxPostingsPerEntry - 1)
            .Select(n => Posting.Credit(AccountId.MerchantReceivable($"mer_Wide{batch}_{n}"), Cny(1m)))
            .ToList();
        return ProposedEntry.Create(
            book,
            Key($"recon:wide{batch}"),
            new LocalDate(2027, 4, 10),
            "Wide adjustment",
            [Posting.Debit(Clearing, Cny(receivables.Count)), .. receivables]).Value;
    }

    [Fact]
    public async Task Trial_balance_and_clearing_check_read_the_whole_journal()
    {
        var ledger = await CreateAsync();
        var store = ledger.NewStore();
        var book = BookId.ForContract("ctr_Trial1");
        await store.AppendAsync(Statement(book, "statement:ctr_Trial1:2027-03:v1", 1000m, new LocalDate(2027, 3, 31)), None);
        await store.AppendAsync(CardPayment(book, "stripe:evt_tr1", 400m, new LocalDate(2027, 4, 2)), None);
        var service = ledger.Service(store);

        var march = await service.ComputeTrialBalanceAsync(new YearMonth(2027, 3), None);
        var april = await service.ComputeTrialBalanceAsync(new YearMonth(2027, 4), None);
        var clearing = await service.CheckClearingAsync(new LocalDate(2027, 4, 10), None);

        Assert.True(march.IsBalanced);
        Assert.Equal(3, march.Lines.Count);
        Assert.Equal(Cny(1000m), Assert.Single(march.Totals).PeriodDebits);
        Assert.Equal(Cny(400m), Assert.Single(april.Totals).PeriodDebits);
        var open = Assert.Single(clearing);
        Assert.Equal(Clearing, open.Account);
        Assert.Equal(8, open.AgeDays);
    }

    [Fact]
    public async Task An_uncontended_append_to_a_known_book_sends_exactly_one_storage_request()
    {
        var connection = (await AzuriteInstance.SharedAsync()).ConnectionString;
        var journalClients = StorageTestClients.Create(connection);
        var projectionClients = StorageTestClients.Create(connection);
        var ledger = await CreateAsync(journalClients);
        var store = new TableLedgerStore(
            journalClients.Tables, projectionClients.Tables, ledger.Tables, ledger.Clock, Microsoft.Extensions.Logging.Abstractions.NullLogger<TableLedgerStore>.Instance);
        var book = BookId.ForContract("ctr_Count1");
        await store.AppendAsync(CardPayment(book, "stripe:evt_warm", 1m), None);

        var before = journalClients.Counter.TableRequests;
        for (var i = 1; i <= 20; i++)
        {
            Assert.IsType<AppendResult.Appended>(await store.AppendAsync(CardPayment(book, $"stripe:evt_n{i}", i), None));
        }

        Assert.Equal(20, journalClients.Counter.TableRequests - before);
    }
}
