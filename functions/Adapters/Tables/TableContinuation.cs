using System.Buffers.Text;
using System.Text;

namespace ServiceLedger.Functions.Adapters.Tables;

/// <summary>
/// The opaque continuation token of a query: the service's NextPartitionKey and NextRowKey headers (azure.md 2.4),
/// packed into one URL-safe string so that callers (and API clients) can pass it back without knowing its shape.
/// </summary>
internal readonly record struct TableContinuation(string NextPartitionKey, string? NextRowKey)
{
    /// <summary>Longest token accepted back: keys are at most 1 KiB each, so real tokens are far shorter.</summary>
    public const int MaxTokenLength = 4096;

    // The header values are ASCII without line breaks, so '\n' can separate them.
    private const char Separator = '\n';

    /// <summary>The token text.</summary>
    public string ToToken() =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(NextPartitionKey + Separator + (NextRowKey ?? string.Empty)));

    /// <summary>Reads a token made by <see cref="ToToken"/>; false for anything else.</summary>
    public static bool TryParse(string? token, out TableContinuation continuation)
    {
        continuation = default;
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength || !Base64Url.IsValid(token))
        {
            return false;
        }

        var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
        var separator = text.IndexOf(Separator, StringComparison.Ordinal);
        if (separator <= 0 || text.IndexOf(Separator, separator + 1) >= 0)
        {
            return false;
        }

        var rowKey = text[(separator + 1)..];
        continuation = new TableContinuation(text[..separator], rowKey.Length == 0 ? null : rowKey);
        return true;
    }
}
