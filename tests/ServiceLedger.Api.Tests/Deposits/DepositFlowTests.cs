using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using NodaTime;
using ServiceLedger.Api.Tests.Stripe;
using ServiceLedger.Domain.Deposits;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Functions.Apis;
using ServiceLedger.Functions.Auth;
using ServiceLedger.Functions.Contracts;
using ServiceLedger.Functions.Deposits;
using ServiceLedger.Functions.Ledger;
using ServiceLedger.Functions.Stripe;

namespace ServiceLedger.Api.Tests.Deposits;

/// <summary>
/// The deposit flow end to end over Azurite and the local Stripe peer: sign-up → certified vendor → signed contract →
/// checkout → signed webhook → queue → ApplyStripeEvent → ledger entry → contract Active; then refunds and the register.
/// </summary>
[Collection(StripeEventsQueueTests.Name)]
public sealed class DepositFlowTests(DepositsFactory app) : IClassFixture<DepositsFactory>
{
    [Fact]
    public async Task A_deposit_paid_through_checkout_and_the_signed_webhook_is_booked_once_and_activates_the_contract()
    {
        var (contract, merchantId, vendorId) = await app.SignedContractAsync();
        var checkout = await CheckoutAsync(contract.Id, merchantId, HttpStatusCode.Created);

        // The redirect proves nothing: until the webhook is applied the contract waits.
        var session = app.Stripe.CompleteCheckoutSession(checkout.SessionId!);
        Assert.Equal("Signed", (await app.ContractAsync(contract.Id)).Status);

        var (_, completed) = app.Event("checkout.session.completed", session);
        await app.DeliverAsync(completed);
        await app.PumpAsync();

        var active = await app.ContractAsync(contract.Id);
        Assert.Equal("Active", active.Status);
        Assert.Equal($"contract:{contract.Id}#stripe:{checkout.SessionId}:paid", active.DepositEntryRef);

        // Activation opened the accounts the contract's statements post (docs/ledger-store.md, "Opening a contract's
        // accounts"): bound and indexed, at zero, so the first statement sends only its transaction.
        var ledger = app.Services.GetRequiredService<LedgerService>();
        Assert.True(Assert.Single(await ledger.ReadBalancesAsync(AccountId.MerchantReceivable(merchantId), CancellationToken.None)).Balance.IsZero);
        Assert.True(Assert.Single(await ledger.ReadBalancesAsync(AccountId.VendorPayable(vendorId), CancellationToken.None)).Balance.IsZero);
        var entry = Assert.Single(await app.BookAsync(contract.Id));
        Assert.Equal($"stripe:{checkout.SessionId}:paid", entry.IdempotencyKey.Value);
        var register = await app.RegisterAsync(contract.Id);
        var line = Assert.Single(register.Lines);
        Assert.Equal(("Paid", "credit", checkout.SessionId, 1L), (line.Kind, line.Side, line.StripeObjectId, line.Entry.Sequence));
        Assert.Equal(contract.Figures!.Deposit, register.Paid);
        Assert.Equal(contract.Figures.Deposit, register.Balance);
        Assert.Equal("paid", Assert.Single(register.Checkouts).Status);
    }

