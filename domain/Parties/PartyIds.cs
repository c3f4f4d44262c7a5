using System.Security.Cryptography;
using System.Text;
using ServiceLedger.Domain.Ledger;

namespace ServiceLedger.Domain.Parties;

/// <summary>
/// A merchant's id: <c>mer_</c> then 12 to 26 of <c>[a-z0-9]</c>, e.g. <c>mer_7k2m9q4x8p3r</c>. Opaque to clients; it fits a
/// Table key, a URL segment and an account id (<c>merchant:{id}:receivable</c>) without escaping. Equality and ordering are
/// ordinal on the text. <c>default(MerchantId)</c> names no merchant (<see cref="IsDefault"/>) and is refused wherever one is
/// needed.
/// </summary>
public readonly record struct MerchantId : IComparable<MerchantId>
{
    /// <summary>The type prefix every merchant id starts with.</summary>
    public const string Prefix = "mer_";

    private MerchantId(string value) => Value = value;

    /// <summary>The id text, prefix included.</summary>
    public string Value { get; }

    /// <summary>True for <c>default(MerchantId)</c>.</summary>
    public bool IsDefault => Value is null;

    /// <summary>
    /// The id derived from a seed the caller supplies (a random token from the adapter, or content that identifies the
    /// merchant): the same seed always gives the same id, so a retried sign-up lands on the same merchant.
    /// </summary>
    public static MerchantId Derive(string seed) => new(PartyIdText.Derive(Prefix, seed));

    /// <summary>Parses an id; false when the text is not <c>mer_</c> then 12 to 26 of <c>[a-z0-9]</c>.</summary>
    public static bool TryParse(string? text, out MerchantId merchantId)
    {
        merchantId = PartyIdText.IsValid(text, Prefix) ? new MerchantId(text!) : default;
        return !merchantId.IsDefault;
    }

    /// <summary>Parses an id from a request; refuses with <see cref="PartyRule.MerchantIdInvalid"/> naming the field.</summary>
    public static Validated<MerchantId> Parse(string? text, string field) =>
        TryParse(text, out var merchantId)
            ? Validated.Valid(merchantId)
            : Validated.Refused<MerchantId>(PartyIdText.Refusal(PartyRule.MerchantIdInvalid, "merchant", Prefix, text, field));

    /// <summary>Equal when the texts are equal (ordinal).</summary>
    public bool Equals(MerchantId other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() => Value is null ? 0 : StringComparer.Ordinal.GetHashCode(Value);

    /// <summary>Orders by text, ordinal.</summary>
    public int CompareTo(MerchantId other) => string.CompareOrdinal(Value, other.Value);

    /// <summary>Orders by text, ordinal.</summary>
    public static bool operator <(MerchantId left, MerchantId right) => left.CompareTo(right) < 0;

    /// <summary>Orders by text, ordinal.</summary>
    public static bool operator >(MerchantId left, MerchantId right) => left.CompareTo(right) > 0;

    /// <summary>Orders by text, ordinal.</summary>
    public static bool operator <=(MerchantId left, MerchantId right) => left.CompareTo(right) <= 0;

    /// <summary>Orders by text, ordinal.</summary>
    public static bool operator >=(MerchantId left, MerchantId right) => left.CompareTo(right) >= 0;

    /// <summary>The id text; <see cref="TryParse"/> reads it back to an equal id.</summary>
    public override string ToString() => Value ?? "(no merchant)";
}

/// <summary>
/// A vendor's id: <c>ven_</c> then 12 to 26 of <c>[a-z0-9]</c>, e.g. <c>ven_3kp9wd2m8q4x</c>. Same shape and contract as
/// <see cref="MerchantId"/>; <c>default(VendorId)</c> names no vendor.
/// </summary>
public readonly record struct VendorId : IComparable<VendorId>
{
    /// <summary>The type prefix every vendor id starts with.</summary>
    public const string Prefix = "ven_";

    private VendorId(string value) => Value = value;

    /// <summary>The id text, prefix included.</summary>
    public string Value { get; }

    /// <summary>True for <c>default(VendorId)</c>.</summary>
    public bool IsDefault => Value is null;

    /// <summary>The id derived from a seed the caller supplies; the same seed always gives the same id.</summary>
    public static VendorId Derive(string seed) => new(PartyIdText.Derive(Prefix, seed));

    /// <summary>Parses an id; false when the text is not <c>ven_</c> then 12 to 26 of <c>[a-z0-9]</c>.</summary>
    public static bool TryParse(string? text, out VendorId vendorId)
    {
        vendorId = PartyIdText.IsValid(text, Prefix) ? new VendorId(text!) : default;
        return !vendorId.IsDefault;
    }

    /// <summary>Parses an id from a request; refuses with <see cref="PartyRule.VendorIdInvalid"/> naming the field.</summary>
    public static Validated<VendorId> Parse(string? text, string field) =>
        TryParse(text, out var vendorId)
            ? Validated.Valid(vendorId)
            : Validated.Refused<VendorId>(PartyIdText.Refusal(PartyRule.VendorIdInvalid, "vendor", Prefix, text, field));

    /// <summary>Equal when the texts are equal (ordinal).</summary>
    public bool Equals(VendorId other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() => Value is null ? 0 : StringComparer.Ordinal.GetHashCode(Value);

    /// <summary>Orders by text, ordinal.</summary>
    public int CompareTo(VendorId other) => string.CompareOrdinal(Value, other.Value);

    /// <summary>Orders by text, ordinal.</summary>
    public static bool operator <(VendorId left, VendorId right) => left.CompareTo(right) < 0;

    /// <summary>Orders by text, ordinal.</summary>
    public static bool operator >(VendorId left, VendorId right) => left.CompareTo(right) > 0;

    /// <summary>Orders by text, ordinal.</summary>
    public static bool operator <=(VendorId left, VendorId right) => left.CompareTo(right) <= 0;

    /// <summary>Orders by text, ordinal.</summary>
    public static bool operator >=(VendorId left, VendorId right) => left.CompareTo(right) >= 0;

    /// <summary>The id text; <see cref="TryParse"/> reads it back to an equal id.</summary>
    public override string ToString() => Value ?? "(no vendor)";
}

/// <summary>The one rule both party ids share, so merchant and vendor ids cannot drift apart.</summary>
internal static class PartyIdText
{
    /// <summary>Fewest characters after the prefix: 12 base-32 characters carry 60 bits, ample for a platform's parties.</summary>
    internal const int MinBodyLength = 12;

    /// <summary>Most characters after the prefix: 26 base-32 characters (130 bits), the length of a ULID.</summary>
    internal const int MaxBodyLength = 26;

    // Lower-case only, so an id never differs from another by case alone (Table keys are case-sensitive, people are not).
    private const string Base32Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";

    internal static bool IsValid(string? text, string prefix) =>
        text is not null
        && text.Length >= prefix.Length + MinBodyLength
        && text.Length <= prefix.Length + MaxBodyLength
        && text.StartsWith(prefix, StringComparison.Ordinal)
        && text.AsSpan(prefix.Length).ContainsAnyExcept(BodyChars) is false;

    internal static string Derive(string prefix, string seed)
    {
        ArgumentException.ThrowIfNullOrEmpty(seed);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{prefix}{seed}"), hash);

        // 26 characters of 5 bits each take the first 130 bits of the hash.
        var body = new char[MaxBodyLength];
        for (var index = 0; index < body.Length; index++)
        {
            var bit = index * 5;
            var pair = (hash[bit / 8] << 8) | hash[(bit / 8) + 1];
            body[index] = Base32Alphabet[(pair >> (11 - (bit % 8))) & 0x1F];
        }

        return prefix + new string(body);
    }

    internal static Refusal Refusal(string code, string word, string prefix, string? text, string field) =>
        new(code, field, $"{LedgerText.Quote(text)} is not a {word} id: expected '{prefix}' then {MinBodyLength} to {MaxBodyLength} of [a-z0-9], e.g. '{prefix}7k2m9q4x8p3r'.");

    private static readonly System.Buffers.SearchValues<char> BodyChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789");
}
