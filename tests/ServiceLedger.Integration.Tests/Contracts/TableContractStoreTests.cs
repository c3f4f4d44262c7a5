namespace ServiceLedger.Integration.Tests.Contracts;

using System.Text.Json;
using NodaTime;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Parties;
using ServiceLedger.Functions.Adapters.Contracts;
using ServiceLedger.Functions.Configuration;
using ServiceLedger.Functions.Contracts;
using ServiceLedger.Integration.Tests.Storage;
using ServiceLedger.TestSupport.Contracts;

public sealed class TableContractStoreTests
{
    private static readonly Instant At = SampleContracts.At;

    [Fact]
    public async Task A_contract_reads_back_exactly_as_written()
    {
        var store = await StoreAsync();
        var contract = SampleContracts.Pending() with { Id = ContractId.Derive(Guid.NewGuid().ToString()) };

        var written = Assert.IsType<ContractWrite.Written>(await store.InsertAsync(contract, CancellationToken.None));
        var read = await store.GetAsync(contract.Id, CancellationToken.None);

        Assert.NotNull(read);
        Assert.Equal(written.Stored.ConcurrencyToken, read.ConcurrencyToken);
        Assert.Equal(Json(contract), Json(read.Contract));
    }

    [Fact]
    public async Task Two_people_acting_at_once_one_wins_and_the_other_gets_the_winners_version()
    {
        var store = await StoreAsync();
        var pending = SampleContracts.Pending() with { Id = ContractId.Derive(Guid.NewGuid().ToString()) };
        var stored = ((ContractWrite.Written)await store.InsertAsync(pending, CancellationToken.None)).Stored;

        // Both read the same version and act on it at the same moment.
        var byApprover = pending.Approve(SampleContracts.Approver, At).Value;
        var byFinance = pending.Approve(SampleContracts.FinanceUser, At).Value;
        var outcomes = await Task.WhenAll(
            store.ReplaceAsync(byApprover, stored.ConcurrencyToken, CancellationToken.None),
            store.ReplaceAsync(byFinance, stored.ConcurrencyToken, CancellationToken.None));

        var winner = Assert.Single(outcomes.OfType<ContractWrite.Written>());
        var loser = Assert.Single(outcomes.OfType<ContractWrite.Conflict>());
        Assert.Equal(winner.Stored.ConcurrencyToken, loser.Current.ConcurrencyToken);
        Assert.Equal(Json(winner.Stored.Contract), Json(loser.Current.Contract));
        Assert.Single((await store.GetAsync(pending.Id, CancellationToken.None))!.Contract.Versions[0].Approvals);
    }

    [Fact]
    public async Task Inserting_an_existing_id_is_a_conflict_carrying_the_stored_contract()
    {
        var store = await StoreAsync();
        var draft = SampleContracts.Draft() with { Id = ContractId.Derive(Guid.NewGuid().ToString()) };
        await store.InsertAsync(draft, CancellationToken.None);

        var again = await store.InsertAsync(draft.Submit(SampleContracts.Policy, SampleContracts.MerchantUser, At).Value, CancellationToken.None);

        Assert.Equal(ContractStatus.Draft, Assert.IsType<ContractWrite.Conflict>(again).Current.Contract.Status);
    }

    [Fact]
    public async Task Chinese_text_in_every_field_that_takes_it_round_trips()
    {
        var store = await StoreAsync();
        var terms = Terms.Create(SampleTerms.Input with
        {
            Seats = [new SeatInput { AgentType = "售后客服（夜班）", Count = 2, MonthlyRate = SampleTerms.Cny("6800.00") }],
        }).Value;
        var contract = SampleContracts.Draft(terms) with { Id = ContractId.Derive(Guid.NewGuid().ToString()) };
        var terminated = contract.Terminate("重大违约：连续三个周期未达服务标准", SampleContracts.Approver, At).Value;
        var stored = ((ContractWrite.Written)await store.InsertAsync(contract, CancellationToken.None)).Stored;

        await store.ReplaceAsync(terminated, stored.ConcurrencyToken, CancellationToken.None);
        var read = (await store.GetAsync(contract.Id, CancellationToken.None))!.Contract;

        Assert.Equal("售后客服（夜班）", read.Versions[0].Terms.Seats[0].AgentType);
        Assert.Equal("重大违约：连续三个周期未达服务标准", read.Reason);
    }

    [Fact]
    public async Task A_long_history_is_split_over_several_properties_and_reassembled()
    {
        var store = await StoreAsync();
        var calendar = HolidayCalendars.Load(HolidayCalendars.MainlandChina);
        var contract = SampleContracts.Active(calendar) with { Id = ContractId.Derive(Guid.NewGuid().ToString()) };
        var stored = ((ContractWrite.Written)await store.InsertAsync(contract, CancellationToken.None)).Stored;
        for (var round = 0; round < 120; round++)
        {
            contract = contract.Suspend($"第{round}次暂停：对账单逾期未付", SampleContracts.FinanceUser, At).Value.Resume(SampleContracts.FinanceUser, At).Value;
        }

        var written = Assert.IsType<ContractWrite.Written>(await store.ReplaceAsync(contract, stored.ConcurrencyToken, CancellationToken.None));
        var read = (await store.GetAsync(contract.Id, CancellationToken.None))!.Contract;

        Assert.True(Json(contract).Length > 32_768, "the test needs a document longer than one property holds");
        Assert.Equal(Json(contract), Json(read));
        Assert.Equal(written.Stored.ConcurrencyToken, (await store.GetAsync(contract.Id, CancellationToken.None))!.ConcurrencyToken);
    }

    [Fact]
    public async Task Lists_filter_by_merchant_vendor_and_status()
    {
        var store = await StoreAsync();
        var merchant = MerchantId.Derive(Guid.NewGuid().ToString());
        var draft = SampleContracts.Draft() with { Id = ContractId.Derive(Guid.NewGuid().ToString()), Merchant = merchant };
        var pending = SampleContracts.Pending() with { Id = ContractId.Derive(Guid.NewGuid().ToString()), Merchant = merchant };
        await store.InsertAsync(draft, CancellationToken.None);
        await store.InsertAsync(pending, CancellationToken.None);

        var all = await store.ListAsync(new ContractFilter(merchant, null, null), 10, null, CancellationToken.None);
        var drafts = await store.ListAsync(new ContractFilter(merchant, SampleContracts.Vendor, ContractStatus.Draft), 10, null, CancellationToken.None);

        Assert.Equal(new[] { draft.Id, pending.Id }.Order(), all.Contracts.Select(stored => stored.Contract.Id).Order());
        Assert.Equal([draft.Id], drafts.Contracts.Select(stored => stored.Contract.Id));
    }

    private static async Task<TableContractStore> StoreAsync()
    {
        var clients = await SharedAzurite.ClientsAsync();
        await clients.Tables.GetTableClient(StorageNames.ContractsTable).CreateIfNotExistsAsync(CancellationToken.None);

        // A replace records the contract's new revision in its statements partition first (ContractRevisionMarker).
        await clients.Tables.GetTableClient(StorageNames.StatementsTable).CreateIfNotExistsAsync(CancellationToken.None);
        return new TableContractStore(clients.Tables);
    }

    private static string Json(Contract contract) => JsonSerializer.Serialize(ContractJson.ToView(contract), ContractJson.Options);
}
