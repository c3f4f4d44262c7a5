using System.Globalization;
using System.Text;

namespace ServiceLedger.Functions.Adapters.Stripe;

/// <summary>
/// Stripe's request encoding (<c>application/x-www-form-urlencoded</c>, also used for GET query strings), written as
/// stripe-node's <c>stringifyRequestData</c> writes it: nested objects as <c>a[b][c]=v</c>, arrays with explicit indexes
/// (<c>line_items[0][quantity]=1</c>), brackets left unencoded, spaces as <c>%20</c>, fields in the order added.
/// Stripe v1 does not accept JSON bodies.
/// </summary>
public sealed class StripeForm
{
    /// <summary>Most fields one request may carry; our largest (a Checkout Session) has about twenty.</summary>
    public const int MaxFields = 200;

    private readonly List<KeyValuePair<string, string>> _fields = [];

    /// <summary>The fields in the order they were added.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Fields => _fields;

    /// <summary>Adds <c>key=value</c>; <paramref name="key"/> may be nested (<c>metadata[contract_id]</c>).</summary>
    public StripeForm Add(string key, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(value);
        if (_fields.Count == MaxFields)
        {
            throw new InvalidOperationException($"A Stripe request carries at most {MaxFields} fields.");
        }

        _fields.Add(new(key, value));
        return this;
    }

    /// <summary>Adds an integer field.</summary>
    public StripeForm Add(string key, long value) => Add(key, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Adds a boolean field as Stripe spells it (<c>true</c>/<c>false</c>).</summary>
    public StripeForm Add(string key, bool value) => Add(key, value ? "true" : "false");

    /// <summary>Adds the field only when <paramref name="value"/> is not null.</summary>
    public StripeForm AddIfPresent(string key, string? value) => value is null ? this : Add(key, value);

    /// <summary>Adds <c>{key}[{name}]=value</c> for each entry, in the order given (metadata and similar maps).</summary>
    public StripeForm AddMap(string key, IEnumerable<KeyValuePair<string, string>> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var entry in entries)
        {
            Add($"{key}[{entry.Key}]", entry.Value);
        }

        return this;
    }

    /// <summary>Adds <c>{key}[0]=a&amp;{key}[1]=b</c>: Stripe wants explicit array indexes.</summary>
    public StripeForm AddList(string key, IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var index = 0;
        foreach (var value in values)
        {
            Add(string.Create(CultureInfo.InvariantCulture, $"{key}[{index++}]"), value);
        }

        return this;
    }

    /// <summary>The encoded form, e.g. <c>mode=payment&amp;metadata[contract_id]=42</c>.</summary>
    public string Encode()
    {
        var text = new StringBuilder();
        foreach (var (key, value) in _fields)
        {
            if (text.Length > 0)
            {
                text.Append('&');
            }

            text.Append(EncodeKey(key)).Append('=').Append(Uri.EscapeDataString(value));
        }

        return text.ToString();
    }

    /// <inheritdoc />
    public override string ToString() => Encode();

    // Each segment is escaped on its own so that the brackets stay readable, as stripe-node sends them.
    private static string EncodeKey(string key) =>
        Uri.EscapeDataString(key).Replace("%5B", "[", StringComparison.Ordinal).Replace("%5D", "]", StringComparison.Ordinal);
}
