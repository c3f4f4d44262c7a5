using System.Net;
using System.Net.Sockets;
using NodaTime;
using ServiceLedger.Functions.Adapters.Stripe;
using ServiceLedger.TestSupport;
using ServiceLedger.TestSupport.Stripe;

namespace ServiceLedger.Integration.Tests.Stripe;

/// <summary>The Stripe client against the local Stripe peer on loopback: request shapes, idempotency, errors and retries.</summary>
public sealed class StripeClientTests : IAsyncLifetime
{
    private static readonly Uri Success = new("https://app.example.com/contracts/ctr_42/deposit/paid?session_id={CHECKOUT_SESSION_ID}");
    private static readonly Uri Cancel = new("https://app.example.com/contracts/ctr_42/deposit");

    // One connection pool for every test, as IHttpClientFactory would share it.
    private static readonly HttpClient Http = new();

    private readonly FakeClock _clock = new();
    private readonly List<TimeSpan> _waits = [];
    private readonly CapturingLogger<StripeClient> _logger = new();
    private LocalStripe _peer = null!;
    private StripeClient _client = null!;

    public async Task InitializeAsync()
    {
        _peer = await LocalStripe.StartAsync(_clock);
        _client = ClientFor(_peer.ApiBase, _peer.SecretKey);
    }

    public async Task DisposeAsync()
    {
        await _peer.DisposeAsync();
    }

    [Fact]
    public async Task Creating_a_deposit_session_posts_the_form_stripe_expects_with_version_key_and_idempotency_headers()
    {
        var session = await _client.CreateCheckoutSessionAsync(Deposit(150000, "eur"), StripeIdempotencyKey.From("deposit:ctr_42:checkout:1"), default);

        var sent = Assert.Single(_peer.Requests);
        Assert.Equal(("POST", "/v1/checkout/sessions"), (sent.Method, sent.Path));
        Assert.StartsWith("application/x-www-form-urlencoded", sent.ContentType, StringComparison.Ordinal);
        Assert.Equal(StripeOptions.ApiVersion, sent.StripeVersion);
        Assert.Equal("Bearer " + _peer.SecretKey, sent.Authorization);
        Assert.Equal("deposit:ctr_42:checkout:1", sent.IdempotencyKey);
        Assert.Equal("payment", sent.Field("mode"));
        Assert.Equal("eur", sent.Field("line_items[0][price_data][currency]"));
        Assert.Equal("150000", sent.Field("line_items[0][price_data][unit_amount]"));
        Assert.Equal("Deposit for contract ctr_42", sent.Field("line_items[0][price_data][product_data][name]"));
        Assert.Equal("ctr_42", sent.Field("metadata[contract_id]"));
        Assert.Equal("mer_7", sent.Field("metadata[merchant_id]"));
        Assert.Equal("ctr_42", sent.Field("payment_intent_data[metadata][contract_id]"));
        Assert.Equal(Success.OriginalString, sent.Field("success_url"));
        Assert.Equal((_clock.Now + Duration.FromHours(2)).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), sent.Field("expires_at"));
        Assert.Contains("line_items[0][price_data][currency]=eur", sent.RawBody, StringComparison.Ordinal);

