using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodaTime;
using ServiceLedger.Functions.Adapters.Stripe;

namespace ServiceLedger.TestSupport.Stripe;

/// <summary>
/// A local Stripe peer: a Kestrel app on 127.0.0.1 with an OS-picked port that answers the endpoints the product uses
/// as Stripe's API reference describes (objects copied from Stripe's fixtures3.json, errors in Stripe's shape), and
/// keeps state: sessions, payment intents, refunds, balance transactions and disputes. It records every request,
/// replays a repeated Idempotency-Key with the stored answer (and refuses it with other parameters, as Stripe does),
/// and can be scripted to fail (402 card_error, 429 with Retry-After, 500) before a request executes.
/// </summary>
public sealed partial class LocalStripe : IAsyncDisposable
{
    /// <summary>Most requests recorded; a test that sends more has a loop bug.</summary>
    public const int MaxRecordedRequests = 10_000;

    private readonly Lock _gate = new();
    private readonly WebApplication _app;
    private readonly IClock _clock;
    private readonly List<StripeRecordedRequest> _requests = [];
    private readonly List<ScriptedFailure> _failures = [];
    private readonly Dictionary<string, StoredAnswer> _idempotency = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PaymentIntentState> _paymentIntents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject> _refunds = new(StringComparer.Ordinal);
    private readonly List<(JsonObject Transaction, string? PayoutId)> _balanceTransactions = [];
    private readonly Dictionary<string, JsonObject> _disputes = new(StringComparer.Ordinal);
    private readonly string _instance = Guid.NewGuid().ToString("N")[..8];
    private int _sequence;

    private LocalStripe(WebApplication app, IClock clock, string secretKey)
    {
        _app = app;
        _clock = clock;
        SecretKey = secretKey;
    }

    /// <summary>The secret key the peer accepts (anything else answers 401).</summary>
    public string SecretKey { get; }

    /// <summary>The API base to configure as <c>Stripe:ApiBase</c>.</summary>
    public Uri ApiBase { get; private set; } = null!;

    /// <summary>Every request received so far, oldest first.</summary>
    public IReadOnlyList<StripeRecordedRequest> Requests
    {
        get { lock (_gate) { return [.. _requests]; } }
    }

