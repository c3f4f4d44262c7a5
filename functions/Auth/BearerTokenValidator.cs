using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ServiceLedger.Functions.Auth;

/// <summary>
/// Validates bearer tokens with Microsoft.IdentityModel: signature, issuer, audience and lifetime (read from the
/// injected <see cref="TimeProvider"/>, never the wall clock). Entra ID tokens are checked against the authority's
/// OIDC metadata (issuer and signing keys, refreshed by the configuration manager on key rollover); development tokens
/// against the in-memory <see cref="DevTokenIssuer"/> key, when that issuer runs.
/// </summary>
public sealed class BearerTokenValidator
{
    /// <summary>How far token times may disagree with our clock (Entra recommends minutes, not the 5 minute default).</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(1);

    /// <summary>The longest token we read at all; Entra access tokens are a few KB.</summary>
    public const int MaxTokenLength = 16 * 1024;

    private readonly JsonWebTokenHandler _handler = new() { MaximumTokenSizeInBytes = MaxTokenLength };
    private readonly TokenValidationParameters? _entra;
    private readonly TokenValidationParameters? _development;

    /// <summary>
    /// A validator for <paramref name="settings"/>: Entra ID when <paramref name="entraMetadata"/> is given (built from
    /// the authority), the development issuer when <paramref name="devIssuer"/> is given.
    /// </summary>
    public BearerTokenValidator(AuthSettings settings, TimeProvider clock, BaseConfigurationManager? entraMetadata, DevTokenIssuer? devIssuer)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(clock);
        if (entraMetadata is not null)
        {
            _entra = Parameters(settings.EffectiveAudience, clock);
            // Issuer and keys come from the metadata document; the handler refreshes it when a key id is unknown.
            _entra.ConfigurationManager = entraMetadata;
        }

        if (devIssuer is not null)
        {
            _development = Parameters(settings.EffectiveAudience, clock);
            _development.ValidIssuer = DevTokenIssuer.Issuer;
            _development.IssuerSigningKey = devIssuer.SigningKey;
        }
    }

    /// <summary>The validated caller, or the reason the token is refused (for logs and the WWW-Authenticate header).</summary>
    public async Task<(ClaimsIdentity? Identity, string? Failure)> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (token.Length > MaxTokenLength || !_handler.CanReadToken(token))
        {
            return (null, "The bearer token is not a JWT.");
        }

        // Pick the parameters by the (not yet trusted) issuer: only the matching set can succeed, and a development
        // token then fails on its own terms instead of on an unrelated metadata download.
        string? issuer;
        try
        {
            issuer = _handler.ReadJsonWebToken(token).Issuer;
        }
        catch (ArgumentException)
        {
            return (null, "The bearer token is not a JWT.");
        }

        var parameters = issuer == DevTokenIssuer.Issuer && _development is not null ? _development : _entra;
        if (parameters is null)
        {
            return (null, "The token's issuer is not trusted.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        var result = await _handler.ValidateTokenAsync(token, parameters);
        return result.IsValid
            ? (result.ClaimsIdentity, null)
            : (null, Describe(result.Exception));
    }

    private static TokenValidationParameters Parameters(string audience, TimeProvider clock) => new()
    {
        ValidateIssuer = true,
        ValidateAudience = true,
        ValidAudience = audience,
        ValidateLifetime = true,
        RequireExpirationTime = true,
        RequireSignedTokens = true,
        ValidAlgorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.EcdsaSha256],
        ClockSkew = ClockSkew,
        LifetimeValidator = (notBefore, expires, _, _) => IsLive(notBefore, expires, clock.GetUtcNow().UtcDateTime),
        NameClaimType = CallerContext.SubjectClaim,
        RoleClaimType = CallerContext.RolesClaim,
        AuthenticationType = BearerAuthenticationHandler.SchemeName,
    };

    /// <summary>True when a token with these times is live at <paramref name="nowUtc"/>, allowing <see cref="ClockSkew"/> either side.</summary>
    internal static bool IsLive(DateTime? notBefore, DateTime? expires, DateTime nowUtc) =>
        expires is { } exp
        && nowUtc < exp.ToUniversalTime() + ClockSkew
        && (notBefore is not { } nbf || nowUtc >= nbf.ToUniversalTime() - ClockSkew);

    private static string Describe(Exception? failure) => failure switch
    {
        SecurityTokenInvalidLifetimeException or SecurityTokenExpiredException or SecurityTokenNotYetValidException => "The token is expired or not yet valid.",
        SecurityTokenInvalidAudienceException => "The token is not for this API (audience).",
        SecurityTokenInvalidIssuerException => "The token's issuer is not trusted.",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "The token's signature is not valid.",
        SecurityTokenInvalidAlgorithmException => "The token's signing algorithm is not accepted.",
        _ => "The token is not valid.",
    };
}
