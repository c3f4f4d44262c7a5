using Microsoft.Extensions.Logging.Abstractions;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Functions.Adapters.Ledger;
using ServiceLedger.TestSupport.Azurite;
using static ServiceLedger.Integration.Tests.Ledger.LedgerHarness;

namespace ServiceLedger.Integration.Tests.Ledger;

/// <summary>
/// The projection keeps per-book state (gate, watermarks) for a bounded number of books, forgetting the least recently used
/// first and never a book in use; a forgotten book is projected as a fresh process would, still exactly once.
/// </summary>
public sealed class BalanceProjectionCacheTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Beyond_its_bound_the_projection_forgets_the_least_recently_used_book_and_only_that_one_costs_reads_again()
    {
        var ledger = await CreateAsync();
        var store = ledger.NewStore();
        var (a, b, c) = (BookId.ForContract("ctr_Lru1"), BookId.ForContract("ctr_Lru2"), BookId.ForContract("ctr_Lru3"));
        foreach (var book in new[] { a, b, c })
        {
            await store.AppendAsync(CardPayment(book, $"stripe:evt_{book.ContractId}", 10m, merchantId: "mer_Lru"), None);
        }

        var counted = StorageTestClients.Create((await AzuriteInstance.SharedAsync()).ConnectionString);
        var projection = new TableBalanceProjection(counted.Tables.GetTableClient(ledger.Tables.Journal), counted.Tables.GetTableClient(ledger.Tables.Balances), maxCachedBooks: 2);
        projection.KnowStoredWatermark(a, 1);
        projection.KnowStoredWatermark(b, 1);
        await projection.ApplyStoredAsync(await store.ReadHeadAsync(a, None), null, None);
        projection.KnowStoredWatermark(c, 1);

        var (headOfA, headOfB) = (await store.ReadHeadAsync(a, None), await store.ReadHeadAsync(b, None));

        var costOfA = await RequestsAsync(counted, () => projection.ApplyStoredAsync(headOfA, null, None));
        var costOfB = await RequestsAsync(counted, () => projection.ApplyStoredAsync(headOfB, null, None));

        // A was used after B, so B went when C came: A is still known (no request), B is read again like a fresh process's book.
        Assert.Equal(0, costOfA);
        Assert.True(costOfB > 0, $"the forgotten book cost {costOfB} requests");
        Assert.Equal(2, projection.CachedBooks);
        Assert.Equal(Cny(30m), Assert.Single(await store.ReadAccountBalancesAsync(Clearing, None)).Balance);
    }

    [Fact]
    public async Task Books_forgotten_between_their_entries_and_applied_at_once_are_still_projected_exactly_once()
    {
        var ledger = await CreateAsync();
        var journalOnly = new TableLedgerStore(ledger.Clients.Tables, ledger.Clients.Tables, ledger.Tables, ledger.Clock, NullLogger<TableLedgerStore>.Instance, projectAfterAppend: false);
        var projection = new TableBalanceProjection(ledger.Journal, ledger.Clients.Tables.GetTableClient(ledger.Tables.Balances), maxCachedBooks: 1);
        var books = Enumerable.Range(1, 4).Select(n => BookId.ForContract($"ctr_Lru{n}x")).ToArray();
        var applied = new List<JournalEntry>();

        for (var round = 1; round <= 3; round++)
        {
            var entries = new List<JournalEntry>();
            foreach (var book in books)
            {
                var appended = await journalOnly.AppendAsync(CardPayment(book, $"stripe:evt_{book.ContractId}_{round}", round, merchantId: "mer_Lru"), None);
                entries.Add(Assert.IsType<AppendResult.Appended>(appended).Entry);
            }

            // Four books at once through a cache of one: the books in use stay, the others are forgotten as they finish.
            await Task.WhenAll(entries.Select(entry => Task.Run(() => projection.ApplyAsync(entry, None))));
            Assert.Equal(1, projection.CachedBooks);
            applied.AddRange(entries);
        }

        // Applying every entry again (a retry after each book was forgotten) changes nothing.
        foreach (var entry in applied)
        {
            await projection.ApplyAsync(entry, None);
        }

        var reader = ledger.NewStore();
        Assert.Equal(Cny(books.Length * (1m + 2m + 3m)), Assert.Single(await reader.ReadAccountBalancesAsync(Clearing, None)).Balance);
        Assert.Equal(Cny(books.Length * (1m + 2m + 3m)), Assert.Single(await reader.ReadAccountBalancesAsync(AccountId.MerchantReceivable("mer_Lru"), None)).Credits);
    }

    private static async Task<long> RequestsAsync(StorageTestClients clients, Func<Task> action)
    {
        var before = clients.Counter.TableRequests;
        await action();
        return clients.Counter.TableRequests - before;
    }
}
