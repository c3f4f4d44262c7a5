using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using ServiceLedger.Domain.Billing;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Domain.Money;
using ServiceLedger.Domain.Settlement;
using ServiceLedger.Functions.Adapters.Billing;
using ServiceLedger.Functions.Adapters.Tables;
using ServiceLedger.Functions.Configuration;
using ServiceLedger.Functions.Hosting;
using ServiceLedger.Functions.Settlement;
using ServiceLedger.Functions.Statements;
using ServiceLedger.TestSupport.Contracts;
using ServiceLedger.TestSupport.Settlement;

namespace ServiceLedger.Integration.Tests.Settlement;

/// <summary>
/// A settled period whose inputs change later is noticed by the contract's next statement, without anyone re-running the
/// settled period (docs/settlement-runs.md, step 5). Sample terms: 90,000.00 CNY a month of seats, 1.5% commission at 420 of
/// 1,000 converted, Asia/Shanghai; against Azurite.
/// </summary>
public sealed class ChangedSettledPeriodTests
{
    private static readonly SettlementPeriod November = SettlementPeriod.Month(2026, 11);
    private static readonly SettlementPeriod December = SettlementPeriod.Month(2026, 12);
    private static readonly SettlementPeriod January = SettlementPeriod.Month(2027, 1);
    private static readonly QueueTriggerSettings OneAttempt = QueueTriggerSettings.FromHostJson with { MaxDequeueCount = 1, VisibilityTimeout = TimeSpan.Zero };

    [Fact]
    public async Task A_corrected_report_of_a_settled_period_is_carried_by_the_next_statement_without_a_rerun_of_that_period()
    {
        await using var harness = await StartAsync();
        var contract = Assert.Single(await harness.AddActiveContractsAsync(1, "noticed"));
        harness.Report([contract], November);
        await harness.RunPeriodAsync(November);

        // Sales 100,000.00 -> 250,000.00 after November was issued; nobody re-runs November.
        harness.Report([contract], November, sales: "250000.00", version: 2);
        harness.Report([contract], December);
        var december = await harness.RunPeriodAsync(December, Duration.FromDays(31));

        var stored = await harness.ReadStatementsAsync(contract.Id);
        var correction = Assert.Single(stored.For(December)!.Lines, line => line.Kind == StatementLineKind.Correction);
        Assert.Equal((StatementLineKind.Commission, Cny(2_250m)), (correction.Corrects!.Value, correction.Amount));
        Assert.Equal(stored.For(November)!.Id, correction.IssuedStatement!.Value.Value);
        Assert.Equal(StatementRecord.IdFor(contract.Id, November, 2), correction.RecomputedStatement!.Value.Value);
        var noticed = Assert.Single(stored.Corrections);
        Assert.Equal((November, stored.For(December)!.Id), (noticed.Period, noticed.AppliedBy));
        Assert.Equal((1, 1), (december.Due, december.Settled));

        // Re-running December, re-running November and settling January notice nothing more and post nothing twice.
        await harness.RunPeriodAsync(December, Duration.FromMinutes(5));
        await harness.RunPeriodAsync(November, Duration.FromMinutes(5));
        harness.Report([contract], January);
        await harness.RunPeriodAsync(January, Duration.FromDays(31));
        var again = await harness.ReadStatementsAsync(contract.Id);
        Assert.Single(again.Corrections);
        Assert.DoesNotContain(again.For(January)!.Lines, line => line.Kind == StatementLineKind.Correction);
        Assert.Equal(3, (await JournalEntriesAsync(harness)).Count);
    }

    [Fact]
    public async Task A_contested_correction_waits_and_the_statement_after_the_next_usable_version_carries_it()
    {
        await using var harness = await StartAsync();
        var contract = Assert.Single(await harness.AddActiveContractsAsync(1, "contested"));
        harness.Report([contract], November);
        await harness.RunPeriodAsync(November);

        // Version 2 is contested by the merchant: December carries nothing and records nothing.
        var figures = ServiceFigures.Create(1000, 420, Cny(250_000m), 25, null, null, null, null).Value;
        harness.Reports.Put(contract.Id, November, new ServiceReportVersion(2, figures, Contested: true));
        harness.Report([contract], December);
        await harness.RunPeriodAsync(December, Duration.FromDays(31));
        var afterDecember = await harness.ReadStatementsAsync(contract.Id);
        Assert.Empty(afterDecember.Corrections);
        Assert.DoesNotContain(afterDecember.For(December)!.Lines, line => line.Kind == StatementLineKind.Correction);

        // Version 3 (200,000.00: commission 3,000.00 against 1,500.00 issued) is usable: January carries +1,500.00.
        harness.Report([contract], November, sales: "200000.00", version: 3);
        harness.Report([contract], January);
        await harness.RunPeriodAsync(January, Duration.FromDays(31));
        var stored = await harness.ReadStatementsAsync(contract.Id);
        var correction = Assert.Single(stored.For(January)!.Lines, line => line.Kind == StatementLineKind.Correction);
        Assert.Equal(Cny(1_500m), correction.Amount);
        Assert.Equal(stored.For(January)!.Id, Assert.Single(stored.Corrections).AppliedBy);
    }

