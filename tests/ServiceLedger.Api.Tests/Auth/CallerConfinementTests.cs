using System.Net;
using System.Net.Http.Json;
using ServiceLedger.Functions.Apis;
using ServiceLedger.Functions.Auth;

namespace ServiceLedger.Api.Tests.Auth;

/// <summary>What a caller may do once in: roles gate endpoints (403), tenants see only their own (404).</summary>
public sealed class CallerConfinementTests(AuthProbeFactory app) : IClassFixture<AuthProbeFactory>
{
    [Theory]
    [InlineData(CallerRole.Merchant, "mer_a")]
    [InlineData(CallerRole.Vendor, "ven_a")]
    [InlineData(CallerRole.Approver, null)]
    public async Task A_caller_without_the_endpoints_role_is_403(CallerRole role, string? partyId)
    {
        using var client = app.CreateClientAs(role, partyId);

        using var response = await client.GetAsync(new Uri("/api/test/finance-only", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_caller_with_the_endpoints_role_is_let_in()
    {
        using var client = app.CreateClientAs(CallerRole.Finance);

        using var response = await client.GetAsync(new Uri("/api/test/finance-only", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_token_with_no_known_role_is_403()
    {
        using var client = app.CreateClientWithToken(TokenForge.Create(
            app.Services.GetRequiredService<DevTokenIssuer>().SigningKey, app.Clock.GetUtcNow(), roles: ["Finance", "admin"]));

        using var response = await client.GetAsync(new Uri("/api/me", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData(CallerRole.Merchant, "mer_a", "mer_b")]
    [InlineData(CallerRole.Vendor, "ven_a", "ven_b")]
    [InlineData(CallerRole.Merchant, "mer_a", "MER_A")]
    public async Task A_tenant_asking_for_another_tenants_resource_gets_404_not_403(CallerRole role, string own, string foreign)
    {
        using var client = app.CreateClientAs(role, own);

        using var response = await client.GetAsync(new Uri($"/api/test/parties/{foreign}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData(CallerRole.Merchant, "mer_a")]
    [InlineData(CallerRole.Vendor, "ven_a")]
    public async Task A_tenant_sees_its_own_resource(CallerRole role, string own)
    {
        using var client = app.CreateClientAs(role, own);

        Assert.Equal(own, await client.GetFromJsonAsync<string>(new Uri($"/api/test/parties/{own}", UriKind.Relative)));
    }

    [Theory]
    [InlineData(CallerRole.Finance)]
    [InlineData(CallerRole.Approver)]
    public async Task Staff_see_every_tenant(CallerRole role)
    {
        using var client = app.CreateClientAs(role);

        Assert.Equal("mer_b", await client.GetFromJsonAsync<string>(new Uri("/api/test/parties/mer_b", UriKind.Relative)));
        Assert.Equal("ven_b", await client.GetFromJsonAsync<string>(new Uri("/api/test/parties/ven_b", UriKind.Relative)));
    }

    [Fact]
    public async Task Me_reports_a_merchants_role_and_party()
    {
        using var client = app.CreateClientAs(CallerRole.Merchant, "mer_acme");

        var me = await client.GetFromJsonAsync<MeResponse>(new Uri("/api/me", UriKind.Relative));

        Assert.NotNull(me);
        Assert.Equal(["merchant"], me.Roles);
        Assert.Equal("mer_acme", me.PartyId);
    }

    [Fact]
    public async Task Me_reports_staff_roles_without_a_party()
    {
        using var client = app.CreateClientWithToken(app.MintToken([CallerRole.Approver, CallerRole.Finance], partyId: null));

        var me = await client.GetFromJsonAsync<MeResponse>(new Uri("/api/me", UriKind.Relative));

        Assert.NotNull(me);
        Assert.Equal(["finance", "approver"], me.Roles);
        Assert.Null(me.PartyId);
    }
}
