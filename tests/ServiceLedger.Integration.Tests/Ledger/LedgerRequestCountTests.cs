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
    public async Task A_new_books_first_statement_sends_4_journal_and_3_projection_requests()
    {
        var process = await CountingProcess.StartAsync();

        // The process already knows the periods and the vendor's currency (another contract of the vendor settled first).
        await process.Store.AppendAsync(Statement(BookId.ForContract("ctr_Rq0"), "statement:ctr_Rq0:2027-03:v1", 100m, Today, "mer_Rq0"), None);
        var counted = await process.CountAsync(Statement(BookId.ForContract("ctr_Rq1"), "statement:ctr_Rq1:2027-03:v1", 100m, Today, "mer_Rq1"));

        // Head range (absent), bind the new merchant's currency (insert), register the book, the transaction; then the three
        // balance rows (receivable, payable, revenue) inserted unread.
        Assert.Equal((4, 3), counted);
    }

    [Fact]
    public async Task The_next_statement_in_the_same_process_sends_1_journal_and_3_projection_requests()
    {
        var process = await CountingProcess.StartAsync();
        var book = BookId.ForContract("ctr_Rq2");
        await process.Store.AppendAsync(Statement(book, "statement:ctr_Rq2:2027-03:v1", 100m, Today, "mer_Rq2"), None);

        var counted = await process.CountAsync(Statement(book, "statement:ctr_Rq2:2027-04:v1", 120m, Today, "mer_Rq2"));

        // The transaction; each row replaced with the ETag this process holds.
        Assert.Equal((1, 3), counted);
    }

    [Fact]
    public async Task The_next_statement_in_a_process_that_never_saw_the_book_sends_2_journal_and_6_projection_requests()
    {
        var connection = (await AzuriteInstance.SharedAsync()).ConnectionString;
        var ledger = await CreateAsync(StorageTestClients.Create(connection));
        var book = BookId.ForContract("ctr_Rq3");
        var earlier = ledger.NewStore();
        await earlier.AppendAsync(Statement(book, "statement:ctr_Rq3:2027-02:v1", 90m, new LocalDate(2027, 2, 28), "mer_Rq3"), None);
        await earlier.AppendAsync(Statement(book, "statement:ctr_Rq3:2027-03:v1", 100m, new LocalDate(2027, 3, 31), "mer_Rq3"), None);
        var cold = CountingProcess.Over(ledger, connection);
        await cold.Store.ReadPeriodsAsync(None);

        var counted = await cold.CountAsync(Statement(book, "statement:ctr_Rq3:2027-04:v1", 120m, Today, "mer_Rq3"));

        // Journal: one range query for the head (with the accounts' currencies and a copy of the last entry) and the watermark,
        // then the transaction, which also records the watermark. Projection: each row read (it holds the head's last entry
        // already), then replaced; no journal read.
        Assert.Equal((2, 6), counted);
        var check = await ledger.Service(ledger.NewStore()).CheckProjectionAsync(None);
        Assert.True(check.Agrees, string.Join("; ", check.Differences.Select(difference => difference.Message)));
        Assert.Equal(3, check.EntriesRecomputed);
    }

    [Fact]
    public async Task An_entry_whose_process_died_before_projecting_it_is_projected_by_the_next_append_in_another_process()
    {
        var connection = (await AzuriteInstance.SharedAsync()).ConnectionString;
        var ledger = await CreateAsync(StorageTestClients.Create(connection));
        var book = BookId.ForContract("ctr_Rq5");
        var dying = new TableLedgerStore(ledger.Clients.Tables, ledger.Clients.Tables, ledger.Tables, ledger.Clock, NullLogger<TableLedgerStore>.Instance, projectAfterAppend: false);
        await dying.AppendAsync(CardPayment(book, "stripe:evt_rq5a", 30m, merchantId: "mer_Rq5"), None);
        var next = CountingProcess.Over(ledger, connection);
        await next.Store.ReadPeriodsAsync(None);

        var counted = await next.CountAsync(CardPayment(book, "stripe:evt_rq5b", 12m, merchantId: "mer_Rq5"));

        // Entry 1 comes from the head's copy (no journal read); its two rows are read (absent) and inserted, then replaced for #2.
        Assert.Equal((2, 6), counted);
        Assert.Equal(Cny(42m), Assert.Single(await next.Store.ReadAccountBalancesAsync(Clearing, None)).Balance);
        Assert.True((await ledger.Service(ledger.NewStore()).CheckProjectionAsync(None)).Agrees);
    }

    [Fact]
    public async Task A_books_first_entry_whose_rows_another_process_already_projected_is_counted_once()
    {
        var ledger = await CreateAsync();
        var book = BookId.ForContract("ctr_Rq4");
        var store = ledger.NewStore();
        await store.AppendAsync(CardPayment(book, "stripe:evt_rq4", 25m, merchantId: "mer_Rq4"), None);
        var first = (await ReadAllAsync(store, book)).Single();

        // A second process applies the same first entry, as when it caught the book up while the appender was still projecting:
        // its unread inserts meet the rows with 409, it reads them, and they already hold the entry.
        var other = new TableBalanceProjection(ledger.Journal, ledger.Clients.Tables.GetTableClient(ledger.Tables.Balances));
        await other.ApplyAsync(first, None);

        Assert.Equal(Cny(25m), Assert.Single(await store.ReadAccountBalancesAsync(Clearing, None)).Balance);
        Assert.True((await ledger.Service(store).CheckProjectionAsync(None)).Agrees);
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

    /// <summary>A store whose journal-side and projection-side requests are counted apart, as one process would send them.</summary>
    private sealed class CountingProcess(TableLedgerStore store, StorageTestClients journal, StorageTestClients projection)
    {
        public TableLedgerStore Store { get; } = store;

        public static async Task<CountingProcess> StartAsync()
        {
            var connection = (await AzuriteInstance.SharedAsync()).ConnectionString;
            return Over(await CreateAsync(StorageTestClients.Create(connection)), connection);
        }

        public static CountingProcess Over(LedgerHarness ledger, string connection)
        {
            var journal = StorageTestClients.Create(connection);
            var projection = StorageTestClients.Create(connection);
            var store = new TableLedgerStore(journal.Tables, projection.Tables, ledger.Tables, ledger.Clock, NullLogger<TableLedgerStore>.Instance);
            return new CountingProcess(store, journal, projection);
        }

        /// <summary>Appends <paramref name="entry"/> (which must be appended) and returns the (journal, projection) requests it sent.</summary>
        public async Task<(long Journal, long Projection)> CountAsync(ProposedEntry entry)
        {
            var journalBefore = journal.Counter.TableRequests;
            var projectionBefore = projection.Counter.TableRequests;
            Assert.IsType<AppendResult.Appended>(await Store.AppendAsync(entry, None));
            return (journal.Counter.TableRequests - journalBefore, projection.Counter.TableRequests - projectionBefore);
        }
    }
}
