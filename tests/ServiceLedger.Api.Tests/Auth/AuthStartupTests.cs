using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using ServiceLedger.Functions.Apis;
using ServiceLedger.Functions.Configuration;

namespace ServiceLedger.Api.Tests.Auth;

/// <summary>How the app is configured for auth outside Development, and what it refuses to start with.</summary>
public sealed class AuthStartupTests
{
    private const string TenantIssuer = "https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0";
    private const string ApiClientId = "6b3c1f0e-8d1a-4c5e-9f2b-7a6d5e4c3b2a";

    private static readonly Dictionary<string, string?> EntraSettings = new()
    {
        [AppSettings.AuthAuthority] = TenantIssuer,
        [AppSettings.AuthAudience] = ApiClientId,
    };

    [Fact]
    public void The_development_issuer_is_refused_outside_Development()
    {
        var failure = Assert.Throws<OptionsValidationException>(() => HostedAppFactory.Start(() => new HostedAppFactory("Production", new Dictionary<string, string?>(EntraSettings)
        {
            [AppSettings.AuthDevIssuerEnabled] = "true",
        })));

        Assert.Contains("development token issuer", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Production", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public void Outside_Development_the_app_refuses_to_start_without_an_authority_and_audience(string environment)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => HostedAppFactory.Start(() => new HostedAppFactory(environment, new Dictionary<string, string?>())));

        Assert.Contains(AppSettings.AuthAuthority, failure.Message, StringComparison.Ordinal);
        Assert.Contains(AppSettings.AuthAudience, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_authority_that_is_not_https_is_refused()
    {
        var failure = Assert.Throws<OptionsValidationException>(() => HostedAppFactory.Start(() => new HostedAppFactory("Production", new Dictionary<string, string?>(EntraSettings)
        {
            [AppSettings.AuthAuthority] = "http://login.example.com/tenant/v2.0",
        })));

        Assert.Contains("https", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_token_endpoint_does_not_exist_in_Production()
    {
        using var entra = new EntraStandIn();
        using var app = entra.App();
        using var client = app.CreateClient();

        using var response = await client.PostAsJsonAsync(new Uri("/api/dev/tokens", UriKind.Relative), new DevTokenRequest("finance", null, null));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task An_Entra_token_signed_with_a_metadata_key_for_our_audience_is_accepted()
    {
        using var entra = new EntraStandIn();
        using var app = entra.App();
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", TokenForge.Create(
            entra.Key, app.Clock.GetUtcNow(), issuer: TenantIssuer, audience: ApiClientId, roles: ["vendor"], partyId: "ven_7"));

        var me = await client.GetFromJsonAsync<MeResponse>(new Uri("/api/me", UriKind.Relative));

        Assert.NotNull(me);
        Assert.Equal(["vendor"], me.Roles);
        Assert.Equal("ven_7", me.PartyId);
    }

    [Theory]
    [InlineData("https://login.microsoftonline.com/99999999-2222-3333-4444-555555555555/v2.0", ApiClientId)]
    [InlineData(TenantIssuer, "api://serviceledger-dev")]
    public async Task An_Entra_token_from_another_tenant_or_for_another_audience_is_401(string issuer, string audience)
    {
        using var entra = new EntraStandIn();
        using var app = entra.App();
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", TokenForge.Create(entra.Key, app.Clock.GetUtcNow(), issuer: issuer, audience: audience));

        using var response = await client.GetAsync(new Uri("/api/me", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Outside_Development_a_token_with_the_development_issuer_is_401()
    {
        using var entra = new EntraStandIn();
        using var app = entra.App();
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", TokenForge.Create(
            TokenForge.StrangerKey(), app.Clock.GetUtcNow(), audience: ApiClientId));

        using var response = await client.GetAsync(new Uri("/api/me", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    /// <summary>Entra ID's OIDC metadata without the network: our tenant's issuer and one RSA signing key.</summary>
    private sealed class EntraStandIn : IDisposable
    {
        private readonly RSA _rsa = RSA.Create(2048);

        public EntraStandIn() => Key = new RsaSecurityKey(_rsa) { KeyId = "entra-key-1" };

        public RsaSecurityKey Key { get; }

        public HostedAppFactory App()
        {
            var metadata = new OpenIdConnectConfiguration { Issuer = TenantIssuer };
            metadata.SigningKeys.Add(Key);
            return new HostedAppFactory("Production", EntraSettings, services =>
                services.AddSingleton<BaseConfigurationManager>(new StaticConfigurationManager<OpenIdConnectConfiguration>(metadata)));
        }

        public void Dispose() => _rsa.Dispose();
    }
}
