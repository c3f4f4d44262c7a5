namespace ServiceLedger.Functions.Adapters.Stripe;

/// <summary>
/// The <c>Idempotency-Key</c> of one Stripe POST, derived from our own cause (<c>deposit:{contractId}:checkout:1</c>,
/// <c>refund:{refundId}</c>), never random: a retry after a timeout, or a redelivered queue message, then sends the
/// same key and Stripe answers the first result instead of charging or refunding twice. At most 255 printable ASCII
/// characters (Stripe's limit). <c>default</c> has no value and is refused by the client.
/// </summary>
public readonly record struct StripeIdempotencyKey
{
    /// <summary>Stripe's maximum key length.</summary>
    public const int MaxLength = 255;

    private StripeIdempotencyKey(string value) => Value = value;

    /// <summary>The key as sent.</summary>
    public string Value { get; }

    /// <summary>True for <c>default</c>, which names no cause.</summary>
    public bool IsDefault => Value is null;

    /// <summary>A key for <paramref name="cause"/>; throws when it is empty, longer than 255 or not printable ASCII.</summary>
    public static StripeIdempotencyKey From(string cause)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(cause);
        if (cause.Length > MaxLength || cause.Any(c => c is < '!' or > '~'))
        {
            throw new ArgumentException($"An idempotency key is 1 to {MaxLength} printable ASCII characters without spaces: '{cause}'.", nameof(cause));
        }

        return new StripeIdempotencyKey(cause);
    }

    /// <inheritdoc />
    public override string ToString() => Value ?? "(no key)";
}
