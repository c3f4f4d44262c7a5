using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Functions.Adapters.Queues;
using ServiceLedger.Functions.Adapters.Storage;
using ServiceLedger.Functions.Adapters.Tables;
using ServiceLedger.Functions.Configuration;
using ServiceLedger.Functions.Hosting;
using ServiceLedger.Functions.Settlement;
using ServiceLedger.Integration.Tests.Storage;
using ServiceLedger.Integration.Tests.Stripe;
using ServiceLedger.TestSupport;
using ServiceLedger.TestSupport.Settlement;

namespace ServiceLedger.Integration.Tests.Settlement;

/// <summary>
/// A settlement message whose every attempt fails is given up on, shows as Failed in its run with what to do, and the run
/// completes; the poison queue's handler records it when the last attempt could not, never over an outcome that stands, once
/// however often its message arrives; a re-run settles the contract once the fault is gone. Against Azurite, drained by the
/// local trigger pump as the Functions host would.
/// </summary>
public sealed partial class SettlementPoisonTests
{
    private static readonly SettlementPeriod November = SettlementPeriod.Month(2026, 11);

    // 2 December 2026, 08:00 in Shanghai: November has ended there.
    private static readonly Instant AfterNovember = Instant.FromUtc(2026, 12, 2, 0, 0);

    // Two attempts, retried at once, so that giving up takes two passes and no waiting.
    private static readonly QueueTriggerSettings TwoAttempts = QueueTriggerSettings.FromHostJson with { MaxDequeueCount = 2, VisibilityTimeout = TimeSpan.Zero };

    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_contract_failing_every_attempt_shows_Failed_with_what_to_do_the_run_completes_and_a_rerun_settles_it()
    {
        await using var harness = await SettlementHarness.StartAsync(AfterNovember, TwoAttempts);
        var contracts = await harness.AddActiveContractsAsync(6, "poisoned");
        harness.Report(contracts, November);
        var broken = contracts[2];
        harness.Crashes.FailEveryPost([broken.Id.Book]);
        var runs = harness.Services.GetRequiredService<SettlementRuns>();
        var store = harness.Services.GetRequiredService<SettlementRunStore>();

        var first = await runs.StartAsync(November, SettlementRuns.HttpTrigger, "finance-test", null, None);
        var passes = await harness.DrainAsync(workers: 2);
        var status = (await store.ReadStatusAsync(first.Id, None))!;

        Assert.Equal(1, passes.Poisoned);
        Assert.True(status.Run.EnumerationComplete);
        Assert.Equal((6, 0, 5, 0, 1), (status.Due, status.Queued, status.Settled, status.Held, status.Failed));
        var failed = Assert.Single(status.NeedingAttention);
        Assert.Equal((broken.Id, ContractOutcome.Failed), (failed.Contract, failed.Outcome));
        Assert.StartsWith("Gave up after 2 attempts: IOException: Injected fault posting ", failed.Reason, StringComparison.Ordinal);
        Assert.Matches(LastInvocation(), failed.Reason!);
        Assert.EndsWith("re-run 2026-11 to retry.", failed.Reason, StringComparison.Ordinal);
        Assert.Equal(0, await PoisonQueue(harness).GetApproximateMessageCountAsync(None));

        // The fault is fixed; finance re-runs the period. The statement stored before the failed posts is the one posted.
        harness.Crashes.StopFailing([broken.Id.Book]);
        harness.Clock.Advance(Duration.FromMinutes(1));
        var rerun = await runs.StartAsync(November, SettlementRuns.HttpTrigger, "finance-test", null, None);
        await harness.DrainAsync(workers: 2);

        var after = (await store.ReadStatusAsync(rerun.Id, None))!;
        Assert.Equal((6, 0, 6, 0, 0), (after.Due, after.Queued, after.Settled, after.Held, after.Failed));
        Assert.Single(await harness.RowsAsync(StorageNames.StatementsTable, "stm:", "stm;"), row => row.PartitionKey == broken.Id.Value);
        Assert.Equal(6, (await harness.JournalEntryRowsAsync()).Count);
        Assert.Equal(ContractOutcome.Failed, (await store.ReadStatusAsync(first.Id, None))!.NeedingAttention.Single().Outcome);
    }

