using System.Globalization;
using NodaTime;

namespace ServiceLedger.Functions.Adapters.Stripe;

/// <summary>
/// <c>POST /v1/checkout/sessions</c> in payment mode for one line (the deposit). Use <see cref="ForDeposit"/>; the
/// general shape exists so that a test can reproduce the reference's golden wire body field for field.
/// </summary>
public sealed record CheckoutSessionRequest
{
    /// <summary>Our reference for reconciliation (<c>client_reference_id</c>): the contract id.</summary>
    public required string ClientReferenceId { get; init; }

    /// <summary>The amount of the single line item, in minor units; must be positive.</summary>
    public required StripeAmount Amount { get; init; }

    /// <summary>The product name the payer sees (<c>line_items[0][price_data][product_data][name]</c>).</summary>
    public required string ProductName { get; init; }

    /// <summary>Where Stripe redirects after payment; may contain <c>{CHECKOUT_SESSION_ID}</c>. Not proof of payment.</summary>
    public required Uri SuccessUrl { get; init; }

    /// <summary>Where Stripe redirects when the payer gives up.</summary>
    public required Uri CancelUrl { get; init; }

    /// <summary>When the session expires; Stripe accepts 30 minutes to 24 hours after creation.</summary>
    public required Instant ExpiresAt { get; init; }

    /// <summary>Metadata stored on the session (at most 50 keys; keys at most 40 characters, values 500).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Metadata { get; init; } = [];

    /// <summary>Metadata for the PaymentIntent Checkout creates: refunds, disputes and payout reports join back through it.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> PaymentIntentMetadata { get; init; } = [];

    /// <summary>The PaymentIntent's description, when wanted.</summary>
    public string? PaymentIntentDescription { get; init; }

    /// <summary>Payment method types; empty lets the Dashboard's dynamic payment methods decide.</summary>
    public IReadOnlyList<string> PaymentMethodTypes { get; init; } = [];

    /// <summary>Fields to expand in the answer (<c>payment_intent</c>).</summary>
    public IReadOnlyList<string> Expand { get; init; } = [];

    /// <summary>
    /// The deposit session for one contract: <c>client_reference_id</c> and both metadata maps carry the contract and
    /// merchant ids, so that the webhook and every later refund or dispute can be joined back to the contract.
    /// </summary>
    public static CheckoutSessionRequest ForDeposit(
        string contractId, string merchantId, StripeAmount amount, string productName, Uri successUrl, Uri cancelUrl, Instant expiresAt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(contractId);
        ArgumentException.ThrowIfNullOrWhiteSpace(merchantId);
        KeyValuePair<string, string>[] ids = [new(StripeMetadataKeys.ContractId, contractId), new(StripeMetadataKeys.MerchantId, merchantId)];
        return new CheckoutSessionRequest
        {
            ClientReferenceId = contractId,
            Amount = amount,
            ProductName = productName,
            SuccessUrl = successUrl,
            CancelUrl = cancelUrl,
            ExpiresAt = expiresAt,
            Metadata = ids,
            PaymentIntentMetadata = ids,
        };
    }

    /// <summary>The wire form, in stripe-node's field order.</summary>
    public StripeForm ToForm()
    {
        if (Amount.AmountMinor <= 0)
        {
            throw new InvalidOperationException($"A Checkout Session line needs a positive amount, not {Amount}.");
        }

        StripeMetadataKeys.Check(Metadata);
        StripeMetadataKeys.Check(PaymentIntentMetadata);
        var form = new StripeForm()
            .Add("mode", "payment")
            .Add("client_reference_id", ClientReferenceId)
            .Add("success_url", SuccessUrl.OriginalString)
            .Add("cancel_url", CancelUrl.OriginalString)
            .Add("expires_at", ExpiresAt.ToUnixTimeSeconds())
            .Add("line_items[0][quantity]", 1)
            .Add("line_items[0][price_data][currency]", Amount.Currency)
            .Add("line_items[0][price_data][unit_amount]", Amount.AmountMinor)
            .Add("line_items[0][price_data][product_data][name]", ProductName)
            .AddMap("metadata", Metadata)
            .AddMap("payment_intent_data[metadata]", PaymentIntentMetadata)
            .AddIfPresent("payment_intent_data[description]", PaymentIntentDescription);
        return form.AddList("payment_method_types", PaymentMethodTypes).AddList("expand", Expand);
    }
}

/// <summary><c>POST /v1/refunds</c> for a PaymentIntent: all of what remains, or part of it.</summary>
/// <param name="PaymentIntentId">The <c>pi_…</c> to refund.</param>
/// <param name="AmountMinor">Minor units to refund; null refunds everything not yet refunded.</param>
/// <param name="Metadata">Our ids (refund id, contract id), stored on the refund.</param>
public sealed record RefundRequest(string PaymentIntentId, long? AmountMinor, IReadOnlyList<KeyValuePair<string, string>> Metadata)
{
    /// <summary>The wire form.</summary>
    public StripeForm ToForm()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(PaymentIntentId);
        if (AmountMinor is <= 0)
        {
            throw new InvalidOperationException($"A refund amount must be positive, not {AmountMinor}.");
        }

