using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Functions.Configuration;
using ServiceLedger.Functions.Hosting;
using ServiceLedger.Functions.Settlement;
using ServiceLedger.Functions.Statements;
using ServiceLedger.TestSupport.Contracts;
using ServiceLedger.TestSupport.Settlement;

namespace ServiceLedger.Integration.Tests.Settlement;

/// <summary>
/// Settlement runs end to end against Azurite: enumeration, one message per contract, the ledger post, the statement record
/// and the run's counters, under crashes, re-runs and two runs at once.
/// </summary>
public sealed class SettlementRunTests
{
    private static readonly SettlementPeriod November = SettlementPeriod.Month(2026, 11);

    // 2 December 2026, 08:00 in Shanghai: November has ended there.
    private static readonly Instant AfterNovember = Instant.FromUtc(2026, 12, 2, 0, 0);

    // One attempt: a crash poisons the message at once and the run records the contract as failed, so only a re-run repairs it.
    private static readonly QueueTriggerSettings OneAttempt = QueueTriggerSettings.FromHostJson with { MaxDequeueCount = 1, VisibilityTimeout = TimeSpan.Zero };

    [Fact]
    public async Task A_run_over_1000_contracts_with_crashes_after_the_ledger_post_and_a_rerun_ends_with_exactly_1000_statements_and_entries()
    {
        await using var harness = await SettlementHarness.StartAsync(AfterNovember, OneAttempt);
        var contracts = await harness.AddActiveContractsAsync(1000, "crash");
        var withoutReport = contracts.Take(10).ToArray();
        var crashing = contracts.Skip(10).Take(50).ToArray();
        harness.Report(contracts.Skip(10), November);
        harness.Crashes.CrashAfterPostOnce(crashing.Select(contract => contract.Id.Book));
        var runs = harness.Services.GetRequiredService<SettlementRuns>();
        var store = harness.Services.GetRequiredService<SettlementRunStore>();

        var first = await runs.StartAsync(November, SettlementRuns.HttpTrigger, "finance-test", null, CancellationToken.None);
        await harness.DrainAsync();
        var firstStatus = (await store.ReadStatusAsync(first.Id, CancellationToken.None))!;

        Assert.Equal(50, harness.Crashes.Crashed);
        Assert.True(firstStatus.Run.EnumerationComplete);
        Assert.Equal((1000, 0, 940, 10, 50), (firstStatus.Due, firstStatus.Queued, firstStatus.Settled, firstStatus.Held, firstStatus.Failed));
        Assert.All(firstStatus.NeedingAttention.Where(outcome => outcome.Outcome == ContractOutcome.Held), held => Assert.Contains("No service report for 2026-11", held.Reason, StringComparison.Ordinal));
        Assert.Equal(
            withoutReport.Select(contract => contract.Id).Order(),
            firstStatus.NeedingAttention.Where(outcome => outcome.Outcome == ContractOutcome.Held).Select(outcome => outcome.Contract).Order());
        Assert.Equal(
            crashing.Select(contract => contract.Id).Order(),
            firstStatus.NeedingAttention.Where(outcome => outcome.Outcome == ContractOutcome.Failed).Select(outcome => outcome.Contract).Order());
        // The crashed ones were stored with their post (one transaction), so 990 statements and 990 entries.
        Assert.Equal(990, (await StatementRowsAsync(harness)).Count);
        Assert.Equal(990, (await JournalEntriesAsync(harness)).Count);

        // The vendor reports the missing ones; finance re-runs the period.
        harness.Report(withoutReport, November);
        harness.Clock.Advance(Duration.FromMinutes(1));
        var rerun = await runs.StartAsync(November, SettlementRuns.HttpTrigger, "finance-test", null, CancellationToken.None);
        await harness.DrainAsync();

        var statements = await StatementRowsAsync(harness);
        var entries = await JournalEntriesAsync(harness);
        Assert.Equal(1000, statements.Count);
        Assert.Equal(1000, statements.Select(row => row.PartitionKey).Distinct().Count());
        Assert.Equal(1000, entries.Count);
        Assert.Equal(1000, entries.Select(row => row.PartitionKey).Distinct().Count());
        // Each statement was stored in its entry's transaction, so its row names its entry, crashed or not.
        Assert.All(statements, row => Assert.Equal($"contract:{row.PartitionKey}#1", row.Get("LedgerEntryId").AsString()));
        var status = (await store.ReadStatusAsync(rerun.Id, CancellationToken.None))!;
        Assert.Equal((1000, 0, 1000, 0, 0), (status.Due, status.Queued, status.Settled, status.Held, status.Failed));
    }

    [Fact]
    public async Task Two_runs_of_a_period_at_once_settle_each_contract_once_and_both_count_every_contract_settled()
    {
        await using var harness = await SettlementHarness.StartAsync(AfterNovember, OneAttempt);
        var contracts = await harness.AddActiveContractsAsync(40, "twice");
        harness.Report(contracts, November);
        var runs = harness.Services.GetRequiredService<SettlementRuns>();
        var first = await runs.StartAsync(November, SettlementRuns.HttpTrigger, "finance-one", null, CancellationToken.None);
        harness.Clock.Advance(Duration.FromSeconds(1));
        var second = await runs.StartAsync(November, SettlementRuns.HttpTrigger, "finance-two", null, CancellationToken.None);

        await harness.DrainAsync(workers: 4);

        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(40, (await StatementRowsAsync(harness)).Count);
        Assert.Equal(40, (await JournalEntriesAsync(harness)).Count);
        foreach (var run in new[] { first, second })
        {
            var status = (await harness.Services.GetRequiredService<SettlementRunStore>().ReadStatusAsync(run.Id, CancellationToken.None))!;
            Assert.Equal((40, 40, 0), (status.Due, status.Settled, status.Failed));
        }
    }

