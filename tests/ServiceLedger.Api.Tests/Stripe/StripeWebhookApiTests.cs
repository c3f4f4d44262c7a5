using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using NodaTime;
using ServiceLedger.Functions.Adapters.Stripe;
using ServiceLedger.Functions.Adapters.Tables;
using ServiceLedger.Functions.Apis;
using ServiceLedger.Functions.Stripe;
using ServiceLedger.TestSupport.Stripe;

namespace ServiceLedger.Api.Tests.Stripe;

/// <summary>POST /api/stripe/webhook through the real app over Azurite: verify, store once, enqueue, answer.</summary>
[Collection(StripeEventsQueueTests.Name)]
public sealed class StripeWebhookApiTests(StripeWebhookFactory app) : IClassFixture<StripeWebhookFactory>
{
    private const string Path = "/api/stripe/webhook";

    [Fact]
    public async Task A_signed_event_is_stored_raw_once_enqueued_by_id_and_answered_200_without_any_bearer_token()
    {
        var (id, body) = Event("checkout.session.completed");

        using var response = await Deliver(body, Sign(body, StripeWebhookFactory.Secret));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await response.Content.ReadFromJsonAsync<StripeWebhookAnswer>();
        Assert.Equal(new StripeWebhookAnswer(id, Duplicate: false), answer);
        var stored = await app.Events.GetAsync(id, ReceiveStripeEvent.EventRowKey, null, default);
        Assert.NotNull(stored);
        Assert.Equal(body, ReceiveStripeEvent.BodyOf(stored));
        Assert.Equal("checkout.session.completed", stored.Get("Type").AsString());
        Assert.Equal(StripeOptions.ApiVersion, stored.Get("ApiVersion").AsString());
        Assert.True(stored.Get("Enqueued").AsBoolean());
        Assert.Equal([ReceiveStripeEvent.QueueMessageFor(id)], (await app.DrainQueueAsync()).Where(m => m.Contains(id, StringComparison.Ordinal)));
        Assert.Equal($$"""{"eventId":"{{id}}"}""", ReceiveStripeEvent.QueueMessageFor(id));
    }