    [Fact]
    public async Task The_same_event_five_times_shuffled_with_others_and_its_async_twin_post_the_deposit_once()
    {
        var (contract, merchantId, _) = await app.SignedContractAsync();
        var checkout = await CheckoutAsync(contract.Id, merchantId, HttpStatusCode.Created);
        var session = app.Stripe.CompleteCheckoutSession(checkout.SessionId!);
        var (completedId, completed) = app.Event("checkout.session.completed", session);
        var (_, asyncTwin) = app.Event("checkout.session.async_payment_succeeded", session);
        var (_, unknown) = app.Event("radar.early_fraud_warning.created", new JsonObject { ["id"] = "issfr_1", ["object"] = "radar.early_fraud_warning" });
        var (_, expiredLater) = app.Event("checkout.session.expired", session);
        string[] deliveries = [completed, unknown, completed, asyncTwin, completed, expiredLater, completed, completed];

        foreach (var body in deliveries)
        {
            app.Clock.Advance(Duration.FromSeconds(30));
            await app.DeliverAsync(body);
        }

        await app.PumpAsync();

        // And the host redelivering the same message (at-least-once) changes nothing either.
        for (var redelivery = 0; redelivery < 5; redelivery++)
        {
            Assert.Equal(HttpStatusCode.OK, await app.InvokeApplyAsync(completedId));
        }

        Assert.Single(await app.BookAsync(contract.Id));
        var register = await app.RegisterAsync(contract.Id);
        Assert.Equal(contract.Figures!.Deposit, register.Balance);
        Assert.Equal("paid", Assert.Single(register.Checkouts).Status);
        Assert.Equal("Active", (await app.ContractAsync(contract.Id)).Status);
    }

    [Fact]
    public async Task A_refund_event_arriving_before_its_payment_event_ends_in_the_same_register()
    {
        var (contract, merchantId, _) = await app.SignedContractAsync();
        var checkout = await CheckoutAsync(contract.Id, merchantId, HttpStatusCode.Created);
        var session = app.Stripe.CompleteCheckoutSession(checkout.SessionId!);
        var refund = new JsonObject
        {
            ["id"] = "re_early_" + Guid.NewGuid().ToString("N")[..12],
            ["object"] = "refund",
            ["amount"] = 100_000,
            ["currency"] = "cny",
            ["status"] = "succeeded",
            ["payment_intent"] = session["payment_intent"]!.GetValue<string>(),
            ["created"] = app.Clock.Now.ToUnixTimeSeconds(),
            ["metadata"] = new JsonObject { ["contract_id"] = contract.Id, ["merchant_id"] = merchantId },
        };

        await app.DeliverAsync(app.Event("refund.updated", refund).Body);
        await app.PumpAsync();
        await app.DeliverAsync(app.Event("checkout.session.completed", session).Body);
        await app.PumpAsync();

        var register = await app.RegisterAsync(contract.Id);
        Assert.Equal(["Refunded", "Paid"], register.Lines.Select(l => l.Kind));
        Assert.Equal(new MoneyView("1000.00", "CNY"), register.Refunded);
        Assert.Equal(Subtract(contract.Figures!.Deposit, 1000m), register.Balance);
        Assert.Equal("Active", (await app.ContractAsync(contract.Id)).Status);
    }

    [Fact]
    public async Task A_refund_without_our_metadata_waits_for_its_payment_failing_the_invocation_until_the_payment_is_applied()
    {
        var (contract, merchantId, _) = await app.SignedContractAsync();
        var checkout = await CheckoutAsync(contract.Id, merchantId, HttpStatusCode.Created);
        var session = app.Stripe.CompleteCheckoutSession(checkout.SessionId!);
        var refund = new JsonObject
        {
            ["id"] = "re_dash_" + Guid.NewGuid().ToString("N")[..12],
            ["object"] = "refund",
            ["amount"] = 50_000,
            ["currency"] = "cny",
            ["status"] = "succeeded",
            ["payment_intent"] = session["payment_intent"]!.GetValue<string>(),
            ["created"] = app.Clock.Now.ToUnixTimeSeconds(),
            ["metadata"] = new JsonObject(),
        };
        var (refundEventId, refundEvent) = app.Event("refund.created", refund);
        var (paidEventId, paidEvent) = app.Event("checkout.session.completed", session);
        await app.DeliverAsync(refundEvent);
        await app.DeliverAsync(paidEvent);

        Assert.Equal(HttpStatusCode.InternalServerError, await app.InvokeApplyAsync(refundEventId));
        Assert.Equal(HttpStatusCode.OK, await app.InvokeApplyAsync(paidEventId));
        Assert.Equal(HttpStatusCode.OK, await app.InvokeApplyAsync(refundEventId));
        await app.PumpAsync();

        var register = await app.RegisterAsync(contract.Id);
        Assert.Equal(Subtract(contract.Figures!.Deposit, 500m), register.Balance);
        Assert.Equal(2, (await app.BookAsync(contract.Id)).Count);
    }

