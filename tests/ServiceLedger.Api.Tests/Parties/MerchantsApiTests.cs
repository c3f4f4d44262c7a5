using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ServiceLedger.Functions.Auth;
using ServiceLedger.Functions.Parties;
using ServiceLedger.TestSupport.Api;
using ServiceLedger.TestSupport.Parties;

namespace ServiceLedger.Api.Tests.Parties;

public sealed class MerchantsApiTests(ApiFactory app) : IClassFixture<ApiFactory>
{
    private static readonly Uri Merchants = new("/api/merchants", UriKind.Relative);

    private HttpClient Newcomer() => app.CreateClientWithToken(app.MintToken([], null));

    private static async Task<MerchantResponse> SignUpAsync(HttpClient client, object form)
    {
        using var response = await client.PostAsJsonAsync(Merchants, form);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var merchant = (await response.Content.ReadFromJsonAsync<MerchantResponse>())!;
        Assert.Equal($"/api/merchants/{merchant.Id}", response.Headers.Location?.ToString());
        return merchant;
    }

    [Fact]
    public async Task A_signed_in_newcomer_signs_up_and_then_sees_its_merchant_with_its_own_token()
    {
        using var newcomer = Newcomer();
        var merchant = await SignUpAsync(newcomer, PartySamples.SignUp());

        using var own = app.CreateClientAs(CallerRole.Merchant, merchant.Id);
        var read = await own.GetFromJsonAsync<MerchantResponse>(new Uri($"/api/merchants/{merchant.Id}", UriKind.Relative));

        Assert.StartsWith("mer_", merchant.Id, StringComparison.Ordinal);
        Assert.Equal("杭州好物电子商务有限公司", read!.LegalName);
        Assert.Equal("Asia/Shanghai", read.TimeZone);
        Assert.Equal("CNY", read.BillingCurrency);
    }

    [Theory]
    [InlineData(CallerRole.Finance)]
    [InlineData(CallerRole.Approver)]
    public async Task Staff_see_any_merchant(CallerRole role)
    {
        using var newcomer = Newcomer();
        var merchant = await SignUpAsync(newcomer, PartySamples.SignUp());
        using var staff = app.CreateClientAs(role);

        using var response = await staff.GetAsync(new Uri($"/api/merchants/{merchant.Id}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Another_merchant_gets_404_and_a_vendor_403_and_no_token_401()
    {
        using var newcomer = Newcomer();
        var merchant = await SignUpAsync(newcomer, PartySamples.SignUp());
        var path = new Uri($"/api/merchants/{merchant.Id}", UriKind.Relative);
        using var foreign = app.CreateClientAs(CallerRole.Merchant, "mer_0000000000000");
        using var vendor = app.CreateClientAs(CallerRole.Vendor, "ven_0000000000000");
        using var anonymous = app.CreateClient();

        Assert.Equal(HttpStatusCode.NotFound, (await foreign.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await vendor.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync(Merchants, PartySamples.SignUp())).StatusCode);
    }

    [Fact]
    public async Task A_second_sign_up_with_a_taken_shop_answers_409_naming_the_shop()
    {
        var shopId = PartySamples.UniqueShopId();
        using var newcomer = Newcomer();
        await SignUpAsync(newcomer, PartySamples.SignUp(("Tmall", shopId)));

        using var response = await newcomer.PostAsJsonAsync(Merchants, PartySamples.SignUp(("JD", PartySamples.UniqueShopId()), ("Tmall", shopId.ToUpperInvariant())));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("ShopAlreadySignedUp", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("shops[1]", out _));
        Assert.Contains(shopId.ToUpperInvariant(), problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_input_answers_400_naming_each_field()
    {
        using var newcomer = Newcomer();

        using var response = await newcomer.PostAsJsonAsync(Merchants, PartySamples.SignUp() with
        {
            LegalName = "",
            Contact = PartySamples.Contact with { Email = "nope" },
            BillingCurrency = "XXX",
            TimeZone = "Mars/Olympus",
        });
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var fields = problem.GetProperty("errors").EnumerateObject().Select(field => field.Name).ToArray();
        Assert.Equal(["billingCurrency", "contact.email", "legalName", "timeZone"], fields);
    }

    [Fact]
    public async Task A_retried_sign_up_with_the_same_idempotency_key_answers_the_same_merchant()
    {
        using var newcomer = Newcomer();
        var form = PartySamples.SignUp();
        var key = Guid.NewGuid().ToString("N");

        using var first = new HttpRequestMessage(HttpMethod.Post, Merchants) { Content = JsonContent.Create(form) };
        first.Headers.Add("Idempotency-Key", key);
        using var second = new HttpRequestMessage(HttpMethod.Post, Merchants) { Content = JsonContent.Create(form) };
        second.Headers.Add("Idempotency-Key", key);
        using var created = await newcomer.SendAsync(first);
        using var again = await newcomer.SendAsync(second);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(
            (await created.Content.ReadFromJsonAsync<MerchantResponse>())!.Id,
            (await again.Content.ReadFromJsonAsync<MerchantResponse>())!.Id);
    }

    [Fact]
    public async Task A_caller_who_already_is_a_merchant_cannot_sign_up_again()
    {
        using var merchant = app.CreateClientAs(CallerRole.Merchant, "mer_0000000000000");

        using var response = await merchant.PostAsJsonAsync(Merchants, PartySamples.SignUp());

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