    [Fact]
    public async Task A_crash_after_the_ledger_post_is_repaired_by_the_redelivery_of_the_same_message()
    {
        await using var harness = await SettlementHarness.StartAsync(AfterNovember, OneAttempt with { MaxDequeueCount = 3 });
        var contracts = await harness.AddActiveContractsAsync(20, "redeliver");
        harness.Report(contracts, November);
        harness.Crashes.CrashAfterPostOnce(contracts.Take(5).Select(contract => contract.Id.Book));
        var run = await harness.Services.GetRequiredService<SettlementRuns>().StartAsync(November, SettlementRuns.HttpTrigger, "finance-test", null, CancellationToken.None);

        var passes = await harness.DrainAsync(workers: 2);

        var status = (await harness.Services.GetRequiredService<SettlementRunStore>().ReadStatusAsync(run.Id, CancellationToken.None))!;
        Assert.Equal(5, passes.Failed);
        Assert.Equal(0, passes.Poisoned);
        Assert.Equal((20, 20, 0), (status.Due, status.Settled, status.Failed));
        Assert.Equal(20, (await StatementRowsAsync(harness)).Count);
        Assert.Equal(20, (await JournalEntriesAsync(harness)).Count);
    }

    [Fact]
    public async Task A_corrected_report_for_a_settled_period_leaves_the_statement_alone_and_records_one_pending_correction()
    {
        await using var harness = await SettlementHarness.StartAsync(AfterNovember, OneAttempt);
        var contracts = await harness.AddActiveContractsAsync(1, "corrected");
        harness.Report(contracts, November);
        var runs = harness.Services.GetRequiredService<SettlementRuns>();
        await runs.StartAsync(November, SettlementRuns.HttpTrigger, "finance-test", null, CancellationToken.None);
        await harness.DrainAsync(workers: 1);
        var issued = Assert.Single(await StatementRowsAsync(harness));

        harness.Report(contracts, November, sales: "250000.00", version: 2);
        harness.Clock.Advance(Duration.FromMinutes(5));
        var rerun = await runs.StartAsync(November, SettlementRuns.HttpTrigger, "finance-test", null, CancellationToken.None);
        await harness.DrainAsync(workers: 1);
        harness.Clock.Advance(Duration.FromMinutes(5));
        await runs.StartAsync(November, SettlementRuns.HttpTrigger, "finance-test", null, CancellationToken.None);
        await harness.DrainAsync(workers: 1);

        var stored = await harness.Services.GetRequiredService<StatementStore>().ReadContractAsync(contracts[0].Id, CancellationToken.None);
        var statement = Assert.Single(stored.Statements);
        Assert.Equal(issued.Get("ContentHash").AsString(), statement.ContentHash);
        var correction = Assert.Single(stored.Corrections);
        Assert.Equal(statement.Id, correction.SettledStatementId);
        var status = (await harness.Services.GetRequiredService<SettlementRunStore>().ReadStatusAsync(rerun.Id, CancellationToken.None))!;
        Assert.Equal(1, status.Settled);
        Assert.Single(await JournalEntriesAsync(harness));
    }

    [Fact]
    public async Task The_hourly_timer_starts_the_month_end_run_in_the_hour_Shanghai_ends_November_and_leaves_New_York_for_later()
    {
        // 16:05 UTC on 30 November is 00:05 on 1 December in Shanghai; in New York it is still 30 November.
        await using var harness = await SettlementHarness.StartAsync(Instant.FromUtc(2026, 11, 30, 16, 5), OneAttempt);
        var shanghai = await harness.AddActiveContractsAsync(1, "timer-shanghai");
        var newYork = await harness.AddActiveContractsAsync(1, "timer-newyork", SampleTerms.Input with { TimeZone = "America/New_York" });
        harness.Report([.. shanghai, .. newYork], November);
        var timer = ActivatorUtilities.CreateInstance<StartSettlementRunsHandler>(harness.Services);

        await timer.HandleAsync(new TimerTrigger(false, Instant.FromUtc(2026, 11, 30, 15, 5).ToDateTimeOffset(), null), CancellationToken.None);
        await harness.DrainAsync(workers: 1);

        var statement = Assert.Single(await StatementRowsAsync(harness));
        Assert.Equal(shanghai[0].Id.Value, statement.PartitionKey);
        var run = SettlementRunId.For(November, harness.Clock.Now);
        var status = (await harness.Services.GetRequiredService<SettlementRunStore>().ReadStatusAsync(run, CancellationToken.None))!;
        Assert.Equal("timer", status.Run.Trigger);
        Assert.Equal((1, 1), (status.Due, status.Settled));

        // New York's November ends at 05:00 UTC on 1 December: the 05:05 firing settles it.
        harness.Clock.Advance(Duration.FromHours(13));
        await timer.HandleAsync(new TimerTrigger(false, Instant.FromUtc(2026, 12, 1, 4, 5).ToDateTimeOffset(), null), CancellationToken.None);
        await harness.DrainAsync(workers: 1);

        Assert.Equal(2, (await StatementRowsAsync(harness)).Count);
    }

    private static Task<IReadOnlyList<Functions.Adapters.Tables.TableEntity>> StatementRowsAsync(SettlementHarness harness) =>
        harness.RowsAsync(StorageNames.StatementsTable, "stm:", "stm;");

    // Journal entries have 19-digit RowKeys; head, idem: and projected rows sort after them.
    private static Task<IReadOnlyList<Functions.Adapters.Tables.TableEntity>> JournalEntriesAsync(SettlementHarness harness) =>
        harness.JournalEntryRowsAsync();
}
