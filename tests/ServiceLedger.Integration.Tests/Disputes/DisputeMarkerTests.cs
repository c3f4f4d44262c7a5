using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Disputes;
using ServiceLedger.Domain.Money;
using ServiceLedger.Domain.Parties;
using ServiceLedger.Functions.Configuration;
using ServiceLedger.Functions.Contracts;
using ServiceLedger.Functions.Disputes;
using ServiceLedger.Functions.Hosting;
using ServiceLedger.Functions.Payments;
using ServiceLedger.Functions.Settlement;
using ServiceLedger.Functions.Statements;
using ServiceLedger.TestSupport.Contracts;
using ServiceLedger.TestSupport.Settlement;

namespace ServiceLedger.Integration.Tests.Disputes;

/// <summary>
/// Dispute markers against Azurite: a settlement run reads a contract's disputes only when its statements partition carries a
/// marker; opening a dispute writes the marker, resolving it removes it; disputes opened before markers existed are marked
/// once, by the first process that needs the markers, and stay on hold. Sample terms from 2026-09-01 (CreditNoteSettlementTests).
/// </summary>
public sealed class DisputeMarkerTests
{
    private static readonly SettlementPeriod September = SettlementPeriod.Month(2026, 9);
    private static readonly SettlementPeriod October = SettlementPeriod.Month(2026, 10);
    private static readonly TermsInput FromSeptember = SampleTerms.Input with { Term = SampleTerms.Input.Term! with { StartOn = "2026-09-01" } };

    [Fact]
    public async Task Only_a_marked_contract_has_its_disputes_read_and_its_marker_lives_from_opening_to_resolution()
    {
        await using var harness = await StartAsync();
        var contracts = await harness.AddActiveContractsAsync(2, "marker-" + Guid.NewGuid().ToString("N")[..8], FromSeptember);
        var (disputed, plain) = (contracts[0], contracts[1]);
        await SettleAsync(harness, contracts, September);
        var september = await ReadAsync(harness, disputed);

        harness.Clock.Set(Instant.FromUtc(2026, 10, 20, 2, 0));
        var merchant = new ContractCaller(Actor.Create(ActorRole.Merchant, disputed.Merchant.Value, "by").Value, disputed.Merchant, null);
        var opened = Assert.IsType<DisputeResult.Done>(await DeskAsync(harness, desk => desk.OpenAsync(
            merchant, new OpenDisputeRequest(disputed.Id.Value, september.For(September)!.Id, 1, new MoneyView("450.00", "CNY"), "commissionBase", new EvidenceRequest("Refunds.", null), "marker-1"), CancellationToken.None)));
        var dispute = opened.Stored.Dispute.Id;
        var taken = Assert.IsType<DisputeResult.Refused>(await DeskAsync(harness, desk => desk.OpenAsync(
            merchant, new OpenDisputeRequest(disputed.Id.Value, september.For(September)!.Id, 1, new MoneyView("10.00", "CNY"), "other", new EvidenceRequest("Again.", null), "marker-2"), CancellationToken.None)));
        Assert.Equal("AlreadyDisputed", Assert.Single(taken.Refusals).Code);

        var marked = await ReadAsync(harness, disputed);
        var unmarked = await ReadAsync(harness, plain);
        Assert.Equal([dispute.Value], marked.DisputeMarkers);
        Assert.Empty(unmarked.DisputeMarkers);
        Assert.Single(marked.Statements); // the marker is no statement, payment or credit note
        Assert.Empty(marked.Payments);
        Assert.Empty(marked.CreditNotes);
        Assert.DoesNotContain(await harness.RowsAsync(StorageNames.StatementsTable, "stm:", "stm;"), row => row.RowKey.StartsWith(DisputeMarkerStore.RowKeyPrefix, StringComparison.Ordinal));

        // The holds cost nothing for the unmarked contract and one partition query for the marked one.
        var holds = harness.Services.GetRequiredService<ISettlementHolds>();
        var before = harness.Counter.TableRequests;
        Assert.Empty(await holds.HeldAsync(plain.Id, unmarked, CancellationToken.None));
        Assert.Equal(0, harness.Counter.TableRequests - before);
        var held = Assert.Single(await holds.HeldAsync(disputed.Id, marked, CancellationToken.None));
        Assert.Equal(1, harness.Counter.TableRequests - before);
        Assert.Equal((Cny(450m), $"dispute:{dispute}"), (held.Amount, held.Reference));

        await SettleAsync(harness, contracts, October);
        Assert.Equal(Cny(450m), (await ReadAsync(harness, disputed)).For(October)!.Commission.DisputedOnHold);
        Assert.Equal(Money.Zero(Currency.Cny), (await ReadAsync(harness, plain)).For(October)!.Commission.DisputedOnHold);

        var finance = new ContractCaller(Actor.Create(ActorRole.Finance, "finance-test", "by").Value, null, null);
        Assert.IsType<DisputeResult.Done>(await DeskAsync(harness, desk => desk.ActAsync(finance, dispute.Value, null, (found, at) => found.StartReview(null, at), CancellationToken.None)));
        Assert.Single((await ReadAsync(harness, disputed)).DisputeMarkers);
        Assert.IsType<DisputeResult.Done>(await DeskAsync(harness, desk => desk.ResolveAsync(finance, dispute.Value, "rejected", null, "Figures stand.", null, CancellationToken.None)));
        Assert.Empty((await ReadAsync(harness, disputed)).DisputeMarkers);
        Assert.IsType<DisputeResult.Done>(await DeskAsync(harness, desk => desk.ResolveAsync(finance, dispute.Value, "rejected", null, "Figures stand.", null, CancellationToken.None)));
    }

