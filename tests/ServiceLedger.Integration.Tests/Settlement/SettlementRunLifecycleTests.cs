using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Domain.Money;
using ServiceLedger.Domain.Settlement;
using ServiceLedger.Functions.Configuration;
using ServiceLedger.Functions.Hosting;
using ServiceLedger.Functions.Ledger;
using ServiceLedger.Functions.Statements;
using ServiceLedger.TestSupport.Contracts;
using ServiceLedger.TestSupport.Settlement;

namespace ServiceLedger.Integration.Tests.Settlement;

/// <summary>
/// What runs feed the engine beyond a plain period (docs/settlement-runs.md): corrections carried onto the next statement,
/// the final statement of a terminated contract, and the first in-advance bill of a fixed-fee contract; each against Azurite,
/// each re-run to show that nothing is settled or posted twice. Sample terms: 90,000.00 CNY a month of seats, 1.5% commission
/// at 420 of 1,000 converted, four SLA targets unreported (missed, 2% each), Asia/Shanghai.
/// </summary>
public sealed partial class SettlementRunLifecycleTests
{
    private static readonly SettlementPeriod November = SettlementPeriod.Month(2026, 11);
    private static readonly SettlementPeriod December = SettlementPeriod.Month(2026, 12);
    private static readonly QueueTriggerSettings OneAttempt = QueueTriggerSettings.FromHostJson with { MaxDequeueCount = 1, VisibilityTimeout = TimeSpan.Zero };

    [Fact]
    public async Task A_corrected_report_is_carried_once_onto_the_next_statement_linked_to_both_statements_even_when_that_statement_crashes_after_its_post()
    {
        await using var harness = await StartAsync(Instant.FromUtc(2026, 12, 2, 0, 0), OneAttempt with { MaxDequeueCount = 3 });
        var contract = Assert.Single(await harness.AddActiveContractsAsync(1, "carried"));
        harness.Report([contract], November);
        await harness.RunPeriodAsync(November);

        // Sales 100,000.00 -> 250,000.00 after November was issued: commission 1.5% goes from 1,500.00 to 3,750.00.
        harness.Report([contract], November, sales: "250000.00", version: 2);
        await harness.RunPeriodAsync(November, Duration.FromMinutes(5));
        harness.Report([contract], December);
        harness.Crashes.CrashAfterPostOnce([contract.Id.Book]);
        harness.Clock.Advance(Duration.FromDays(31));
        await harness.RunPeriodAsync(December);

        var stored = await harness.ReadStatementsAsync(contract.Id);
        var issuedNovember = stored.For(November)!;
        var december = stored.For(December)!;
        var correction = Assert.Single(december.Lines, line => line.Kind == StatementLineKind.Correction);
        Assert.Equal((StatementLineKind.Commission, Cny(2_250m)), (correction.Corrects!.Value, correction.Amount));
        Assert.Equal(issuedNovember.Id, correction.IssuedStatement!.Value.Value);
        Assert.Equal(StatementRecord.IdFor(contract.Id, November, 2), correction.RecomputedStatement!.Value.Value);
        Assert.Contains("3,750.00 CNY - issued in", correction.How, StringComparison.Ordinal);
        Assert.Equal(Cny(1_500m), Assert.Single(issuedNovember.Lines, line => line.Kind == StatementLineKind.Commission).Amount);
        var applied = Assert.Single(stored.Corrections);
        Assert.Equal(december.Id, applied.AppliedBy);
        Assert.Equal([applied.Key], december.AppliedCorrections);
        Assert.Equal(1, harness.Crashes.Crashed);

        // Re-running both periods changes nothing: December is settled with the correction it carries, November's change is applied.
        await harness.RunPeriodAsync(December, Duration.FromMinutes(5));
        await harness.RunPeriodAsync(November, Duration.FromMinutes(5));
        var again = await harness.ReadStatementsAsync(contract.Id);
        Assert.Equal(2, again.Statements.Count);
        Assert.Equal(december.ContentHash, again.For(December)!.ContentHash);
        Assert.Single(again.Corrections);
        Assert.Equal(2, (await JournalEntriesAsync(harness)).Count);

        // January carries nothing more.
        harness.Report([contract], SettlementPeriod.Month(2027, 1));
        harness.Clock.Advance(Duration.FromDays(31));
        await harness.RunPeriodAsync(SettlementPeriod.Month(2027, 1));
        Assert.DoesNotContain((await harness.ReadStatementsAsync(contract.Id)).For(SettlementPeriod.Month(2027, 1))!.Lines, line => line.Kind == StatementLineKind.Correction);
    }

