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
using ServiceLedger.Functions.Contracts;
using ServiceLedger.Functions.Disputes;
using ServiceLedger.Functions.Hosting;
using ServiceLedger.Functions.Ledger;
using ServiceLedger.Functions.Payments;
using ServiceLedger.Functions.Settlement;
using ServiceLedger.Functions.Statements;
using ServiceLedger.TestSupport.Settlement;

namespace ServiceLedger.Integration.Tests.Payments;

/// <summary>
/// A resolved dispute's credit note goes through its statement's payment tally (<c>paid:{statementId}</c>), as payments do:
/// a payment deciding on a tally read before the credit note was taken in decides again with it; a credit note beyond what is
/// still owed is booked in full and shows as the merchant's credit balance; a resolution retried after a crash counts, books
/// and records its credit note once. October's statement of one sample contract, disputed whole for 1,000.00.
/// </summary>
public sealed class CreditNoteTallyTests
{
    private static readonly SettlementPeriod October = SettlementPeriod.Month(2026, 10);
    private static readonly Money Contested = new(1_000m, Currency.Cny);

    [Fact]
    public async Task A_payment_read_before_a_credit_note_was_taken_in_decides_again_and_cannot_overpay_with_it()
    {
        await using var harness = await StartAsync();
        var (statement, dispute) = await DisputedOctoberStatementAsync(harness, "crnrace-");
        var payments = harness.Services.GetRequiredService<RecordStatementPayment>();

        // Alone it fits (total − 500.00); with the credit note of 1,000.00 it would leave a credit balance of 500.00.
        using var gate = new HoldAfterPaymentsRead(statement.Id);
        var held = ActivatorUtilities.CreateInstance<RecordStatementPayment>(harness.Services, new StatementPaymentStore(PaymentGate.Tables(harness, gate)));
        var paying = Task.Run(() => held.RecordAsync(statement.Id, Request((statement.Total - new Money(500m, Currency.Cny)).FormatAmount(), "first"), CancellationToken.None));
        await gate.Held.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.IsType<DisputeResult.Done>(await ResolveAsync(harness, dispute, "accepted"));
        gate.Release();

        var refusal = Assert.Single(Assert.IsType<PaymentResult.Refused>(await paying).Refusals);
        Assert.Equal((PaymentRule.ExceedsOutstanding, "amount.amount"), (refusal.Code, refusal.Field));
        var tally = await TallyAsync(harness, statement);
        Assert.Equal((Money.Zero(Currency.Cny), 0, Contested), (tally.Paid, tally.Count, tally.Credited));
        Assert.Equal($"dispute:{dispute}", Assert.Single(tally.Credits).Reference);
        Assert.Empty(await harness.Services.GetRequiredService<StatementPaymentStore>().ReadAsync(statement, CancellationToken.None));

        // What is left is exactly payable, and then nothing is outstanding and nothing is over.
        var rest = Assert.IsType<PaymentResult.Recorded>(await payments.RecordAsync(statement.Id, Request((statement.Total - Contested).FormatAmount(), "rest"), CancellationToken.None));
        Assert.Equal((Contested, Money.Zero(Currency.Cny), Money.Zero(Currency.Cny)), (rest.Balance.Credited, rest.Balance.Outstanding, rest.Balance.CreditBalance));
    }

    [Fact]
    public async Task A_credit_note_beyond_what_is_still_owed_is_booked_in_full_and_shows_as_a_credit_balance()
    {
        await using var harness = await StartAsync();
        var (statement, dispute) = await DisputedOctoberStatementAsync(harness, "crnover-");
        Assert.IsType<PaymentResult.Recorded>(await harness.Services.GetRequiredService<RecordStatementPayment>().RecordAsync(statement.Id, Request(statement.Total.FormatAmount(), "all"), CancellationToken.None));

        Assert.IsType<DisputeResult.Done>(await ResolveAsync(harness, dispute, "accepted"));

        Assert.Equal(Contested, Assert.Single(await ResolutionPostingsAsync(harness, statement, dispute)).Amount);
        var tally = await TallyAsync(harness, statement);
        Assert.Equal((statement.Total, Contested), (tally.Paid, tally.Credited));
        var view = StatementView.Of(statement)
            .WithPayments(statement, await harness.Services.GetRequiredService<StatementPaymentStore>().ReadAsync(statement, CancellationToken.None))
            .WithCreditNotes(await harness.Services.GetRequiredService<CreditNoteStore>().ReadAsync(statement, CancellationToken.None));
        Assert.Equal((MoneyView.Of(Money.Zero(Currency.Cny)), MoneyView.Of(Contested), MoneyView.Of(Contested)), (view.Outstanding, view.Credited, view.CreditBalance));

        // Taking the same credit note in again (a retried resolution) reports no excess and changes nothing.
        var note = new CreditNote(StatementId.For(statement.Contract, statement.Period, statement.Version), Contested, $"dispute:{dispute}", new LocalDate(2026, 11, 2));
        var again = await harness.Services.GetRequiredService<AdmitCreditNote>().AdmitAsync(note, CancellationToken.None);
        Assert.Equal((null, Money.Zero(Currency.Cny)), (again.OutstandingBefore, again.Excess));
        Assert.Equal(tally.Credits, (await TallyAsync(harness, statement)).Credits);

        // Another one on the paid statement: all of it is excess.
        var another = await harness.Services.GetRequiredService<AdmitCreditNote>().AdmitAsync(note with { Reference = "dispute:dsp_other" }, CancellationToken.None);
        Assert.Equal((Money.Zero(Currency.Cny), Contested), (another.OutstandingBefore, another.Excess));
    }

