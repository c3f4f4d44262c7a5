using System.Security.Cryptography;
using System.Text;

namespace ServiceLedger.Functions.Adapters.Storage;

/// <summary>
/// An account name and its account key, able to sign a Shared Key string-to-sign. The key bytes never leave this
/// type and <see cref="ToString"/> shows only the account name, so it is safe to log.
/// </summary>
public sealed class StorageSharedKey
{
    // Account names are 3-24 lower-case letters and digits; Azurite's custom accounts may differ, so allow a little more.
    private const int MaxAccountNameLength = 64;

    private readonly byte[] _key;

    /// <summary>Creates a credential; the key is the base64 account key as shown in the portal.</summary>
    public StorageSharedKey(string accountName, string base64Key)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accountName);
        ArgumentException.ThrowIfNullOrWhiteSpace(base64Key);
        if (accountName.Length > MaxAccountNameLength || !accountName.All(char.IsAsciiLetterOrDigit))
        {
            throw new FormatException($"The storage account name must be 1-{MaxAccountNameLength} ASCII letters or digits.");
        }

        try
        {
            _key = Convert.FromBase64String(base64Key);
        }
        catch (FormatException)
        {
            // Never echo the key in the message.
            throw new FormatException($"The account key of storage account '{accountName}' is not valid base64.");
        }

        AccountName = accountName;
    }

    /// <summary>The storage account name that appears in the Authorization header and the canonicalized resource.</summary>
    public string AccountName { get; }

    /// <summary>Base64(HMAC-SHA256(key, UTF-8(stringToSign))), the signature part of a Shared Key header (azure.md 2.8).</summary>
    public string ComputeSignature(string stringToSign)
    {
        ArgumentNullException.ThrowIfNull(stringToSign);
        Span<byte> hash = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(stringToSign), hash);
        return Convert.ToBase64String(hash);
    }

    /// <summary>Shows the account name only.</summary>
    public override string ToString() => $"StorageSharedKey({AccountName}, key redacted)";
}