    [Fact]
    public async Task A_given_up_message_for_a_contract_still_queued_records_it_Failed_once_however_often_it_arrives()
    {
        await using var harness = await SettlementHarness.StartAsync(AfterNovember, TwoAttempts);
        var contract = Assert.Single(await harness.AddActiveContractsAsync(1, "poison-queued"));
        var run = await QueuedRunAsync(harness, contract);
        var message = new SettleContractMessage(run, contract.Id);

        // As the host moves it when the last attempt died before recording anything (e.g. that partition was unreachable).
        await PoisonQueue(harness).SendBase64MessageAsync(SettlementMessages.Write(message), 0, None);
        var firstPass = await harness.DrainAsync(workers: 1);
        var recorded = await RunRowAsync(harness, run, contract.Id);
        harness.Clock.Advance(Duration.FromMinutes(1));
        await PoisonQueue(harness).SendBase64MessageAsync(SettlementMessages.Write(message), 0, None);
        var tablesBefore = harness.Counter.TableRequests;
        var secondPass = await harness.DrainAsync(workers: 1);
        var tables = harness.Counter.TableRequests - tablesBefore;

        Assert.Equal((1, 0), (firstPass.Handled, firstPass.Failed));
        Assert.Equal((1, 0), (secondPass.Handled, secondPass.Failed));
        var status = (await harness.Services.GetRequiredService<SettlementRunStore>().ReadStatusAsync(run, None))!;
        Assert.Equal((1, 0, 1), (status.Due, status.Queued, status.Failed));
        Assert.Equal(SettleContractPoisonHandler.GivenUpReason(message, TwoAttempts.MaxDequeueCount), Assert.Single(status.NeedingAttention).Reason);
        Assert.Contains("re-run 2026-11 to retry", status.NeedingAttention[0].Reason, StringComparison.Ordinal);
        Assert.Equal(recorded.ETag, (await RunRowAsync(harness, run, contract.Id)).ETag);
        Assert.Equal(1, tables);
        Assert.Equal(0, await PoisonQueue(harness).GetApproximateMessageCountAsync(None));
    }

    [Fact]
    public async Task A_given_up_message_never_overwrites_a_settled_held_or_failed_outcome()
    {
        await using var harness = await SettlementHarness.StartAsync(AfterNovember, TwoAttempts);
        var contracts = await harness.AddActiveContractsAsync(3, "poison-standing");
        var run = await QueuedRunAsync(harness, [.. contracts]);
        var store = harness.Services.GetRequiredService<SettlementRunStore>();

        // A handling settled (or held, or failed) the contract, then died before deleting its message, which was then given up on.
        ContractRunOutcome[] recorded =
        [
            new(contracts[0].Id, ContractOutcome.Settled, null, "stm_settled"),
            new(contracts[1].Id, ContractOutcome.Held, "No service report for 2026-11.", null),
            new(contracts[2].Id, ContractOutcome.Failed, "The settlement engine refused: …", null),
        ];
        foreach (var outcome in recorded)
        {
            await store.RecordAsync(run, outcome, harness.Clock.GetCurrentInstant(), None);
            await HandleAsync(harness, SettlementMessages.Write(new SettleContractMessage(run, outcome.Contract)));
        }

        var status = (await store.ReadStatusAsync(run, None))!;
        Assert.Equal((3, 1, 1, 1), (status.Due, status.Settled, status.Held, status.Failed));
        Assert.Equal("stm_settled", (await RunRowAsync(harness, run, contracts[0].Id)).Get("StatementId").AsString());
        Assert.Equal(recorded.Skip(1).Select(outcome => outcome.Reason), status.NeedingAttention.OrderBy(outcome => outcome.Outcome).Select(outcome => outcome.Reason));
    }

    [Fact]
    public async Task A_poison_message_that_names_no_run_or_a_contract_the_run_lacks_is_dropped_without_a_write_or_an_exception()
    {
        await using var harness = await SettlementHarness.StartAsync(AfterNovember, TwoAttempts);
        var contracts = await harness.AddActiveContractsAsync(2, "poison-unknown");
        var run = await QueuedRunAsync(harness, contracts[0]);
        var tablesBefore = harness.Counter.TableRequests;

        await HandleAsync(harness, "not a settlement message");
        await HandleAsync(harness, """{"runId":"nope","contractId":"nope"}""");
        await HandleAsync(harness, SettlementMessages.Write(new SettleContractMessage(run, contracts[1].Id)));

        Assert.Equal(1, harness.Counter.TableRequests - tablesBefore);
        var status = (await harness.Services.GetRequiredService<SettlementRunStore>().ReadStatusAsync(run, None))!;
        Assert.Equal((1, 1, 0), (status.Due, status.Queued, status.Failed));
    }

