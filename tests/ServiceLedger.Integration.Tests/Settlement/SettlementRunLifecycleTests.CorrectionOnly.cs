using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Settlement;
using ServiceLedger.Functions.Configuration;
using ServiceLedger.Functions.Ledger;
using ServiceLedger.Functions.Settlement;
using ServiceLedger.Functions.Statements;
using ServiceLedger.TestSupport.Settlement;

namespace ServiceLedger.Integration.Tests.Settlement;

/// <summary>
/// Corrections that reach a contract after its final statement (docs/settlement-runs.md, "Corrections after the final
/// statement"): there is no next statement, so the handling that notices one issues a correction-only statement of the final
/// period (version 101, 102, …), stored first and posted once. The contract is terminated on 2027-03-20, so March 2027 is its
/// final period; its final statement is 54,919.36 CNY on sales of 100,000.00 (no deposit held).
/// </summary>
public sealed partial class SettlementRunLifecycleTests
{
    private static readonly SettlementPeriod February2027 = SettlementPeriod.Month(2027, 2);
    private static readonly SettlementPeriod March2027 = SettlementPeriod.Month(2027, 3);
    private static readonly SettlementPeriod April2027 = SettlementPeriod.Month(2027, 4);
    private static readonly Instant TerminatedAt = Instant.FromUtc(2027, 3, 20, 2, 0);

    [Fact]
    public async Task A_corrected_report_for_the_final_period_is_carried_by_one_correction_only_statement_posted_once_and_a_second_correction_by_another()
    {
        await using var harness = await StartAsync(Instant.FromUtc(2027, 4, 2, 0, 0), OneAttempt);
        var contract = await FinalStatementIssuedAsync(harness, "final-corrected");

        // Sales 100,000.00 -> 250,000.00 after the final statement: 1.5% × 150,000.00 = +2,250.00; 5% of it is the platform's.
        // Finance re-runs March on Wednesday 2027-04-14 (10:00 in Shanghai).
        harness.Report([contract], March2027, sales: "250000.00", version: 2);
        var rerun = await harness.RunPeriodAsync(March2027, Duration.FromHours((12 * 24) + 2));

        var stored = await harness.ReadStatementsAsync(contract.Id);
        var final = stored.For(March2027)!;
        var first = Assert.Single(stored.Statements, statement => statement.IsCorrectionOnly);
        Assert.Equal(StatementRecord.IdFor(contract.Id, March2027, 101), first.Id);
        var line = Assert.Single(first.Lines);
        Assert.Equal((StatementLineKind.Correction, StatementLineKind.Commission, Cny(2_250m)), (line.Kind, line.Corrects!.Value, line.Amount));
        Assert.Equal((final.Id, StatementRecord.IdFor(contract.Id, March2027, 2)), (line.IssuedStatement!.Value.Value, line.RecomputedStatement!.Value.Value));
        Assert.Equal((Cny(2_250m), Cny(112.50m), Cny(2_137.50m)), (first.Total, first.PlatformFee, first.VendorShare));

        // Issued the day the change was noticed, due five working days later (Thu 15, Fri 16, Mon 19, Tue 20, Wed 21).
        Assert.Equal((new LocalDate(2027, 4, 14), new LocalDate(2027, 4, 21)), (first.IssuedOn, first.DueOn));
        Assert.Equal(Cny(1_500m), Assert.Single(final.Lines, issued => issued.Kind == StatementLineKind.Commission).Amount);
        var recomputed = (await harness.Services.GetRequiredService<StatementStore>().GetIssuedOrRecomputedAsync(line.RecomputedStatement!.Value.Value, CancellationToken.None))!;
        Assert.Equal((final.Id, first.Id), (recomputed.RecomputedFor, recomputed.CarriedBy));
        var fix = Assert.Single(stored.Corrections);
        Assert.Equal(first.Id, fix.AppliedBy);
        Assert.Equal([fix.Key], first.AppliedCorrections);
        await AssertPostedFromTheStoredRowAsync(harness, first);
        Assert.Equal(2, (await JournalEntriesAsync(harness)).Count);
        Assert.Equal((1, 1), (rerun.Due, rerun.Settled));
        Assert.Contains($"correction-only statement {first.Id} carries the difference", await ReasonAsync(harness, rerun), StringComparison.Ordinal);

        // Re-running March again finds the difference carried: nothing new, and the outcome names the statement that carried it.
        var again = await harness.RunPeriodAsync(March2027, Duration.FromMinutes(5));
        Assert.Equal(2, (await harness.ReadStatementsAsync(contract.Id)).Statements.Count);
        Assert.Contains($"{first.Id} carried the difference", await ReasonAsync(harness, again), StringComparison.Ordinal);

        // Then 80,000.00, noticed by April's run on Saturday 2027-05-01: 1,200.00 against 1,500.00 issued + 2,250.00 carried.
        harness.Report([contract], March2027, sales: "80000.00", version: 3);
        await harness.RunPeriodAsync(April2027, Duration.FromDays(17));
        var later = await harness.ReadStatementsAsync(contract.Id);
        var second = Assert.Single(later.Statements, statement => statement.IsCorrectionOnly && statement.Id != first.Id);
        Assert.Equal(StatementRecord.IdFor(contract.Id, March2027, 102), second.Id);
        var secondLine = Assert.Single(second.Lines);
        Assert.Equal((Cny(-2_550m), StatementRecord.IdFor(contract.Id, March2027, 3)), (secondLine.Amount, secondLine.RecomputedStatement!.Value.Value));
        Assert.Equal((Cny(-2_550m), Cny(-127.50m), Cny(-2_422.50m)), (second.Total, second.PlatformFee, second.VendorShare));
        Assert.Equal((new LocalDate(2027, 5, 1), new LocalDate(2027, 5, 7)), (second.IssuedOn, second.DueOn));
        Assert.Equal(first.ContentHash, later.Statements.Single(statement => statement.Id == first.Id).ContentHash);
        await AssertPostedFromTheStoredRowAsync(harness, second);

        // Re-runs of both periods post nothing more.
        await harness.RunPeriodAsync(April2027, Duration.FromMinutes(5));
        await harness.RunPeriodAsync(March2027, Duration.FromMinutes(5));
        Assert.Equal(3, (await harness.ReadStatementsAsync(contract.Id)).Statements.Count);
        Assert.Equal(3, (await JournalEntriesAsync(harness)).Count);
    }