    [Fact]
    public async Task Finance_refunds_part_of_the_deposit_the_ledger_moves_only_on_the_succeeded_event_and_a_repeated_request_refunds_once()
    {
        var contractId = await ActiveContractAsync();
        using var finance = app.CreateClientAs(CallerRole.Finance);
        var request = new DepositRefundRequest(new() { Amount = "2000.00", Currency = "CNY" }, "Two seats fewer than planned", "req-" + Guid.NewGuid().ToString("N")[..8]);
        var refundsBefore = app.Stripe.RefundCount;

        using var first = await finance.PostAsJsonAsync($"/api/contracts/{contractId}/deposit/refunds", request);
        using var again = await finance.PostAsJsonAsync($"/api/contracts/{contractId}/deposit/refunds", request);

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted), (first.StatusCode, again.StatusCode));
        var pending = (await first.Content.ReadFromJsonAsync<RefundView>())!;
        Assert.Equal(pending, await again.Content.ReadFromJsonAsync<RefundView>());
        Assert.Equal(("pending", new MoneyView("2000.00", "CNY")), (pending.Status, pending.Amount));
        Assert.Equal(refundsBefore + 1, app.Stripe.RefundCount);
        var sent = app.Stripe.RequestsTo("/v1/refunds")[^1];
        Assert.Equal($"deposit-refund:{contractId}:{request.RequestId}", sent.IdempotencyKey);
        Assert.Equal((contractId, "200000"), (sent.Field("metadata[contract_id]"), sent.Field("amount")));

        var beforeEvent = await app.RegisterAsync(contractId);
        Assert.DoesNotContain(beforeEvent.Lines, l => l.Kind == "Refunded");
        Assert.Equal(new MoneyView("2000.00", "CNY"), beforeEvent.PendingRefunds);
        Assert.Equal(Subtract(beforeEvent.Balance, 2000m), beforeEvent.Unused);

        await app.DeliverAsync(app.Event("refund.updated", app.Stripe.Find(pending.RefundId!)!).Body);
        await app.PumpAsync();

        var afterEvent = await app.RegisterAsync(contractId);
        var refunded = Assert.Single(afterEvent.Lines, l => l.Kind == "Refunded");
        Assert.Equal((pending.RefundId, $"stripe:{pending.RefundId}:refunded"), (refunded.StripeObjectId, refunded.Entry.Key));
        Assert.Equal(new MoneyView("0.00", "CNY"), afterEvent.PendingRefunds);
        Assert.Equal(Subtract(beforeEvent.Balance, 2000m), afterEvent.Balance);
    }

    [Fact]
    public async Task A_refund_above_the_unused_deposit_is_refused_naming_amount_and_nothing_is_asked_of_stripe()
    {
        var contractId = await ActiveContractAsync();
        var deposit = (await app.RegisterAsync(contractId)).Unused;
        using var finance = app.CreateClientAs(CallerRole.Finance);
        var refundsBefore = app.Stripe.RefundCount;

        using var response = await finance.PostAsJsonAsync(
            $"/api/contracts/{contractId}/deposit/refunds",
            new DepositRefundRequest(new() { Amount = Subtract(deposit, -0.01m).Amount, Currency = "CNY" }, "Too much", "req-over"));

        await AssertProblem(response, HttpStatusCode.Conflict, DepositFlowRule.RefundExceedsUnusedDeposit, "amount");
        Assert.Equal(refundsBefore, app.Stripe.RefundCount);
    }

    [Fact]
    public async Task Bad_refund_input_answers_400_naming_each_field()
    {
        var contractId = await ActiveContractAsync();
        using var finance = app.CreateClientAs(CallerRole.Finance);

        using var response = await finance.PostAsJsonAsync(
            $"/api/contracts/{contractId}/deposit/refunds",
            new DepositRefundRequest(new() { Amount = "ten", Currency = "CNY" }, " ", "has spaces"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var errors = problem.RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty("requestId", out _));
        Assert.True(errors.TryGetProperty("reason", out _));
        Assert.True(errors.TryGetProperty("amount.amount", out _));
    }

    [Fact]
    public async Task A_second_checkout_returns_the_open_session_and_after_it_expires_a_new_attempt_starts()
    {
        var (contract, merchantId, _) = await app.SignedContractAsync();
        var first = await CheckoutAsync(contract.Id, merchantId, HttpStatusCode.Created);
        var again = await CheckoutAsync(contract.Id, merchantId, HttpStatusCode.OK);

        Assert.Equal(first, again);
        Assert.Equal(1, first.Attempt);
        Assert.StartsWith("https://checkout.stripe.com/", first.Url, StringComparison.Ordinal);
        var sent = app.Stripe.RequestsTo("/v1/checkout/sessions").Single(r => r.Field("metadata[contract_id]") == contract.Id);
        Assert.Equal($"deposit:{contract.Id}:attempt:1", sent.IdempotencyKey);
        Assert.Equal((merchantId, contract.Figures!.Deposit.Amount.Replace(".", string.Empty, StringComparison.Ordinal)), (sent.Field("metadata[merchant_id]"), sent.Field("line_items[0][price_data][unit_amount]")));

        var session = app.Stripe.Find(first.SessionId!)!;
        session["status"] = "expired";
        await app.DeliverAsync(app.Event("checkout.session.expired", session).Body);
        await app.PumpAsync();
        var next = await CheckoutAsync(contract.Id, merchantId, HttpStatusCode.Created);

        Assert.Equal(2, next.Attempt);
        Assert.NotEqual(first.SessionId, next.SessionId);
        Assert.Equal(["expired", "open"], (await app.RegisterAsync(contract.Id)).Checkouts.Select(c => c.Status));
    }

    [Fact]
    public async Task A_foreign_merchant_gets_404_and_other_roles_403_for_checkout()
    {
        var (contract, _, vendorId) = await app.SignedContractAsync();
        using var stranger = app.CreateClientAs(CallerRole.Merchant, "mer_somebodyelse");
        using var vendor = app.CreateClientAs(CallerRole.Vendor, vendorId);
        using var finance = app.CreateClientAs(CallerRole.Finance);

        using var foreign = await stranger.PostAsync($"/api/contracts/{contract.Id}/deposit/checkout", null);
        using var foreignRegister = await stranger.GetAsync($"/api/contracts/{contract.Id}/deposit");

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (foreign.StatusCode, foreignRegister.StatusCode));
        Assert.Equal(HttpStatusCode.Forbidden, (await vendor.PostAsync($"/api/contracts/{contract.Id}/deposit/checkout", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await finance.PostAsync($"/api/contracts/{contract.Id}/deposit/checkout", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await vendor.GetAsync($"/api/contracts/{contract.Id}/deposit")).StatusCode);
    }

    [Fact]
    public async Task Checkout_of_a_contract_that_is_not_signed_answers_409_naming_its_state()
    {
        var contractId = await ActiveContractAsync();
        var merchantId = (await app.ContractAsync(contractId)).MerchantId;
        using var merchant = app.CreateClientAs(CallerRole.Merchant, merchantId);
        var sessionsBefore = app.Stripe.SessionCount;

        using var response = await merchant.PostAsync($"/api/contracts/{contractId}/deposit/checkout", null);

        await AssertProblem(response, HttpStatusCode.Conflict, DepositFlowRule.ContractNotAwaitingDeposit, "status");
        Assert.Contains("Active", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(sessionsBefore, app.Stripe.SessionCount);
    }

    [Fact]
    public async Task A_chargeback_withdrawn_then_reinstated_books_both_through_the_payment_intent_and_the_register_shows_the_status_stripe_reported()
    {
        var contractId = await ActiveContractAsync();
        var (disputeId, dispute) = await DisputeOnTheDepositAsync(contractId);
        dispute["balance_transactions"] = new JsonArray(Transaction("txn_dw", -300_000, 1_500, "dispute"));
        var withdrawn = app.Event("charge.dispute.funds_withdrawn", dispute);
        var (_, created) = app.Event("charge.dispute.created", dispute);
        app.Clock.Advance(Duration.FromDays(20));
        dispute["status"] = "won";
        dispute["balance_transactions"] = new JsonArray(Transaction("txn_dw", -300_000, 1_500, "dispute"), Transaction("txn_dr", 300_000, -1_500, "dispute_reversal"));
        var (_, reinstated) = app.Event("charge.dispute.funds_reinstated", dispute);

        // Newest first, and the withdrawal twice: the entries commute and the newer status wins.
        foreach (var body in new[] { reinstated, withdrawn.Body, created, withdrawn.Body })
        {
            await app.DeliverAsync(body);
        }

        await app.PumpAsync();

        var keys = (await app.BookAsync(contractId)).Select(e => e.IdempotencyKey.Value).ToArray();
        Assert.Contains($"stripe:{disputeId}:funds-withdrawn", keys);
        Assert.Contains($"stripe:{disputeId}:funds-reinstated", keys);
        Assert.Equal(3, keys.Length);
        Assert.Equal(new DisputeStatusView(disputeId, "won"), Assert.Single((await app.RegisterAsync(contractId)).Disputes));
        var record = await ChargebackDisputeAsync(contractId);
        Assert.Equal(("Resolved", "Rejected", "won", disputeId), (record.State, record.Outcome, record.Chargeback!.Status, record.Chargeback.StripeDisputeId));
        Assert.Equal("0.00", record.OnHold!.Amount);
    }

    [Fact]
    public async Task A_chargeback_lost_keeps_the_funds_withdrawn_and_its_dispute_resolves_as_accepted_with_every_stripe_status_kept()
    {
        var contractId = await ActiveContractAsync();
        var (disputeId, dispute) = await DisputeOnTheDepositAsync(contractId);
        dispute["status"] = "warning_needs_response";
        var (_, inquiry) = app.Event("charge.dispute.created", dispute);
        app.Clock.Advance(Duration.FromDays(2));
        dispute["status"] = "needs_response";
        dispute["balance_transactions"] = new JsonArray(Transaction("txn_lw", -300_000, 1_500, "dispute"));
        var (_, withdrawn) = app.Event("charge.dispute.funds_withdrawn", dispute);
        app.Clock.Advance(Duration.FromDays(30));
        dispute["status"] = "lost";
        var (_, closed) = app.Event("charge.dispute.closed", dispute);

        // In Stripe's order, one at a time, then the withdrawal again (older than the close: ignored by the dispute).
        foreach (var body in new[] { inquiry, withdrawn, closed, withdrawn })
        {
            await app.DeliverAsync(body);
            await app.PumpAsync();
        }

        var keys = (await app.BookAsync(contractId)).Select(e => e.IdempotencyKey.Value).ToArray();
        Assert.Contains($"stripe:{disputeId}:funds-withdrawn", keys);
        Assert.DoesNotContain($"stripe:{disputeId}:funds-reinstated", keys);
        var record = await ChargebackDisputeAsync(contractId);
        Assert.Equal(("Resolved", "Accepted", "lost"), (record.State, record.Outcome, record.Chargeback!.Status));
        Assert.Equal(
            ["Stripe " + disputeId + ": warning_needs_response", "Stripe " + disputeId + ": needs_response", "Stripe " + disputeId + ": lost"],
            record.Actions.Select(action => action.Text));
    }

    [Fact]
    public async Task Finance_submits_chargeback_evidence_to_stripe_before_its_due_date_and_not_after()
    {
        var contractId = await ActiveContractAsync();
        var (disputeId, dispute) = await DisputeOnTheDepositAsync(contractId);
        var dueBy = app.Clock.GetCurrentInstant().Plus(Duration.FromDays(7));
        dispute["evidence_details"]!["due_by"] = dueBy.ToUnixTimeSeconds();
        await app.DeliverAsync(app.Event("charge.dispute.created", dispute).Body);
        await app.PumpAsync();
        var opened = await ChargebackDisputeAsync(contractId);
        Assert.Equal(NodaTime.Text.InstantPattern.ExtendedIso.Format(dueBy), opened.Chargeback!.EvidenceDueBy);

        using (var finance = app.CreateClientAs(CallerRole.Finance))
        using (var response = await finance.PostAsJsonAsync($"/api/disputes/{opened.Id}/stripe-evidence", new TextRequest("Service delivered; chat logs attached to the order.")))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var sent = Assert.Single(app.Stripe.RequestsTo($"/v1/disputes/{disputeId}"), request => request.Method == "POST");
        Assert.Equal("Service delivered; chat logs attached to the order.", sent.Fields.Single(field => field.Key == "evidence[uncategorized_text]").Value);
        Assert.Equal("true", sent.Fields.Single(field => field.Key == "submit").Value);
        Assert.Equal($"dispute-evidence:{opened.Id}:r{opened.Revision}", sent.IdempotencyKey);
        Assert.Equal("stripe-evidence-submitted", (await ChargebackDisputeAsync(contractId)).Actions[^1].Action);

        app.Clock.Advance(Duration.FromDays(8));
        using var late = app.CreateClientAs(CallerRole.Finance);
        using var refused = await late.PostAsJsonAsync($"/api/disputes/{opened.Id}/stripe-evidence", new TextRequest("Too late."));
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Single(app.Stripe.RequestsTo($"/v1/disputes/{disputeId}"), request => request.Method == "POST");
    }

    // A Stripe dispute of 3,000.00 CNY on the contract's deposit payment, known to the local peer; no metadata, so the app
    // finds the contract through the PaymentIntent link.
    private async Task<(string Id, JsonObject Dispute)> DisputeOnTheDepositAsync(string contractId)
    {
        var paymentIntent = (await app.RegisterAsync(contractId)).Checkouts.Single().SessionId is { } sessionId
            ? app.Stripe.Find(sessionId)!["payment_intent"]!.GetValue<string>()
            : throw new InvalidOperationException("no session");
        var disputeId = "dp_" + Guid.NewGuid().ToString("N")[..14];
        var dispute = app.Stripe.AddDispute(disputeId, 300_000, "cny", paymentIntent);
        dispute["metadata"] = new JsonObject();
        return (disputeId, dispute);
    }

    private async Task<ServiceLedger.Functions.Disputes.DisputeView> ChargebackDisputeAsync(string contractId)
    {
        using var finance = app.CreateClientAs(CallerRole.Finance);
        var list = await finance.GetFromJsonAsync<ServiceLedger.Functions.Disputes.DisputeList>($"/api/disputes?contractId={contractId}", ServiceLedger.Functions.Disputes.DisputeJson.Options);
        return Assert.Single(list!.Items).Dispute;
    }

    [Fact]
    public async Task A_payout_paid_then_failed_nets_to_zero_in_the_platform_stripe_book_and_an_unknown_event_type_is_acknowledged()
    {
        var payoutId = "po_" + Guid.NewGuid().ToString("N")[..14];
        var payout = new JsonObject
        {
            ["id"] = payoutId, ["object"] = "payout", ["amount"] = 123_456, ["currency"] = "cny", ["status"] = "paid",
            ["arrival_date"] = app.Clock.Now.ToUnixTimeSeconds(),
        };
        var (failedId, failed) = app.Event("payout.failed", payout);
        var (paidId, paid) = app.Event("payout.paid", payout);
        var (unknownId, unknown) = app.Event("customer.created", new JsonObject { ["id"] = "cus_1", ["object"] = "customer" });

        await app.DeliverAsync(failed);
        await app.DeliverAsync(paid);
        await app.DeliverAsync(unknown);
        await app.PumpAsync();

        var ledger = app.Services.GetRequiredService<Functions.Ledger.LedgerService>();
        var entries = new List<Domain.Ledger.JournalEntry>();
        string? token = null;
        do
        {
            var page = await ledger.ReadEntriesAsync(Domain.Ledger.BookId.PlatformStripe, Domain.Ledger.SequenceRange.All, Domain.Ledger.PageRequest.Create(1000, token).Value, CancellationToken.None);
            entries.AddRange(page.Items);
            token = page.ContinuationToken;
        }
        while (token is not null);

        var mine = entries.Where(e => e.IdempotencyKey.Value.StartsWith($"stripe:{payoutId}:", StringComparison.Ordinal)).ToArray();
        Assert.Equal([$"stripe:{payoutId}:failed", $"stripe:{payoutId}:paid"], mine.Select(e => e.IdempotencyKey.Value).Order(StringComparer.Ordinal));
        var bank = mine.SelectMany(e => e.Postings).Where(p => p.Account == Domain.Ledger.AccountId.PlatformBank)
            .Sum(p => p.Side == Domain.Ledger.PostingSide.Debit ? p.Amount.Amount : -p.Amount.Amount);
        Assert.Equal(0m, bank);
        var events = app.Services.GetRequiredService<Functions.Adapters.Tables.TableServiceClient>().GetTableClient(Functions.Configuration.StorageNames.StripeEventsTable);
        Assert.Equal(StripeEventOutcome.Ignored, (await events.GetAsync(unknownId, ReceiveStripeEvent.EventRowKey, null, CancellationToken.None))!.Get("Outcome").AsString());
        Assert.Equal(StripeEventOutcome.Applied, (await events.GetAsync(failedId, ReceiveStripeEvent.EventRowKey, null, CancellationToken.None))!.Get("Outcome").AsString());
        Assert.Equal(StripeEventOutcome.Applied, (await events.GetAsync(paidId, ReceiveStripeEvent.EventRowKey, null, CancellationToken.None))!.Get("Outcome").AsString());
    }

    private JsonObject Transaction(string id, long amount, long fee, string category) => new()
    {
        ["id"] = id + "_" + Guid.NewGuid().ToString("N")[..8],
        ["object"] = "balance_transaction",
        ["amount"] = amount,
        ["fee"] = fee,
        ["net"] = amount - fee,
        ["currency"] = "cny",
        ["reporting_category"] = category,
        ["created"] = app.Clock.Now.ToUnixTimeSeconds(),
    };

    private async Task<string> ActiveContractAsync()
    {
        var (contract, merchantId, _) = await app.SignedContractAsync();
        var checkout = await CheckoutAsync(contract.Id, merchantId, HttpStatusCode.Created);
        await app.DeliverAsync(app.Event("checkout.session.completed", app.Stripe.CompleteCheckoutSession(checkout.SessionId!)).Body);
        await app.PumpAsync();
        Assert.Equal("Active", (await app.ContractAsync(contract.Id)).Status);
        return contract.Id;
    }

    private async Task<CheckoutView> CheckoutAsync(string contractId, string merchantId, HttpStatusCode expected)
    {
        using var merchant = app.CreateClientAs(CallerRole.Merchant, merchantId);
        using var response = await merchant.PostAsync($"/api/contracts/{contractId}/deposit/checkout", null);
        Assert.True(response.StatusCode == expected, $"checkout answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<CheckoutView>())!;
    }

    private static MoneyView Subtract(MoneyView money, decimal amount) =>
        new((decimal.Parse(money.Amount, System.Globalization.CultureInfo.InvariantCulture) - amount).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), money.Currency);

    private static async Task AssertProblem(HttpResponseMessage response, HttpStatusCode status, string code, string field)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"answered {(int)response.StatusCode}: {text}");
        using var problem = JsonDocument.Parse(text);
        Assert.Equal(code, problem.RootElement.GetProperty("code").GetString());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), text);
    }
}
