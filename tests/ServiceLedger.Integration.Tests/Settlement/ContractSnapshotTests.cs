using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Functions.Adapters.Tables;
using ServiceLedger.Functions.Configuration;
using ContractJson = ServiceLedger.Functions.Contracts.ContractJson;
using ServiceLedger.Functions.Hosting;
using ServiceLedger.Functions.Settlement;
using ServiceLedger.TestSupport.Contracts;
using ServiceLedger.TestSupport.Settlement;

namespace ServiceLedger.Integration.Tests.Settlement;

/// <summary>
/// A settlement message carries the contract as the run's enumeration read it, so the handler does not read it again,
/// unless the contract's revision marker (in the statements partition the handler reads anyway) says it changed since.
/// </summary>
public sealed class ContractSnapshotTests
{
    private static readonly SettlementPeriod November = SettlementPeriod.Month(2026, 11);
    private static readonly Instant AfterNovember = Instant.FromUtc(2026, 12, 2, 0, 0);
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_message_carries_the_contract_and_reads_back_the_same_and_a_message_without_one_still_reads()
    {
        await using var harness = await StartAsync();
        var contract = Assert.Single(await harness.AddActiveContractsAsync(1, "snapshot-text"));
        var run = SettlementRunId.For(November, AfterNovember);

        var read = SettlementMessages.ReadContract(SettlementMessages.Write(new SettleContractMessage(run, contract.Id) { Snapshot = contract }));
        var bare = SettlementMessages.ReadContract($$"""{"runId":"{{run.Value}}","contractId":"{{contract.Id.Value}}"}""");
        var other = Assert.Single(await harness.AddActiveContractsAsync(1, "snapshot-other"));

        Assert.Equal((contract.Id, contract.Revision, contract.Status), (read.Snapshot!.Id, read.Snapshot.Revision, read.Snapshot.Status));
        Assert.Equal(ContractJson.Write(contract), ContractJson.Write(read.Snapshot));
        Assert.Null(bare.Snapshot);

        // A snapshot of another contract than the message names is refused (it ends in the poison queue).
        var otherText = SettlementMessages.Write(new SettleContractMessage(run, other.Id) { Snapshot = other });
        var mixed = otherText.Replace($"\"contractId\":\"{other.Id.Value}\"", $"\"contractId\":\"{contract.Id.Value}\"", StringComparison.Ordinal);
        Assert.NotEqual(otherText, mixed);
        Assert.Throws<FormatException>(() => SettlementMessages.ReadContract(mixed));

        // A snapshot that no longer reads only costs the handler a read of the contract; the message itself stands.
        var unreadable = SettlementMessages.ReadContract($$"""{"runId":"{{run.Value}}","contractId":"{{contract.Id.Value}}","snapshot":"{\"id\":\"{{contract.Id.Value}}\"}"}""");
        Assert.Equal((run, contract.Id, null), (unreadable.Run, unreadable.Contract, unreadable.Snapshot));
    }

    [Fact]
    public async Task The_handler_settles_from_the_snapshot_without_reading_the_contract()
    {
        await using var harness = await StartAsync();
        var contract = Assert.Single(await harness.AddActiveContractsAsync(1, "snapshot-used"));
        harness.Report([contract], November);

        // The contract row is gone behind the store's back: a handler that read it would fail "does not exist".
        var row = (await ContractsTable(harness).GetAsync(contract.Id.Value, "contract", null, None))!;
        await ContractsTable(harness).DeleteAsync(contract.Id.Value, "contract", row.ETag, None);
        var outcome = await harness.Services.GetRequiredService<SettleContract>().SettleAsync(
            new SettleContractMessage(SettlementRunId.For(November, AfterNovember), contract.Id) { Snapshot = contract }, None);
        var withoutSnapshot = await harness.Services.GetRequiredService<SettleContract>().SettleAsync(
            new SettleContractMessage(SettlementRunId.For(November, AfterNovember), contract.Id), None);

        Assert.Equal(ContractOutcome.Settled, outcome.Outcome);
        Assert.NotNull((await harness.ReadStatementsAsync(contract.Id)).For(November));
        Assert.Equal(ContractOutcome.Failed, withoutSnapshot.Outcome);
    }

    [Fact]
    public async Task A_contract_terminated_after_the_enumeration_read_it_is_read_again_and_gets_its_final_statement()
    {
        await using var harness = await StartAsync();
        var enumerated = Assert.Single(await harness.AddActiveContractsAsync(1, "snapshot-stale"));
        harness.Report([enumerated], November);

        // Finance terminates it between the enumeration (which put the active contract in the message) and the handling.
        var store = harness.Services.GetRequiredService<IContractStore>();
        var stored = (await store.GetAsync(enumerated.Id, None))!;
        var terminated = stored.Contract.Terminate("material breach", SampleContracts.FinanceUser, Instant.FromUtc(2026, 11, 20, 2, 0)).Value;
        Assert.IsType<ContractWrite.Written>(await store.ReplaceAsync(terminated, stored.ConcurrencyToken, None));

        var outcome = await harness.Services.GetRequiredService<SettleContract>().SettleAsync(
            new SettleContractMessage(SettlementRunId.For(November, AfterNovember), enumerated.Id) { Snapshot = enumerated }, None);

        var partition = await harness.ReadStatementsAsync(enumerated.Id);
        Assert.Equal(terminated.Revision, partition.ContractRevision);
        Assert.True(terminated.Revision > enumerated.Revision);
        Assert.Equal(ContractOutcome.Settled, outcome.Outcome);
        Assert.Contains("final=true", partition.For(November)!.CanonicalText, StringComparison.Ordinal);
    }

    private static TableClient ContractsTable(SettlementHarness harness) =>
        harness.Services.GetRequiredService<TableServiceClient>().GetTableClient(StorageNames.ContractsTable);

    private static Task<SettlementHarness> StartAsync() =>
        SettlementHarness.StartAsync(AfterNovember, QueueTriggerSettings.FromHostJson, services => services.AddSingleton<IWorkingDayCalendar>(new WeekdayCalendar()));
}
