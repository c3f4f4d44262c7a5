using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ServiceLedger.Functions.Auth;

namespace ServiceLedger.Api.Tests.Auth;

/// <summary>Hand-made tokens for the refusal tests: any issuer, audience, key and times, with the app's claim names.</summary>
internal static class TokenForge
{
    private static readonly string[] Finance = ["finance"];

    /// <summary>A signed token; every part defaults to what the development issuer would write for a finance caller.</summary>
    public static string Create(
        SecurityKey key,
        DateTimeOffset now,
        string issuer = DevTokenIssuer.Issuer,
        string audience = AuthSettings.DevelopmentAudience,
        string[]? roles = null,
        string? partyId = null,
        TimeSpan? lifetime = null)
    {
        var claims = new Dictionary<string, object> { [CallerContext.RolesClaim] = roles ?? Finance };
        if (partyId is not null)
        {
            claims[CallerContext.PartyIdClaim] = partyId;
        }

        var algorithm = key is RsaSecurityKey ? SecurityAlgorithms.RsaSha256 : SecurityAlgorithms.EcdsaSha256;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + (lifetime ?? TimeSpan.FromMinutes(30))).UtcDateTime,
            SigningCredentials = new SigningCredentials(key, algorithm),
        });
    }

    /// <summary>A fresh P-256 key nobody trusts.</summary>
    public static ECDsaSecurityKey StrangerKey() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = "stranger" };

    /// <summary>An unsigned token (<c>alg: none</c>) with otherwise valid claims.</summary>
    public static string Unsigned(DateTimeOffset now) =>
        new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = DevTokenIssuer.Issuer,
            Audience = AuthSettings.DevelopmentAudience,
            Claims = new Dictionary<string, object> { [CallerContext.RolesClaim] = Finance },
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = now.AddMinutes(30).UtcDateTime,
        });
}
