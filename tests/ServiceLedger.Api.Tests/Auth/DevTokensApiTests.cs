using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ServiceLedger.Functions.Apis;

namespace ServiceLedger.Api.Tests.Auth;

/// <summary>POST /api/dev/tokens: how a newcomer gets a token on a local run.</summary>
public sealed class DevTokensApiTests(AuthProbeFactory app) : IClassFixture<AuthProbeFactory>
{
    private static readonly Uri Tokens = new("/api/dev/tokens", UriKind.Relative);

    [Fact]
    public async Task A_minted_merchant_token_calls_the_api_as_that_merchant()
    {
        using var anonymous = app.CreateClient();
        using var minted = await anonymous.PostAsJsonAsync(Tokens, new DevTokenRequest("merchant", "mer_acme", 15));
        var token = await minted.Content.ReadFromJsonAsync<DevTokenResponse>();
        Assert.NotNull(token);
        Assert.Equal("Bearer", token.TokenType);
        Assert.Equal(app.Clock.GetUtcNow().AddMinutes(15), token.ExpiresAt);

        using var client = app.CreateClientWithToken(token.AccessToken);
        var me = await client.GetFromJsonAsync<MeResponse>(new Uri("/api/me", UriKind.Relative));

        Assert.NotNull(me);
        Assert.Equal(["merchant"], me.Roles);
        Assert.Equal("mer_acme", me.PartyId);
    }

    [Theory]
    [InlineData("boss", null, null, "role")]
    [InlineData(null, null, null, "role")]
    [InlineData("Finance", null, null, "role")]
    [InlineData("merchant", null, null, "partyId")]
    [InlineData("vendor", "ven/1", null, "partyId")]
    [InlineData("finance", "mer_a", null, "partyId")]
    [InlineData("finance", null, 0, "lifetimeMinutes")]
    [InlineData("finance", null, 721, "lifetimeMinutes")]
    public async Task A_bad_request_is_400_naming_the_field(string? role, string? partyId, int? lifetimeMinutes, string field)
    {
        using var client = app.CreateClient();

        using var response = await client.PostAsJsonAsync(Tokens, new DevTokenRequest(role, partyId, lifetimeMinutes));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var messages), problem.ToString());
        Assert.NotEqual(0, messages.GetArrayLength());
        Assert.StartsWith("urn:serviceledger:problem:", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_longest_allowed_lifetime_is_accepted()
    {
        using var client = app.CreateClient();

        using var response = await client.PostAsJsonAsync(Tokens, new DevTokenRequest("approver", null, DevTokensApi.MaxLifetimeMinutes));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
