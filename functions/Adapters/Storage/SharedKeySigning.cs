using System.Globalization;
using System.Text;

namespace ServiceLedger.Functions.Adapters.Storage;

/// <summary>
/// The two Shared Key string-to-sign rules we use (azure.md 2.8 and 3.3). They differ: Table signs only the date and
/// the resource (SharedKeyLite, as the official Tables SDK does), Queue signs the full header list, every x-ms-*
/// header and every query parameter (full SharedKey; Azurite does not support SharedKeyLite for queues).
/// In both, the canonicalized resource is "/" + account + the request path as sent. With path-style endpoints
/// (Azurite: http://127.0.0.1:10002/devstoreaccount1/table) the path already starts with the account, so the account
/// appears twice ("/devstoreaccount1/devstoreaccount1/table") — that is what Azurite verifies, not a bug.
/// </summary>
internal static class SharedKeySigning
{
    /// <summary>Table SharedKeyLite: <c>Date + "\n" + "/" + account + path [+ "?comp=" + value]</c>.</summary>
    public static string TableStringToSign(string date, string accountName, Uri requestUri)
    {
        ArgumentNullException.ThrowIfNull(requestUri);
        var builder = new StringBuilder(date.Length + accountName.Length + requestUri.AbsolutePath.Length + 16);
        builder.Append(date).Append('\n').Append('/').Append(accountName).Append(requestUri.AbsolutePath);

        // Only comp= is part of a Table canonicalized resource; $filter, NextPartitionKey and the rest are not signed.
        foreach (var (name, value) in QueryParameters(requestUri))
        {
            if (string.Equals(name, "comp", StringComparison.OrdinalIgnoreCase))
            {
                builder.Append("?comp=").Append(value);
                break;
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// Queue SharedKey: the verb, eleven standard headers (Date empty because we send x-ms-date), the canonicalized
    /// x-ms-* headers and the canonicalized resource with every query parameter, lower-cased, sorted and decoded.
    /// </summary>
    /// <param name="method">The HTTP verb.</param>
    /// <param name="headers">Every request header that will be sent (names case-insensitive).</param>
    /// <param name="contentLength">The body length; 0 or null is signed as an empty string (version 2015-02-21+).</param>
    /// <param name="accountName">The account name.</param>
    /// <param name="requestUri">The full request URI as sent.</param>
    public static string QueueStringToSign(
        string method, IEnumerable<KeyValuePair<string, string>> headers, long? contentLength, string accountName, Uri requestUri)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(requestUri);
        var standard = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var storageHeaders = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in headers)
        {
            if (name.StartsWith("x-ms-", StringComparison.OrdinalIgnoreCase))
            {
                storageHeaders[name.ToLowerInvariant()] = CollapseWhitespace(value);
            }
            else
            {
                standard[name] = value;
            }
        }

        var builder = new StringBuilder(256);
        builder.Append(method.ToUpperInvariant()).Append('\n');
        builder.Append(standard.GetValueOrDefault("Content-Encoding")).Append('\n');
        builder.Append(standard.GetValueOrDefault("Content-Language")).Append('\n');
        builder.Append(contentLength is null or 0 ? string.Empty : contentLength.Value.ToString(CultureInfo.InvariantCulture)).Append('\n');
        builder.Append(standard.GetValueOrDefault("Content-MD5")).Append('\n');
        builder.Append(standard.GetValueOrDefault("Content-Type")).Append('\n');
        builder.Append(string.Empty).Append('\n'); // Date: empty because x-ms-date is sent and signed below.
        builder.Append(standard.GetValueOrDefault("If-Modified-Since")).Append('\n');
        builder.Append(standard.GetValueOrDefault("If-Match")).Append('\n');
        builder.Append(standard.GetValueOrDefault("If-None-Match")).Append('\n');
        builder.Append(standard.GetValueOrDefault("If-Unmodified-Since")).Append('\n');
        builder.Append(standard.GetValueOrDefault("Range")).Append('\n');
        foreach (var (name, value) in storageHeaders)
        {
            builder.Append(name).Append(':').Append(value).Append('\n');
        }

        builder.Append('/').Append(accountName).Append(requestUri.AbsolutePath);
        var parameters = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (name, value) in QueryParameters(requestUri))
        {
            var key = name.ToLowerInvariant();
            if (!parameters.TryGetValue(key, out var values))
            {
                parameters[key] = values = [];
            }

            values.Add(value);
        }

        foreach (var (name, values) in parameters)
        {
            values.Sort(StringComparer.Ordinal);
            builder.Append('\n').Append(name).Append(':').AppendJoin(',', values);
        }

        return builder.ToString();
    }

    /// <summary>The decoded query parameters of a URI, in order ('+' read as a space, as the service does).</summary>
    private static IEnumerable<(string Name, string Value)> QueryParameters(Uri uri)
    {
        var query = uri.Query;
        if (query.Length <= 1)
        {
            yield break;
        }

        foreach (var pair in query[1..].Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? pair : pair[..equals];
            var value = equals < 0 ? string.Empty : pair[(equals + 1)..];
            yield return (Decode(name), Decode(value));
        }
    }

    private static string Decode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));

    private static string CollapseWhitespace(string value)
    {
        var trimmed = value.Trim();
        if (!trimmed.Contains("  ", StringComparison.Ordinal))
        {
            return trimmed;
        }

        var builder = new StringBuilder(trimmed.Length);
        foreach (var c in trimmed)
        {
            if (c != ' ' || builder.Length == 0 || builder[^1] != ' ')
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
