using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NodaTime;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Disputes;
using ServiceLedger.Domain.Money;
using ServiceLedger.Domain.Parties;
using ServiceLedger.Domain.Settlement;
using ServiceLedger.Functions.Adapters.Disputes;
using ServiceLedger.Functions.Disputes;
using ServiceLedger.Functions.Hosting;
using ServiceLedger.Functions.Payments;
using ServiceLedger.Functions.Settlement;
using ServiceLedger.Functions.Statements;
using ServiceLedger.TestSupport.Contracts;
using ServiceLedger.TestSupport.Settlement;

namespace ServiceLedger.Integration.Tests.Settlement;

/// <summary>
/// Late penalties end to end against Azurite: settlement runs, payments recorded through the payments use case, disputes
/// holding a statement. Sample terms (monthly, Asia/Shanghai, 5 working days to pay, 0.05% a day capped at 20%) from
/// 2026-09-01, so September's statement is issued on 2026-10-01, in the middle of National Day (1–7 October 2026, with
/// Saturday 10 October worked): due 5 working days later = 8, 9, 10, 12, 13 October → 2026-10-13 (a weekday count would
/// say 2026-10-08). Each month's report: 1,000 inquiries, 420 converted, sales 100,000.00, first response 25 s, the other
/// SLA figures unmeasured. By hand: base 90,000.00 + 1.5% × 100,000.00 = 1,500.00 − 4 missed targets × 2% × 90,000.00 =
/// 7,200.00 → total 84,300.00.
/// </summary>
public sealed class OverduePenaltySettlementTests
{
    private static readonly SettlementPeriod September = SettlementPeriod.Month(2026, 9);
    private static readonly SettlementPeriod October = SettlementPeriod.Month(2026, 10);
    private static readonly SettlementPeriod November = SettlementPeriod.Month(2026, 11);
    private static readonly TermsInput FromSeptember = SampleTerms.Input with { Term = SampleTerms.Input.Term! with { StartOn = "2026-09-01" } };

    [Fact]
    public async Task A_late_payment_unpaid_and_disputed_statement_give_penalties_to_the_day_paid_to_the_issue_day_and_none()
    {
        await using var harness = await StartAsync();
        var contracts = await harness.AddActiveContractsAsync(3, "overdue-" + Guid.NewGuid().ToString("N")[..8], FromSeptember);
        var (paidLate, unpaid, disputed) = (contracts[0], contracts[1], contracts[2]);
        await SettleAsync(harness, contracts, September);
        var september = await StatementAsync(harness, paidLate, September);
        Assert.Equal(new LocalDate(2026, 10, 13), september.DueOn);
        Assert.Equal(Cny(84_300m), september.Total);

        harness.Clock.Set(Instant.FromUtc(2026, 10, 21, 2, 0));
        await PayAsync(harness, september, "84300.00", new LocalDate(2026, 10, 20));
        await OpenDisputeAsync(harness, disputed, await StatementAsync(harness, disputed, September));
        await SettleAsync(harness, contracts, October);

        // Paid 2026-10-20: 14..20 October = 7 days × 0.05% × 84,300.00 = 295.05.
        Assert.Equal(Cny(295.05m), PenaltyFor(await StatementAsync(harness, paidLate, October), september));

        // Unpaid at the issue day 2026-11-01: 14 October..1 November = 19 days → 800.85.
        var unpaidSeptember = await StatementAsync(harness, unpaid, September);
        Assert.Equal(Cny(800.85m), PenaltyFor(await StatementAsync(harness, unpaid, October), unpaidSeptember));

        // Disputed in full and unresolved: on hold, no penalty.
        var disputedOctober = await StatementAsync(harness, disputed, October);
        Assert.DoesNotContain(disputedOctober.Lines, line => line.Kind == StatementLineKind.LatePenalty);
    }

    [Fact]
    public async Task The_cap_reached_on_the_second_statement_charges_only_the_rest_of_it()
    {
        await using var harness = await StartAsync();
        var steep = FromSeptember with { LatePenalty = new LatePenaltyInput { DailyRate = "0.005", Cap = "0.15" } };
        var contracts = await harness.AddActiveContractsAsync(1, "cap-" + Guid.NewGuid().ToString("N")[..8], steep);
        await SettleAsync(harness, contracts, September);
        await SettleAsync(harness, contracts, October);
        await SettleAsync(harness, contracts, November);
        var september = await StatementAsync(harness, contracts[0], September);

        // 2026-11-01: 19 days × 0.5% = 9.5% of 84,300.00 = 8,008.50 (below the 15% cap).
        var first = PenaltyFor(await StatementAsync(harness, contracts[0], October), september);

        // 2026-12-01: 49 days × 0.5% = 24.5% > 15% → 12,645.00 in all, of which 8,008.50 was charged: 4,636.50.
        var second = PenaltyFor(await StatementAsync(harness, contracts[0], November), september);

        Assert.Equal(Cny(8_008.50m), first);
        Assert.Equal(Cny(4_636.50m), second);
        Assert.Equal(Cny(84_300m) * 0.15m, first + second);
    }

    private static Task<SettlementHarness> StartAsync() =>
        SettlementHarness.StartAsync(Instant.FromUtc(2026, 10, 1, 2, 0), QueueTriggerSettings.FromHostJson, services =>
        {
            services.AddStatementPayments();
            services.AddSingleton<IDisputeStore, TableDisputeStore>();
            services.Replace(ServiceDescriptor.Singleton<ISettlementHolds, DisputeHolds>());
        });

    // Runs the period at 10:00 Shanghai on the first day after it, as the timer would.
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

    private static async Task PayAsync(SettlementHarness harness, StatementRecord statement, string amount, LocalDate receivedOn)
    {
        var request = new RecordStatementPaymentRequest(new MoneyInput { Amount = amount, Currency = "CNY" }, receivedOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), "CMB 20261020", "late-1");
        var result = await harness.Services.GetRequiredService<RecordStatementPayment>().RecordAsync(statement.Id, request, CancellationToken.None);
        Assert.True(Assert.IsType<PaymentResult.Recorded>(result).Created);
    }

    private static async Task OpenDisputeAsync(SettlementHarness harness, Contract contract, StatementRecord statement)
    {
        var calendar = harness.Services.GetRequiredService<IWorkingDayCalendar>();
        var now = harness.Clock.GetCurrentInstant();
        var merchant = new DisputeClock(Actor.Create(ActorRole.Merchant, contract.Merchant.Value, "by").Value, now, now.InZone(statement.TimeZone).Date, DisputeDeadlines.Default, calendar);
        var dispute = Dispute.Open(
            DisputeId.Derive(contract.Id.Value), contract.Id, contract.Merchant, contract.Vendor, DisputeSubject.Create(statement.Id, null, "subject").Value,
            DisputeReason.SlaCredit, statement.Total, statement.Total, "The SLA figures were measured; the credits are wrong.", [], [], merchant).Value;

        // As DisputeDesk opens one: the contract's dispute marker first, so that settlement runs read its disputes.
        await harness.Services.GetRequiredService<DisputeMarkerStore>().MarkAsync(contract.Id, dispute.Id.Value, CancellationToken.None);
        Assert.IsType<DisputeWrite.Written>(await harness.Services.GetRequiredService<IDisputeStore>().InsertAsync(dispute, CancellationToken.None));
    }

    private static Money Cny(decimal amount) => new(amount, Currency.Cny);
}
