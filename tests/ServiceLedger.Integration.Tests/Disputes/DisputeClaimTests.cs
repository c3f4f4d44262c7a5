using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Disputes;
using ServiceLedger.Domain.Money;
using ServiceLedger.Domain.Parties;
using ServiceLedger.Functions.Adapters.Disputes;
using ServiceLedger.Functions.Adapters.Tables;
using ServiceLedger.Functions.Configuration;
using ServiceLedger.Functions.Hosting;
using ServiceLedger.TestSupport.Settlement;

namespace ServiceLedger.Integration.Tests.Disputes;

/// <summary>
/// Opening a dispute claims its subject first, then stores the dispute. Between the two writes the claim names a dispute
/// that is not stored yet: a second dispute on the same line must still be refused (it was not: both were stored, a race
/// `DisputesApiTests.Two_disputes_opened_at_once_on_one_line_store_exactly_one` caught under load).
/// </summary>
public sealed class DisputeClaimTests
{
    private static readonly Instant Now = Instant.FromUtc(2026, 12, 2, 0, 0);

    [Fact]
    public async Task A_claim_whose_dispute_is_not_stored_yet_holds_its_line_and_is_dropped_only_once_it_is_two_minutes_old()
    {
        await using var harness = await SettlementHarness.StartAsync(Now, QueueTriggerSettings.FromHostJson, services => services.AddSingleton<IDisputeStore, TableDisputeStore>());
        var contract = Assert.Single(await harness.AddActiveContractsAsync(1, "claims-" + Guid.NewGuid().ToString("N")[..8]));
        var store = harness.Services.GetRequiredService<IDisputeStore>();
        var calendar = harness.Services.GetRequiredService<IWorkingDayCalendar>();

        // The first claimant has claimed line 2 and not stored its dispute yet (its row is taken away to stand for that moment).
        var first = Open(contract, calendar, "first", Now);
        Assert.IsType<DisputeWrite.Written>(await store.InsertAsync(first, CancellationToken.None));
        var disputes = harness.Services.GetRequiredService<TableServiceClient>().GetTableClient(StorageNames.DisputesTable);
        var row = (await disputes.GetAsync(contract.Id.Value, first.Id.Value, null, CancellationToken.None))!;
        await disputes.DeleteAsync(contract.Id.Value, first.Id.Value, row.ETag, CancellationToken.None);

        var second = await store.InsertAsync(Open(contract, calendar, "second", Now + Duration.FromSeconds(119)), CancellationToken.None);
        var afterTwoMinutes = await store.InsertAsync(Open(contract, calendar, "third", Now + Duration.FromMinutes(2)), CancellationToken.None);

        var taken = Assert.IsType<DisputeWrite.SubjectTaken>(second);
        Assert.Equal((first.Id, null), (taken.HolderId, taken.Holder));
        Assert.IsType<DisputeWrite.Written>(afterTwoMinutes);
    }

    private static Dispute Open(Contract contract, IWorkingDayCalendar calendar, string seed, Instant at)
    {
        var merchant = new DisputeClock(Actor.Create(ActorRole.Merchant, contract.Merchant.Value, "by").Value, at, new LocalDate(2026, 12, 2), DisputeDeadlines.Default, calendar);
        var subject = DisputeSubject.Create($"stm_{contract.Id.Value[4..]}_2026-10_v1", 2, "subject").Value;
        return Dispute.Open(
            DisputeId.Derive(contract.Id.Value + seed), contract.Id, contract.Merchant, contract.Vendor, subject, DisputeReason.CommissionBase,
            new Money(100m, Currency.Cny), new Money(10_000m, Currency.Cny), "Refunds counted as sales.", [], [], merchant).Value;
    }
}