    [Fact]
    public async Task Unchanged_settled_periods_record_no_correction()
    {
        await using var harness = await StartAsync();
        var contract = Assert.Single(await harness.AddActiveContractsAsync(1, "unchanged"));
        harness.Report([contract], November);
        harness.Report([contract], December);
        await harness.RunPeriodAsync(November);
        await harness.RunPeriodAsync(December, Duration.FromDays(31));

        var stored = await harness.ReadStatementsAsync(contract.Id);
        Assert.Empty(stored.Corrections);
        Assert.Equal(2, stored.Statements.Count);
        Assert.Empty(await harness.RowsAsync(StorageNames.StatementsTable, "fix:", "fix;"));
    }

    [Fact]
    public async Task An_amendment_signed_after_its_effective_period_was_settled_is_carried_by_the_next_statement()
    {
        await using var harness = await StartAsync();
        var contract = Assert.Single(await harness.AddActiveContractsAsync(1, "amended"));
        harness.Report([contract], November);
        await harness.RunPeriodAsync(November);

        // 15 pre-sales seats instead of 10 from 2026-11-16, signed on 2026-12-02: November's base fee was 90,000.00 and is now
        // 90,000.00 × 15/30 + 120,000.00 × 15/30 = 105,000.00 (+15,000.00); the four missed SLA targets take 2% each of it
        // (4 × -2% × 15,000.00 = -1,200.00 more). Commission is unchanged, so it gets no line.
        await AmendAsync(harness, contract.Id, new LocalDate(2026, 11, 16), preSalesSeats: 15);
        harness.Report([contract], December);
        await harness.RunPeriodAsync(December, Duration.FromDays(31));

        var stored = await harness.ReadStatementsAsync(contract.Id);
        var corrections = stored.For(December)!.Lines.Where(line => line.Kind == StatementLineKind.Correction).ToDictionary(line => line.Corrects!.Value, line => line.Amount);
        Assert.Equal(Cny(15_000m), corrections[StatementLineKind.BaseFee]);
        Assert.Equal(Cny(-1_200m), corrections[StatementLineKind.SlaCredit]);
        Assert.Equal(2, corrections.Count);
        Assert.Equal(stored.For(December)!.Id, Assert.Single(stored.Corrections).AppliedBy);

        // December itself was settled on the amended terms (120,000.00), so it needs no correction of its own later.
        Assert.Equal(Cny(120_000m), Assert.Single(stored.For(December)!.Lines, line => line.Kind == StatementLineKind.BaseFee).Amount);
        harness.Report([contract], January);
        await harness.RunPeriodAsync(January, Duration.FromDays(31));
        Assert.Single((await harness.ReadStatementsAsync(contract.Id)).Corrections);
    }

    [Fact]
    public async Task An_amendment_effective_in_a_period_billed_in_advance_corrects_the_advance_bill_on_the_next_statement()
    {
        await using var harness = await StartAsync();
        var contract = Assert.Single(await harness.AddActiveContractsAsync(1, "fixed-amended", MonthlyFixedFee(31_000m)));
        await harness.RunPeriodAsync(November);

        // November's statement billed December in advance at 31,000.00. Signed on 2 December: 62,000.00 a month from
        // 2026-12-16, so December is 31,000.00 × 15/31 + 62,000.00 × 16/31 = 15,000.00 + 32,000.00 = 47,000.00 (+16,000.00).
        await AmendAsync(harness, contract.Id, new LocalDate(2026, 12, 16), Terms.Create(MonthlyFixedFee(62_000m)).Value);
        await harness.RunPeriodAsync(December, Duration.FromDays(31));

        var stored = await harness.ReadStatementsAsync(contract.Id);
        var december = stored.For(December)!;
        var correction = Assert.Single(december.Lines, line => line.Kind == StatementLineKind.Correction);
        Assert.Equal((StatementLineKind.FixedFee, Cny(16_000m)), (correction.Corrects!.Value, correction.Amount));
        Assert.Equal(stored.For(November)!.Id, correction.IssuedStatement!.Value.Value);
        Assert.Equal(Cny(62_000m), Assert.Single(december.Lines, line => line.Kind == StatementLineKind.FixedFee).Amount);
    }

