using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Domain.Money;
using ServiceLedger.Functions.Adapters.Ledger;
using ServiceLedger.Functions.Adapters.Tables;
using ServiceLedger.Functions.Ledger;
using ServiceLedger.Integration.Tests.Storage;
using ServiceLedger.TestSupport;
using ServiceLedger.TestSupport.Azurite;

namespace ServiceLedger.Integration.Tests.Ledger;

/// <summary>
/// A ledger on its own fresh tables in the shared Azurite, with a settable clock. Each <see cref="NewStore"/> is a separate
/// store instance with its own caches, as a separate process would have.
/// </summary>
internal sealed class LedgerHarness
{
    public static readonly Currency Yuan = Currency.FromCode("CNY");
    public static readonly AccountId Clearing = AccountId.PlatformStripeClearing;
    public static readonly AccountId Fees = AccountId.PlatformProcessingFees;
    public static readonly AccountId Revenue = AccountId.PlatformRevenue;

    private LedgerHarness(StorageTestClients clients, LedgerTables tables, FakeClock clock)
    {
        Clients = clients;
        Tables = tables;
        Clock = clock;
    }

    /// <summary>Today in the tests: 10 April 2027, so March has ended and may be closed.</summary>
    public static Instant Now { get; } = Instant.FromUtc(2027, 4, 10, 9, 30);

    public StorageTestClients Clients { get; }

    public LedgerTables Tables { get; }

    public FakeClock Clock { get; }

    public TableClient Journal => Clients.Tables.GetTableClient(Tables.Journal);

    /// <summary>
    /// A ledger on fresh tables; with <paramref name="contractBooksApart"/> the contract books live in a table of their own
    /// (<see cref="LedgerTables.ContractBooks"/>, as production keeps them in the statements table), else in the journal.
    /// </summary>
    public static async Task<LedgerHarness> CreateAsync(StorageTestClients? clients = null, bool contractBooksApart = false)
    {
        clients ??= await SharedAzurite.ClientsAsync();
        var tables = new LedgerTables(
            StorageTestNames.Table("journal"),
            StorageTestNames.Table("balances"),
            StorageTestNames.Table("periods"),
            StorageTestNames.Table("books"),
            StorageTestNames.Table("accounts"))
        {
            ContractBooks = contractBooksApart ? StorageTestNames.Table("statements") : null,
        };
        foreach (var name in tables.All)
        {
            await clients.Tables.GetTableClient(name).CreateIfNotExistsAsync(CancellationToken.None);
        }

        return new LedgerHarness(clients, tables, new FakeClock(Now));
    }

    public TableLedgerStore NewStore() => new(Clients.Tables, Tables, Clock, NullLogger<TableLedgerStore>.Instance);

    public LedgerService Service(TableLedgerStore store) => new(store, Clock, NullLogger<LedgerService>.Instance);

    public static Money Cny(decimal amount) => new(amount, Yuan);

    public static IdempotencyKey Key(string text) => IdempotencyKey.Parse(text, "idempotencyKey").Value;

    /// <summary>A card payment of a merchant's statement: Dr Stripe clearing / Cr the merchant's receivable.</summary>
    public static ProposedEntry CardPayment(BookId book, string key, decimal amount, LocalDate? effectiveDate = null, string merchantId = "mer_Pay1") =>
        ProposedEntry.Create(
            book,
            Key(key),
            effectiveDate ?? new LocalDate(2027, 4, 10),
            "Statement paid by card",
            [Posting.Debit(Clearing, Cny(amount)), Posting.Credit(AccountId.MerchantReceivable(merchantId), Cny(amount))]).Value;

    /// <summary>A statement issued: Dr receivable / Cr payable (90%) + revenue (10%).</summary>
    public static ProposedEntry Statement(BookId book, string key, decimal total, LocalDate effectiveDate, string merchantId = "mer_Pay1") =>
        ProposedEntry.Create(
            book,
            Key(key),
            effectiveDate,
            "Statement issued",
            [
                Posting.Debit(AccountId.MerchantReceivable(merchantId), Cny(total)),
                Posting.Credit(AccountId.VendorPayable("ven_Ser1"), Cny(total * 0.9m)),
                Posting.Credit(Revenue, Cny(total * 0.1m)),
            ]).Value;

    public static async Task<List<JournalEntry>> ReadAllAsync(ILedgerStore store, BookId book)
    {
        var entries = new List<JournalEntry>();
        string? token = null;
        do
        {
            var page = await store.ReadEntriesAsync(book, SequenceRange.All, PageRequest.Create(LedgerLimits.MaxPageSize, token).Value, CancellationToken.None);
            entries.AddRange(page.Items);
            token = page.ContinuationToken;
        }
        while (token is not null);

        return entries;
    }
}