    [Fact]
    public async Task A_corrected_report_for_an_earlier_period_after_the_final_statement_goes_on_a_correction_only_statement_of_the_final_period()
    {
        await using var harness = await StartAsync(Instant.FromUtc(2027, 3, 2, 0, 0), OneAttempt);
        var contract = Assert.Single(await harness.AddActiveContractsAsync(1, "final-earlier"));
        harness.Report([contract], February2027);
        await harness.RunPeriodAsync(February2027);
        contract = await TerminateAsync(harness, contract, TerminatedAt);
        harness.Report([contract], March2027);
        await harness.RunPeriodAsync(March2027, Duration.FromDays(31));

        // February's sales 100,000.00 -> 300,000.00: +3,000.00, noticed by April's run (which settles the final period) on
        // Monday 2027-05-03 at 09:00 in Shanghai, without a run of February.
        harness.Report([contract], February2027, sales: "300000.00", version: 2);
        var april = await harness.RunPeriodAsync(April2027, Duration.FromDays(31) + Duration.FromHours(1));

        var stored = await harness.ReadStatementsAsync(contract.Id);
        var correctionOnly = Assert.Single(stored.Statements, statement => statement.IsCorrectionOnly);
        Assert.Equal(StatementRecord.IdFor(contract.Id, March2027, 101), correctionOnly.Id);
        var line = Assert.Single(correctionOnly.Lines);
        Assert.Equal((StatementLineKind.Commission, Cny(3_000m)), (line.Corrects!.Value, line.Amount));
        Assert.Equal((stored.For(February2027)!.Id, StatementRecord.IdFor(contract.Id, February2027, 2)), (line.IssuedStatement!.Value.Value, line.RecomputedStatement!.Value.Value));
        Assert.Equal((new LocalDate(2027, 5, 3), new LocalDate(2027, 5, 10)), (correctionOnly.IssuedOn, correctionOnly.DueOn));
        Assert.Equal([February2027, March2027, March2027], stored.Statements.Select(statement => statement.Period));
        await AssertPostedFromTheStoredRowAsync(harness, correctionOnly);
        Assert.Equal(3, (await JournalEntriesAsync(harness)).Count);
        Assert.Contains($"correction-only statement {correctionOnly.Id}", await ReasonAsync(harness, april), StringComparison.Ordinal);

        // A finance run of February, and April's again, find it carried.
        var february = await harness.RunPeriodAsync(February2027, Duration.FromMinutes(5));
        await harness.RunPeriodAsync(April2027, Duration.FromMinutes(5));
        Assert.Contains($"{correctionOnly.Id} carried the difference", await ReasonAsync(harness, february), StringComparison.Ordinal);
        Assert.Equal(3, (await harness.ReadStatementsAsync(contract.Id)).Statements.Count);
        Assert.Equal(3, (await JournalEntriesAsync(harness)).Count);
    }

