namespace ServiceLedger.TestSupport.Stripe;

/// <summary>One request the local Stripe peer received, as sent: so that tests assert paths, fields and headers.</summary>
/// <param name="Method">HTTP method.</param>
/// <param name="Path">Path without the query, e.g. <c>/v1/refunds</c>.</param>
/// <param name="Query">The raw query string without '?', or empty.</param>
/// <param name="RawBody">The raw body as sent (form-encoded for POST).</param>
/// <param name="Fields">Decoded form fields (POST) or query parameters (GET), in the order sent.</param>
/// <param name="Authorization">The Authorization header.</param>
/// <param name="StripeVersion">The Stripe-Version header.</param>
/// <param name="IdempotencyKey">The Idempotency-Key header.</param>
/// <param name="ContentType">The Content-Type header.</param>
public sealed record StripeRecordedRequest(
    string Method,
    string Path,
    string Query,
    string RawBody,
    IReadOnlyList<KeyValuePair<string, string>> Fields,
    string? Authorization,
    string? StripeVersion,
    string? IdempotencyKey,
    string? ContentType)
{
    /// <summary>The value of field <paramref name="name"/>, or null when absent.</summary>
    public string? Field(string name) => Fields.FirstOrDefault(f => f.Key == name).Value;

    /// <summary>Decodes a form or query string as Stripe's servers do (<c>+</c> and <c>%20</c> are spaces).</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> DecodeForm(string text)
    {
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var pair in text.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? pair : pair[..equals];
            var value = equals < 0 ? string.Empty : pair[(equals + 1)..];
            fields.Add(new(Unescape(key), Unescape(value)));
        }

        return fields;
    }

    private static string Unescape(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));
}
