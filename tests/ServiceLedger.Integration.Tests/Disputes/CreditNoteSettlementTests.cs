using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Disputes;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Domain.Money;
using ServiceLedger.Domain.Parties;
using ServiceLedger.Domain.Settlement;
using ServiceLedger.Functions.Configuration;
using ServiceLedger.Functions.Contracts;
using ServiceLedger.Functions.Disputes;
using ServiceLedger.Functions.Hosting;
using ServiceLedger.Functions.Ledger;
using ServiceLedger.Functions.Payments;
using ServiceLedger.Functions.Settlement;
using ServiceLedger.Functions.Statements;
using ServiceLedger.TestSupport.Contracts;
using ServiceLedger.TestSupport.Settlement;

namespace ServiceLedger.Integration.Tests.Disputes;

/// <summary>
/// An accepted dispute's credit note end to end against Azurite: resolution books it once and records it beside the disputed
/// statement (also when the first attempt crashed between the two writes), the next run charges late penalties only on the
/// rest, and the next statement lists the credit note as a memo line outside its total. Sample terms from 2026-09-01
/// (OverduePenaltySettlementTests): September's statement is 84,300.00, issued 2026-10-01, due 2026-10-13, unpaid; 0.05% a
/// day capped at 20%.
/// </summary>
public sealed class CreditNoteSettlementTests
{
    private static readonly SettlementPeriod September = SettlementPeriod.Month(2026, 9);
    private static readonly SettlementPeriod October = SettlementPeriod.Month(2026, 10);
    private static readonly SettlementPeriod November = SettlementPeriod.Month(2026, 11);
    private static readonly TermsInput FromSeptember = SampleTerms.Input with { Term = SampleTerms.Input.Term! with { StartOn = "2026-09-01" } };

    [Fact]
    public async Task A_partly_accepted_dispute_books_once_after_a_crash_and_the_next_runs_charge_penalty_only_on_the_rest_and_list_it_once()
    {
        await using var harness = await SettlementHarness.StartAsync(Instant.FromUtc(2026, 10, 1, 2, 0), QueueTriggerSettings.FromHostJson, services =>
        {
            services.AddStatementPayments();
            services.AddDisputes(new ConfigurationBuilder().Build());
        });
        var contracts = await harness.AddActiveContractsAsync(2, "credit-" + Guid.NewGuid().ToString("N")[..8], FromSeptember);
        var (credited, plain) = (contracts[0], contracts[1]);
        await SettleAsync(harness, contracts, September);
        var september = await StatementAsync(harness, credited, September);
        Assert.Equal(Cny(84_300m), september.Total);

        // Opened 2026-10-20, 30,000.00 of it accepted 2026-10-25 (10:00 Shanghai); the first attempt dies right after the post.
        harness.Clock.Set(Instant.FromUtc(2026, 10, 20, 2, 0));
        var dispute = await OpenDisputeAsync(harness, credited, september);
        harness.Clock.Set(Instant.FromUtc(2026, 10, 25, 2, 0));
        harness.Crashes.CrashAfterPostOnce([credited.Id.Book]);
        await Assert.ThrowsAsync<IOException>(() => ResolveAsync(harness, dispute));
        Assert.Empty(await CreditNoteRowsAsync(harness, credited));

        Assert.IsType<DisputeResult.Done>(await ResolveAsync(harness, dispute));
        Assert.IsType<DisputeResult.Done>(await ResolveAsync(harness, dispute));

        var row = Assert.Single(await CreditNoteRowsAsync(harness, credited));
        Assert.Equal($"crn:{september.Id}:{dispute}", row.RowKey);
        var booked = (await harness.Services.GetRequiredService<LedgerService>().ReadAccountPostingsAsync(AccountId.MerchantReceivable(credited.Merchant.Value), CancellationToken.None))
            .Where(posting => posting.Entry.IdempotencyKey.Value == $"dispute:{dispute}:resolution")
            .ToArray();
        Assert.Equal(Cny(30_000m), Assert.Single(booked).Posting.Amount);

        // The run's one partition query of the contract's statements brings the credit note: no storage request of its own.
        var before = harness.Counter.TableRequests;
        var read = await harness.Services.GetRequiredService<StatementStore>().ReadContractAsync(credited.Id, CancellationToken.None);
        Assert.Equal(1, harness.Counter.TableRequests - before);
        Assert.Equal(Cny(30_000m), Assert.Single(read.CreditNotes).Credited);

        await SettleAsync(harness, contracts, October);

        // 14 October..1 November = 19 days × 0.05%: on the 54,300.00 still owed = 515.85; the undisputed contract pays on all
        // of 84,300.00 = 800.85.
        var october = await StatementAsync(harness, credited, October);
        Assert.Equal(Cny(515.85m), PenaltyFor(october, september));
        Assert.Equal(Cny(800.85m), PenaltyFor(await StatementAsync(harness, plain, October), await StatementAsync(harness, plain, September)));

        // The memo line: listed, not a line, not in the total (84,300.00 + 515.85, as the plain contract's 84,300.00 + 800.85).
        var memo = Assert.Single(october.CreditNotes);
        Assert.Equal(new CreditNote(StatementId.For(credited.Id, September, 1), Cny(30_000m), $"dispute:{dispute}", new LocalDate(2026, 10, 25)), memo);
        Assert.Equal(Cny(84_815.85m), october.Total);
        Assert.Contains($"credit-note=30000.00|dispute:{dispute}|{september.Id}|2026-10-25", october.CanonicalText, StringComparison.Ordinal);

        await SettleAsync(harness, contracts, November);

        // 2026-12-01: 49 days × 0.05% × 54,300.00 = 1,330.35, less 515.85 charged = 814.50; the memo is not listed again.
        var november = await StatementAsync(harness, credited, November);
        Assert.Equal(Cny(814.50m), PenaltyFor(november, september));
        Assert.Empty(november.CreditNotes);
    }

