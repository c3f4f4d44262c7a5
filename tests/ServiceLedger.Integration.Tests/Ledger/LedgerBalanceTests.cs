using NodaTime;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Functions.Adapters.Ledger;
using ServiceLedger.Functions.Adapters.Tables;
using ServiceLedger.TestSupport.Azurite;
using static ServiceLedger.Integration.Tests.Ledger.LedgerHarness;

namespace ServiceLedger.Integration.Tests.Ledger;

/// <summary>The balance projection and the reports over the journal, against Azurite.</summary>
public sealed class LedgerBalanceTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Projected_balances_equal_a_recomputation_from_the_journal()
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
    public async Task A_projection_that_missed_an_entry_is_caught_up_from_the_journal()
    {
        var ledger = await CreateAsync();
        var book = BookId.ForContract("ctr_Crash1");
        var store = ledger.NewStore();
        await store.AppendAsync(CardPayment(book, "stripe:evt_k1", 10m), None);

        // A process that wrote entry 2 and died before projecting it: the journal has it, the projection does not.
        var head = await store.ReadHeadAsync(book, None);
        var stored = await ledger.Journal.GetAsync(book.Value, LedgerEntities.HeadRowKey, null, None);
        var lost = JournalEntry.Seal(CardPayment(book, "stripe:evt_k2", 32m), head, Now);
        var written = await ledger.Journal.SubmitBatchAsync(
            [
                TableBatchOperation.Replace(LedgerEntities.Head(head.After(lost)), stored!.ETag),
                TableBatchOperation.Insert(LedgerEntities.Entry(lost)),
                TableBatchOperation.Insert(LedgerEntities.Marker(lost)),
            ],
            None);
        Assert.True(written.Succeeded);
        Assert.Equal(Cny(10m), Assert.Single(await store.ReadAccountBalancesAsync(Clearing, None)).Balance);

        var check = await ledger.Service(ledger.NewStore()).CheckProjectionAsync(None);

        Assert.True(check.Agrees);
        Assert.Equal(Cny(42m), Assert.Single(await store.ReadAccountBalancesAsync(Clearing, None)).Balance);
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
