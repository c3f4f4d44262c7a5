using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Functions.Hosting;
using ServiceLedger.Functions.Settlement;
using ServiceLedger.TestSupport.Settlement;

namespace ServiceLedger.Integration.Tests.Settlement;

/// <summary>
/// The outcome rows a process writes, gathered (docs/settlement-runs.md, "Outcome rows"): outcomes that arrive within the
/// window share one transaction per run, a full batch does not wait, and each caller returns only once its outcome is stored.
/// The window is a task the test completes by hand, so nothing here waits on a clock.
/// </summary>
public sealed class SettlementOutcomeWriterTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly SettlementPeriod November = SettlementPeriod.Month(new YearMonth(2026, 11));
    private static readonly Instant Now = Instant.FromUtc(2026, 12, 2, 1, 0);

    [Fact]
    public async Task Outcomes_that_arrive_within_the_window_are_stored_in_one_transaction_and_each_caller_returns_only_after_it()
    {
        await using var harness = await SettlementHarness.StartAsync(Now, QueueTriggerSettings.FromHostJson);
        var (runs, run, contracts) = await QueuedRunAsync(harness, Now, 10);
        var window = new TaskCompletionSource();
        var writer = new SettlementOutcomeWriter(runs, _ => window.Task);

        var recording = contracts.Select(contract => writer.RecordAsync(run, Settled(contract), Now, None)).ToArray();

        Assert.All(recording, task => Assert.False(task.IsCompleted));
        Assert.Equal(10, (await runs.ReadStatusAsync(run, None))!.Queued);
        var before = harness.Counter.TableRequests;
        window.SetResult();
        await Task.WhenAll(recording);

        Assert.Equal(1, harness.Counter.TableRequests - before);
        var status = (await runs.ReadStatusAsync(run, None))!;
        Assert.Equal((10, 0, 10), (status.Due, status.Queued, status.Settled));
    }

    [Fact]
    public async Task A_full_batch_is_stored_without_waiting_for_the_window_and_the_next_outcome_opens_another()
    {
        await using var harness = await SettlementHarness.StartAsync(Now, QueueTriggerSettings.FromHostJson);
        var (runs, run, contracts) = await QueuedRunAsync(harness, Now, SettlementRunStore.RowsPerBatch + 1);
        var window = new TaskCompletionSource();
        var writer = new SettlementOutcomeWriter(runs, _ => window.Task);

        var full = contracts.Take(SettlementRunStore.RowsPerBatch).Select(contract => writer.RecordAsync(run, Settled(contract), Now, None)).ToArray();
        await Task.WhenAll(full);
        var next = writer.RecordAsync(run, Settled(contracts[^1]), Now, None);

        Assert.Equal((SettlementRunStore.RowsPerBatch, 1), ((await runs.ReadStatusAsync(run, None))!.Settled, (await runs.ReadStatusAsync(run, None))!.Queued));
        Assert.False(next.IsCompleted);
        window.SetResult();
        await next;
        Assert.Equal(0, (await runs.ReadStatusAsync(run, None))!.Queued);
    }

    [Fact]
    public async Task A_batch_over_two_runs_writes_each_runs_rows_in_its_own_partition_and_a_contract_recorded_twice_keeps_its_latest_outcome()
    {
        await using var harness = await SettlementHarness.StartAsync(Now, QueueTriggerSettings.FromHostJson);
        var (runs, first, contracts) = await QueuedRunAsync(harness, Now, 3);
        var second = SettlementRunId.For(November, Now.Plus(Duration.FromMinutes(1)));
        await runs.CreateAsync(new SettlementRun(second, SettlementRuns.HttpTrigger, Now.Plus(Duration.FromMinutes(1)), "finance-test", null, true), None);
        await runs.MarkQueuedAsync(second, contracts, Now, None);
        var window = new TaskCompletionSource();
        var writer = new SettlementOutcomeWriter(runs, _ => window.Task);

        var recording = new[]
        {
            writer.RecordAsync(first, new ContractRunOutcome(contracts[0], ContractOutcome.Failed, "a fault", null), Now, None),
            writer.RecordAsync(first, Settled(contracts[0]), Now, None),
            writer.RecordAsync(first, new ContractRunOutcome(contracts[1], ContractOutcome.Held, "No service report for 2026-11.", null), Now, None),
            writer.RecordAsync(second, Settled(contracts[2]), Now, None),
        };
        var before = harness.Counter.TableRequests;
        window.SetResult();
        await Task.WhenAll(recording);

        Assert.Equal(2, harness.Counter.TableRequests - before);
        var one = (await runs.ReadStatusAsync(first, None))!;
        var two = (await runs.ReadStatusAsync(second, None))!;
        Assert.Equal((1, 1, 1, 0), (one.Settled, one.Held, one.Queued, one.Failed));
        Assert.Equal((1, 2), (two.Settled, two.Queued));
    }

    [Fact]
    public async Task Without_a_window_each_outcome_is_stored_at_once_alone()
    {
        await using var harness = await SettlementHarness.StartAsync(Now, QueueTriggerSettings.FromHostJson);
        var (runs, run, contracts) = await QueuedRunAsync(harness, Now, 2);
        var writer = new SettlementOutcomeWriter(runs, SettlementOutcomeBatching.Off, TimeProvider.System);

        var before = harness.Counter.TableRequests;
        await writer.RecordAsync(run, Settled(contracts[0]), Now, None);
        await writer.RecordAsync(run, Settled(contracts[1]), Now, None);

        Assert.Equal(2, harness.Counter.TableRequests - before);
        Assert.Equal(2, (await runs.ReadStatusAsync(run, None))!.Settled);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SettlementOutcomeBatching(TimeSpan.FromSeconds(2)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SettlementOutcomeBatching(TimeSpan.FromMilliseconds(-1)));
    }

    private static ContractRunOutcome Settled(ContractId contract) => new(contract, ContractOutcome.Settled, null, $"stm_{contract.Value}");

    private static async Task<(SettlementRunStore Runs, SettlementRunId Run, ContractId[] Contracts)> QueuedRunAsync(SettlementHarness harness, Instant at, int count)
    {
        var runs = harness.Services.GetRequiredService<SettlementRunStore>();
        var run = SettlementRunId.For(November, at);
        await runs.CreateAsync(new SettlementRun(run, SettlementRuns.HttpTrigger, at, "finance-test", null, true), None);
        var contracts = Enumerable.Range(1, count).Select(index => ContractId.Derive($"writer-{index}")).ToArray();
        await runs.MarkQueuedAsync(run, contracts, at, None);
        return (runs, run, contracts);
    }
}