    [Fact]
    public async Task A_header_made_by_stripes_own_npm_package_is_accepted_by_the_endpoint()
    {
        var (id, body) = Event("payment_intent.succeeded");
        var timestamp = app.Clock.Now.ToUnixTimeSeconds();
        var input = new JsonObject
        {
            ["sign"] = new JsonArray(new JsonObject
            {
                ["name"] = "live",
                ["payload"] = body,
                ["secrets"] = new JsonArray(StripeWebhookFactory.Secret),
                ["timestamp"] = timestamp,
                ["v0Secret"] = StripeWebhookFactory.Secret,
            }),
        };
        using var output = JsonDocument.Parse(await StripeNodeScript.RunAsync("tests/ServiceLedger.Integration.Tests/Stripe/make-signatures.mjs", input.ToJsonString()));

        using var response = await Deliver(body, output.RootElement.GetProperty("signed").GetProperty("live").GetString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(await app.Events.GetAsync(id, ReceiveStripeEvent.EventRowKey, null, default));
        await app.DrainQueueAsync();
    }

    [Fact]
    public async Task The_same_event_delivered_five_times_is_stored_once_and_enqueued_once_and_every_delivery_gets_200()
    {
        var (id, body) = Event("charge.refunded");
        var answers = new List<StripeWebhookAnswer?>();

        for (var delivery = 0; delivery < 5; delivery++)
        {
            // Every delivery is signed afresh, as Stripe does: dedupe can only be by event id.
            app.Clock.Advance(Duration.FromMinutes(7));
            using var response = await Deliver(body, Sign(body, StripeWebhookFactory.Secret));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            answers.Add(await response.Content.ReadFromJsonAsync<StripeWebhookAnswer>());
        }

        Assert.Equal([false, true, true, true, true], answers.Select(a => a!.Duplicate));
        Assert.Single(await app.DrainQueueAsync(), m => m.Contains(id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task During_secret_rotation_a_delivery_signed_only_with_the_old_secret_is_accepted()
    {
        var (id, body) = Event("payout.paid");

        using var response = await Deliver(body, Sign(body, StripeWebhookFactory.OldSecret));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(await app.Events.GetAsync(id, ReceiveStripeEvent.EventRowKey, null, default));
        await app.DrainQueueAsync();
    }

    [Fact]
    public async Task An_event_of_a_type_we_do_not_handle_is_still_stored_and_acknowledged()
    {
        var (id, body) = Event("radar.early_fraud_warning.created");

        using var response = await Deliver(body, Sign(body, StripeWebhookFactory.Secret));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("radar.early_fraud_warning.created", (await app.Events.GetAsync(id, ReceiveStripeEvent.EventRowKey, null, default))!.Get("Type").AsString());
        await app.DrainQueueAsync();
    }

    [Fact]
    public async Task A_tampered_body_answers_400_naming_the_signature_and_stores_and_enqueues_nothing()
    {
        var (id, body) = Event("checkout.session.completed");
        var header = Sign(body, StripeWebhookFactory.Secret);

        using var response = await Deliver(body.Replace("150000", "1", StringComparison.Ordinal), header);

        await AssertRefused(response, HttpStatusCode.BadRequest, "StripeSignatureMismatch", StripeWebhookSignature.HeaderName, id);
    }

    [Fact]
    public async Task A_delivery_without_a_signature_header_answers_400_and_stores_nothing()
    {
        var (id, body) = Event("checkout.session.completed");

        using var response = await Deliver(body, header: null);

        await AssertRefused(response, HttpStatusCode.BadRequest, "StripeSignatureMissingHeader", StripeWebhookSignature.HeaderName, id);
    }

    [Fact]
    public async Task A_delivery_signed_with_another_endpoints_secret_answers_400()
    {
        var (id, body) = Event("checkout.session.completed");

        using var response = await Deliver(body, Sign(body, "whsec_not_ours"));

        await AssertRefused(response, HttpStatusCode.BadRequest, "StripeSignatureMismatch", StripeWebhookSignature.HeaderName, id);
    }

    [Fact]
    public async Task A_replay_of_a_genuine_delivery_after_the_tolerance_answers_400_and_stores_nothing()
    {
        var (id, body) = Event("checkout.session.completed");
        var header = Sign(body, StripeWebhookFactory.Secret);
        app.Clock.Advance(Duration.FromSeconds(StripeWebhookSignature.DefaultToleranceSeconds + 1));

        using var response = await Deliver(body, header);

        await AssertRefused(response, HttpStatusCode.BadRequest, "StripeSignatureOutsideTolerance", StripeWebhookSignature.HeaderName, id);
    }

    [Fact]
    public async Task A_signed_body_that_is_not_a_stripe_event_answers_400_naming_the_body()
    {
        const string body = """{"object":"event","type":"checkout.session.completed"}""";

        using var response = await Deliver(body, Sign(body, StripeWebhookFactory.Secret));

        var problem = await AssertProblem(response, HttpStatusCode.BadRequest, "StripeEventUnreadable");
        Assert.True(problem.GetProperty("errors").TryGetProperty("$", out _));
    }

    [Fact]
    public async Task A_body_over_the_limit_answers_413_before_any_signature_work()
    {
        var body = "{\"id\":\"evt_big\",\"type\":\"x\",\"pad\":\"" + new string('a', ReceiveStripeEvent.MaxBodyBytes) + "\"}";

        using var response = await Deliver(body, Sign(body, StripeWebhookFactory.Secret));

        await AssertProblem(response, HttpStatusCode.RequestEntityTooLarge, "StripeEventTooLarge");
        Assert.Null(await app.Events.GetAsync("evt_big", ReceiveStripeEvent.EventRowKey, null, default));
    }

    [Fact]
    public async Task A_delivery_that_was_stored_but_never_enqueued_is_enqueued_by_the_next_delivery()
    {
        // As if an earlier delivery crashed between the insert and the enqueue.
        var (id, body) = Event("checkout.session.async_payment_succeeded");
        await app.Events.InsertAsync(
            new TableEntity(id, ReceiveStripeEvent.EventRowKey, [new("Type", "checkout.session.async_payment_succeeded"), new("Enqueued", false), new("BodyChunks", 1), new("Body0", body)]),
            default);

        using var response = await Deliver(body, Sign(body, StripeWebhookFactory.Secret));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(await app.DrainQueueAsync(), m => m.Contains(id, StringComparison.Ordinal));
        Assert.True((await app.Events.GetAsync(id, ReceiveStripeEvent.EventRowKey, null, default))!.Get("Enqueued").AsBoolean());
    }

    private static (string Id, string Body) Event(string type)
    {
        var id = "evt_" + Guid.NewGuid().ToString("N");
        var body = $$$"""{"id":"{{{id}}}","object":"event","api_version":"{{{StripeOptions.ApiVersion}}}","created":1793581200,"data":{"object":{"id":"cs_test_1","object":"checkout.session","amount_total":150000,"currency":"eur","client_reference_id":"ctr_42","payment_status":"paid"}},"livemode":false,"pending_webhooks":1,"request":{"id":null,"idempotency_key":null},"type":"{{{type}}}"}""";
        return (id, body);
    }

    private string Sign(string body, string secret)
    {
        var timestamp = app.Clock.Now.ToUnixTimeSeconds();
        return $"t={timestamp},v1={StripeWebhookSignature.ComputeV1(secret, timestamp, Encoding.UTF8.GetBytes(body))}";
    }

    private async Task<HttpResponseMessage> Deliver(string body, string? header)
    {
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, Path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (header is not null)
        {
            request.Headers.TryAddWithoutValidation(StripeWebhookSignature.HeaderName, header);
        }

        return await client.SendAsync(request);
    }

    private async Task AssertRefused(HttpResponseMessage response, HttpStatusCode status, string code, string field, string eventId)
    {
        var problem = await AssertProblem(response, status, code);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
        Assert.Null(await app.Events.GetAsync(eventId, ReceiveStripeEvent.EventRowKey, null, default));
        Assert.DoesNotContain(await app.DrainQueueAsync(), m => m.Contains(eventId, StringComparison.Ordinal));
    }

    private static async Task<JsonElement> AssertProblem(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(code, problem.GetProperty("code").GetString());
        return problem;
    }
}