    /// <summary>Starts a peer that accepts <paramref name="secretKey"/> and reads time from <paramref name="clock"/>.</summary>
    public static async Task<LocalStripe> StartAsync(IClock clock, string secretKey = "sk_test_local_peer_4242424242")
    {
        ArgumentNullException.ThrowIfNull(clock);
        _ = StripeFixtures.FindFile(); // fail before listening when the fixtures are missing
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var peer = new LocalStripe(app, clock, secretKey);
        app.Run(peer.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        peer.ApiBase = new Uri(address.TrimEnd('/') + "/");
        return peer;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>The requests to <paramref name="path"/>, oldest first.</summary>
    public IReadOnlyList<StripeRecordedRequest> RequestsTo(string path) => [.. Requests.Where(r => r.Path == path)];

    /// <summary>The next <paramref name="times"/> requests to <paramref name="method"/> <paramref name="path"/> fail with this Stripe error, before executing (nothing is stored).</summary>
    public void FailNext(
        string method, string path, int status, string type, string message, string? code = null, string? declineCode = null,
        string? param = null, int? retryAfterSeconds = null, bool? shouldRetry = null, int times = 1)
    {
        lock (_gate)
        {
            for (var i = 0; i < times; i++)
            {
                _failures.Add(new ScriptedFailure(method, path, status, type, message, code, declineCode, param, retryAfterSeconds, shouldRetry));
            }
        }
    }

    /// <summary>The next POST to <paramref name="path"/> answers 402 card_error (card_declined, generic_decline).</summary>
    public void DeclineNextCard(string path) =>
        FailNext("POST", path, 402, "card_error", "Your card was declined.", "card_declined", "generic_decline");

    /// <summary>The next <paramref name="times"/> requests to the path answer 429 with <c>Retry-After</c>.</summary>
    public void RateLimitNext(string method, string path, int retryAfterSeconds, int times = 1) =>
        FailNext(method, path, 429, "invalid_request_error", "Too many requests hit the API too quickly. We recommend an exponential backoff of your requests.",
            "rate_limit", retryAfterSeconds: retryAfterSeconds, times: times);

    /// <summary>The next <paramref name="times"/> requests to the path answer 500 api_error.</summary>
    public void ServerErrorNext(string method, string path, int times = 1) =>
        FailNext(method, path, 500, "api_error", "An unknown error occurred", times: times);

    /// <summary>Pays an open session as a customer would: a PaymentIntent (and charge) for its amount, status complete/paid.</summary>
    public JsonObject CompleteCheckoutSession(string sessionId)
    {
        lock (_gate)
        {
            var session = _sessions[sessionId];
            var paymentIntentId = NewId("pi");
            var amount = session["amount_total"]!.GetValue<long>();
            var currency = session["currency"]!.GetValue<string>();
            _paymentIntents[paymentIntentId] = new PaymentIntentState(amount, currency, NewId("ch"));
            session["status"] = "complete";
            session["payment_status"] = "paid";
            session["payment_intent"] = paymentIntentId;
            session["url"] = null;
            return session.DeepClone().AsObject();
        }
    }

    /// <summary>The charge that paid <paramref name="paymentIntentId"/> (its <c>latest_charge</c>).</summary>
    public string ChargeOf(string paymentIntentId)
    {
        lock (_gate) { return _paymentIntents[paymentIntentId].ChargeId; }
    }

    /// <summary>A PaymentIntent that was paid in full with <paramref name="amountMinor"/> of <paramref name="currency"/> (refundable).</summary>
    public void AddPaymentIntent(string paymentIntentId, long amountMinor, string currency)
    {
        lock (_gate) { _paymentIntents[paymentIntentId] = new PaymentIntentState(amountMinor, currency, NewId("ch")); }
    }

    /// <summary>A balance transaction (optionally part of automatic payout <paramref name="payoutId"/>), from the fixture.</summary>
    public JsonObject AddBalanceTransaction(
        string id, long amount, long fee, string currency, string type, string reportingCategory, string? source, Instant created, string? payoutId = null)
    {
        var transaction = StripeFixtures.Copy("balance_transaction");
        transaction["id"] = id;
        transaction["amount"] = amount;
        transaction["fee"] = fee;
        transaction["net"] = amount - fee;
        transaction["currency"] = currency;
        transaction["type"] = type;
        transaction["reporting_category"] = reportingCategory;
        transaction["source"] = source;
        transaction["created"] = created.ToUnixTimeSeconds();
        transaction["available_on"] = created.ToUnixTimeSeconds();
        transaction["fee_details"] = fee == 0
            ? new JsonArray()
            : new JsonArray(new JsonObject { ["amount"] = fee, ["currency"] = currency, ["description"] = "Stripe processing fees", ["type"] = "stripe_fee", ["application"] = null });
        lock (_gate) { _balanceTransactions.Add((transaction, payoutId)); }
        return transaction.DeepClone().AsObject();
    }

    /// <summary>A dispute on <paramref name="paymentIntentId"/>, from the fixture, in <paramref name="status"/>.</summary>
    public JsonObject AddDispute(string id, long amount, string currency, string paymentIntentId, string status = "needs_response")
    {
        var dispute = StripeFixtures.Copy("dispute");
        dispute["id"] = id;
        dispute["amount"] = amount;
        dispute["currency"] = currency;
        dispute["payment_intent"] = paymentIntentId;
        dispute["status"] = status;
        dispute["created"] = _clock.GetCurrentInstant().ToUnixTimeSeconds();
        lock (_gate) { _disputes[id] = dispute; }
        return dispute.DeepClone().AsObject();
    }

    /// <summary>The peer's current copy of a session, refund or dispute (as the API would answer it now).</summary>
    public JsonObject? Find(string id)
    {
        lock (_gate)
        {
            var found = _sessions.GetValueOrDefault(id) ?? _refunds.GetValueOrDefault(id) ?? _disputes.GetValueOrDefault(id);
            return found?.DeepClone().AsObject();
        }
    }

    /// <summary>Refunds created so far (replays of one idempotency key create one).</summary>
    public int RefundCount
    {
        get { lock (_gate) { return _refunds.Count; } }
    }

    /// <summary>Sessions created so far.</summary>
    public int SessionCount
    {
        get { lock (_gate) { return _sessions.Count; } }
    }

    /// <summary>An Event as Stripe delivers it (fixture shape, API version pinned), wrapping <paramref name="dataObject"/>.</summary>
    public string EventJson(string eventId, string type, JsonObject dataObject)
    {
        var stripeEvent = StripeFixtures.Copy("event");
        stripeEvent["id"] = eventId;
        stripeEvent["type"] = type;
        stripeEvent["api_version"] = StripeOptions.ApiVersion;
        stripeEvent["created"] = _clock.GetCurrentInstant().ToUnixTimeSeconds();
        stripeEvent["data"] = new JsonObject { ["object"] = dataObject.DeepClone() };
        stripeEvent["pending_webhooks"] = 1;
        return stripeEvent.ToJsonString();
    }

    /// <summary>The <c>Stripe-Signature</c> header Stripe would send for <paramref name="payload"/> now, signed with each of <paramref name="secrets"/>.</summary>
    public string SignatureHeader(string payload, params string[] secrets)
    {
        var timestamp = _clock.GetCurrentInstant().ToUnixTimeSeconds();
        var body = Encoding.UTF8.GetBytes(payload);
        return $"t={timestamp}," + string.Join(',', secrets.Select(secret => "v1=" + StripeWebhookSignature.ComputeV1(secret, timestamp, body)));
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var query = request.QueryString.HasValue ? request.QueryString.Value![1..] : string.Empty;
        var fields = StripeRecordedRequest.DecodeForm(request.Method == "GET" ? query : body);
        var recorded = new StripeRecordedRequest(
            request.Method, request.Path.Value ?? "/", query, body, fields,
            request.Headers.Authorization.FirstOrDefault(), request.Headers["Stripe-Version"].FirstOrDefault(),
            request.Headers["Idempotency-Key"].FirstOrDefault(), request.ContentType);

        Answer answer;
        lock (_gate)
        {
            if (_requests.Count == MaxRecordedRequests)
            {
                throw new InvalidOperationException($"The local Stripe peer received more than {MaxRecordedRequests} requests.");
            }

            _requests.Add(recorded);
            answer = Decide(recorded);
        }

        context.Response.StatusCode = answer.Status;
        context.Response.Headers["Request-Id"] = "req_" + Interlocked.Increment(ref _sequence).ToString("D6", CultureInfo.InvariantCulture);
        foreach (var (name, value) in answer.Headers)
        {
            context.Response.Headers[name] = value;
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(answer.Body.ToJsonString(), context.RequestAborted);
    }

    // Runs under _gate: the order below is Stripe's (authenticate, then anything that fails before the endpoint runs,
    // then the idempotency layer, then the endpoint).
    private Answer Decide(StripeRecordedRequest request)
    {
        if (request.Authorization != "Bearer " + SecretKey)
        {
            return Error(401, "invalid_request_error", "Invalid API Key provided: " + Mask(request.Authorization));
        }

        var failure = _failures.FirstOrDefault(f => f.Method == request.Method && f.Path == request.Path);
        if (failure is not null)
        {
            _failures.Remove(failure);
            return failure.ToAnswer();
        }

        if (request.Method != "POST" || request.IdempotencyKey is null)
        {
            return Route(request);
        }

        var fingerprint = request.Method + " " + request.Path + "?" + request.RawBody;
        if (_idempotency.TryGetValue(request.IdempotencyKey, out var stored))
        {
            return stored.Fingerprint == fingerprint
                ? stored.Answer with { Headers = [.. stored.Answer.Headers, new("Idempotent-Replayed", "true")] }
                : Error(400, "idempotency_error",
                    $"Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '{request.IdempotencyKey}' if you meant to execute a different request.");
        }

        var answer = Route(request);
        // Stripe saves the answer once the endpoint has started executing; failed parameter validation saves nothing.
        if (answer.Status is < 400 or 402)
        {
            _idempotency[request.IdempotencyKey] = new StoredAnswer(fingerprint, answer);
        }

        return answer;
    }

    private Answer Route(StripeRecordedRequest request)
    {
        if (request.Method == "POST" && request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.Ordinal) != true)
        {
            return Error(400, "invalid_request_error", "Invalid request: v1 takes application/x-www-form-urlencoded bodies.");
        }

        var segments = request.Path.Trim('/').Split('/');
        return (request.Method, segments) switch
        {
            ("POST", ["v1", "checkout", "sessions"]) => CreateSession(request),
            ("GET", ["v1", "checkout", "sessions", var id]) => Get(_sessions, id, "checkout.session"),
            ("GET", ["v1", "payment_intents", var id]) => GetPaymentIntent(id),
            ("POST", ["v1", "refunds"]) => CreateRefund(request),
            ("GET", ["v1", "balance_transactions"]) => ListBalanceTransactions(request),
            ("GET", ["v1", "disputes", var id]) => Get(_disputes, id, "dispute"),
            ("POST", ["v1", "disputes", var id]) => UpdateDispute(request, id),
            _ => Error(404, "invalid_request_error", $"Unrecognized request URL ({request.Method}: {request.Path})."),
        };
    }

    private Answer CreateSession(StripeRecordedRequest request)
    {
        string[] known = ["mode", "client_reference_id", "success_url", "cancel_url", "expires_at", "line_items[", "metadata[", "payment_intent_data[", "payment_method_types[", "expand["];
        if (request.Fields.FirstOrDefault(f => !known.Any(k => k.EndsWith('[') ? f.Key.StartsWith(k, StringComparison.Ordinal) : f.Key == k)) is { Key: not null } unknown)
        {
            return Error(400, "invalid_request_error", $"Received unknown parameter: {unknown.Key}", param: unknown.Key);
        }

        if (request.Field("mode") != "payment")
        {
            return Error(400, "invalid_request_error", "Missing required param: mode.", "parameter_missing", param: "mode");
        }

        var currency = request.Field("line_items[0][price_data][currency]");
        if (string.IsNullOrEmpty(currency) || !long.TryParse(request.Field("line_items[0][price_data][unit_amount]"), CultureInfo.InvariantCulture, out var unitAmount) || unitAmount < 0)
        {
            return Error(400, "invalid_request_error", "Invalid line_items[0][price_data]: currency and a non-negative integer unit_amount are required.", param: "line_items[0][price_data]");
        }

        if (string.IsNullOrEmpty(request.Field("line_items[0][price_data][product_data][name]")))
        {
            return Error(400, "invalid_request_error", "Missing required param: line_items[0][price_data][product_data][name].", "parameter_missing", param: "line_items[0][price_data][product_data][name]");
        }

        var quantity = long.TryParse(request.Field("line_items[0][quantity]"), CultureInfo.InvariantCulture, out var q) ? q : 1;
        var now = _clock.GetCurrentInstant().ToUnixTimeSeconds();
        var expiresAt = long.TryParse(request.Field("expires_at"), CultureInfo.InvariantCulture, out var e) ? e : now + (24 * 3600);
        if (expiresAt < now + (30 * 60) || expiresAt > now + (24 * 3600))
        {
            return Error(400, "invalid_request_error", "The `expires_at` timestamp must be between 30 minutes and 24 hours after Checkout Session creation.", param: "expires_at");
        }

        var session = StripeFixtures.Copy("checkout.session");
        var id = NewId("cs_test");
        session["id"] = id;
        session["created"] = now;
        session["expires_at"] = expiresAt;
        session["client_reference_id"] = request.Field("client_reference_id");
        session["success_url"] = request.Field("success_url");
        session["cancel_url"] = request.Field("cancel_url");
        session["currency"] = currency;
        session["amount_subtotal"] = unitAmount * quantity;
        session["amount_total"] = unitAmount * quantity;
        session["metadata"] = Map(request, "metadata");
        session["payment_intent"] = null;
        session["payment_status"] = "unpaid";
        session["status"] = "open";
        session["url"] = "https://checkout.stripe.com/c/pay/" + id;
        var methods = request.Fields.Where(f => f.Key.StartsWith("payment_method_types[", StringComparison.Ordinal)).Select(f => (JsonNode)JsonValue.Create(f.Value)).ToArray();
        session["payment_method_types"] = new JsonArray(methods.Length == 0 ? [JsonValue.Create("card")] : methods);
        _sessions[id] = session;
        return Ok(session);
    }

    private Answer CreateRefund(StripeRecordedRequest request)
    {
        var paymentIntentId = request.Field("payment_intent");
        if (string.IsNullOrEmpty(paymentIntentId))
        {
            return Error(400, "invalid_request_error", "One of the following params should be provided for this request: payment_intent or charge.", "parameter_missing", param: "payment_intent");
        }

        if (!_paymentIntents.TryGetValue(paymentIntentId, out var paymentIntent))
        {
            return Error(400, "invalid_request_error", $"No such payment_intent: '{paymentIntentId}'", "resource_missing", param: "payment_intent");
        }

        var remaining = paymentIntent.AmountMinor - paymentIntent.RefundedMinor;
        long amount;
        if (request.Field("amount") is { } text)
        {
            if (!long.TryParse(text, CultureInfo.InvariantCulture, out amount) || amount <= 0)
            {
                return Error(400, "invalid_request_error", "Invalid positive integer", param: "amount");
            }
        }
        else
        {
            amount = remaining;
        }

        if (remaining == 0)
        {
            return Error(400, "invalid_request_error", $"Charge {paymentIntent.ChargeId} has already been refunded.", "charge_already_refunded");
        }

        if (amount > remaining)
        {
            return Error(400, "invalid_request_error",
                string.Create(CultureInfo.InvariantCulture, $"Refund amount ({amount}) is greater than unrefunded amount on charge ({remaining})"), param: "amount");
        }

        var refund = StripeFixtures.Copy("refund");
        var id = NewId("re");
        refund["id"] = id;
        refund["amount"] = amount;
        refund["currency"] = paymentIntent.Currency;
        refund["payment_intent"] = paymentIntentId;
        refund["charge"] = paymentIntent.ChargeId;
        refund["balance_transaction"] = NewId("txn");
        refund["created"] = _clock.GetCurrentInstant().ToUnixTimeSeconds();
        refund["metadata"] = Map(request, "metadata");
        refund["status"] = "succeeded";
        _paymentIntents[paymentIntentId] = paymentIntent with { RefundedMinor = paymentIntent.RefundedMinor + amount };
        _refunds[id] = refund;
        return Ok(refund);
    }

    private Answer GetPaymentIntent(string id)
    {
        if (!_paymentIntents.TryGetValue(id, out var state))
        {
            return Error(404, "invalid_request_error", $"No such payment_intent: '{id}'", "resource_missing", param: "id");
        }

        var intent = StripeFixtures.Copy("payment_intent");
        intent["id"] = id;
        intent["amount"] = state.AmountMinor;
        intent["amount_received"] = state.AmountMinor;
        intent["currency"] = state.Currency;
        intent["status"] = "succeeded";
        intent["latest_charge"] = state.ChargeId;
        intent["last_payment_error"] = null;
        intent["canceled_at"] = null;
        return Ok(intent);
    }

    private Answer ListBalanceTransactions(StripeRecordedRequest request)
    {
        var limit = 10;
        if (request.Field("limit") is { } limitText && (!int.TryParse(limitText, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 100))
        {
            return Error(400, "invalid_request_error", "This value must be between 1 and 100.", param: "limit");
        }

        long? gte = long.TryParse(request.Field("created[gte]"), CultureInfo.InvariantCulture, out var g) ? g : null;
        long? lt = long.TryParse(request.Field("created[lt]"), CultureInfo.InvariantCulture, out var l) ? l : null;
        var payout = request.Field("payout");
        var matching = _balanceTransactions
            .Where(t => payout is null || t.PayoutId == payout)
            .Select(t => t.Transaction)
            .Where(t => (gte is null || t["created"]!.GetValue<long>() >= gte) && (lt is null || t["created"]!.GetValue<long>() < lt))
            .OrderByDescending(t => t["created"]!.GetValue<long>())
            .ThenByDescending(t => t["id"]!.GetValue<string>(), StringComparer.Ordinal)
            .ToList();
        var start = 0;
        if (request.Field("starting_after") is { } after)
        {
            var index = matching.FindIndex(t => t["id"]!.GetValue<string>() == after);
            if (index < 0)
            {
                return Error(400, "invalid_request_error", $"No such balance_transaction: '{after}'", "resource_missing", param: "starting_after");
            }

            start = index + 1;
        }

        var page = matching.Skip(start).Take(limit).Select(t => (JsonNode)t.DeepClone()).ToArray();
        return Ok(new JsonObject
        {
            ["object"] = "list",
            ["data"] = new JsonArray(page),
            ["has_more"] = start + page.Length < matching.Count,
            ["url"] = "/v1/balance_transactions",
        });
    }

    private Answer UpdateDispute(StripeRecordedRequest request, string id)
    {
        if (!_disputes.TryGetValue(id, out var dispute))
        {
            return Error(404, "invalid_request_error", $"No such dispute: '{id}'", "resource_missing", param: "id");
        }

        var status = dispute["status"]!.GetValue<string>();
        if (status is "won" or "lost" or "warning_closed")
        {
            return Error(400, "invalid_request_error", $"This dispute is already closed ({status}); evidence can no longer be updated.");
        }

        if (request.Field("evidence[uncategorized_text]") is { } text)
        {
            dispute["evidence"]!["uncategorized_text"] = text;
            dispute["evidence_details"]!["has_evidence"] = true;
        }

        if (request.Field("submit") == "true")
        {
            var details = dispute["evidence_details"]!;
            details["submission_count"] = details["submission_count"]!.GetValue<int>() + 1;
            dispute["status"] = status switch
            {
                "warning_needs_response" => "warning_under_review",
                "needs_response" => "under_review",
                _ => status,
            };
        }

        return Ok(dispute);
    }

    private static Answer Get(Dictionary<string, JsonObject> store, string id, string resource) =>
        store.TryGetValue(id, out var found)
            ? Ok(found)
            : Error(404, "invalid_request_error", $"No such {resource}: '{id}'", "resource_missing", param: "id");

    private static JsonObject Map(StripeRecordedRequest request, string key)
    {
        var map = new JsonObject();
        foreach (var (name, value) in request.Fields.Where(f => f.Key.StartsWith(key + "[", StringComparison.Ordinal) && f.Key.EndsWith(']')))
        {
            var inner = name[(key.Length + 1)..^1];
            if (!inner.Contains('[', StringComparison.Ordinal))
            {
                map[inner] = value;
            }
        }

        return map;
    }

    // Unique across peers as Stripe's ids are: the assembly's tests share one Azurite, and two peers naming the same charge
    // would join one test's entries to another's balance transactions.
    private string NewId(string prefix) =>
        prefix + "_" + Interlocked.Increment(ref _sequence).ToString("D8", CultureInfo.InvariantCulture) + "LocalPeer" + _instance;

    private static string Mask(string? authorization)
    {
        var key = authorization?.StartsWith("Bearer ", StringComparison.Ordinal) == true ? authorization[7..] : string.Empty;
        return key.Length < 8 ? "(none)" : key[..8] + "****" + key[^4..];
    }

    private static Answer Ok(JsonObject body) => new(200, body.DeepClone().AsObject(), []);

    private static Answer Error(int status, string type, string message, string? code = null, string? declineCode = null, string? param = null) =>
        new(status, new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["type"] = type,
                ["code"] = code,
                ["decline_code"] = declineCode,
                ["message"] = message,
                ["param"] = param,
                ["doc_url"] = code is null ? null : "https://docs.stripe.com/error-codes/" + code.Replace('_', '-'),
            },
        }, []);

    private sealed record Answer(int Status, JsonObject Body, IReadOnlyList<KeyValuePair<string, string>> Headers);

    private sealed record StoredAnswer(string Fingerprint, Answer Answer);

    private sealed record PaymentIntentState(long AmountMinor, string Currency, string ChargeId, long RefundedMinor = 0);

    private sealed record ScriptedFailure(
        string Method, string Path, int Status, string Type, string Message, string? Code, string? DeclineCode, string? Param, int? RetryAfterSeconds, bool? ShouldRetry)
    {
        public Answer ToAnswer()
        {
            var answer = Error(Status, Type, Message, Code, DeclineCode, Param);
            var headers = new List<KeyValuePair<string, string>>();
            if (RetryAfterSeconds is { } seconds)
            {
                headers.Add(new("Retry-After", seconds.ToString(CultureInfo.InvariantCulture)));
            }

            if (ShouldRetry is { } should)
            {
                headers.Add(new("Stripe-Should-Retry", should ? "true" : "false"));
            }

            return answer with { Headers = headers };
        }
    }
}