    [Fact]
    public async Task A_second_correction_of_the_same_period_carries_only_the_difference_to_what_the_first_carried()
    {
        await using var harness = await StartAsync(Instant.FromUtc(2026, 12, 2, 0, 0), OneAttempt);
        var contract = Assert.Single(await harness.AddActiveContractsAsync(1, "twice-corrected"));
        harness.Report([contract], November);
        await harness.RunPeriodAsync(November);
        harness.Report([contract], November, sales: "250000.00", version: 2);
        await harness.RunPeriodAsync(November, Duration.FromMinutes(5));
        harness.Report([contract], December);
        harness.Clock.Advance(Duration.FromDays(31));
        await harness.RunPeriodAsync(December);

        // Then 80,000.00: commission 1,200.00, against 1,500.00 issued + 2,250.00 carried on December = -2,550.00 on January.
        harness.Report([contract], November, sales: "80000.00", version: 3);
        await harness.RunPeriodAsync(November, Duration.FromMinutes(5));
        harness.Report([contract], SettlementPeriod.Month(2027, 1));
        harness.Clock.Advance(Duration.FromDays(31));
        await harness.RunPeriodAsync(SettlementPeriod.Month(2027, 1));

        var stored = await harness.ReadStatementsAsync(contract.Id);
        var correction = Assert.Single(stored.For(SettlementPeriod.Month(2027, 1))!.Lines, line => line.Kind == StatementLineKind.Correction);
        Assert.Equal(Cny(-2_550m), correction.Amount);
        Assert.Equal(StatementRecord.IdFor(contract.Id, November, 3), correction.RecomputedStatement!.Value.Value);
        Assert.Equal(2, stored.Corrections.Count);
        Assert.All(stored.Corrections, fix => Assert.NotNull(fix.AppliedBy));
    }

    [Fact]
    public async Task A_contract_terminated_mid_March_gets_one_prorated_final_statement_with_the_deposit_applied_and_later_runs_settle_nothing_twice()
    {
        await using var harness = await StartAsync(Instant.FromUtc(2027, 4, 2, 0, 0), OneAttempt);
        var contract = await TerminateAsync(harness, Assert.Single(await harness.AddActiveContractsAsync(1, "terminated")), Instant.FromUtc(2027, 3, 20, 2, 0));
        await PostDepositAsync(harness, contract, 180_000m);
        var march = SettlementPeriod.Month(2027, 3);
        harness.Report([contract], march);

        var marchRun = await harness.RunPeriodAsync(march);

        var statement = Assert.Single((await harness.ReadStatementsAsync(contract.Id)).Statements);
        Assert.Equal(march, statement.Period);
        Assert.Contains("final=true", statement.CanonicalText, StringComparison.Ordinal);

        // 90,000.00 × 20/31 = 58,064.52; 1.5% × 100,000.00 = 1,500.00; 4 SLA misses × 2% × 58,064.52 = 4 × -1,161.29;
        // before the deposit 54,919.36, all of it covered by the deposit held.
        var baseFee = Assert.Single(statement.Lines, line => line.Kind == StatementLineKind.BaseFee);
        Assert.Equal(Cny(58_064.52m), baseFee.Amount);
        Assert.Contains("20 service days of 31", baseFee.How, StringComparison.Ordinal);
        Assert.Equal(Cny(-54_919.36m), Assert.Single(statement.Lines, line => line.Kind == StatementLineKind.DepositApplied).Amount);
        Assert.Equal(Cny(0m), statement.Total);
        Assert.Equal((1, 1), (marchRun.Due, marchRun.Settled));

        // April's run settles the final period if it is missing (it is not); May's run does not enumerate the contract.
        var aprilRun = await harness.RunPeriodAsync(SettlementPeriod.Month(2027, 4), Duration.FromDays(30));
        var mayRun = await harness.RunPeriodAsync(SettlementPeriod.Month(2027, 5), Duration.FromDays(31));
        await harness.RunPeriodAsync(march, Duration.FromMinutes(5));

        Assert.Equal((1, 1), (aprilRun.Due, aprilRun.Settled));
        Assert.Equal(statement.Id, Assert.Single(await harness.RowsAsync(StorageNames.SettlementRunsTable, "c:", "c;"), row => row.PartitionKey == aprilRun.Run.Id.Value).Get("StatementId").AsString());
        Assert.Equal(0, mayRun.Due);
        Assert.Single((await harness.ReadStatementsAsync(contract.Id)).Statements);
        Assert.Equal(2, (await JournalEntriesAsync(harness)).Count);
    }

