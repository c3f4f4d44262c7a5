using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Functions.Apis;
using ServiceLedger.Functions.Auth;
using ServiceLedger.Functions.Configuration;
using ServiceLedger.Functions.Contracts;
using ServiceLedger.Functions.Hosting;
using ServiceLedger.Functions.Ledger;
using ServiceLedger.Functions.Parties;
using ServiceLedger.TestSupport.Api;
using ServiceLedger.TestSupport.Contracts;
using ServiceLedger.TestSupport.Parties;
using ServiceLedger.TestSupport.Stripe;

namespace ServiceLedger.Api.Tests.Deposits;

/// <summary>
/// The whole app over Azurite with the local Stripe peer as Stripe, a webhook secret and checkout URLs: merchants sign
/// up and vendors are certified through the real endpoints, so a test walks the product's path from sign-up to an
/// active contract. Helpers deliver signed webhooks and play the Functions host (the trigger pump, or POST /ApplyStripeEvent).
/// </summary>
public sealed class DepositsFactory : ApiFactory
{
    /// <summary>The webhook signing secret.</summary>
    public const string WebhookSecret = "whsec_deposits_tests_1b7e";

    private int _eventSequence;

    /// <summary>The local Stripe peer the app calls.</summary>
    public LocalStripe Stripe { get; private set; } = null!;

    /// <inheritdoc />
    public override async Task InitializeAsync()
    {
        Stripe = await LocalStripe.StartAsync(Clock);
        await base.InitializeAsync();
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Stripe.DisposeAsync();
    }

    /// <summary>A merchant signed up, a vendor applied and certified, a contract drafted, submitted, approved and signed by both: answers it and the parties.</summary>
    public async Task<(ContractView Contract, string MerchantId, string VendorId)> SignedContractAsync()
    {
        using var newcomer = CreateClientWithToken(MintToken([], null));
        using var signUp = await newcomer.PostAsJsonAsync("/api/merchants", PartySamples.SignUp());
        Assert.Equal(HttpStatusCode.Created, signUp.StatusCode);
        var merchant = (await signUp.Content.ReadFromJsonAsync<MerchantResponse>())!;
        using var apply = await newcomer.PostAsJsonAsync("/api/vendors", PartySamples.Application());
        Assert.Equal(HttpStatusCode.Created, apply.StatusCode);
        var vendor = (await apply.Content.ReadFromJsonAsync<VendorResponse>())!;
        using var approver = CreateClientAs(CallerRole.Approver);
        await Expect(HttpStatusCode.OK, approver.PostAsJsonAsync($"/api/vendors/{vendor.Id}/certify", new CertificationChangeRequest("Licence and ISO certificate checked")));

        using var merchantClient = CreateClientAs(CallerRole.Merchant, merchant.Id);
        using var vendorClient = CreateClientAs(CallerRole.Vendor, vendor.Id);
        using var finance = CreateClientAs(CallerRole.Finance);
        using var draft = await merchantClient.PostAsJsonAsync("/api/contracts", new DraftContractRequest(null, vendor.Id, SampleTerms.Input));
        Assert.Equal(HttpStatusCode.Created, draft.StatusCode);
        var path = $"/api/contracts/{(await draft.Content.ReadFromJsonAsync<ContractView>(ContractJson.Options))!.Id}";
        await Expect(HttpStatusCode.OK, merchantClient.PostAsync(path + "/submit", null));
        await Expect(HttpStatusCode.OK, approver.PostAsync(path + "/approvals", null));
        await Expect(HttpStatusCode.OK, finance.PostAsync(path + "/approvals", null));
        await Expect(HttpStatusCode.OK, merchantClient.PostAsJsonAsync(path + "/signatures", new { }));
        await Expect(HttpStatusCode.OK, vendorClient.PostAsJsonAsync(path + "/signatures", new { }));
        var contract = await ContractAsync(path[("/api/contracts/".Length)..]);
        Assert.Equal("Signed", contract.Status);
        return (contract, merchant.Id, vendor.Id);
    }

