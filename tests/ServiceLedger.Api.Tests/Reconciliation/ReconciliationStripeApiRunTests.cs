using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using ServiceLedger.Api.Tests.Deposits;
using ServiceLedger.Api.Tests.Stripe;
using ServiceLedger.Domain.Deposits;
using ServiceLedger.Domain.Reconciliation;
using ServiceLedger.Functions.Apis;
using ServiceLedger.Functions.Auth;

namespace ServiceLedger.Api.Tests.Reconciliation;

/// <summary>
/// An API-sourced run: the app fetches balance transactions through its Stripe client from the local Stripe peer, and the
/// deposit that the webhook booked — naming its Checkout Session and, read from the PaymentIntent, the charge that paid
/// it — joins Stripe's charge by id. A charge no webhook ever booked is the one exception about these Stripe objects.
/// </summary>
[Collection(StripeEventsQueueTests.Name)]
public sealed class ReconciliationStripeApiRunTests(DepositsFactory app) : IClassFixture<DepositsFactory>
{
    [Fact]
    public async Task An_api_run_fetches_stripe_joins_the_deposit_to_its_charge_by_id_and_finds_the_charge_no_webhook_booked()
    {
        var (contract, merchantId, _) = await app.SignedContractAsync();
        using var merchant = app.CreateClientAs(CallerRole.Merchant, merchantId);
        using var checkoutResponse = await merchant.PostAsync($"/api/contracts/{contract.Id}/deposit/checkout", null);
        var checkout = (await checkoutResponse.Content.ReadFromJsonAsync<CheckoutView>())!;
        var session = app.Stripe.CompleteCheckoutSession(checkout.SessionId!);
        var chargeId = app.Stripe.ChargeOf(session["payment_intent"]!.GetValue<string>());
        await app.DeliverAsync(app.Event("checkout.session.completed", session).Body);
        await app.PumpAsync();

        var deposit = Assert.Single(await app.BookAsync(contract.Id));
        Assert.Equal($"stripe:{checkout.SessionId}:paid", deposit.IdempotencyKey.Value);
        Assert.Contains(deposit.References, reference => reference.Kind == StripeLedgerEntries.ChargeReferenceKind && reference.Value == chargeId);
        Assert.Equal(chargeId, Assert.Single(LedgerItems.From([deposit])).StripeObjectId);

        // Stripe's side: the deposit's charge (its fee booked from charge.succeeded, as in production) and a charge whose
        // webhook never arrived.
        var suffix = Guid.NewGuid().ToString("N")[..10];
        var amountMinor = (long)(decimal.Parse(contract.Figures!.Deposit.Amount, CultureInfo.InvariantCulture) * 100m);
        var transaction = app.Stripe.AddBalanceTransaction($"txn_dep{suffix}", amountMinor, 870, "cny", "charge", "charge", chargeId, app.Clock.Now);
        var missedCharge = $"ch_missed{suffix}";
        app.Stripe.AddBalanceTransaction($"txn_missed{suffix}", 25_000, 755, "cny", "charge", "charge", missedCharge, app.Clock.Now);
        await app.DeliverAsync(app.Event("charge.succeeded", new JsonObject { ["id"] = chargeId, ["object"] = "charge", ["balance_transaction"] = transaction }).Body);
        await app.PumpAsync();

        using var finance = app.CreateClientAs(CallerRole.Finance);
        using var started = await finance.PostAsJsonAsync("/api/reconciliations", new { period = app.Clock.Now.InUtc().Date.ToString("yyyy-MM", CultureInfo.InvariantCulture), stripeSource = "api" });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var runId = JsonDocument.Parse(await started.Content.ReadAsStringAsync()).RootElement.GetProperty("runId").GetString()!;
        await app.PumpAsync();

        var run = await GetAsync(finance, $"/api/reconciliations/{runId}");
        Assert.Equal("completed", run.GetProperty("status").GetString());
        Assert.NotEmpty(app.Stripe.RequestsTo("/v1/balance_transactions"));
        var exceptions = (await GetAsync(finance, $"/api/reconciliations/{runId}/exceptions")).EnumerateArray().ToArray();
        var ours = exceptions.Where(exception => Mentions(exception, chargeId) || Mentions(exception, deposit.Id.ToString()) || Mentions(exception, missedCharge)).ToArray();
        var missed = Assert.Single(ours);
        Assert.Equal(("InStripeOnly", missedCharge), (missed.GetProperty("kind").GetString(), missed.GetProperty("subject").GetString()));
        Assert.Equal([$"txn_missed{suffix}"], missed.GetProperty("left").GetProperty("refs").EnumerateArray().Select(reference => reference.GetString()));
    }

    private static bool Mentions(JsonElement exception, string id) =>
        exception.GetProperty("subject").GetString() == id
        || exception.GetProperty("left").GetProperty("refs").EnumerateArray().Concat(exception.GetProperty("right").GetProperty("refs").EnumerateArray())
            .Any(reference => reference.GetString()!.Contains(id, StringComparison.Ordinal));

    private static async Task<JsonElement> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