    [Fact]
    public async Task A_final_statement_held_for_its_report_is_settled_by_the_next_periods_run()
    {
        await using var harness = await StartAsync(Instant.FromUtc(2027, 4, 2, 0, 0), OneAttempt);
        var contract = await TerminateAsync(harness, Assert.Single(await harness.AddActiveContractsAsync(1, "terminated-held")), Instant.FromUtc(2027, 3, 20, 2, 0));
        var march = SettlementPeriod.Month(2027, 3);

        var held = await harness.RunPeriodAsync(march);
        harness.Report([contract], march);
        var april = await harness.RunPeriodAsync(SettlementPeriod.Month(2027, 4), Duration.FromDays(30));

        Assert.Equal((1, 1), (held.Due, held.Held));
        Assert.Equal((1, 1), (april.Due, april.Settled));
        Assert.Equal(march, Assert.Single((await harness.ReadStatementsAsync(contract.Id)).Statements).Period);
    }

    [Fact]
    public async Task A_fixed_fee_contract_terminated_mid_month_gets_the_unserved_days_of_its_advance_bill_back_on_its_final_statement()
    {
        await using var harness = await StartAsync(Instant.FromUtc(2027, 3, 2, 0, 0), OneAttempt);
        var contract = Assert.Single(await harness.AddActiveContractsAsync(1, "fixed-terminated", MonthlyFixedFee("2026-10-01")));
        await harness.RunPeriodAsync(SettlementPeriod.Month(2027, 2));
        contract = await TerminateAsync(harness, contract, Instant.FromUtc(2027, 3, 20, 2, 0));

        await harness.RunPeriodAsync(SettlementPeriod.Month(2027, 3), Duration.FromDays(31));

        // February's statement billed March in full, 31,000.00; service ended on 20 March: 20 days = 20,000.00, so -11,000.00.
        var stored = await harness.ReadStatementsAsync(contract.Id);
        var final = stored.For(SettlementPeriod.Month(2027, 3))!;
        var correction = Assert.Single(final.Lines, line => line.Kind == StatementLineKind.Correction);
        Assert.Equal((StatementLineKind.FixedFee, Cny(-11_000m)), (correction.Corrects!.Value, correction.Amount));
        Assert.DoesNotContain(final.Lines, line => line.Kind == StatementLineKind.FixedFee);
        Assert.Equal(stored.For(SettlementPeriod.Month(2027, 2))!.Id, correction.IssuedStatement!.Value.Value);
        Assert.Equal(Cny(-11_000m) + Penalties(final), final.Total);
        Assert.Contains("final=true", final.CanonicalText, StringComparison.Ordinal);
        Assert.Equal(final.Id, Assert.Single(stored.Corrections).AppliedBy);
    }

