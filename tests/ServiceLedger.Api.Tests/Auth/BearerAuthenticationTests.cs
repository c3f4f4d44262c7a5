using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NodaTime;
using ServiceLedger.Functions.Auth;

namespace ServiceLedger.Api.Tests.Auth;

/// <summary>Who gets in: tokens are checked for signature, issuer, audience and lifetime (on the injected clock).</summary>
public sealed class BearerAuthenticationTests(AuthProbeFactory app) : IClassFixture<AuthProbeFactory>
{
    private DateTimeOffset Now => app.Clock.GetUtcNow();

    private SecurityKeyHolder DevKey => new(app.Services.GetRequiredService<DevTokenIssuer>().SigningKey);

    [Fact]
    public async Task A_request_without_a_token_is_401_with_a_bearer_challenge_and_problem_details()
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync(new Uri("/api/me", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(401, problem.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task A_token_from_the_development_issuer_is_accepted()
    {
        using var client = app.CreateClientAs(CallerRole.Finance);

        using var response = await client.GetAsync(new Uri("/api/me", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task An_expired_token_is_401_on_the_injected_clock()
    {
        var token = app.MintToken(CallerRole.Finance, lifetime: TimeSpan.FromMinutes(10));
        using var client = app.CreateClientWithToken(token);
        Assert.Equal(HttpStatusCode.OK, await StatusOfMeAsync(client));

        // Ten minutes of lifetime plus one of clock skew, then one second more.
        app.Clock.Advance(Duration.FromMinutes(11) + Duration.FromSeconds(1));

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusOfMeAsync(client));
    }

    [Fact]
    public async Task A_token_just_past_expiry_is_still_accepted_within_the_clock_skew()
    {
        var token = app.MintToken(CallerRole.Finance, lifetime: TimeSpan.FromMinutes(10));
        using var client = app.CreateClientWithToken(token);

        app.Clock.Advance(Duration.FromMinutes(10) + Duration.FromSeconds(59));

        Assert.Equal(HttpStatusCode.OK, await StatusOfMeAsync(client));
    }

    [Fact]
    public async Task A_token_not_yet_valid_is_401()
    {
        var token = TokenForge.Create(DevKey.Key, Now + TimeSpan.FromMinutes(5));

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusOfMeAsync(token));
    }

    [Fact]
    public async Task A_token_for_another_audience_is_401_and_says_why()
    {
        var token = TokenForge.Create(DevKey.Key, Now, audience: "api://someone-else");
        using var client = app.CreateClientWithToken(token);

        using var response = await client.GetAsync(new Uri("/api/me", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Contains("invalid_token", challenge.Parameter, StringComparison.Ordinal);
        Assert.Contains("audience", challenge.Parameter, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_from_another_issuer_is_401_even_when_signed_with_the_development_key()
    {
        var token = TokenForge.Create(DevKey.Key, Now, issuer: "https://login.example.com/evil/v2.0");

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusOfMeAsync(token));
    }

    [Fact]
    public async Task A_token_signed_by_another_key_is_401()
    {
        var token = TokenForge.Create(TokenForge.StrangerKey(), Now);

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusOfMeAsync(token));
    }

    [Fact]
    public async Task A_token_whose_payload_was_altered_after_signing_is_401()
    {
        var parts = app.MintToken(CallerRole.Merchant, "mer_a").Split('.');
        var payload = Base64UrlDecode(parts[1]).Replace("mer_a", "mer_b", StringComparison.Ordinal);
        var tampered = $"{parts[0]}.{Base64UrlEncode(payload)}.{parts[2]}";

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusOfMeAsync(tampered));
    }

    [Fact]
    public async Task An_unsigned_token_is_401()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusOfMeAsync(TokenForge.Unsigned(Now)));
    }

    [Theory]
    [InlineData("not-a-jwt")]
    [InlineData("a.b.c")]
    public async Task A_malformed_token_is_401(string token)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusOfMeAsync(token));
    }

    [Fact]
    public async Task A_merchant_token_without_a_party_id_is_401_because_it_could_not_be_confined()
    {
        var token = TokenForge.Create(DevKey.Key, Now, roles: ["merchant"]);

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusOfMeAsync(token));
    }

    [Fact]
    public async Task A_token_granting_both_merchant_and_vendor_is_401()
    {
        var token = TokenForge.Create(DevKey.Key, Now, roles: ["merchant", "vendor"], partyId: "mer_a");

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusOfMeAsync(token));
    }

    [Fact]
    public async Task Another_authorization_scheme_is_401()
    {
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/me", UriKind.Relative));
        request.Headers.TryAddWithoutValidation("Authorization", "Basic dXNlcjpwYXNz");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private async Task<HttpStatusCode> StatusOfMeAsync(string token)
    {
        using var client = app.CreateClientWithToken(token);
        return await StatusOfMeAsync(client);
    }

    private static async Task<HttpStatusCode> StatusOfMeAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/api/me", UriKind.Relative));
        return response.StatusCode;
    }

    private static string Base64UrlDecode(string text) =>
        System.Text.Encoding.UTF8.GetString(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(text));

    private static string Base64UrlEncode(string text) => Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(text);

    private sealed record SecurityKeyHolder(Microsoft.IdentityModel.Tokens.SecurityKey Key);
}