    [Fact]
    public async Task A_crash_between_storing_a_correction_only_statement_and_its_post_is_repaired_by_the_redelivery_which_posts_it_once()
    {
        await using var harness = await StartAsync(Instant.FromUtc(2027, 4, 2, 0, 0), OneAttempt with { MaxDequeueCount = 3 });
        var contract = await FinalStatementIssuedAsync(harness, "final-crash");
        harness.Report([contract], March2027, sales: "250000.00", version: 2);
        harness.Crashes.CrashBeforePostOnce([contract.Id.Book]);

        var rerun = await harness.RunPeriodAsync(March2027, Duration.FromDays(5));
        await harness.RunPeriodAsync(April2027, Duration.FromDays(30));

        Assert.Equal(1, harness.Crashes.Crashed);
        Assert.Equal((1, 1, 0), (rerun.Due, rerun.Settled, rerun.Failed));
        var stored = await harness.ReadStatementsAsync(contract.Id);
        var correctionOnly = Assert.Single(stored.Statements, statement => statement.IsCorrectionOnly);
        Assert.Equal(Cny(2_250m), correctionOnly.Total);
        Assert.NotEmpty(correctionOnly.LedgerEntryId);
        await AssertPostedFromTheStoredRowAsync(harness, correctionOnly);
        Assert.Equal(2, (await JournalEntriesAsync(harness)).Count);
        Assert.Contains(correctionOnly.Id, await ReasonAsync(harness, rerun), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_report_version_that_changes_no_amount_after_the_final_statement_issues_nothing_and_says_so()
    {
        await using var harness = await StartAsync(Instant.FromUtc(2027, 4, 2, 0, 0), OneAttempt);
        var contract = await FinalStatementIssuedAsync(harness, "final-same");
        harness.Report([contract], March2027, version: 2);

        var rerun = await harness.RunPeriodAsync(March2027, Duration.FromDays(5));

        var stored = await harness.ReadStatementsAsync(contract.Id);
        Assert.Single(stored.Statements);
        Assert.Single(stored.Waiting);
        Assert.Single(await JournalEntriesAsync(harness));
        Assert.Equal((1, 1), (rerun.Due, rerun.Settled));
        Assert.Contains("no amount differs from what was posted: no correction-only statement was issued", await ReasonAsync(harness, rerun), StringComparison.Ordinal);
    }

    // A contract terminated on 2027-03-20 whose final (March) statement the March run issued, on sales of 100,000.00.
    private static async Task<Domain.Contracts.Contract> FinalStatementIssuedAsync(SettlementHarness harness, string seed)
    {
        var contract = await TerminateAsync(harness, Assert.Single(await harness.AddActiveContractsAsync(1, seed)), TerminatedAt);
        harness.Report([contract], March2027);
        await harness.RunPeriodAsync(March2027);
        return contract;
    }

    // The ledger holds the entry rebuilt from the row read back from Table Storage, byte for byte (same request hash).
    private static async Task AssertPostedFromTheStoredRowAsync(SettlementHarness harness, StatementRecord statement)
    {
        var posted = await harness.Services.GetRequiredService<LedgerService>().FindAsync(statement.Contract.Book, statement.PostingKey, CancellationToken.None);
        Assert.NotNull(posted);
        Assert.Equal(StatementLedgerEntry.For(statement.Posting()).Value.RequestHash, posted.RequestHash);
    }

    private static async Task<string> ReasonAsync(SettlementHarness harness, SettlementRunStatus run) =>
        Assert.Single(await harness.RowsAsync(StorageNames.SettlementRunsTable, "c:", "c;"), row => row.PartitionKey == run.Run.Id.Value).Get("Reason").AsString();
}