    [Fact]
    public async Task Disputes_opened_before_markers_existed_are_marked_once_by_the_first_process_that_needs_markers_and_stay_on_hold()
    {
        await using var harness = await StartAsync();
        var contracts = await harness.AddActiveContractsAsync(3, "legacy-" + Guid.NewGuid().ToString("N")[..8], FromSeptember);

        // Written as before markers, and before this process settled anything: straight to the disputes table, on September's
        // statement (as issued before). One open, one resolved (it holds nothing, so it gets no marker).
        var store = harness.Services.GetRequiredService<IDisputeStore>();
        var open = await InsertAsync(harness, store, contracts[0], "300.00");
        var resolved = await InsertAsync(harness, store, contracts[1], "200.00");
        var at = ClockOf(harness, ActorRole.Finance, "finance-test");
        var decided = resolved.Dispute.StartReview(null, at).Value.Resolve(DisputeOutcome.Rejected, null, "Figures stand.", at).Value;
        Assert.IsType<DisputeWrite.Written>(await store.ReplaceAsync(decided, resolved.ConcurrencyToken, CancellationToken.None));

        await SettleAsync(harness, contracts, October);

        Assert.Equal(Cny(300m), (await ReadAsync(harness, contracts[0])).For(October)!.Commission.DisputedOnHold);
        Assert.Equal([open.Dispute.Id.Value], (await ReadAsync(harness, contracts[0])).DisputeMarkers);
        Assert.Empty((await ReadAsync(harness, contracts[1])).DisputeMarkers);
        Assert.Single(await harness.RowsAsync(StorageNames.StatementsTable, "backfilled", "backfillee"));

        // A new process: until it has seen the backfill recorded it reads the contract's disputes (and, once, that row); a
        // partition read after that is trusted and costs no disputes read.
        var tables = harness.Services.GetRequiredService<Functions.Adapters.Tables.TableServiceClient>();
        var markers = new DisputeMarkerStore(tables);
        var statements = new StatementStore(tables, markers);
        using var newProcess = new DisputeHolds(store, markers, harness.Clock, NullLogger<DisputeHolds>.Instance);
        var before = harness.Counter.TableRequests;
        var cold = await statements.ReadContractAsync(contracts[2].Id, CancellationToken.None);
        Assert.False(cold.DisputeMarkersComplete);
        Assert.Empty(await newProcess.HeldAsync(contracts[2].Id, cold, CancellationToken.None));
        Assert.Equal(3, harness.Counter.TableRequests - before);
        var warm = await statements.ReadContractAsync(contracts[2].Id, CancellationToken.None);
        Assert.True(warm.DisputeMarkersComplete);
        Assert.Empty(await newProcess.HeldAsync(contracts[2].Id, warm, CancellationToken.None));
        Assert.Equal(4, harness.Counter.TableRequests - before);

        // Repeating the backfill marks the same dispute again and writes nothing new.
        Assert.Equal(1, await newProcess.BackfillAsync(CancellationToken.None));
        Assert.Equal([open.Dispute.Id.Value], (await ReadAsync(harness, contracts[0])).DisputeMarkers);
    }

    [Fact]
    public async Task A_crash_between_the_marker_and_the_dispute_leaves_a_marker_without_a_dispute_and_the_retry_stores_it_under_the_same_marker()
    {
        await using var harness = await StartAsync();
        var contracts = await harness.AddActiveContractsAsync(1, "markercrash-" + Guid.NewGuid().ToString("N")[..8], FromSeptember);
        await SettleAsync(harness, contracts, September);
        var contract = contracts[0];
        var statement = (await ReadAsync(harness, contract)).For(September)!;
        var merchant = new ContractCaller(Actor.Create(ActorRole.Merchant, contract.Merchant.Value, "by").Value, contract.Merchant, null);
        var request = new OpenDisputeRequest(contract.Id.Value, statement.Id, null, new MoneyView("450.00", "CNY"), "commissionBase", new EvidenceRequest("Refunds.", null), "crash-1");

        await using (var scope = harness.Services.CreateAsyncScope())
        {
            var crashing = ActivatorUtilities.CreateInstance<DisputeDesk>(scope.ServiceProvider, new CrashOnInsert(harness.Services.GetRequiredService<IDisputeStore>()));
            await Assert.ThrowsAsync<IOException>(() => crashing.OpenAsync(merchant, request, CancellationToken.None));
        }

        // At worst a marker without a dispute: the run reads the contract's disputes (one request) and finds nothing to hold.
        var orphaned = await ReadAsync(harness, contract);
        var marker = Assert.Single(orphaned.DisputeMarkers);
        var before = harness.Counter.TableRequests;
        Assert.Empty(await harness.Services.GetRequiredService<ISettlementHolds>().HeldAsync(contract.Id, orphaned, CancellationToken.None));
        Assert.Equal(1, harness.Counter.TableRequests - before);

        var retried = Assert.IsType<DisputeResult.Done>(await DeskAsync(harness, desk => desk.OpenAsync(merchant, request, CancellationToken.None)));
        Assert.Equal(marker, retried.Stored.Dispute.Id.Value);
        var marked = await ReadAsync(harness, contract);
        Assert.Equal([marker], marked.DisputeMarkers);
        Assert.Equal(Cny(450m), Assert.Single(await harness.Services.GetRequiredService<ISettlementHolds>().HeldAsync(contract.Id, marked, CancellationToken.None)).Amount);
    }

