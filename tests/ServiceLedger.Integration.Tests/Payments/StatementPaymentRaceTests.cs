using System.Globalization;
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
using ServiceLedger.Functions.Payments;
using ServiceLedger.Functions.Settlement;
using ServiceLedger.Functions.Statements;
using ServiceLedger.TestSupport.Settlement;

namespace ServiceLedger.Integration.Tests.Payments;

/// <summary>
/// Two payments of one statement recorded at the same moment, each within the outstanding amount, together beyond it: the
/// first is held right after it has read the statement's payments until the second is recorded, then goes on with what it
/// read. Only one may be recorded; the other is refused on the amount and posts nothing.
/// </summary>
public sealed class StatementPaymentRaceTests
{
    private static readonly SettlementPeriod October = SettlementPeriod.Month(2026, 10);
    private static readonly SettlementPeriod November = SettlementPeriod.Month(2026, 11);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Two_payments_read_at_the_same_moment_cannot_together_overpay_the_statement(bool paidInPartBefore)
    {
        await using var harness = await SettlementHarness.StartAsync(Instant.FromUtc(2026, 11, 2, 2, 0), QueueTriggerSettings.FromHostJson, services => services.AddStatementPayments());
        var statement = await SettledOctoberStatementAsync(harness, "payrace-" + Guid.NewGuid().ToString("N")[..8]);
        var payments = harness.Services.GetRequiredService<RecordStatementPayment>();
        var before = new Money(paidInPartBefore ? decimal.Round(statement.Total.Amount / 4m, 2, MidpointRounding.ToZero) : 0m, Currency.Cny);
        if (paidInPartBefore)
        {
            Assert.IsType<PaymentResult.Recorded>(await payments.RecordAsync(statement.Id, Request(before.FormatAmount(), "before"), CancellationToken.None));
        }

        // Each alone fits the outstanding amount; the two together exceed it.
        var half = decimal.Round((statement.Total - before).Amount / 2m, 2, MidpointRounding.ToPositiveInfinity) + 0.01m;
        var amount = half.ToString("0.00", CultureInfo.InvariantCulture);
        using var gate = new HoldAfterPaymentsRead(statement.Id);
        var held = ActivatorUtilities.CreateInstance<RecordStatementPayment>(harness.Services, new StatementPaymentStore(PaymentGate.Tables(harness, gate)));

        var first = Task.Run(() => held.RecordAsync(statement.Id, Request(amount, "first"), CancellationToken.None));
        await gate.Held.WaitAsync(TimeSpan.FromSeconds(60));
        var second = await payments.RecordAsync(statement.Id, Request(amount, "second"), CancellationToken.None);
        gate.Release();
        var firstResult = await first;

        var recorded = Assert.IsType<PaymentResult.Recorded>(second);
        Assert.True(recorded.Created);
        var refused = Assert.IsType<PaymentResult.Refused>(firstResult);
        var refusal = Assert.Single(refused.Refusals);
        Assert.Equal(PaymentRule.ExceedsOutstanding, refusal.Code);
        Assert.Equal("amount.amount", refusal.Field);
        var stored = await harness.Services.GetRequiredService<StatementPaymentStore>().ReadAsync(statement, CancellationToken.None);
        Assert.Equal(paidInPartBefore ? ["before", "second"] : ["second"], stored.Select(payment => payment.Payment.RequestId).Order(StringComparer.Ordinal));
        Assert.Equal(before + new Money(half, Currency.Cny), StatementBalance.Of(statement, stored).Paid);
        var entries = await PaymentEntriesAsync(harness, statement);
        Assert.Equal(stored.Select(payment => payment.LedgerEntryId).Order(StringComparer.Ordinal), entries.Select(entry => entry.Id.ToString()).Order(StringComparer.Ordinal));
        var tally = await harness.Services.GetRequiredService<StatementPaymentStore>().ReadTallyAsync(statement, CancellationToken.None);
        Assert.NotNull(tally);
        Assert.Null(tally.Pending);
        Assert.Equal((StatementBalance.Of(statement, stored).Paid, stored.Count), (tally.Paid, tally.Count));
    }

    [Fact]
    public async Task A_payment_left_admitted_by_a_crash_is_finished_by_the_next_payment_of_the_statement()
    {
        await using var harness = await SettlementHarness.StartAsync(Instant.FromUtc(2026, 11, 2, 2, 0), QueueTriggerSettings.FromHostJson, services => services.AddStatementPayments());
        var statement = await SettledOctoberStatementAsync(harness, "payhelp-" + Guid.NewGuid().ToString("N")[..8]);
        var payments = harness.Services.GetRequiredService<RecordStatementPayment>();
        var store = harness.Services.GetRequiredService<StatementPaymentStore>();

        harness.Crashes.CrashAfterPostOnce([statement.Contract.Book]);
        await Assert.ThrowsAsync<IOException>(() => payments.RecordAsync(statement.Id, Request("10.00", "crashed"), CancellationToken.None));
        var pending = (await store.ReadTallyAsync(statement, CancellationToken.None))?.Pending;
        var other = Assert.IsType<PaymentResult.Recorded>(await payments.RecordAsync(statement.Id, Request("20.00", "other"), CancellationToken.None));
        var retried = Assert.IsType<PaymentResult.Recorded>(await payments.RecordAsync(statement.Id, Request("10.00", "crashed"), CancellationToken.None));

        Assert.Equal("crashed", pending?.Payment.RequestId);
        Assert.True(other.Created);
        Assert.Equal(new Money(30m, Currency.Cny), other.Balance.Paid);
        Assert.False(retried.Created);
        var stored = await store.ReadAsync(statement, CancellationToken.None);
        Assert.Equal(["crashed", "other"], stored.Select(payment => payment.Payment.RequestId).Order(StringComparer.Ordinal));
        Assert.Equal(2, (await PaymentEntriesAsync(harness, statement)).Count);
    }

