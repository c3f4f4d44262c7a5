using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NodaTime;

namespace ServiceLedger.Functions.Adapters.Stripe;

/// <summary>Why a <c>Stripe-Signature</c> header was accepted or refused.</summary>
public enum StripeSignatureStatus
{
    /// <summary>A <c>v1</c> signature matches one of the endpoint secrets and the timestamp is within tolerance.</summary>
    Verified,

    /// <summary>No <c>Stripe-Signature</c> header, or an empty one.</summary>
    MissingHeader,

    /// <summary>The header is too long, has too many parts, or lacks a single numeric <c>t</c>.</summary>
    Malformed,

    /// <summary>The header carries no well-formed <c>v1</c> signature (other schemes are ignored on purpose).</summary>
    NoV1Signature,

    /// <summary>No <c>v1</c> signature matches any configured secret: wrong secret, or a tampered body or timestamp.</summary>
    Mismatch,

    /// <summary>The signature is genuine but its timestamp is further than the tolerance from now (a replay).</summary>
    OutsideTolerance,
}

/// <summary>The outcome of <see cref="StripeWebhookSignature.Verify"/>: a status, the signed timestamp when one was read, and a reason for logs.</summary>
/// <param name="Status">Accepted, or why not.</param>
/// <param name="SignedAt">The header's <c>t</c>, when it could be read.</param>
/// <param name="Reason">A sentence for logs and problem details; it never contains a secret or a signature.</param>
public sealed record StripeSignatureCheck(StripeSignatureStatus Status, Instant? SignedAt, string Reason)
{
    /// <summary>True only for <see cref="StripeSignatureStatus.Verified"/>.</summary>
    public bool IsVerified => Status == StripeSignatureStatus.Verified;
}

/// <summary>
/// Verifies Stripe webhook deliveries as docs.stripe.com/webhooks describes: HMAC-SHA256, keyed with the UTF-8 bytes of
/// the whole endpoint secret (<c>whsec_</c> included), over <c>{t}.{raw body}</c>, compared in constant time with every
/// <c>v1</c> in the header. Several secrets may be configured: while a secret is rolled, Stripe signs with the old and
/// the new one, and we may hold either. Other schemes (the test-mode <c>v0</c>) are ignored, so that a forged weaker
/// scheme cannot downgrade the check. The timestamp must lie within the tolerance of now in both directions: Stripe's
/// libraries accept any future timestamp, but a signature dated ahead of our clock by more than the tolerance is as
/// suspicious as a stale one.
/// </summary>
public static class StripeWebhookSignature
{
    /// <summary>The header Stripe sends the signature in.</summary>
    public const string HeaderName = "Stripe-Signature";

    /// <summary>Stripe's default tolerance between the signed timestamp and now (stripe-node <c>DEFAULT_TOLERANCE</c>).</summary>
    public const int DefaultToleranceSeconds = 300;

    /// <summary>Longest header we parse; a real one with two secrets and a v0 is under 250 characters.</summary>
    public const int MaxHeaderLength = 2048;

    /// <summary>Most comma-separated parts we parse; Stripe sends t, one v1 per active secret (two while rolling) and v0.</summary>
    public const int MaxHeaderParts = 16;

    /// <summary>Most endpoint secrets we try per delivery (the current one and the one being rolled out, with room).</summary>
    public const int MaxSecrets = 4;

    private const int SignatureBytes = 32;

    /// <summary>
    /// Checks <paramref name="header"/> against <paramref name="body"/> (the raw bytes as received) with each of
    /// <paramref name="secrets"/>, at <paramref name="now"/>. Refusals are values; only misuse (no secrets) throws.
    /// </summary>
    public static StripeSignatureCheck Verify(
        string? header, ReadOnlySpan<byte> body, IReadOnlyList<string> secrets, Instant now, Duration tolerance)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        if (secrets.Count == 0 || secrets.Count > MaxSecrets || secrets.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException($"Between 1 and {MaxSecrets} non-blank webhook secrets are needed.", nameof(secrets));
        }

