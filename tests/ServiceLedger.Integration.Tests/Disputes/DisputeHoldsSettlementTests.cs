using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NodaTime;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Disputes;
using ServiceLedger.Domain.Money;
using ServiceLedger.Domain.Parties;
using ServiceLedger.Functions.Adapters.Disputes;
using ServiceLedger.Functions.Disputes;
using ServiceLedger.Functions.Hosting;
using ServiceLedger.Functions.Settlement;
using ServiceLedger.Functions.Statements;
using ServiceLedger.TestSupport.Settlement;

namespace ServiceLedger.Integration.Tests.Disputes;

/// <summary>
/// The hold's effect on the vendor's statement, end to end against Azurite: a settlement run reads the contract's
/// unresolved disputes (the disputes capability's holds) and the statement shows them as disputed amounts on hold, kept
/// out of the vendor's net payable; a resolved dispute holds nothing.
/// </summary>
public sealed class DisputeHoldsSettlementTests
{
    private static readonly SettlementPeriod November = SettlementPeriod.Month(2026, 11);
    private static readonly Instant AfterNovember = Instant.FromUtc(2026, 12, 2, 0, 0);

    [Fact]
    public async Task An_open_dispute_is_on_hold_on_the_next_statement_and_a_rejected_one_is_not()
    {
        await using var harness = await SettlementHarness.StartAsync(AfterNovember, QueueTriggerSettings.FromHostJson, services =>
        {
            services.AddSingleton<IDisputeStore, TableDisputeStore>();
            services.Replace(ServiceDescriptor.Singleton<ISettlementHolds, DisputeHolds>());
        });
        var contracts = await harness.AddActiveContractsAsync(2, "holds-" + Guid.NewGuid().ToString("N")[..8]);
        harness.Report(contracts, November);
        var store = harness.Services.GetRequiredService<IDisputeStore>();
        var calendar = harness.Services.GetRequiredService<IWorkingDayCalendar>();
        var open = await OpenAsync(store, calendar, contracts[0], "450.00");
        var rejected = await OpenAsync(store, calendar, contracts[1], "300.00");
        var finance = new DisputeClock(Actor.Create(ActorRole.Finance, "finance-test", "by").Value, AfterNovember, new LocalDate(2026, 12, 2), DisputeDeadlines.Default, calendar);
        var decided = rejected.Dispute.StartReview(null, finance).Value.Resolve(DisputeOutcome.Rejected, null, "Figures stand.", finance).Value;
        Assert.IsType<DisputeWrite.Written>(await store.ReplaceAsync(decided, rejected.ConcurrencyToken, CancellationToken.None));

        await harness.Services.GetRequiredService<SettlementRuns>().StartAsync(November, SettlementRuns.HttpTrigger, "finance-test", null, CancellationToken.None);
        await harness.DrainAsync();

        var statements = harness.Services.GetRequiredService<StatementStore>();
        var held = (await statements.ReadContractAsync(contracts[0].Id, CancellationToken.None)).For(November)!;
        var free = (await statements.ReadContractAsync(contracts[1].Id, CancellationToken.None)).For(November)!;
        Assert.Equal(new Money(450m, Currency.Cny), held.Commission.DisputedOnHold);
        Assert.Contains($"dispute:{open.Dispute.Id}", held.CanonicalText, StringComparison.Ordinal);
        Assert.Equal(Money.Zero(Currency.Cny), free.Commission.DisputedOnHold);
        Assert.Equal(held.Total, free.Total); // the hold is not a credit: what the merchant owes is unchanged
    }

    private static async Task<StoredDispute> OpenAsync(IDisputeStore store, IWorkingDayCalendar calendar, Contract contract, string amount)
    {
        var merchant = new DisputeClock(Actor.Create(ActorRole.Merchant, contract.Merchant.Value, "by").Value, AfterNovember, new LocalDate(2026, 12, 2), DisputeDeadlines.Default, calendar);
        var subject = DisputeSubject.Create($"stm_{contract.Id.Value[4..]}_2026-10_v1", 2, "subject").Value;
        var dispute = Dispute.Open(
            DisputeId.Derive(contract.Id.Value), contract.Id, contract.Merchant, contract.Vendor, subject, DisputeReason.CommissionBase,
            new Money(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), Currency.Cny), new Money(10_000m, Currency.Cny), "Refunds counted as sales.", [], [], merchant).Value;
        var written = Assert.IsType<DisputeWrite.Written>(await store.InsertAsync(dispute, CancellationToken.None));
        return written.Stored;
    }
}
