using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ServiceLedger.Functions.Auth;

/// <summary>
/// The development token issuer: signs tokens with a P-256 key held in memory (generated at start, or read from
/// <see cref="AuthSettings.DevIssuerSigningKey"/>), so that local runs and tests go through the same validation as
/// Entra ID tokens (issuer, audience, lifetime, signature). Registered only when the app runs in Development.
/// </summary>
public sealed class DevTokenIssuer : IDisposable
{
    /// <summary>The <c>iss</c> of development tokens; it is never an Entra ID issuer, so the two cannot be confused.</summary>
    public const string Issuer = "https://serviceledger.local/dev-issuer";

    /// <summary>The lifetime of a token when the caller does not ask for one.</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(60);

    /// <summary>The longest lifetime a development token may have (a working day).</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(12);

    private readonly ECDsa _key;
    private readonly TimeProvider _clock;
    private readonly string _audience;
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    /// <summary>An issuer for <see cref="AuthSettings.EffectiveAudience"/>, reading time from <paramref name="clock"/>.</summary>
    public DevTokenIssuer(AuthSettings settings, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _audience = settings.EffectiveAudience;
        _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        if (!string.IsNullOrWhiteSpace(settings.DevIssuerSigningKey))
        {
            try
            {
                _key.ImportPkcs8PrivateKey(Convert.FromBase64String(settings.DevIssuerSigningKey), out _);
            }
            catch (Exception e) when (e is FormatException or CryptographicException)
            {
                _key.Dispose();
                throw new InvalidOperationException(
                    "Auth:DevIssuer:SigningKey is not a base64 PKCS#8 P-256 private key (see docs/auth.md).", e);
            }
        }

        // The key id lets a validator holding several keys pick this one without trying each.
        SigningKey = new ECDsaSecurityKey(_key) { KeyId = "dev-" + Convert.ToHexString(SHA256.HashData(_key.ExportSubjectPublicKeyInfo()))[..16] };
    }

    /// <summary>The key development tokens are signed with (its public half validates them).</summary>
    public SecurityKey SigningKey { get; }

    /// <summary>
    /// A signed token for <paramref name="roles"/> (and <paramref name="partyId"/> for a merchant or vendor), valid from
    /// now for <paramref name="lifetime"/> (default <see cref="DefaultLifetime"/>, at most <see cref="MaxLifetime"/>).
    /// </summary>
    public DevToken Mint(IReadOnlyCollection<CallerRole> roles, PartyId? partyId, TimeSpan? lifetime = null, string? subject = null)
    {
        ArgumentNullException.ThrowIfNull(roles);
        var validFor = lifetime ?? DefaultLifetime;
        if (validFor <= TimeSpan.Zero || validFor > MaxLifetime)
        {
            throw new ArgumentOutOfRangeException(nameof(lifetime), validFor, $"A development token lives more than 0 and at most {MaxLifetime}.");
        }

        var now = _clock.GetUtcNow();
        var claims = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            // Always an array, as Entra ID writes it, so the one role-claim path is exercised.
            [CallerContext.RolesClaim] = roles.Select(CallerRoles.Name).ToArray(),
        };
        if (partyId is { } party)
        {
            claims[CallerContext.PartyIdClaim] = party.Value;
        }

        var expires = now + validFor;
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = _audience,
            Subject = new ClaimsIdentity([new Claim(CallerContext.SubjectClaim, subject ?? DefaultSubject(roles, partyId))]),
            Claims = claims,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(SigningKey, SecurityAlgorithms.EcdsaSha256),
        });
        return new DevToken(token, expires);
    }

    /// <inheritdoc />
    public void Dispose() => _key.Dispose();

    private static string DefaultSubject(IReadOnlyCollection<CallerRole> roles, PartyId? partyId) =>
        "dev:" + string.Join('+', roles.Select(CallerRoles.Name)) + (partyId is { } p ? ":" + p.Value : string.Empty);
}

/// <summary>A minted development token and the instant it expires.</summary>
public sealed record DevToken(string AccessToken, DateTimeOffset ExpiresAt);