    [Fact]
    public async Task A_fixed_fee_contract_activated_after_the_run_before_its_start_gets_its_first_partial_month_billed_by_its_first_run_once()
    {
        // Service from 15 October; no September run saw it active. October's run bills October 15-31 and November.
        await using var harness = await StartAsync(Instant.FromUtc(2026, 11, 2, 0, 0), OneAttempt);
        var contract = Assert.Single(await harness.AddActiveContractsAsync(1, "first-bill-late", MonthlyFixedFee("2026-10-15")));

        var october = await harness.RunPeriodAsync(SettlementPeriod.Month(2026, 10));
        await harness.RunPeriodAsync(SettlementPeriod.Month(2026, 10), Duration.FromMinutes(5));
        await harness.RunPeriodAsync(November, Duration.FromDays(30));

        var stored = await harness.ReadStatementsAsync(contract.Id);
        Assert.Equal([SettlementPeriod.Month(2026, 9), SettlementPeriod.Month(2026, 10), November], stored.Statements.Select(statement => statement.Period));
        var first = stored.For(SettlementPeriod.Month(2026, 9))!;
        Assert.Equal(new LocalDate(2026, 11, 1), first.IssuedOn);
        Assert.Equal((1, 1), (october.Due, october.Settled));
        Assert.Collection(
            stored.Statements.Select(statement => FixedFee(statement).How),
            how => Assert.StartsWith("2026-10 2026-10-15..2026-10-31: 17 service days of 31", how, StringComparison.Ordinal),
            how => Assert.StartsWith("2026-11 full period", how, StringComparison.Ordinal),
            how => Assert.StartsWith("2026-12 full period", how, StringComparison.Ordinal));
        Assert.Equal([Cny(17_000m), Cny(31_000m), Cny(31_000m)], stored.Statements.Select(statement => FixedFee(statement).Amount));
        Assert.Equal(3, (await JournalEntriesAsync(harness)).Count);
    }

    [Fact]
    public async Task A_fixed_fee_contract_whose_first_run_comes_three_periods_after_its_start_gets_every_missed_advance_bill_once()
    {
        // Service from 15 October; no run saw the contract active before December's (on 2 January). The runs of September,
        // October and November would each have billed the next month in advance: December's handling issues those three
        // bills (September's bills October 15-31), oldest first, on its own issue day, then its own (billing January).
        await using var harness = await StartAsync(Instant.FromUtc(2027, 1, 2, 0, 0), OneAttempt);
        var contract = Assert.Single(await harness.AddActiveContractsAsync(1, "bills-missed", MonthlyFixedFee("2026-10-15")));

        var december = await harness.RunPeriodAsync(SettlementPeriod.Month(2026, 12));
        await harness.RunPeriodAsync(SettlementPeriod.Month(2026, 12), Duration.FromMinutes(5));

        var stored = await harness.ReadStatementsAsync(contract.Id);
        Assert.Equal((1, 1), (december.Due, december.Settled));
        Assert.Equal(
            [SettlementPeriod.Month(2026, 9), SettlementPeriod.Month(2026, 10), November, SettlementPeriod.Month(2026, 12)],
            stored.Statements.Select(statement => statement.Period));
        Assert.All(stored.Statements, statement => Assert.Equal(new LocalDate(2027, 1, 1), statement.IssuedOn));
        Assert.Collection(
            stored.Statements.Select(statement => FixedFee(statement).How),
            how => Assert.StartsWith("2026-10 2026-10-15..2026-10-31: 17 service days of 31", how, StringComparison.Ordinal),
            how => Assert.StartsWith("2026-11 full period", how, StringComparison.Ordinal),
            how => Assert.StartsWith("2026-12 full period", how, StringComparison.Ordinal),
            how => Assert.StartsWith("2027-01 full period", how, StringComparison.Ordinal));
        Assert.Equal([Cny(17_000m), Cny(31_000m), Cny(31_000m), Cny(31_000m)], stored.Statements.Select(statement => FixedFee(statement).Amount));

        // Issued once, posted once: the re-run found them all.
        Assert.Equal(4, (await JournalEntriesAsync(harness)).Count);
    }

    [Fact]
    public async Task A_fixed_fee_contract_active_before_the_run_before_its_start_is_billed_for_its_first_partial_month_by_that_run_and_not_again()
    {
        await using var harness = await StartAsync(Instant.FromUtc(2026, 10, 2, 0, 0), OneAttempt);
        var contract = Assert.Single(await harness.AddActiveContractsAsync(1, "first-bill-early", MonthlyFixedFee("2026-10-15")));

        await harness.RunPeriodAsync(SettlementPeriod.Month(2026, 9));
        await harness.RunPeriodAsync(SettlementPeriod.Month(2026, 10), Duration.FromDays(31));

        var stored = await harness.ReadStatementsAsync(contract.Id);
        Assert.Equal([Cny(17_000m), Cny(31_000m)], stored.Statements.Select(statement => FixedFee(statement).Amount));
        Assert.Equal(new LocalDate(2026, 10, 1), stored.For(SettlementPeriod.Month(2026, 9))!.IssuedOn);
        Assert.StartsWith("2026-11 full period", FixedFee(stored.For(SettlementPeriod.Month(2026, 10))!).How, StringComparison.Ordinal);
    }