    private static Task<SettlementHarness> StartAsync() =>
        SettlementHarness.StartAsync(Instant.FromUtc(2026, 10, 1, 2, 0), QueueTriggerSettings.FromHostJson, services =>
        {
            services.AddStatementPayments();
            services.AddDisputes(new ConfigurationBuilder().Build());
        });

    private static async Task SettleAsync(SettlementHarness harness, IReadOnlyList<Contract> contracts, SettlementPeriod period)
    {
        harness.Clock.Set(Instant.FromUtc(period.End.Year, period.End.Month, period.End.Day, 2, 0));
        harness.Report(contracts, period);
        await harness.Services.GetRequiredService<SettlementRuns>().StartAsync(period, SettlementRuns.HttpTrigger, "finance-test", null, CancellationToken.None);
        await harness.DrainAsync();
    }

    private static Task<ContractStatements> ReadAsync(SettlementHarness harness, Contract contract) =>
        harness.Services.GetRequiredService<StatementStore>().ReadContractAsync(contract.Id, CancellationToken.None);

    private static async Task<DisputeResult> DeskAsync(SettlementHarness harness, Func<DisputeDesk, Task<DisputeResult>> act)
    {
        await using var scope = harness.Services.CreateAsyncScope();
        return await act(scope.ServiceProvider.GetRequiredService<DisputeDesk>());
    }

    private static DisputeClock ClockOf(SettlementHarness harness, ActorRole role, string subject)
    {
        var now = harness.Clock.GetCurrentInstant();
        return new DisputeClock(Actor.Create(role, subject, "by").Value, now, now.InZone(DateTimeZoneProviders.Tzdb["Asia/Shanghai"]).Date, DisputeDeadlines.Default, harness.Services.GetRequiredService<IWorkingDayCalendar>());
    }

    private static async Task<StoredDispute> InsertAsync(SettlementHarness harness, IDisputeStore store, Contract contract, string amount)
    {
        var dispute = Dispute.Open(
            DisputeId.Derive(contract.Id.Value), contract.Id, contract.Merchant, contract.Vendor, DisputeSubject.Create(StatementRecord.IdFor(contract.Id, September, 1), 1, "subject").Value,
            DisputeReason.CommissionBase, new Money(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), Currency.Cny), Cny(10_000m), "Refunds counted as sales.", [], [],
            ClockOf(harness, ActorRole.Merchant, contract.Merchant.Value)).Value;
        return Assert.IsType<DisputeWrite.Written>(await store.InsertAsync(dispute, CancellationToken.None)).Stored;
    }

    private static Money Cny(decimal amount) => new(amount, Currency.Cny);

    // The disputes store of a process that dies as it inserts a dispute (before the row is written).
    private sealed class CrashOnInsert(IDisputeStore inner) : IDisputeStore
    {
        public Task<StoredDispute?> GetAsync(ContractId contract, DisputeId id, CancellationToken cancellationToken) => inner.GetAsync(contract, id, cancellationToken);

        public Task<StoredDispute?> FindAsync(DisputeId id, CancellationToken cancellationToken) => inner.FindAsync(id, cancellationToken);

        public Task<IReadOnlyList<Dispute>> ListOnStatementAsync(ContractId contract, string statementId, CancellationToken cancellationToken) =>
            inner.ListOnStatementAsync(contract, statementId, cancellationToken);

        public Task<DisputeWrite> InsertAsync(Dispute dispute, CancellationToken cancellationToken) =>
            throw new IOException($"Injected crash before inserting dispute {dispute.Id}.");

        public Task<DisputeWrite> ReplaceAsync(Dispute dispute, string expectedToken, CancellationToken cancellationToken) => inner.ReplaceAsync(dispute, expectedToken, cancellationToken);

        public Task<IReadOnlyList<StoredDispute>> ListAsync(DisputeFilter filter, CancellationToken cancellationToken) => inner.ListAsync(filter, cancellationToken);
    }
}
