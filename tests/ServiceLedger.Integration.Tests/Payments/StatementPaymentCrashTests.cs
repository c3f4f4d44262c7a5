using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Domain.Money;
using ServiceLedger.Functions.Hosting;
using ServiceLedger.Functions.Ledger;
using ServiceLedger.Functions.Payments;
using ServiceLedger.Functions.Settlement;
using ServiceLedger.Functions.Statements;
using ServiceLedger.TestSupport.Settlement;

namespace ServiceLedger.Integration.Tests.Payments;

/// <summary>
/// Recording a payment posts to the ledger first and stores the payment row second; a crash between the two writes is
/// repaired by the retry, which gets "already appended" from the ledger and stores the row: one entry, one row.
/// </summary>
public sealed class StatementPaymentCrashTests
{
    [Fact]
    public async Task A_crash_after_the_ledger_post_is_repaired_by_the_retry_without_a_second_entry()
    {
        await using var harness = await SettlementHarness.StartAsync(Instant.FromUtc(2026, 11, 2, 2, 0), QueueTriggerSettings.FromHostJson, services => services.AddStatementPayments());
        var contracts = await harness.AddActiveContractsAsync(1, "paycrash-" + Guid.NewGuid().ToString("N")[..8]);
        var october = SettlementPeriod.Month(2026, 10);
        harness.Report(contracts, october);
        await harness.Services.GetRequiredService<SettlementRuns>().StartAsync(october, SettlementRuns.HttpTrigger, "finance-test", null, CancellationToken.None);
        await harness.DrainAsync();
        var statement = (await harness.Services.GetRequiredService<StatementStore>().ReadContractAsync(contracts[0].Id, CancellationToken.None)).For(october)!;
        var payments = harness.Services.GetRequiredService<RecordStatementPayment>();
        var request = new RecordStatementPaymentRequest(new MoneyInput { Amount = "5000.00", Currency = "CNY" }, "2026-11-02", "CMB 1", "crash-1");

        harness.Crashes.CrashAfterPostOnce([contracts[0].Id.Book]);
        await Assert.ThrowsAsync<IOException>(() => payments.RecordAsync(statement.Id, request, CancellationToken.None));
        var afterCrash = await harness.Services.GetRequiredService<StatementPaymentStore>().ReadAsync(statement, CancellationToken.None);
        var retried = Assert.IsType<PaymentResult.Recorded>(await payments.RecordAsync(statement.Id, request, CancellationToken.None));
        var again = Assert.IsType<PaymentResult.Recorded>(await payments.RecordAsync(statement.Id, request, CancellationToken.None));

        Assert.Empty(afterCrash);
        Assert.True(retried.Created);
        Assert.False(again.Created);
        Assert.Equal(retried.Payment.LedgerEntryId, again.Payment.LedgerEntryId);
        Assert.Equal(new Money(5_000m, Currency.Cny), retried.Balance.Paid);
        var entries = (await harness.Services.GetRequiredService<LedgerService>().ReadEntriesAsync(contracts[0].Id.Book, SequenceRange.All, PageRequest.First, CancellationToken.None)).Items;
        Assert.Single(entries, entry => entry.IdempotencyKey.Value == $"payment:{statement.Id}:crash-1");
    }
}