        StripeMetadataKeys.Check(Metadata);
        var form = new StripeForm().Add("payment_intent", PaymentIntentId);
        if (AmountMinor is { } amount)
        {
            form.Add("amount", amount);
        }

        return form.AddMap("metadata", Metadata);
    }
}

/// <summary>
/// <c>GET /v1/balance_transactions</c> filters: a half-open creation range <c>[CreatedFrom, CreatedBefore)</c> and/or
/// one automatic payout, and the page size.
/// </summary>
public sealed record BalanceTransactionQuery
{
    /// <summary>Stripe's largest page.</summary>
    public const int MaxPageSize = 100;

    /// <summary>Only transactions created at or after this instant (<c>created[gte]</c>).</summary>
    public Instant? CreatedFrom { get; init; }

    /// <summary>Only transactions created before this instant (<c>created[lt]</c>).</summary>
    public Instant? CreatedBefore { get; init; }

    /// <summary>Only transactions paid out in this automatic payout (<c>payout=po_…</c>).</summary>
    public string? PayoutId { get; init; }

    /// <summary>Page size, 1 to 100.</summary>
    public int PageSize { get; init; } = MaxPageSize;

    /// <summary>The query string for the page after <paramref name="startingAfter"/> (null for the first page).</summary>
    public StripeForm ToForm(string? startingAfter)
    {
        if (PageSize is < 1 or > MaxPageSize)
        {
            throw new InvalidOperationException($"Stripe pages hold 1 to {MaxPageSize} items, not {PageSize}.");
        }

        var form = new StripeForm();
        if (CreatedFrom is { } from)
        {
            form.Add("created[gte]", from.ToUnixTimeSeconds());
        }

        if (CreatedBefore is { } before)
        {
            form.Add("created[lt]", before.ToUnixTimeSeconds());
        }

        return form.AddIfPresent("payout", PayoutId)
            .Add("limit", PageSize)
            .AddIfPresent("starting_after", startingAfter);
    }
}

/// <summary>The evidence we send for a dispute: one free text, and whether to submit it now (irreversible) or stage it.</summary>
/// <param name="UncategorizedText">The text for <c>evidence[uncategorized_text]</c>, at most 20,000 characters.</param>
/// <param name="Submit">True submits the evidence to the bank; false only saves it.</param>
public sealed record DisputeEvidence(string UncategorizedText, bool Submit)
{
    /// <summary>Stripe's limit for one evidence text field.</summary>
    public const int MaxTextLength = 20_000;

    /// <summary>The wire form.</summary>
    public StripeForm ToForm()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(UncategorizedText);
        if (UncategorizedText.Length > MaxTextLength)
        {
            throw new InvalidOperationException(
                string.Create(CultureInfo.InvariantCulture, $"Dispute evidence text is at most {MaxTextLength} characters, not {UncategorizedText.Length}."));
        }

        return new StripeForm().Add("evidence[uncategorized_text]", UncategorizedText).Add("submit", Submit);
    }
}

/// <summary>The metadata keys we write to Stripe objects, and Stripe's metadata limits.</summary>
public static class StripeMetadataKeys
{
    /// <summary>Our contract id.</summary>
    public const string ContractId = "contract_id";

    /// <summary>Our merchant id.</summary>
    public const string MerchantId = "merchant_id";

    /// <summary>Stripe keeps at most 50 metadata keys.</summary>
    public const int MaxKeys = 50;

    /// <summary>Stripe's longest metadata key.</summary>
    public const int MaxKeyLength = 40;

    /// <summary>Stripe's longest metadata value.</summary>
    public const int MaxValueLength = 500;

    /// <summary>Throws when <paramref name="metadata"/> breaks one of Stripe's limits (a bug in the caller).</summary>
    public static void Check(IReadOnlyList<KeyValuePair<string, string>> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (metadata.Count > MaxKeys)
        {
            throw new ArgumentException($"Stripe keeps at most {MaxKeys} metadata keys.", nameof(metadata));
        }

        foreach (var (key, value) in metadata)
        {
            if (string.IsNullOrEmpty(key) || key.Length > MaxKeyLength || key.Contains('[', StringComparison.Ordinal) || key.Contains(']', StringComparison.Ordinal))
            {
                throw new ArgumentException($"Metadata key '{key}' must be 1 to {MaxKeyLength} characters without brackets.", nameof(metadata));
            }

            if (value.Length > MaxValueLength)
            {
                throw new ArgumentException($"Metadata value of '{key}' is longer than {MaxValueLength} characters.", nameof(metadata));
            }
        }
    }
}