    [Fact]
    public async Task A_resolution_that_crashed_before_its_post_counts_books_and_records_its_credit_note_once_when_retried()
    {
        await using var harness = await StartAsync();
        var (statement, dispute) = await DisputedOctoberStatementAsync(harness, "crncrash-");

        harness.Crashes.CrashBeforePostOnce([statement.Contract.Book]);
        await Assert.ThrowsAsync<IOException>(() => ResolveAsync(harness, dispute, "accepted"));

        // Taken in, not yet booked: no payment is admitted on it meanwhile.
        Assert.Equal(Contested, (await TallyAsync(harness, statement)).Credited);
        Assert.Empty(await ResolutionPostingsAsync(harness, statement, dispute));
        var over = await harness.Services.GetRequiredService<RecordStatementPayment>().RecordAsync(statement.Id, Request((statement.Total - Contested + new Money(0.01m, Currency.Cny)).FormatAmount(), "over"), CancellationToken.None);
        Assert.Equal(PaymentRule.ExceedsOutstanding, Assert.Single(Assert.IsType<PaymentResult.Refused>(over).Refusals).Code);

        Assert.IsType<DisputeResult.Done>(await ResolveAsync(harness, dispute, "accepted"));
        Assert.IsType<DisputeResult.Done>(await ResolveAsync(harness, dispute, "accepted"));

        Assert.Equal(Contested, Assert.Single(await ResolutionPostingsAsync(harness, statement, dispute)).Amount);
        Assert.Equal(Contested, Assert.Single((await TallyAsync(harness, statement)).Credits).Credited);
        Assert.Single(await harness.Services.GetRequiredService<CreditNoteStore>().ReadAsync(statement, CancellationToken.None));
    }

    private static Task<SettlementHarness> StartAsync() =>
        SettlementHarness.StartAsync(Instant.FromUtc(2026, 11, 2, 2, 0), QueueTriggerSettings.FromHostJson, services =>
        {
            services.AddStatementPayments();
            services.AddDisputes(new ConfigurationBuilder().Build());
        });

    // October's statement of one new contract, and a dispute on all of it for 1,000.00, under review.
    private static async Task<(StatementRecord Statement, DisputeId Dispute)> DisputedOctoberStatementAsync(SettlementHarness harness, string seed)
    {
        var contracts = await harness.AddActiveContractsAsync(1, seed + Guid.NewGuid().ToString("N")[..8]);
        harness.Report(contracts, October);
        await harness.Services.GetRequiredService<SettlementRuns>().StartAsync(October, SettlementRuns.HttpTrigger, "finance-test", null, CancellationToken.None);
        await harness.DrainAsync();
        var statement = (await harness.Services.GetRequiredService<StatementStore>().ReadContractAsync(contracts[0].Id, CancellationToken.None)).For(October)!;

        var contract = contracts[0];
        var merchant = new ContractCaller(Actor.Create(ActorRole.Merchant, contract.Merchant.Value, "by").Value, contract.Merchant, null);
        var opened = Assert.IsType<DisputeResult.Done>(await DeskAsync(harness, desk => desk.OpenAsync(
            merchant, new OpenDisputeRequest(contract.Id.Value, statement.Id, null, MoneyView.Of(Contested), "commissionBase", new EvidenceRequest("Refunds.", null), seed), CancellationToken.None)));
        var finance = new ContractCaller(Actor.Create(ActorRole.Finance, "finance-test", "by").Value, null, null);
        Assert.IsType<DisputeResult.Done>(await DeskAsync(harness, desk => desk.ActAsync(finance, opened.Stored.Dispute.Id.Value, null, (found, at) => found.StartReview(null, at), CancellationToken.None)));
        return (statement, opened.Stored.Dispute.Id);
    }

    private static Task<DisputeResult> ResolveAsync(SettlementHarness harness, DisputeId dispute, string outcome) =>
        DeskAsync(harness, desk => desk.ResolveAsync(
            new ContractCaller(Actor.Create(ActorRole.Finance, "finance-test", "by").Value, null, null), dispute.Value, outcome, null, "Refunds were counted.", null, CancellationToken.None));

    private static async Task<DisputeResult> DeskAsync(SettlementHarness harness, Func<DisputeDesk, Task<DisputeResult>> act)
    {
        await using var scope = harness.Services.CreateAsyncScope();
        return await act(scope.ServiceProvider.GetRequiredService<DisputeDesk>());
    }

    private static async Task<PaymentTally> TallyAsync(SettlementHarness harness, StatementRecord statement) =>
        await harness.Services.GetRequiredService<StatementPaymentStore>().ReadTallyAsync(statement, CancellationToken.None)
            ?? throw new InvalidOperationException($"Statement {statement.Id} has no tally.");

    private static async Task<IReadOnlyList<Posting>> ResolutionPostingsAsync(SettlementHarness harness, StatementRecord statement, DisputeId dispute) =>
        [.. (await harness.Services.GetRequiredService<LedgerService>().ReadAccountPostingsAsync(AccountId.MerchantReceivable(statement.Merchant.Value), CancellationToken.None))
            .Where(posting => posting.Entry.IdempotencyKey.Value == $"dispute:{dispute}:resolution")
            .Select(posting => posting.Posting)];

    private static RecordStatementPaymentRequest Request(string amount, string requestId) =>
        new(new MoneyInput { Amount = amount, Currency = "CNY" }, "2026-11-02", "CMB " + requestId, requestId);
}