        Assert.StartsWith("cs_test_", session.Id, StringComparison.Ordinal);
        Assert.Equal(("open", "unpaid"), (session.Status, session.PaymentStatus));
        Assert.Equal(150000, session.AmountTotal);
        Assert.Equal("ctr_42", session.ClientReferenceId);
        Assert.Equal("mer_7", session.Metadata["merchant_id"]);
        Assert.NotNull(session.Url);
    }

    [Fact]
    public void The_session_form_matches_stripe_nodes_own_encoding_byte_for_byte()
    {
        // shared/reference/stripe.md §1.1: the body stripe-node 23.1.0's encoder wrote for these parameters.
        const string golden = "mode=payment&client_reference_id=contract-42&success_url=https%3A%2F%2Fexample.com%2Fpay%2Fsuccess%3Fsession_id%3D%7BCHECKOUT_SESSION_ID%7D&cancel_url=https%3A%2F%2Fexample.com%2Fpay%2Fcancel&expires_at=1700003600&line_items[0][quantity]=1&line_items[0][price_data][currency]=eur&line_items[0][price_data][unit_amount]=150000&line_items[0][price_data][product_data][name]=Contract%20deposit%20%2342&metadata[contract_id]=42&metadata[merchant_id]=m-7&payment_intent_data[metadata][contract_id]=42&payment_intent_data[description]=Deposit%20for%20contract%2042&payment_method_types[0]=card&payment_method_types[1]=sepa_debit&expand[0]=payment_intent";
        var request = new CheckoutSessionRequest
        {
            ClientReferenceId = "contract-42",
            Amount = new StripeAmount(150000, "eur"),
            ProductName = "Contract deposit #42",
            SuccessUrl = new Uri("https://example.com/pay/success?session_id={CHECKOUT_SESSION_ID}"),
            CancelUrl = new Uri("https://example.com/pay/cancel"),
            ExpiresAt = Instant.FromUnixTimeSeconds(1_700_003_600),
            Metadata = [new("contract_id", "42"), new("merchant_id", "m-7")],
            PaymentIntentMetadata = [new("contract_id", "42")],
            PaymentIntentDescription = "Deposit for contract 42",
            PaymentMethodTypes = ["card", "sepa_debit"],
            Expand = ["payment_intent"],
        };

        Assert.Equal(golden, request.ToForm().Encode());
    }

    [Fact]
    public async Task Sending_the_same_idempotency_key_twice_creates_one_session_and_answers_the_first_result_again()
    {
        var key = StripeIdempotencyKey.From("deposit:ctr_42:checkout:1");

        var first = await _client.CreateCheckoutSessionAsync(Deposit(150000, "eur"), key, default);
        var second = await _client.CreateCheckoutSessionAsync(Deposit(150000, "eur"), key, default);

        Assert.Equal(first.Id, second.Id);
        Assert.Equal(1, _peer.SessionCount);
        Assert.Equal(2, _peer.RequestsTo("/v1/checkout/sessions").Count);
    }

    [Fact]
    public async Task Reusing_a_key_with_other_parameters_is_an_idempotency_error_and_is_not_retried()
    {
        var key = StripeIdempotencyKey.From("deposit:ctr_42:checkout:1");
        await _client.CreateCheckoutSessionAsync(Deposit(150000, "eur"), key, default);

        var error = await Assert.ThrowsAsync<StripeException>(() => _client.CreateCheckoutSessionAsync(Deposit(99000, "eur"), key, default));

        Assert.Equal(StripeErrorKind.Idempotency, error.Kind);
        Assert.Equal(400, error.Status);
        Assert.Equal(1, _peer.SessionCount);
        Assert.Equal(2, _peer.Requests.Count);
    }

    [Fact]
    public async Task Retrieving_a_session_reads_its_current_state_and_the_payment_intent_once_paid()
    {
        var created = await _client.CreateCheckoutSessionAsync(Deposit(150000, "eur"), StripeIdempotencyKey.From("deposit:ctr_42:checkout:1"), default);
        _peer.CompleteCheckoutSession(created.Id);

        var read = await _client.GetCheckoutSessionAsync(created.Id, default);

        var sent = _peer.Requests[^1];
        Assert.Equal(("GET", "/v1/checkout/sessions/" + created.Id), (sent.Method, sent.Path));
        Assert.Null(sent.IdempotencyKey);
        Assert.Equal(StripeOptions.ApiVersion, sent.StripeVersion);
        Assert.Equal(("complete", "paid"), (read.Status, read.PaymentStatus));
        Assert.StartsWith("pi_", read.PaymentIntent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_session_is_an_invalid_request_naming_the_missing_resource_and_is_not_retried()
    {
        var error = await Assert.ThrowsAsync<StripeException>(() => _client.GetCheckoutSessionAsync("cs_test_nope", default));

        Assert.Equal((StripeErrorKind.InvalidRequest, 404, "resource_missing"), (error.Kind, error.Status, error.Code));
        Assert.StartsWith("req_", error.RequestId, StringComparison.Ordinal);
        Assert.Single(_peer.Requests);
        Assert.Empty(_waits);
    }

    [Fact]
    public async Task An_expiry_beyond_24_hours_is_refused_by_stripe_with_the_parameter_named()
    {
        var request = Deposit(150000, "eur") with { ExpiresAt = _clock.Now + Duration.FromHours(25) };

        var error = await Assert.ThrowsAsync<StripeException>(
            () => _client.CreateCheckoutSessionAsync(request, StripeIdempotencyKey.From("deposit:ctr_42:checkout:1"), default));

        Assert.Equal((StripeErrorKind.InvalidRequest, "expires_at"), (error.Kind, error.Param));
        Assert.Equal(0, _peer.SessionCount);
    }

    [Fact]
    public async Task A_declined_card_is_a_card_error_with_the_decline_code_and_is_not_retried()
    {
        _peer.AddPaymentIntent("pi_1", 150000, "eur");
        _peer.DeclineNextCard("/v1/refunds");

        var error = await Assert.ThrowsAsync<StripeException>(() => Refund("pi_1", 1000, "refund:rf_1"));

        Assert.Equal((StripeErrorKind.Card, 402, "card_declined", "generic_decline"), (error.Kind, error.Status, error.Code, error.DeclineCode));
        Assert.Single(_peer.Requests);
    }

    [Fact]
    public async Task A_rate_limit_with_a_short_retry_after_is_waited_out_and_the_retry_sends_the_same_key()
    {
        _peer.AddPaymentIntent("pi_1", 150000, "eur");
        _peer.RateLimitNext("POST", "/v1/refunds", retryAfterSeconds: 2);

        var refund = await Refund("pi_1", 1000, "refund:rf_1");

        Assert.Equal(1000, refund.Amount);
        Assert.Equal([TimeSpan.FromSeconds(2)], _waits);
        var sent = _peer.RequestsTo("/v1/refunds");
        Assert.Equal(2, sent.Count);
        Assert.All(sent, r => Assert.Equal("refund:rf_1", r.IdempotencyKey));
        Assert.Equal(1, _peer.RefundCount);
    }

    [Fact]
    public async Task A_rate_limit_asking_for_longer_than_we_wait_fails_at_once_carrying_the_retry_after()
    {
        _peer.RateLimitNext("GET", "/v1/disputes/dp_1", retryAfterSeconds: 60);

        var error = await Assert.ThrowsAsync<StripeException>(() => _client.GetDisputeAsync("dp_1", default));

        Assert.Equal((StripeErrorKind.RateLimit, 429, "rate_limit"), (error.Kind, error.Status, error.Code));
        Assert.Equal(TimeSpan.FromSeconds(60), error.RetryAfter);
        Assert.Single(_peer.Requests);
        Assert.Empty(_waits);
    }

    [Fact]
    public async Task A_server_error_once_is_retried_with_the_same_key_and_refunds_exactly_once()
    {
        _peer.AddPaymentIntent("pi_1", 150000, "eur");
        _peer.ServerErrorNext("POST", "/v1/refunds");

        var refund = await Refund("pi_1", 50000, "refund:rf_1");

        Assert.Equal(("succeeded", 50000L, "pi_1"), (refund.Status, refund.Amount, refund.PaymentIntent));
        Assert.Equal(1, _peer.RefundCount);
        Assert.Equal(2, _peer.RequestsTo("/v1/refunds").Count);
        var wait = Assert.Single(_waits);
        Assert.InRange(wait, TimeSpan.FromMilliseconds(500), StripeRetries.MaxBackoff);
    }

    [Fact]
    public async Task Server_errors_on_every_attempt_give_up_after_the_retry_bound_with_an_api_error()
    {
        _peer.ServerErrorNext("GET", "/v1/disputes/dp_1", times: 10);

        var error = await Assert.ThrowsAsync<StripeException>(() => _client.GetDisputeAsync("dp_1", default));

        Assert.Equal((StripeErrorKind.Api, 500), (error.Kind, error.Status));
        Assert.Equal(1 + StripeRetries.MaxRetries, _peer.Requests.Count);
        Assert.Equal(StripeRetries.MaxRetries, _waits.Count);
    }

    [Fact]
    public async Task Stripe_should_retry_false_stops_a_retry_that_the_status_alone_would_allow()
    {
        _peer.FailNext("GET", "/v1/disputes/dp_1", 500, "api_error", "An unknown error occurred", shouldRetry: false);

        await Assert.ThrowsAsync<StripeException>(() => _client.GetDisputeAsync("dp_1", default));

        Assert.Single(_peer.Requests);
    }

    [Fact]
    public async Task No_answer_at_all_is_a_connection_error_after_the_bounded_retries()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var client = ClientFor(new Uri($"http://127.0.0.1:{port}/"), _peer.SecretKey);

        var error = await Assert.ThrowsAsync<StripeException>(() => client.GetDisputeAsync("dp_1", default));

        Assert.Equal((StripeErrorKind.Connection, (int?)null), (error.Kind, error.Status));
        Assert.Equal(StripeRetries.MaxRetries, _waits.Count);
    }

    [Fact]
    public async Task A_wrong_secret_key_is_an_authentication_error_and_no_key_appears_in_logs_or_messages()
    {
        const string wrongKey = "sk_test_wrong_key_that_must_not_leak_0001";
        var client = ClientFor(_peer.ApiBase, wrongKey);

        var error = await Assert.ThrowsAsync<StripeException>(() => client.GetDisputeAsync("dp_1", default));
        _peer.AddDispute("dp_2", 1000, "eur", "pi_1");
        await _client.GetDisputeAsync("dp_2", default);

        Assert.Equal((StripeErrorKind.Authentication, 401), (error.Kind, error.Status));
        Assert.NotEmpty(_logger.Lines);
        foreach (var text in _logger.Lines.Append(error.ToString()))
        {
            Assert.DoesNotContain(wrongKey, text, StringComparison.Ordinal);
            Assert.DoesNotContain(_peer.SecretKey, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_post_without_an_idempotency_key_is_refused_before_anything_is_sent()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _client.CreateRefundAsync(new RefundRequest("pi_1", 100, []), default, default));

        Assert.Empty(_peer.Requests);
    }

    [Fact]
    public async Task Partial_refunds_carry_our_metadata_and_stripe_refuses_more_than_remains()
    {
        _peer.AddPaymentIntent("pi_1", 150000, "eur");

        var first = await Refund("pi_1", 100000, "refund:rf_1");
        var rest = await _client.CreateRefundAsync(new RefundRequest("pi_1", null, [new("refund_id", "rf_2")]), StripeIdempotencyKey.From("refund:rf_2"), default);
        var over = await Assert.ThrowsAsync<StripeException>(() => Refund("pi_1", 1, "refund:rf_3"));

        var sent = _peer.RequestsTo("/v1/refunds")[0];
        Assert.Equal(("pi_1", "100000", "rf_1"), (sent.Field("payment_intent"), sent.Field("amount"), sent.Field("metadata[refund_id]")));
        Assert.Null(_peer.RequestsTo("/v1/refunds")[1].Field("amount"));
        Assert.Equal((100000L, 50000L), (first.Amount, rest.Amount));
        Assert.Equal("rf_1", first.Metadata["refund_id"]);
        Assert.Equal((StripeErrorKind.InvalidRequest, "charge_already_refunded"), (over.Kind, over.Code));
    }

    [Fact]
    public async Task Listing_balance_transactions_follows_starting_after_across_pages_within_the_created_range()
    {
        var start = Instant.FromUtc(2026, 10, 1, 0, 0);
        for (var i = 0; i < 250; i++)
        {
            _peer.AddBalanceTransaction($"txn_{i:D4}", 1000 + i, 30, "eur", "charge", "charge", $"ch_{i:D4}", start + Duration.FromHours(i));
        }

        var query = new BalanceTransactionQuery { CreatedFrom = start + Duration.FromHours(10), CreatedBefore = start + Duration.FromHours(220) };
        var listed = await ToListAsync(_client.ListBalanceTransactionsAsync(query, maxPages: 5, default));

        Assert.Equal(210, listed.Count);
        Assert.Equal("txn_0219", listed[0].Id);
        Assert.Equal("txn_0010", listed[^1].Id);
        Assert.Equal(970 + 219, listed[0].Net);
        var pages = _peer.RequestsTo("/v1/balance_transactions");
        Assert.Equal(3, pages.Count);
        Assert.Equal((start + Duration.FromHours(10)).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), pages[0].Field("created[gte]"));
        Assert.Equal((start + Duration.FromHours(220)).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), pages[0].Field("created[lt]"));
        Assert.Equal("100", pages[0].Field("limit"));
        Assert.Null(pages[0].Field("starting_after"));
        Assert.Equal(listed[99].Id, pages[1].Field("starting_after"));
        Assert.Equal(listed[199].Id, pages[2].Field("starting_after"));
    }

    [Fact]
    public async Task Listing_by_payout_returns_only_that_payouts_transactions_with_their_fees()
    {
        var at = Instant.FromUtc(2026, 10, 1, 0, 0);
        _peer.AddBalanceTransaction("txn_a", 150000, 2205, "eur", "charge", "charge", "ch_a", at, payoutId: "po_1");
        _peer.AddBalanceTransaction("txn_b", -50000, 0, "eur", "refund", "refund", "re_b", at + Duration.FromHours(1), payoutId: "po_1");
        _peer.AddBalanceTransaction("txn_c", 9000, 291, "eur", "charge", "charge", "ch_c", at, payoutId: "po_2");

        var listed = await ToListAsync(_client.ListBalanceTransactionsAsync(new BalanceTransactionQuery { PayoutId = "po_1" }, StripeClient.DefaultMaxPages, default));

        Assert.Equal(["txn_b", "txn_a"], listed.Select(t => t.Id));
        Assert.Equal("po_1", _peer.Requests[0].Field("payout"));
        var charge = listed[1];
        Assert.Equal((150000L, 2205L, 147795L, "charge", "ch_a"), (charge.Amount, charge.Fee, charge.Net, charge.ReportingCategory, charge.Source));
        Assert.Equal("stripe_fee", Assert.Single(charge.FeeDetails).Type);
    }

    [Fact]
    public async Task Listing_stops_with_an_error_rather_than_truncating_when_more_pages_exist_than_allowed()
    {
        for (var i = 0; i < 5; i++)
        {
            _peer.AddBalanceTransaction($"txn_{i}", 100, 0, "eur", "charge", "charge", null, Instant.FromUtc(2026, 10, 1, i, 0));
        }

        var query = new BalanceTransactionQuery { PageSize = 2 };

        await Assert.ThrowsAsync<InvalidOperationException>(() => ToListAsync(_client.ListBalanceTransactionsAsync(query, maxPages: 2, default)));
        Assert.Equal(2, _peer.Requests.Count);
    }

    [Fact]
    public async Task Submitting_dispute_evidence_posts_the_text_and_submit_flag_and_reads_the_new_status()
    {
        _peer.AddDispute("dp_1", 150000, "eur", "pi_1");

        var before = await _client.GetDisputeAsync("dp_1", default);
        var after = await _client.UpdateDisputeEvidenceAsync(
            "dp_1", new DisputeEvidence("Service delivered 2026-10: 1,204 chats handled; contract ctr_42 signed 2026-09-01.", Submit: true),
            StripeIdempotencyKey.From("dispute:dp_1:evidence:1"), default);

        var sent = _peer.Requests[^1];
        Assert.Equal(("POST", "/v1/disputes/dp_1", "true"), (sent.Method, sent.Path, sent.Field("submit")));
        Assert.StartsWith("Service delivered 2026-10", sent.Field("evidence[uncategorized_text]"), StringComparison.Ordinal);
        Assert.Equal(("needs_response", 0), (before.Status, before.EvidenceDetails!.SubmissionCount));
        Assert.Equal(("under_review", 1, true), (after.Status, after.EvidenceDetails!.SubmissionCount, after.EvidenceDetails.HasEvidence));
        Assert.StartsWith("Service delivered", after.Evidence!.UncategorizedText, StringComparison.Ordinal);
        Assert.Equal("pi_1", after.PaymentIntent);
    }

    private StripeClient ClientFor(Uri apiBase, string secretKey) =>
        new(Http, new StripeOptions(secretKey, apiBase), new StripeRetries((delay, _) => { lock (_waits) { _waits.Add(delay); } return Task.CompletedTask; }), _logger);

    private CheckoutSessionRequest Deposit(long amountMinor, string currency) =>
        CheckoutSessionRequest.ForDeposit("ctr_42", "mer_7", new StripeAmount(amountMinor, currency), "Deposit for contract ctr_42", Success, Cancel, _clock.Now + Duration.FromHours(2));

    private Task<StripeRefund> Refund(string paymentIntentId, long amountMinor, string key) =>
        _client.CreateRefundAsync(new RefundRequest(paymentIntentId, amountMinor, [new("refund_id", key["refund:".Length..])]), StripeIdempotencyKey.From(key), default);

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }
}