    private static TermsInput MonthlyFixedFee(string startOn) => SampleTerms.FixedFeeInput with
    {
        SettlementCycle = "Monthly",
        LumpSumBaseFee = SampleTerms.Cny("31000.00"),
        Sla = null,
        Term = new TermInput { StartOn = startOn, EndOn = "2027-09-30", AutoRenew = false, NoticePeriodDays = 30 },
    };

    private static Money Cny(decimal amount) => new(amount, Currency.Cny);

    // Earlier statements are left unpaid here, so later ones may carry late penalties (docs/payments.md); these tests look past them.
    private static StatementLine FixedFee(StatementRecord statement) => Assert.Single(statement.Lines, line => line.Kind == StatementLineKind.FixedFee);

    private static Money Penalties(StatementRecord statement) =>
        Money.Sum(statement.Lines.Where(line => line.Kind == StatementLineKind.LatePenalty).Select(line => line.Amount), Currency.Cny);

    // The shipped CN schedule stops at 2026; these stories run into 2027, and only need due dates to exist.
    private static Task<SettlementHarness> StartAsync(Instant now, QueueTriggerSettings queues) =>
        SettlementHarness.StartAsync(now, queues, services => services.AddSingleton<IWorkingDayCalendar>(new WeekdayCalendar()));



    private static async Task<Contract> TerminateAsync(SettlementHarness harness, Contract contract, Instant at)
    {
        var store = harness.Services.GetRequiredService<IContractStore>();
        var stored = (await store.GetAsync(contract.Id, CancellationToken.None))!;
        var terminated = stored.Contract.Terminate("material breach", SampleContracts.FinanceUser, at).Value;
        Assert.IsType<ContractWrite.Written>(await store.ReplaceAsync(terminated, stored.ConcurrencyToken, CancellationToken.None));
        return terminated;
    }

    // The deposit as the deposit flow books it: Dr Stripe clearing / Cr the merchant's deposit.
    private static async Task PostDepositAsync(SettlementHarness harness, Contract contract, decimal amount)
    {
        var entry = ProposedEntry.Create(
            contract.Id.Book,
            IdempotencyKey.Parse($"deposit:{contract.Id.Value}", "idempotencyKey").Value,
            new LocalDate(2026, 9, 29),
            "Deposit paid",
            [Posting.Debit(AccountId.PlatformStripeClearing, Cny(amount)), Posting.Credit(AccountId.MerchantDeposit(contract.Merchant.Value), Cny(amount))]).Value;
        Assert.IsType<AppendResult.Appended>(await harness.Services.GetRequiredService<LedgerService>().AppendAsync(entry, CancellationToken.None));
    }

    private static Task<IReadOnlyList<Functions.Adapters.Tables.TableEntity>> JournalEntriesAsync(SettlementHarness harness) =>
        harness.JournalEntryRowsAsync();
}

/// <summary>Monday to Friday, 2026 to 2028, no holidays.</summary>
internal sealed class WeekdayCalendar : IWorkingDayCalendar
{
    public string Jurisdiction => "CN";

    public IReadOnlyList<int> Years { get; } = [2026, 2027, 2028];

    public Validated<bool> IsWorkingDay(LocalDate day, string field) => Validated.Valid(day.DayOfWeek < IsoDayOfWeek.Saturday);

    public Validated<LocalDate> AddWorkingDays(LocalDate start, int workingDays, string field)
    {
        var day = start;
        for (var counted = 0; counted < workingDays; counted += day.DayOfWeek < IsoDayOfWeek.Saturday ? 1 : 0)
        {
            day = day.PlusDays(1);
        }

        return Validated.Valid(day);
    }
}
