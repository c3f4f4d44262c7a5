using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Domain.Money;
using ServiceLedger.Functions.Adapters.Ledger;
using ServiceLedger.Functions.Adapters.Tables;
using ServiceLedger.TestSupport;
using ServiceLedger.TestSupport.Azurite;

namespace ServiceLedger.Bench;

/// <summary>
/// The ledger scenario: against its own Azurite, bare single-entity inserts over the Table adapter (the baseline), then
/// appends into 1 book and into 64 books with 64 concurrent callers, counting storage requests per append. Prints a table.
/// </summary>
internal static class LedgerBench
{
    private const int Concurrency = 64;
    private const int BaselineInserts = 3_200;
    private const int OneBookAppends = 400;
    private const int ManyBooks = 64;
    private const int AppendsPerBook = 50;

    private static readonly Currency Yuan = Currency.FromCode("CNY");

    public static async Task<int> RunAsync()
    {
        using var azurite = await AzuriteInstance.StartAsync();
        var rows = new List<string[]>();

        var baseline = await BaselineAsync(azurite.ConnectionString, entitiesPerRequest: 1);
        rows.Add(["bare single-entity inserts (baseline)", Figure(BaselineInserts), Rate(baseline.PerSecond), Rate(baseline.PerSecond), "1.00", "1.00", "-"]);

        // The same adapter's entity-group transaction of three inserts, with no ledger logic: what Azurite's $batch costs.
        var batches = await BaselineAsync(azurite.ConnectionString, entitiesPerRequest: LedgerLimits.OperationsPerAppend);
        rows.Add(
        [
            "bare 3-insert transactions",
            Figure(BaselineInserts),
            Rate(batches.PerSecond),
            Rate(batches.PerSecond * LedgerLimits.OperationsPerAppend),
            (batches.PerSecond / baseline.PerSecond).ToString("0.00", CultureInfo.InvariantCulture),
            "1.00",
            "-",
        ]);

        // Balances are part of the append since heads carry their book's totals: there is no separate projection to switch off.
        foreach (var (label, books, perBook) in new[]
        {
            ("appends, 1 book", 1, OneBookAppends),
            ("appends, 64 books", ManyBooks, AppendsPerBook),
        })
        {
            var run = await AppendsAsync(azurite.ConnectionString, books, perBook);
            rows.Add(
            [
                label,
                Figure(run.Appends),
                Rate(run.PerSecond),
                Rate(run.PerSecond * LedgerLimits.OperationsPerAppend),
                (run.PerSecond / baseline.PerSecond).ToString("0.00", CultureInfo.InvariantCulture),
                (run.JournalRequests / (double)run.Appends).ToString("0.00", CultureInfo.InvariantCulture),
                (run.IndexRequests / (double)run.Appends).ToString("0.00", CultureInfo.InvariantCulture),
            ]);
        }

        Print(["scenario", "operations", "ops/s", "entities/s", "ops vs baseline", "journal req/append", "balance index req/append"], rows);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{Environment.ProcessorCount} cores, {Concurrency} concurrent callers, Azurite (in-memory) on loopback; first append per book (head read, book registry, currency binding) is warm-up and not timed."));
        return 0;
    }