    [Fact]
    public async Task The_poison_queues_holding_messages_are_counted_with_one_request_per_queue_the_app_consumes()
    {
        await using var harness = await SettlementHarness.StartAsync(AfterNovember, TwoAttempts);
        var poisonQueues = harness.Services.GetRequiredService<PoisonQueues>();
        var runsPoison = harness.Services.GetRequiredService<QueueServiceClient>().GetQueueClient(StorageNames.PoisonQueueOf(StorageNames.SettlementRunsQueue));
        await runsPoison.SendBase64MessageAsync("given up 1", 0, None);
        await runsPoison.SendBase64MessageAsync("given up 2", 0, None);
        var queuesBefore = harness.Counter.QueueRequests;

        var holding = await poisonQueues.ReadHoldingAsync(None);

        Assert.Equal([StorageNames.PoisonQueueOf(StorageNames.SettlementQueue), StorageNames.PoisonQueueOf(StorageNames.SettlementRunsQueue)], poisonQueues.Watched);
        Assert.Equal(poisonQueues.Watched.Count, harness.Counter.QueueRequests - queuesBefore);
        var count = Assert.Single(holding!);
        Assert.Equal(new PoisonQueueCount("settlement-runs-poison", 2), count);
        Assert.StartsWith("settlement-runs-poison holds about 2 message(s)", PoisonQueues.Warning(count), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_storage_fault_is_rethrown_for_a_retry_until_the_attempt_bound_and_then_the_message_is_logged_and_dropped()
    {
        var port = StorageWiringTests.ClosedPort();
        var unreachable = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [AppSettings.StorageConnectionString] =
                $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={StorageConnectionString.DevelopmentAccountKey};" +
                $"TableEndpoint=http://127.0.0.1:{port}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{port}/devstoreaccount1",
        }).Build();
        await using var provider = new ServiceCollection().AddLogging().AddStorage(unreachable).BuildServiceProvider();
        var logger = new CapturingLogger<SettleContractPoisonHandler>();
        var handler = new SettleContractPoisonHandler(
            new SettlementRunStore(provider.GetRequiredService<TableServiceClient>()), TwoAttempts, new FakeClock(AfterNovember), logger);
        var message = new SettleContractMessage(SettlementRunId.For(November, AfterNovember), ContractId.Derive("poison-unreachable"));
        var text = SettlementMessages.Write(message);

        await Assert.ThrowsAnyAsync<Exception>(() => handler.HandleAsync(new QueueTrigger(text, "p-1", SettleContractPoisonHandler.MaxAttempts - 1, null), None));
        await handler.HandleAsync(new QueueTrigger(text, "p-1", SettleContractPoisonHandler.MaxAttempts, null), None);

        Assert.Contains(
            logger.Lines,
            line => line.StartsWith("Error: ", StringComparison.Ordinal)
                && line.Contains($"contract {message.Contract} was given up on, and recording it as failed failed {SettleContractPoisonHandler.MaxAttempts} times", StringComparison.Ordinal));
    }

    [Fact]
    public async Task At_start_up_each_poison_queue_holding_messages_is_logged_once_as_a_warning()
    {
        await using var harness = await SettlementHarness.StartAsync(AfterNovember, TwoAttempts);
        await PoisonQueue(harness).SendBase64MessageAsync("given up", 0, None);
        var logger = new CapturingLogger<PoisonQueueStartupReport>();
        using var report = new PoisonQueueStartupReport(harness.Services, logger);

        await report.StartAsync(None);
        await report.ExecuteTask!;

        var line = Assert.Single(logger.Lines);
        Assert.StartsWith("Warning: Poison queue settlement-poison holds 1 message(s): settlement-poison holds about 1 message(s)", line, StringComparison.Ordinal);
    }

    private static QueueClient PoisonQueue(SettlementHarness harness) =>
        harness.Services.GetRequiredService<QueueServiceClient>().GetQueueClient(StorageNames.PoisonQueueOf(StorageNames.SettlementQueue));

    // A run whose enumeration recorded the contracts as queued, as SettlementRuns does before enqueuing them.
    private static async Task<SettlementRunId> QueuedRunAsync(SettlementHarness harness, params Contract[] contracts)
    {
        var now = harness.Clock.GetCurrentInstant();
        var store = harness.Services.GetRequiredService<SettlementRunStore>();
        var run = await store.CreateAsync(new SettlementRun(SettlementRunId.For(November, now), SettlementRuns.HttpTrigger, now, "finance-test", null, EnumerationComplete: true), None);
        await store.MarkQueuedAsync(run.Id, [.. contracts.Select(contract => contract.Id)], now, None);
        return run.Id;
    }

    private static async Task HandleAsync(SettlementHarness harness, string text)
    {
        await using var scope = harness.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<SettleContractPoisonHandler>().HandleAsync(new QueueTrigger(text, "poison-1", 1, null) { InvocationId = "test" }, None);
    }

    private static async Task<TableEntity> RunRowAsync(SettlementHarness harness, SettlementRunId run, ContractId contract) =>
        await harness.Services.GetRequiredService<TableServiceClient>().GetTableClient(StorageNames.SettlementRunsTable).GetAsync(run.Value, "c:" + contract.Value, null, None)
        ?? throw new InvalidOperationException($"Run {run} has no row for {contract}.");

    [GeneratedRegex("The last error is in the logs under invocation [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12};")]
    private static partial Regex LastInvocation();
}