    private static async Task SettleAsync(SettlementHarness harness, IReadOnlyList<Contract> contracts, SettlementPeriod period)
    {
        harness.Clock.Set(Instant.FromUtc(period.End.Year, period.End.Month, period.End.Day, 2, 0));
        harness.Report(contracts, period);
        await harness.Services.GetRequiredService<SettlementRuns>().StartAsync(period, SettlementRuns.HttpTrigger, "finance-test", null, CancellationToken.None);
        await harness.DrainAsync();
    }

    private static async Task<StatementRecord> StatementAsync(SettlementHarness harness, Contract contract, SettlementPeriod period) =>
        (await harness.Services.GetRequiredService<StatementStore>().ReadContractAsync(contract.Id, CancellationToken.None)).For(period)
            ?? throw new InvalidOperationException($"No {period} statement for {contract.Id}.");

    private static Money PenaltyFor(StatementRecord statement, StatementRecord overdue) =>
        Assert.Single(statement.Lines, line => line.Kind == StatementLineKind.LatePenalty && line.Reference == overdue.Id).Amount;

    private static async Task<IReadOnlyList<Functions.Adapters.Tables.TableEntity>> CreditNoteRowsAsync(SettlementHarness harness, Contract contract) =>
        [.. (await harness.RowsAsync(StorageNames.StatementsTable, CreditNoteStore.RowKeyPrefix, "crn;")).Where(row => row.PartitionKey == contract.Id.Value)];

    // Opened by the merchant on the whole statement and put under review by finance, as the API would.
    private static async Task<DisputeId> OpenDisputeAsync(SettlementHarness harness, Contract contract, StatementRecord statement)
    {
        var calendar = harness.Services.GetRequiredService<IWorkingDayCalendar>();
        var now = harness.Clock.GetCurrentInstant();
        var today = now.InZone(statement.TimeZone).Date;
        var merchant = new DisputeClock(Actor.Create(ActorRole.Merchant, contract.Merchant.Value, "by").Value, now, today, DisputeDeadlines.Default, calendar);
        var finance = merchant with { By = Actor.Create(ActorRole.Finance, "finance-test", "by").Value };
        var dispute = Dispute.Open(
            DisputeId.Derive(contract.Id.Value), contract.Id, contract.Merchant, contract.Vendor, DisputeSubject.Create(statement.Id, null, "subject").Value,
            DisputeReason.CommissionBase, Cny(40_000m), statement.Total, "Refunded orders were counted as sales.", [], [], merchant).Value;
        Assert.IsType<DisputeWrite.Written>(await harness.Services.GetRequiredService<IDisputeStore>().InsertAsync(dispute.StartReview(null, finance).Value, CancellationToken.None));
        return dispute.Id;
    }

    private static async Task<DisputeResult> ResolveAsync(SettlementHarness harness, DisputeId dispute)
    {
        await using var scope = harness.Services.CreateAsyncScope();
        var finance = new ContractCaller(Actor.Create(ActorRole.Finance, "finance-test", "by").Value, null, null);
        return await scope.ServiceProvider.GetRequiredService<DisputeDesk>().ResolveAsync(
            finance, dispute.Value, "partiallyAccepted", new MoneyView("30000.00", "CNY"), "Refunds of 30,000.00 were counted.", null, CancellationToken.None);
    }

    private static Money Cny(decimal amount) => new(amount, Currency.Cny);
}