    private static async Task<(double PerSecond, long Requests)> BaselineAsync(string connectionString, int entitiesPerRequest)
    {
        var clients = StorageTestClients.Create(connectionString);
        var table = clients.Tables.GetTableClient(StorageTestNames.Table("baseline"));
        await table.CreateIfNotExistsAsync(CancellationToken.None);

        // An entity about the size of a journal entry (its canonical text is ~600 characters).
        var payload = new string('x', 600);
        var next = -1;
        var before = clients.Counter.TableRequests;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(worker => Task.Run(async () =>
        {
            for (var n = Interlocked.Increment(ref next); n < BaselineInserts; n = Interlocked.Increment(ref next))
            {
                var partition = "p" + (n % Concurrency).ToString(CultureInfo.InvariantCulture);
                var entities = Enumerable.Range(0, entitiesPerRequest)
                    .Select(i => new TableEntity(partition, (((long)n * entitiesPerRequest) + i).ToString("D19", CultureInfo.InvariantCulture), new Dictionary<string, TableValue> { ["Canonical"] = payload }))
                    .ToArray();
                try
                {
                    if (entities.Length == 1)
                    {
                        await table.InsertAsync(entities[0], CancellationToken.None);
                    }
                    else
                    {
                        // A refused transaction can only be the pipeline's retry of one that was written (409): same as below.
                        await table.SubmitBatchAsync(entities.Select(TableBatchOperation.Insert).ToArray(), CancellationToken.None);
                    }
                }
                catch (TableStorageException exception) when (exception.IsConflict)
                {
                    // The pipeline retried an insert whose first attempt was written (at-least-once, azure.md 2.7).
                }
            }
        })));
        watch.Stop();
        return (BaselineInserts / watch.Elapsed.TotalSeconds, clients.Counter.TableRequests - before);
    }

    private static async Task<AppendRun> AppendsAsync(string connectionString, int bookCount, int perBook)
    {
        var journalClients = StorageTestClients.Create(connectionString);
        var indexClients = StorageTestClients.Create(connectionString);
        var tables = new LedgerTables(
            StorageTestNames.Table("journal"), StorageTestNames.Table("balances"), StorageTestNames.Table("periods"), StorageTestNames.Table("books"), StorageTestNames.Table("accounts"));
        foreach (var name in tables.All)
        {
            await journalClients.Tables.GetTableClient(name).CreateIfNotExistsAsync(CancellationToken.None);
        }

        // A fixed mid-month clock: on the last day of a month (UTC + 14 h already in the next one) a store re-reads the closed
        // periods for entries dated today, which costs a second request (docs/ledger-store.md); the bench measures a normal day.
        var clock = new FakeClock(Instant.FromUtc(2027, 4, 10, 9, 30));
        var store = new TableLedgerStore(journalClients.Tables, indexClients.Tables, tables, clock, NullLogger<TableLedgerStore>.Instance);
        var today = clock.GetCurrentInstant().InUtc().Date;
        var books = Enumerable.Range(0, bookCount).Select(i => BookId.ForContract("ctr_Bench" + i.ToString(CultureInfo.InvariantCulture))).ToArray();
        foreach (var book in books)
        {
            await store.AppendAsync(Payment(book, 0, today), CancellationToken.None);
        }

        var total = bookCount * perBook;
        var next = -1;
        var journalBefore = journalClients.Counter.TableRequests;
        var indexBefore = indexClients.Counter.TableRequests;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(worker => Task.Run(async () =>
        {
            for (var n = Interlocked.Increment(ref next); n < total; n = Interlocked.Increment(ref next))
            {
                var result = await store.AppendAsync(Payment(books[n % bookCount], n + 1, today), CancellationToken.None);
                // AlreadyAppended happens when the pipeline retried a transaction whose first attempt was written.
                if (result is not (AppendResult.Appended or AppendResult.AlreadyAppended))
                {
                    throw new InvalidOperationException($"Append {n} was not appended: {result}.");
                }
            }
        })));
        watch.Stop();
        return new AppendRun(
            total,
            total / watch.Elapsed.TotalSeconds,
            journalClients.Counter.TableRequests - journalBefore,
            indexClients.Counter.TableRequests - indexBefore);
    }

    private static ProposedEntry Payment(BookId book, int n, LocalDate today)
    {
        var amount = new Money(10m + (n % 1000), Yuan);
        return ProposedEntry.Create(
            book,
            IdempotencyKey.Parse("stripe:evt_bench_" + n.ToString(CultureInfo.InvariantCulture), "idempotencyKey").Value,
            today,
            "Statement paid by card",
            [Posting.Debit(AccountId.PlatformStripeClearing, amount), Posting.Credit(AccountId.MerchantReceivable("mer_" + book.ContractId), amount)]).Value;
    }

    private static string Rate(double perSecond) => perSecond.ToString("0", CultureInfo.InvariantCulture);

    private static string Figure(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static void Print(string[] header, List<string[]> rows)
    {
        Console.WriteLine("| " + string.Join(" | ", header) + " |");
        Console.WriteLine("|" + string.Concat(header.Select(_ => " --- |")));
        foreach (var row in rows)
        {
            Console.WriteLine("| " + string.Join(" | ", row) + " |");
        }
    }

    private sealed record AppendRun(long Appends, double PerSecond, long JournalRequests, long IndexRequests);
}