    /// <summary>The contract as finance reads it.</summary>
    public async Task<ContractView> ContractAsync(string contractId)
    {
        using var finance = CreateClientAs(CallerRole.Finance);
        return (await finance.GetFromJsonAsync<ContractView>($"/api/contracts/{contractId}", ContractJson.Options))!;
    }

    /// <summary>The deposit register as finance reads it.</summary>
    public async Task<DepositRegisterView> RegisterAsync(string contractId)
    {
        using var finance = CreateClientAs(CallerRole.Finance);
        return (await finance.GetFromJsonAsync<DepositRegisterView>($"/api/contracts/{contractId}/deposit"))!;
    }

    /// <summary>A fresh event id.</summary>
    public string NewEventId() => $"evt_deposits_{Guid.NewGuid():N}_{Interlocked.Increment(ref _eventSequence)}";

    /// <summary>An event as Stripe would send it, wrapping <paramref name="dataObject"/>.</summary>
    public (string Id, string Body) Event(string type, JsonObject dataObject, string? id = null)
    {
        var eventId = id ?? NewEventId();
        return (eventId, Stripe.EventJson(eventId, type, dataObject));
    }

    /// <summary>Delivers <paramref name="body"/> to the webhook, signed now with the app's secret; asserts 200.</summary>
    public async Task DeliverAsync(string body)
    {
        using var client = CreateClient();
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/stripe/webhook") { Content = content };
        request.Headers.Add("Stripe-Signature", Stripe.SignatureHeader(body, WebhookSecret));
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>Runs the local trigger pump until a pass does nothing (at most 20 passes): what the Functions host would do with the queue.</summary>
    public async Task PumpAsync()
    {
        var pump = Services.GetRequiredService<LocalTriggerPump>();
        for (var pass = 0; pass < 20; pass++)
        {
            if (!(await pump.RunOnceAsync(CancellationToken.None)).DidWork)
            {
                return;
            }
        }

        throw new InvalidOperationException("The trigger pump still had work after 20 passes.");
    }

    /// <summary>Invokes ApplyStripeEvent for <paramref name="eventId"/> as the Functions host does (POST /ApplyStripeEvent); answers the status.</summary>
    public async Task<HttpStatusCode> InvokeApplyAsync(string eventId)
    {
        using var client = CreateClient();
        var message = System.Text.Json.JsonSerializer.Serialize($$"""{"eventId":"{{eventId}}"}""");
        using var content = new StringContent($$$"""{"Data":{"message":{{{message}}}},"Metadata":{"Id":"{{{Guid.NewGuid()}}}","DequeueCount":"1"}}""", Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("/ApplyStripeEvent", content);
        return response.StatusCode;
    }

    /// <summary>Every entry of the contract's book.</summary>
    public async Task<IReadOnlyList<JournalEntry>> BookAsync(string contractId) =>
        (await Services.GetRequiredService<LedgerService>().ReadEntriesAsync(BookId.ForContract(contractId), SequenceRange.All, PageRequest.First, CancellationToken.None)).Items;

    /// <inheritdoc />
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting(AppSettings.StripeWebhookSecret, WebhookSecret);
        builder.UseSetting(AppSettings.StripeSecretKey, Stripe.SecretKey);
        builder.UseSetting(AppSettings.StripeApiBase, Stripe.ApiBase.ToString());
        builder.UseSetting(AppSettings.DepositsCheckoutSuccessUrl, "https://merchant.example/deposit/paid?session_id={CHECKOUT_SESSION_ID}");
        builder.UseSetting(AppSettings.DepositsCheckoutCancelUrl, "https://merchant.example/deposit/cancelled");
    }

    private static async Task Expect(HttpStatusCode status, Task<HttpResponseMessage> sending)
    {
        using var response = await sending;
        Assert.True(response.StatusCode == status, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}