    [Fact]
    public async Task The_stored_reports_give_every_periods_latest_version_and_its_review_in_one_read()
    {
        await using var harness = await StartAsync();
        var store = new TableServiceReportStore(harness.Services.GetRequiredService<TableServiceClient>());
        var contract = ContractId.Derive("reports-all");
        var figures = ServiceFigures.Create(1000, 420, Cny(100_000m), 25, null, null, null, null).Value;
        ServiceReport Version(SettlementPeriod period, int version) => new()
        {
            Contract = contract,
            Period = period,
            Version = version,
            Figures = figures,
            SubmittedBy = SampleContracts.VendorUser,
            SubmittedAt = Instant.FromUtc(2026, 12, 1, 0, 0),
        };
        Assert.True(await store.TryAddVersionAsync(Version(November, 1), CancellationToken.None));
        Assert.True(await store.TryAddVersionAsync(Version(December, 1), CancellationToken.None));
        Assert.True(await store.TryAddVersionAsync(Version(December, 2), CancellationToken.None));
        Assert.True(await store.TryAddReviewAsync(
            Version(December, 2) with { Review = new ServiceReportReview(ServiceReportStatus.Contested, SampleContracts.MerchantUser, Instant.FromUtc(2026, 12, 2, 0, 0), "figures too high") },
            CancellationToken.None));

        var latest = await new StoredServiceReports(store).ReadLatestAsync(contract, CancellationToken.None);

        Assert.Equal([November, December], latest.Keys.Order().ToArray());
        Assert.Equal(new ServiceReportVersion(1, figures, Contested: false), latest[November]);
        Assert.Equal(new ServiceReportVersion(2, figures, Contested: true), latest[December]);
        Assert.Empty(await new StoredServiceReports(store).ReadLatestAsync(ContractId.Derive("no-reports"), CancellationToken.None));

        // The reports live in the contract's statements partition, so the one query a settlement makes of it brings them: the
        // same latest versions, no request of their own.
        var before = harness.Counter.TableRequests;
        var partition = await harness.Services.GetRequiredService<StatementStore>().ReadContractAsync(contract, CancellationToken.None);
        Assert.Equal(1, harness.Counter.TableRequests - before);
        Assert.Equal(latest, new StoredServiceReports(store).LatestFrom(partition));
        Assert.Empty(partition.Statements);
        Assert.Equal(4, (await harness.RowsAsync(StorageNames.StatementsTable, TableServiceReportStore.KeyPrefix, "rpt;")).Count(row => row.PartitionKey == contract.Value));
    }

    private static Money Cny(decimal amount) => new(amount, Currency.Cny);

    private static Task<SettlementHarness> StartAsync() =>
        SettlementHarness.StartAsync(Instant.FromUtc(2026, 12, 2, 0, 0), OneAttempt, services => services.AddSingleton<IWorkingDayCalendar>(new WeekdayCalendar()));


    private static TermsInput MonthlyFixedFee(decimal fee) => SampleTerms.FixedFeeInput with
    {
        SettlementCycle = "Monthly",
        LumpSumBaseFee = SampleTerms.Cny(fee.ToString("0.00", CultureInfo.InvariantCulture)),
        Sla = null,
    };

    private static Task AmendAsync(SettlementHarness harness, ContractId id, LocalDate effectiveFrom, int preSalesSeats) =>
        AmendAsync(harness, id, effectiveFrom, Terms.Create(SampleTerms.Input with
        {
            Seats =
            [
                new SeatInput { AgentType = "pre-sales", Count = preSalesSeats, MonthlyRate = SampleTerms.Cny("6000.00") },
                new SeatInput { AgentType = "night-shift", Count = 4, MonthlyRate = SampleTerms.Cny("7500.00") },
            ],
        }).Value);

    // Proposes, approves and signs an amendment to the terms given from the given day, as ContractLifecycle does.
    private static async Task AmendAsync(SettlementHarness harness, ContractId id, LocalDate effectiveFrom, Terms terms)
    {
        var store = harness.Services.GetRequiredService<IContractStore>();
        var stored = (await store.GetAsync(id, CancellationToken.None))!;
        var calendar = harness.Services.GetRequiredService<IWorkingDayCalendar>();
        var at = harness.Clock.GetCurrentInstant();
        var amended = Step(stored.Contract.ProposeAmendment(terms, effectiveFrom, SampleContracts.Policy, AccountingPeriods.None, SampleContracts.MerchantUser, at), "propose");
        amended = Step(amended.Approve(SampleContracts.Approver, at), "approve");
        if (amended.PendingVersion?.Status == VersionStatus.PendingApproval)
        {
            amended = Step(amended.Approve(SampleContracts.FinanceUser, at), "approve by finance");
        }

        amended = Step(amended.Sign(SampleContracts.VendorUser, at, calendar, AccountingPeriods.None), "vendor signs");
        amended = Step(amended.Sign(SampleContracts.MerchantUser, at, calendar, AccountingPeriods.None), "merchant signs");
        Assert.IsType<ContractWrite.Written>(await store.ReplaceAsync(amended, stored.ConcurrencyToken, CancellationToken.None));

        static Contract Step(Validated<Contract> result, string step) =>
            result.IsValid ? result.Value : throw new InvalidOperationException($"The amendment could not {step}: " + string.Join("; ", result.Refusals.Select(refusal => refusal.Message)));
    }


    private static Task<IReadOnlyList<TableEntity>> JournalEntriesAsync(SettlementHarness harness) =>
        harness.JournalEntryRowsAsync();
}
