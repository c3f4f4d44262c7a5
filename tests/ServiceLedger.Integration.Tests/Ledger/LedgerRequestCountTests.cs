using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Functions.Adapters.Ledger;
using ServiceLedger.TestSupport.Azurite;
using static ServiceLedger.Integration.Tests.Ledger.LedgerHarness;

namespace ServiceLedger.Integration.Tests.Ledger;

/// <summary>
/// Storage requests per append, counted by the pipeline, on the paths a settlement run takes (docs/ledger-store.md, "Requests
/// per append"): a contract's first statement (new book), the next one in the same process (warm), and the next one in a process
/// that has never seen the book (cold). The figures are pinned so that a change that adds a request fails here.
/// </summary>
public sealed class LedgerRequestCountTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    // Statements are dated the day they are issued (the current month), so the cached periods answer for them.
    private static readonly LocalDate Today = new(2027, 4, 10);

    [Fact]
    public async Task A_new_books_first_statement_sends_4_journal_requests_and_indexes_its_3_accounts()
    {
        var process = await CountingProcess.StartAsync();

        // The process already knows the periods and the vendor's currency (another contract of the vendor settled first).
        await process.Store.AppendAsync(Statement(BookId.ForContract("ctr_Rq0"), "statement:ctr_Rq0:2027-03:v1", 100m, Today, "mer_Rq0"), None);
        var counted = await process.CountAsync(Statement(BookId.ForContract("ctr_Rq1"), "statement:ctr_Rq1:2027-03:v1", 100m, Today, "mer_Rq1"));

        // Head (absent), bind the new merchant's currency (insert), register the book, the transaction; the three accounts
        // (receivable, payable, revenue) are posted by the book for the first time, so each gets its index row.
        Assert.Equal((4, 3), counted);
    }

    [Fact]
    public async Task The_next_statement_in_the_same_process_sends_1_request()
    {
        var process = await CountingProcess.StartAsync();
        var book = BookId.ForContract("ctr_Rq2");
        await process.Store.AppendAsync(Statement(book, "statement:ctr_Rq2:2027-03:v1", 100m, Today, "mer_Rq2"), None);

        var counted = await process.CountAsync(Statement(book, "statement:ctr_Rq2:2027-04:v1", 120m, Today, "mer_Rq2"));

        // The transaction, which also carries the book's new totals in the head: no balance row to write.
        Assert.Equal((1, 0), counted);
        Assert.Equal(Cny(220m), Assert.Single(await process.Store.ReadAccountBalancesAsync(AccountId.MerchantReceivable("mer_Rq2"), None)).Balance);
    }

    [Fact]
    public async Task The_next_statement_in_a_process_that_never_saw_the_book_sends_2_requests()
    {
        var (ledger, connection) = await CountedLedgerAsync();
        var book = BookId.ForContract("ctr_Rq3");
        var earlier = ledger.NewStore();
        await earlier.AppendAsync(Statement(book, "statement:ctr_Rq3:2027-02:v1", 90m, new LocalDate(2027, 2, 28), "mer_Rq3"), None);
        await earlier.AppendAsync(Statement(book, "statement:ctr_Rq3:2027-03:v1", 100m, new LocalDate(2027, 3, 31), "mer_Rq3"), None);
        var cold = await CountingProcess.ColdAsync(ledger, connection);

        var counted = await cold.CountAsync(Statement(book, "statement:ctr_Rq3:2027-04:v1", 120m, Today, "mer_Rq3"));

        // The head (with the accounts' currencies and the book's totals), then the transaction; nothing else.
        Assert.Equal((2, 0), counted);
        var check = await ledger.Service(ledger.NewStore()).CheckProjectionAsync(None);
        Assert.True(check.Agrees, string.Join("; ", check.Differences.Select(difference => difference.Message)));
        Assert.Equal(3, check.EntriesRecomputed);
    }

    [Fact]
    public async Task A_statement_posting_an_account_new_to_its_book_indexes_that_account_only()
    {
        var (ledger, connection) = await CountedLedgerAsync();
        var book = BookId.ForContract("ctr_Rq5");
        await ledger.NewStore().AppendAsync(Statement(book, "statement:ctr_Rq5:2027-03:v1", 100m, new LocalDate(2027, 3, 31), "mer_Rq5"), None);
        var cold = await CountingProcess.ColdAsync(ledger, connection);

        // A card payment posts the receivable (held) and the Stripe clearing account (new to the book).
        var counted = await cold.CountAsync(CardPayment(book, "stripe:evt_rq5", 30m, merchantId: "mer_Rq5"));

        Assert.Equal((2, 1), counted);
        Assert.Equal(Cny(30m), Assert.Single(await cold.Store.ReadAccountBalancesAsync(Clearing, None)).Balance);
        Assert.Equal(Cny(70m), Assert.Single(await cold.Store.ReadAccountBalancesAsync(AccountId.MerchantReceivable("mer_Rq5"), None)).Balance);
    }

    [Fact]
    public async Task A_head_written_before_heads_carried_currencies_and_totals_still_appends_by_recomputing_what_it_lacks_once()
    {
        var (ledger, connection) = await CountedLedgerAsync();
        var book = BookId.ForContract("ctr_Rq6");
        var earlier = ledger.NewStore();
        await earlier.AppendAsync(CardPayment(book, "stripe:evt_rq6a", 30m, merchantId: "mer_Rq6"), None);
        var head = await earlier.ReadHeadAsync(book, None);
        var stored = await ledger.Journal.GetAsync(book.Value, LedgerEntities.HeadRowKey, null, None);
        await ledger.Journal.ReplaceAsync(LedgerEntities.Head(head, book.Value), stored!.ETag, None);
        var next = await CountingProcess.ColdAsync(ledger, connection);

        var counted = await next.CountAsync(CardPayment(book, "stripe:evt_rq6b", 12m, merchantId: "mer_Rq6"));

        // Journal: the head, the receivable's binding (not listed in the old head), the transaction. Balance side: the book's
        // entries read to recompute its totals, and both accounts indexed again (they were: two 409s).
        Assert.Equal((3, 3), counted);
        Assert.Equal(Cny(42m), Assert.Single(await next.Store.ReadAccountBalancesAsync(Clearing, None)).Balance);
        Assert.True((await ledger.Service(ledger.NewStore()).CheckProjectionAsync(None)).Agrees);

        // The head now carries the totals: a later cold append is back to two requests.
        var later = await CountingProcess.ColdAsync(ledger, connection);
        Assert.Equal((2, 0), await later.CountAsync(CardPayment(book, "stripe:evt_rq6c", 8m, merchantId: "mer_Rq6")));
    }

    [Fact]
    public async Task Four_processes_creating_the_same_new_books_at_once_leave_a_projection_equal_to_the_journal()
    {
        var ledger = await CreateAsync();
        var processes = Enumerable.Range(0, 4).Select(_ => ledger.NewStore()).ToArray();
        var books = Enumerable.Range(1, 10).Select(n => BookId.ForContract($"ctr_RqRace{n}")).ToArray();

        await Task.WhenAll(processes.SelectMany((store, p) => books.Select(book => Task.Run(async () =>
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    var result = await store.AppendAsync(CardPayment(book, $"stripe:evt_{book.ContractId}_{p}", 10m + p, merchantId: "mer_RqRace"), None);
                    Assert.True(result is AppendResult.Appended or AppendResult.AlreadyAppended, result.ToString());
                    return;
                }
                catch (LedgerWriteConflictException) when (attempt < 50)
                {
                    // Nothing was written; a queue trigger would retry later.
                }
            }
        }))));

        var service = ledger.Service(ledger.NewStore());
        var check = await service.CheckProjectionAsync(None);
        Assert.True(check.Agrees, string.Join("; ", check.Differences.Select(difference => difference.Message)));
        Assert.Equal(books.Length * processes.Length, check.EntriesRecomputed);
        Assert.Equal(Cny(books.Length * (10m + 11m + 12m + 13m)), Assert.Single(await service.ReadBalancesAsync(Clearing, None)).Balance);
        Assert.True((await service.VerifyAsync(None)).IsIntact);
    }

    private static async Task<(LedgerHarness Ledger, string Connection)> CountedLedgerAsync()
    {
        var connection = (await AzuriteInstance.SharedAsync()).ConnectionString;
        return (await CreateAsync(StorageTestClients.Create(connection)), connection);
    }

    /// <summary>A store whose journal-side and balance-side (index, recomputation) requests are counted apart, as one process would send them.</summary>
    private sealed class CountingProcess(TableLedgerStore store, StorageTestClients journal, StorageTestClients balances)
    {
        public TableLedgerStore Store { get; } = store;

        public static async Task<CountingProcess> StartAsync()
        {
            var (ledger, connection) = await CountedLedgerAsync();
            return Over(ledger, connection);
        }

        /// <summary>A process that has never seen any book, with the periods already read (as after its first append anywhere).</summary>
        public static async Task<CountingProcess> ColdAsync(LedgerHarness ledger, string connection)
        {
            var process = Over(ledger, connection);
            await process.Store.ReadPeriodsAsync(None);
            return process;
        }

        public static CountingProcess Over(LedgerHarness ledger, string connection)
        {
            var journal = StorageTestClients.Create(connection);
            var balances = StorageTestClients.Create(connection);
            var store = new TableLedgerStore(journal.Tables, balances.Tables, ledger.Tables, ledger.Clock, NullLogger<TableLedgerStore>.Instance);
            return new CountingProcess(store, journal, balances);
        }

        /// <summary>Appends <paramref name="entry"/> (which must be appended) and returns the (journal, balance-side) requests it sent.</summary>
        public async Task<(long Journal, long Balances)> CountAsync(ProposedEntry entry)
        {
            var journalBefore = journal.Counter.TableRequests;
            var balancesBefore = balances.Counter.TableRequests;
            Assert.IsType<AppendResult.Appended>(await Store.AppendAsync(entry, None));
            return (journal.Counter.TableRequests - journalBefore, balances.Counter.TableRequests - balancesBefore);
        }
    }
}