    [Fact]
    public async Task A_payment_left_pending_by_a_crash_is_finished_by_the_contracts_next_settlement_before_it_charges_late_penalties()
    {
        await using var harness = await SettlementHarness.StartAsync(Instant.FromUtc(2026, 11, 2, 2, 0), QueueTriggerSettings.FromHostJson, services => services.AddStatementPayments());
        var contracts = await harness.AddActiveContractsAsync(1, "paypending-" + Guid.NewGuid().ToString("N")[..8]);
        harness.Report(contracts, October);
        await harness.RunPeriodAsync(October);
        var statement = (await harness.ReadStatementsAsync(contracts[0].Id)).For(October)!;
        var store = harness.Services.GetRequiredService<StatementPaymentStore>();

        // October paid in full on 2 November, before its due date; the request crashed after its post, before its row.
        harness.Crashes.CrashAfterPostOnce([statement.Contract.Book]);
        await Assert.ThrowsAsync<IOException>(() => harness.Services.GetRequiredService<RecordStatementPayment>().RecordAsync(statement.Id, Request(statement.Total.FormatAmount(), "crashed"), CancellationToken.None));
        Assert.NotNull((await store.ReadTallyAsync(statement, CancellationToken.None))?.Pending);

        // No other payment request comes; November's settlement (on 2 December, October long due) finishes it first.
        harness.Report(contracts, November);
        var november = await harness.RunPeriodAsync(November, Duration.FromDays(30));

        var stored = await harness.ReadStatementsAsync(contracts[0].Id);
        Assert.Equal(1, november.Settled);
        Assert.Equal("crashed", Assert.Single(stored.Payments).Payment.RequestId);
        Assert.Empty(stored.StatementsWithPendingPayments);
        Assert.Null((await store.ReadTallyAsync(statement, CancellationToken.None))!.Pending);
        Assert.Single(await PaymentEntriesAsync(harness, statement));
        Assert.DoesNotContain(stored.For(November)!.Lines, line => line.Kind == StatementLineKind.LatePenalty);
    }

    [Fact]
    public async Task The_tally_row_is_outside_every_payment_range_and_a_settlement_read_ignores_it()
    {
        await using var harness = await SettlementHarness.StartAsync(Instant.FromUtc(2026, 11, 2, 2, 0), QueueTriggerSettings.FromHostJson, services => services.AddStatementPayments());
        var statement = await SettledOctoberStatementAsync(harness, "paytally-" + Guid.NewGuid().ToString("N")[..8]);
        await harness.Services.GetRequiredService<RecordStatementPayment>().RecordAsync(statement.Id, Request("1000.00", "one"), CancellationToken.None);

        var tallies = await harness.RowsAsync(StorageNames.StatementsTable, StatementPaymentStore.TallyRowKeyPrefix, "paid;");
        var paymentRange = await harness.RowsAsync(StorageNames.StatementsTable, StatementPaymentStore.RowKeyPrefix, "pay;");
        var contract = await harness.Services.GetRequiredService<StatementStore>().ReadContractAsync(statement.Contract, CancellationToken.None);
        var scanned = await harness.Services.GetRequiredService<StatementPaymentStore>().ScanAsync(CancellationToken.None).ToListAsync();

        Assert.Equal($"paid:{statement.Id}", Assert.Single(tallies).RowKey);
        Assert.Equal($"pay:{statement.Id}:one", Assert.Single(paymentRange).RowKey);
        Assert.Equal("one", Assert.Single(contract.Payments).Payment.RequestId);
        Assert.Equal("one", Assert.Single(scanned).Payment.RequestId);
        Assert.Single(contract.Statements);
    }

    private static RecordStatementPaymentRequest Request(string amount, string requestId) =>
        new(new MoneyInput { Amount = amount, Currency = "CNY" }, "2026-11-02", "CMB " + requestId, requestId);

    private static async Task<StatementRecord> SettledOctoberStatementAsync(SettlementHarness harness, string seed)
    {
        var contracts = await harness.AddActiveContractsAsync(1, seed);
        harness.Report(contracts, October);
        await harness.Services.GetRequiredService<SettlementRuns>().StartAsync(October, SettlementRuns.HttpTrigger, "finance-test", null, CancellationToken.None);
        await harness.DrainAsync();
        return (await harness.Services.GetRequiredService<StatementStore>().ReadContractAsync(contracts[0].Id, CancellationToken.None)).For(October)!;
    }

    private static async Task<IReadOnlyList<JournalEntry>> PaymentEntriesAsync(SettlementHarness harness, StatementRecord statement) =>
        (await harness.Services.GetRequiredService<LedgerService>().ReadEntriesAsync(statement.Contract.Book, SequenceRange.All, PageRequest.First, CancellationToken.None)).Items
            .Where(entry => entry.IdempotencyKey.Value.StartsWith($"payment:{statement.Id}:", StringComparison.Ordinal))
            .ToArray();
}