        if (tolerance <= Duration.Zero)
        {
            // Stripe treats 0 as "skip the check"; we never want that, so it is a programming error here.
            throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "The timestamp tolerance must be positive.");
        }

        if (string.IsNullOrWhiteSpace(header))
        {
            return new(StripeSignatureStatus.MissingHeader, null, $"The {HeaderName} header is missing.");
        }

        if (header.Length > MaxHeaderLength)
        {
            return new(StripeSignatureStatus.Malformed, null, $"The {HeaderName} header is longer than {MaxHeaderLength} characters.");
        }

        var parts = header.Split(',');
        if (parts.Length > MaxHeaderParts)
        {
            return new(StripeSignatureStatus.Malformed, null, $"The {HeaderName} header has more than {MaxHeaderParts} parts.");
        }

        string? timestamp = null;
        var candidates = new List<byte[]>(parts.Length);
        foreach (var part in parts)
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }

            var name = part[..equals].Trim();
            var value = part[(equals + 1)..].Trim();
            if (name == "t")
            {
                if (timestamp is not null)
                {
                    return new(StripeSignatureStatus.Malformed, null, $"The {HeaderName} header has more than one timestamp.");
                }

                timestamp = value;
            }
            else if (name == "v1" && TryDecodeSignature(value, out var signature))
            {
                candidates.Add(signature);
            }
        }

        if (timestamp is null || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > Instant.MaxValue.ToUnixTimeSeconds())
        {
            return new(StripeSignatureStatus.Malformed, null, $"The {HeaderName} header has no numeric timestamp t.");
        }

        var signedAt = Instant.FromUnixTimeSeconds(seconds);
        if (candidates.Count == 0)
        {
            return new(StripeSignatureStatus.NoV1Signature, signedAt, $"The {HeaderName} header has no v1 signature.");
        }

        if (!AnyMatches(timestamp, body, secrets, candidates))
        {
            return new(StripeSignatureStatus.Mismatch, signedAt, "No v1 signature matches the payload with a configured webhook secret.");
        }

        var age = now - signedAt;
        if (age > tolerance || -age > tolerance)
        {
            return new(
                StripeSignatureStatus.OutsideTolerance,
                signedAt,
                string.Create(CultureInfo.InvariantCulture, $"The signature timestamp is {age.TotalSeconds:0} s from now; at most {tolerance.TotalSeconds:0} s is accepted."));
        }

        return new(StripeSignatureStatus.Verified, signedAt, "Verified.");
    }

    /// <summary>
    /// The lowercase hex <c>v1</c> signature of <paramref name="body"/> signed at <paramref name="timestampSeconds"/>
    /// with <paramref name="secret"/>: what Stripe puts in the header (the local Stripe peer signs its deliveries with it).
    /// </summary>
    public static string ComputeV1(string secret, long timestampSeconds, ReadOnlySpan<byte> body)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(secret);
        return Convert.ToHexStringLower(Hmac(secret, timestampSeconds.ToString(CultureInfo.InvariantCulture), body));
    }

    private static bool AnyMatches(string timestamp, ReadOnlySpan<byte> body, IReadOnlyList<string> secrets, List<byte[]> candidates)
    {
        var matched = false;
        foreach (var secret in secrets)
        {
            var expected = Hmac(secret, timestamp, body);
            foreach (var candidate in candidates)
            {
                // Non-short-circuiting so the time taken does not depend on which secret or signature matched.
                matched |= CryptographicOperations.FixedTimeEquals(expected, candidate);
            }
        }

        return matched;
    }

    private static byte[] Hmac(string secret, string timestamp, ReadOnlySpan<byte> body)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret));
        hmac.AppendData(Encoding.UTF8.GetBytes(timestamp + "."));
        hmac.AppendData(body);
        return hmac.GetHashAndReset();
    }

    private static bool TryDecodeSignature(string hex, out byte[] signature)
    {
        signature = [];
        if (hex.Length != SignatureBytes * 2)
        {
            return false;
        }

        try
        {
            signature = Convert.FromHexString(hex);
            return true;
        }
        catch (FormatException)
        {
            // Like stripe-go, a v1 that is not hex is skipped rather than failing the whole header.
            return false;
        }
    }
}
