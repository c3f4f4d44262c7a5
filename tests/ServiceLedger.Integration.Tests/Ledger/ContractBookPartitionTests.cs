using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Functions.Adapters.Ledger;
using ServiceLedger.Functions.Adapters.Tables;
using ServiceLedger.Functions.Statements;
using ServiceLedger.TestSupport.Azurite;
using static ServiceLedger.Integration.Tests.Ledger.LedgerHarness;

namespace ServiceLedger.Integration.Tests.Ledger;

/// <summary>
/// A contract's book kept in its contract's partition of the statements table (<see cref="LedgerTables.ContractBooks"/>,
/// docs/ledger-store.md, "Where a book lives"): every read finds it there, the head a partition query read saves the append's
/// head read, and an append carries rows of the partition in its transaction, all or nothing.
/// </summary>
public sealed class ContractBookPartitionTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly LocalDate Today = new(2027, 4, 10);

    [Fact]
    public async Task A_contract_book_lives_in_its_contracts_partition_and_reads_back_through_every_read_while_platform_books_stay_in_the_journal()
    {
        var ledger = await CreateAsync(contractBooksApart: true);
        var store = ledger.NewStore();
        var book = BookId.ForContract("ctr_Cb1");
        await store.AppendAsync(Statement(book, "statement:ctr_Cb1:2027-03:v1", 100m, Today, "mer_Cb1"), None);
        await store.AppendAsync(CardPayment(BookId.PlatformGeneral, "stripe:evt_cb1", 5m, Today, "mer_Cb1"), None);

        var shared = ledger.Clients.Tables.GetTableClient(ledger.Tables.ContractBooks!);
        Assert.Equal(["0000000000000000001", "head", "idem:statement:ctr_Cb1:2027-03:v1"], await RowKeysAsync(shared, "ctr_Cb1"));
        Assert.Empty(await RowKeysAsync(ledger.Journal, book.Value));
        Assert.Equal(3, (await RowKeysAsync(ledger.Journal, BookId.PlatformGeneral.Value)).Count);

        // A new process reads it all back: entries, the key, the head, balances (index then head) and the chain.
        var cold = ledger.NewStore();
        var entry = Assert.Single(await ReadAllAsync(cold, book));
        Assert.Equal(entry.Id, (await cold.FindByIdempotencyKeyAsync(book, Key("statement:ctr_Cb1:2027-03:v1"), None))!.Id);
        Assert.Equal(1, (await cold.ReadHeadAsync(book, None)).LastSequence);
        Assert.Equal(Cny(95m), Assert.Single(await cold.ReadAccountBalancesAsync(AccountId.MerchantReceivable("mer_Cb1"), None)).Balance);
        Assert.True((await ledger.Service(cold).VerifyBookAsync(book, None)).IsIntact);
    }

    [Fact]
    public async Task A_head_remembered_from_the_partition_lets_a_new_process_append_with_its_statement_in_one_request()
    {
        var connection = (await AzuriteInstance.SharedAsync()).ConnectionString;
        var ledger = await CreateAsync(StorageTestClients.Create(connection), contractBooksApart: true);
        var book = BookId.ForContract("ctr_Cb2");
        await ledger.NewStore().AppendAsync(Statement(book, "statement:ctr_Cb2:2027-02:v1", 90m, Today, "mer_Cb2"), None);
        var counted = StorageTestClients.Create(connection);
        var cold = new TableLedgerStore(counted.Tables, ledger.Tables, ledger.Clock, NullLogger<TableLedgerStore>.Instance);
        await cold.ReadPeriodsAsync(None);
        var shared = ledger.Clients.Tables.GetTableClient(ledger.Tables.ContractBooks!);
        var head = await shared.GetAsync("ctr_Cb2", LedgerEntities.HeadRowKey, null, None);

        Assert.True(cold.RememberHead(book, ledger.Tables.ContractBooks!, "ctr_Cb2", head));
        var before = counted.Counter.TableRequests;
        var appended = await cold.TryAppendWithAsync(
            Statement(book, "statement:ctr_Cb2:2027-03:v1", 100m, Today, "mer_Cb2"),
            entry => [new TableEntity("ctr_Cb2", "stm:2027-03:v001", [new("LedgerEntryId", entry.Id.ToString())])],
            None);

        Assert.Equal(1, counted.Counter.TableRequests - before);
        Assert.Equal(2, appended!.Sequence);
        var row = await shared.GetAsync("ctr_Cb2", "stm:2027-03:v001", null, None);
        Assert.Equal("contract:ctr_Cb2#2", row!.Get("LedgerEntryId").AsString());
        Assert.Equal(Cny(190m), Assert.Single(await cold.ReadAccountBalancesAsync(AccountId.MerchantReceivable("mer_Cb2"), None)).Balance);
    }

    [Fact]
    public async Task A_stale_remembered_head_is_read_again_and_the_append_with_its_rows_lands_once()
    {
        var ledger = await CreateAsync(contractBooksApart: true);
        var book = BookId.ForContract("ctr_Cb3");
        var other = ledger.NewStore();
        await other.AppendAsync(Statement(book, "statement:ctr_Cb3:2027-01:v1", 80m, Today, "mer_Cb3"), None);
        var shared = ledger.Clients.Tables.GetTableClient(ledger.Tables.ContractBooks!);
        var staleHead = await shared.GetAsync("ctr_Cb3", LedgerEntities.HeadRowKey, null, None);
        var store = ledger.NewStore();
        Assert.True(store.RememberHead(book, ledger.Tables.ContractBooks!, "ctr_Cb3", staleHead));

        // Another process posts (a payment) after the partition was read.
        await other.AppendAsync(CardPayment(book, "stripe:evt_cb3", 30m, Today, "mer_Cb3"), None);
        var appended = await store.TryAppendWithAsync(
            Statement(book, "statement:ctr_Cb3:2027-02:v1", 90m, Today, "mer_Cb3"),
            _ => [new TableEntity("ctr_Cb3", "stm:2027-02:v001", [new("Note", "with its entry")])],
            None);

        Assert.Equal(3, appended!.Sequence);
        Assert.Equal(3, (await ReadAllAsync(store, book)).Count);
        Assert.NotNull(await shared.GetAsync("ctr_Cb3", "stm:2027-02:v001", null, None));
        Assert.Equal(Cny(140m), Assert.Single(await store.ReadAccountBalancesAsync(AccountId.MerchantReceivable("mer_Cb3"), None)).Balance);
    }

    [Fact]
    public async Task An_existing_row_an_existing_key_or_a_refused_entry_makes_the_append_with_rows_write_nothing()
    {
        var ledger = await CreateAsync(contractBooksApart: true);
        var book = BookId.ForContract("ctr_Cb4");
        var store = ledger.NewStore();
        var shared = ledger.Clients.Tables.GetTableClient(ledger.Tables.ContractBooks!);
        await store.AppendAsync(Statement(book, "statement:ctr_Cb4:2027-02:v1", 90m, Today, "mer_Cb4"), None);
        await shared.InsertAsync(new TableEntity("ctr_Cb4", "stm:2027-03:v001", [new("Note", "stored by another handling")]), None);
        IReadOnlyList<TableEntity> Row(JournalEntry entry) => [new TableEntity("ctr_Cb4", "stm:2027-03:v001", [new("Note", "ours")])];
        IReadOnlyList<TableEntity> NewRow(JournalEntry entry) => [new TableEntity("ctr_Cb4", "stm:2027-04:v001", [new("Note", "ours")])];

        // The row exists: nothing is written, the head stays.
        Assert.Null(await store.TryAppendWithAsync(Statement(book, "statement:ctr_Cb4:2027-03:v1", 100m, Today, "mer_Cb4"), Row, None));
        // The key exists (with other content or not): nothing is written; the plain append answers it.
        Assert.Null(await store.TryAppendWithAsync(Statement(book, "statement:ctr_Cb4:2027-02:v1", 90m, Today, "mer_Cb4"), NewRow, None));
        // A refused entry (dated in a closed month): nothing is written.
        Assert.IsType<ClosePeriodResult.Closed>(await store.ClosePeriodAsync(new YearMonth(2027, 3), "finance", Today, EntryHash.Zero, None));
        Assert.Null(await store.TryAppendWithAsync(Statement(book, "statement:ctr_Cb4:2027-04:v1", 100m, new LocalDate(2027, 3, 31), "mer_Cb4"), NewRow, None));

        Assert.Equal(1, (await ledger.NewStore().ReadHeadAsync(book, None)).LastSequence);
        Assert.Equal("stored by another handling", (await shared.GetAsync("ctr_Cb4", "stm:2027-03:v001", null, None))!.Get("Note").AsString());
        Assert.Null(await shared.GetAsync("ctr_Cb4", "stm:2027-04:v001", null, None));
    }

    [Fact]
    public async Task Only_a_contract_book_kept_with_its_contract_takes_a_remembered_head_or_rows_in_its_transaction()
    {
        var apart = await CreateAsync(contractBooksApart: true);
        var store = apart.NewStore();
        var book = BookId.ForContract("ctr_Cb5");

        Assert.False(store.RememberHead(BookId.PlatformGeneral, apart.Tables.ContractBooks!, "platform:general", null));
        Assert.False(store.RememberHead(book, apart.Tables.Journal, "ctr_Cb5", null));
        Assert.False(store.RememberHead(book, apart.Tables.ContractBooks!, "ctr_Other", null));
        Assert.True(store.RememberHead(book, apart.Tables.ContractBooks!, "ctr_Cb5", null));
        await Assert.ThrowsAsync<ArgumentException>(() => store.TryAppendWithAsync(
            Statement(book, "statement:ctr_Cb5:2027-03:v1", 100m, Today, "mer_Cb5"), _ => [new TableEntity("ctr_Other", "stm:x", [])], None));

        // Contract books in the journal: no statement shares their partition, so nothing is appended alongside.
        var together = await CreateAsync();
        Assert.False(together.NewStore().RememberHead(book, apart.Tables.ContractBooks!, "ctr_Cb5", null));
        Assert.Null(await together.NewStore().TryAppendWithAsync(
            Statement(book, "statement:ctr_Cb5:2027-03:v1", 100m, Today, "mer_Cb5"), _ => [new TableEntity(book.Value, "stm:x", [])], None));
        Assert.Equal(0, (await together.NewStore().ReadHeadAsync(book, None)).LastSequence);
    }

    [Fact]
    public async Task Accounts_opened_before_the_first_statement_leave_that_statement_one_request_in_a_new_process_and_change_no_balance()
    {
        var connection = (await AzuriteInstance.SharedAsync()).ConnectionString;
        var ledger = await CreateAsync(StorageTestClients.Create(connection), contractBooksApart: true);
        var book = BookId.ForContract("ctr_Cb6");
        KeyValuePair<AccountId, Domain.Money.Currency>[] accounts =
        [
            new(AccountId.MerchantReceivable("mer_Cb6"), Yuan), new(AccountId.VendorPayable("ven_Ser1"), Yuan), new(Revenue, Yuan), new(AccountId.PlatformPenaltyRevenue, Yuan),
        ];
        var opener = ledger.NewStore();

        Assert.True(await opener.OpenAccountsAsync(book, accounts, None));
        var shared = ledger.Clients.Tables.GetTableClient(ledger.Tables.ContractBooks!);
        var opened = (await shared.GetAsync("ctr_Cb6", LedgerEntities.HeadRowKey, null, None))!;
        Assert.Equal(0, opened.Get(LedgerEntities.LastSequence).AsInt64());
        Assert.Contains(book, (await opener.ListBooksAsync(PageRequest.First, None)).Items);
        Assert.Equal(Cny(0m), Assert.Single(await opener.ReadAccountBalancesAsync(AccountId.MerchantReceivable("mer_Cb6"), None)).Balance);

        // Opening again writes nothing.
        Assert.True(await ledger.NewStore().OpenAccountsAsync(book, accounts, None));
        Assert.Equal(opened.ETag, (await shared.GetAsync("ctr_Cb6", LedgerEntities.HeadRowKey, null, None))!.ETag);

        // The first statement, in a process that never saw the book, with the head its partition query read: one request.
        var counted = StorageTestClients.Create(connection);
        var cold = new TableLedgerStore(counted.Tables, ledger.Tables, ledger.Clock, NullLogger<TableLedgerStore>.Instance);
        await cold.ReadPeriodsAsync(None);
        Assert.True(cold.RememberHead(book, ledger.Tables.ContractBooks!, "ctr_Cb6", opened));
        var before = counted.Counter.TableRequests;
        var appended = await cold.TryAppendWithAsync(Statement(book, "statement:ctr_Cb6:2027-03:v1", 100m, Today, "mer_Cb6"), _ => [], None);

        Assert.Equal(1, counted.Counter.TableRequests - before);
        Assert.Equal(1, appended!.Sequence);
        Assert.Equal(Cny(100m), Assert.Single(await cold.ReadAccountBalancesAsync(AccountId.MerchantReceivable("mer_Cb6"), None)).Balance);
        var service = ledger.Service(cold);
        Assert.True((await service.VerifyBookAsync(book, None)).IsIntact);
        Assert.Empty((await service.CheckProjectionAsync(None)).Differences);
    }

    [Fact]
    public async Task Opening_an_account_bound_to_another_currency_opens_nothing()
    {
        var ledger = await CreateAsync(contractBooksApart: true);
        var store = ledger.NewStore();
        await store.AppendAsync(Statement(BookId.ForContract("ctr_Cb7"), "statement:ctr_Cb7:2027-03:v1", 100m, Today, "mer_Cb7"), None);
        var book = BookId.ForContract("ctr_Cb8");

        var dollars = Domain.Money.Currency.FromCode("USD");
        Assert.False(await ledger.NewStore().OpenAccountsAsync(book, [new(AccountId.MerchantReceivable("mer_Cb7"), dollars), new(Revenue, dollars)], None));

        Assert.Equal(0, (await store.ReadHeadAsync(book, None)).LastSequence);
        Assert.Null(await ledger.Clients.Tables.GetTableClient(ledger.Tables.ContractBooks!).GetAsync("ctr_Cb8", LedgerEntities.HeadRowKey, null, None));
    }

    [Theory]
    [InlineData("Pay:")]
    [InlineData("0pay:")]
    [InlineData("idem2:")]
    [InlineData("headers:")]
    public async Task A_statement_row_kind_whose_rows_the_contracts_query_would_miss_or_take_for_the_ledgers_is_refused(string prefix)
    {
        var ledger = await CreateAsync();

        Assert.Throws<ArgumentException>(() => new StatementRowKind(ledger.Clients.Tables, prefix));
        Assert.Equal("pay:", new StatementRowKind(ledger.Clients.Tables, "pay:").Prefix);
    }

    private static async Task<List<string>> RowKeysAsync(TableClient table, string partitionKey)
    {
        var keys = new List<string>();
        await foreach (var entity in table.QueryAsync(new TableQuery(TableFilter.PartitionKeyEquals(partitionKey)), 10, None))
        {
            keys.Add(entity.RowKey);
        }

        return keys;
    }
}
