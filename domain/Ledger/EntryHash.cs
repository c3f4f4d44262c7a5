using System.Security.Cryptography;

namespace ServiceLedger.Domain.Ledger;

/// <summary>
/// A SHA-256 digest, kept as 64 lower-case hex digits. Used for the hash chain (<c>hash = SHA-256(previous hash ||
/// canonical bytes)</c>), for request hashes and for period report hashes. Equality is by value; <c>default</c> has no
/// digest, unlike <see cref="Zero"/>, which is the genesis previous hash.
/// </summary>
public readonly record struct EntryHash
{
    /// <summary>Bytes in a SHA-256 digest.</summary>
    public const int ByteLength = 32;

    private EntryHash(string hex) => Hex = hex;

    /// <summary>The digest as 64 lower-case hex digits.</summary>
    public string Hex { get; }

    /// <summary>True for <c>default(EntryHash)</c>, which is no digest at all.</summary>
    public bool IsDefault => Hex is null;

    /// <summary>32 zero bytes: the previous hash of the first entry of every book (the genesis link).</summary>
    public static EntryHash Zero { get; } = new(new string('0', ByteLength * 2));

    /// <summary>Wraps 32 digest bytes.</summary>
    public static EntryHash FromBytes(ReadOnlySpan<byte> digest)
    {
        if (digest.Length != ByteLength)
        {
            throw new ArgumentException($"A SHA-256 digest has {ByteLength} bytes, not {digest.Length}.", nameof(digest));
        }

        return new EntryHash(Convert.ToHexStringLower(digest));
    }

    /// <summary>Parses 64 hex digits (either case); false otherwise.</summary>
    public static bool TryParse(string? hex, out EntryHash hash)
    {
        hash = default;
        if (hex is not { Length: ByteLength * 2 } || !hex.All(char.IsAsciiHexDigit))
        {
            return false;
        }

        hash = new EntryHash(hex.ToLowerInvariant());
        return true;
    }

    /// <summary>Parses 64 hex digits read from storage; anything else means corrupt storage and throws.</summary>
    public static EntryHash Parse(string hex) =>
        TryParse(hex, out var hash) ? hash : throw new FormatException($"{LedgerText.Quote(hex)} is not a SHA-256 digest of 64 hex digits.");

    /// <summary>SHA-256 of the bytes.</summary>
    public static EntryHash Of(ReadOnlySpan<byte> bytes) => FromBytes(SHA256.HashData(bytes));

    /// <summary>The chain link: SHA-256 of the 32 previous-hash bytes followed by the entry's canonical bytes.</summary>
    public static EntryHash Chain(EntryHash previous, ReadOnlySpan<byte> canonicalBytes)
    {
        if (previous.IsDefault)
        {
            throw new ArgumentException("The previous hash is missing; the first entry of a book links to EntryHash.Zero.", nameof(previous));
        }

        var buffer = new byte[ByteLength + canonicalBytes.Length];
        previous.ToBytes().CopyTo(buffer, 0);
        canonicalBytes.CopyTo(buffer.AsSpan(ByteLength));
        return Of(buffer);
    }

    /// <summary>The 32 digest bytes.</summary>
    public byte[] ToBytes() => IsDefault ? throw new InvalidOperationException("default(EntryHash) has no bytes.") : Convert.FromHexString(Hex);

    /// <summary>The hex digits.</summary>
    public override string ToString() => Hex ?? "(no hash)";
}
