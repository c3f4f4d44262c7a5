using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServiceLedger.Functions.Adapters.Stripe;

// The fields of Stripe's objects that the product reads (shared/reference/stripe.md §2, §4.1, §5.1). Unknown fields
// are ignored and enum-like values stay strings: the live API may add values at any version.

/// <summary>A Checkout Session (<c>cs_…</c>).</summary>
public sealed record StripeCheckoutSession
{
    /// <summary>The session id.</summary>
    public required string Id { get; init; }

    /// <summary><c>open</c>, <c>complete</c> or <c>expired</c>.</summary>
    public string? Status { get; init; }

    /// <summary><c>paid</c>, <c>unpaid</c> or <c>no_payment_required</c>: the value that decides fulfilment.</summary>
    public string? PaymentStatus { get; init; }

    /// <summary>The hosted payment page, while the session is open.</summary>
    public string? Url { get; init; }

    /// <summary>Our contract id, as sent.</summary>
    public string? ClientReferenceId { get; init; }

    /// <summary>The PaymentIntent id (also when expanded).</summary>
    [JsonConverter(typeof(StripeExpandableIdConverter))]
    public string? PaymentIntent { get; init; }

    /// <summary>Total in minor units.</summary>
    public long? AmountTotal { get; init; }

    /// <summary>Lower-case currency code.</summary>
    public string? Currency { get; init; }

    /// <summary>When the session expires (Unix seconds).</summary>
    public long ExpiresAt { get; init; }

    /// <summary>When the session was created (Unix seconds).</summary>
    public long Created { get; init; }

    /// <summary>Live or test mode.</summary>
    public bool Livemode { get; init; }

    /// <summary>Metadata as sent.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
}

/// <summary>A PaymentIntent (<c>pi_…</c>): read for the charge that paid it, the id Stripe's balance transactions name.</summary>
public sealed record StripePaymentIntent
{
    /// <summary>The PaymentIntent id.</summary>
    public required string Id { get; init; }

    /// <summary><c>succeeded</c>, <c>processing</c>, <c>requires_payment_method</c>, …</summary>
    public string? Status { get; init; }

    /// <summary>The latest charge (<c>ch_…</c> or <c>py_…</c>), null until the first confirmation attempt (also when expanded).</summary>
    [JsonConverter(typeof(StripeExpandableIdConverter))]
    public string? LatestCharge { get; init; }
}

/// <summary>A refund (<c>re_…</c>); it is final only when a later event says so (succeeded can still turn failed).</summary>
public sealed record StripeRefund
{
    /// <summary>The refund id.</summary>
    public required string Id { get; init; }

    /// <summary>Minor units refunded.</summary>
    public long Amount { get; init; }

    /// <summary>Lower-case currency code.</summary>
    public string? Currency { get; init; }

    /// <summary><c>pending</c>, <c>requires_action</c>, <c>succeeded</c>, <c>failed</c> or <c>canceled</c>.</summary>
    public string? Status { get; init; }

    /// <summary>The refunded PaymentIntent.</summary>
    [JsonConverter(typeof(StripeExpandableIdConverter))]
    public string? PaymentIntent { get; init; }

    /// <summary>The refunded charge.</summary>
    [JsonConverter(typeof(StripeExpandableIdConverter))]
    public string? Charge { get; init; }

    /// <summary>The balance transaction of the refund.</summary>
    [JsonConverter(typeof(StripeExpandableIdConverter))]
    public string? BalanceTransaction { get; init; }

    /// <summary>Why a refund failed, when it did.</summary>
    public string? FailureReason { get; init; }

    /// <summary>When the refund was created (Unix seconds).</summary>
    public long Created { get; init; }

    /// <summary>Metadata as sent.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
}

/// <summary>One line of the Stripe balance (<c>txn_…</c>): gross, fee and net in the settlement currency.</summary>
public sealed record StripeBalanceTransaction
{
    /// <summary>The balance transaction id.</summary>
    public required string Id { get; init; }

    /// <summary>Gross amount in minor units, signed.</summary>
    public long Amount { get; init; }

    /// <summary>Stripe's fee in minor units (positive when charged).</summary>
    public long Fee { get; init; }

    /// <summary><c>Amount − Fee</c>: the signed effect on the balance.</summary>
    public long Net { get; init; }

    /// <summary>Lower-case settlement currency.</summary>
    public string? Currency { get; init; }

    /// <summary>The raw type (<c>charge</c>, <c>refund</c>, <c>adjustment</c>, <c>payout</c>, …).</summary>
    public string? Type { get; init; }

    /// <summary>The accounting grouping Stripe recommends (<c>charge</c>, <c>refund</c>, <c>dispute</c>, <c>fee</c>, …).</summary>
    public string? ReportingCategory { get; init; }

    /// <summary>The object that caused it (<c>ch_</c>, <c>re_</c>, <c>dp_</c>, <c>po_</c> …).</summary>
    [JsonConverter(typeof(StripeExpandableIdConverter))]
    public string? Source { get; init; }

    /// <summary><c>available</c> or <c>pending</c>.</summary>
    public string? Status { get; init; }

    /// <summary>Stripe's description.</summary>
    public string? Description { get; init; }

    /// <summary>When it was created (Unix seconds).</summary>
    public long Created { get; init; }

    /// <summary>When the net amount becomes available (Unix seconds).</summary>
    public long AvailableOn { get; init; }

    /// <summary>The fee, itemised.</summary>
    public IReadOnlyList<StripeFeeDetail> FeeDetails { get; init; } = [];
}

/// <summary>One part of a balance transaction's fee.</summary>
/// <param name="Amount">Minor units.</param>
/// <param name="Currency">Lower-case currency code.</param>
/// <param name="Type"><c>stripe_fee</c>, <c>application_fee</c>, <c>tax</c>, …</param>
/// <param name="Description">Stripe's words for it.</param>
public sealed record StripeFeeDetail(long Amount, string? Currency, string? Type, string? Description);

/// <summary>A dispute (<c>dp_…</c>): an inquiry (<c>warning_*</c>) or a chargeback.</summary>
public sealed record StripeDispute
{
    /// <summary>The dispute id.</summary>
    public required string Id { get; init; }

    /// <summary>Disputed minor units (may differ from the charge).</summary>
    public long Amount { get; init; }

    /// <summary>Lower-case currency code.</summary>
    public string? Currency { get; init; }

    /// <summary>The disputed charge.</summary>
    [JsonConverter(typeof(StripeExpandableIdConverter))]
    public string? Charge { get; init; }

    /// <summary>The disputed PaymentIntent.</summary>
    [JsonConverter(typeof(StripeExpandableIdConverter))]
    public string? PaymentIntent { get; init; }

    /// <summary>Status; unknown values are to be read as open.</summary>
    public string? Status { get; init; }

    /// <summary>The card network's reason.</summary>
    public string? Reason { get; init; }

    /// <summary>While true, a full refund stops further withdrawals.</summary>
    public bool IsChargeRefundable { get; init; }

    /// <summary>The evidence held so far.</summary>
    public StripeDisputeEvidence? Evidence { get; init; }

    /// <summary>Deadlines and submission counts.</summary>
    public StripeDisputeEvidenceDetails? EvidenceDetails { get; init; }

    /// <summary>The withdrawal and reinstatement lines (0 to 2).</summary>
    public IReadOnlyList<StripeBalanceTransaction> BalanceTransactions { get; init; } = [];

    /// <summary>When the dispute was opened (Unix seconds).</summary>
    public long Created { get; init; }

    /// <summary>Metadata.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
}

/// <summary>The one evidence field the product writes.</summary>
/// <param name="UncategorizedText">Free text evidence.</param>
public sealed record StripeDisputeEvidence(string? UncategorizedText);

/// <summary>Where a dispute's evidence stands.</summary>
/// <param name="DueBy">Deadline (Unix seconds), if any.</param>
/// <param name="HasEvidence">Whether evidence is saved.</param>
/// <param name="PastDue">Whether the deadline passed.</param>
/// <param name="SubmissionCount">How many times evidence was submitted.</param>
public sealed record StripeDisputeEvidenceDetails(long? DueBy, bool HasEvidence, bool PastDue, int SubmissionCount);

/// <summary>One page of a Stripe list (<c>{object:"list", data, has_more}</c>).</summary>
/// <typeparam name="T">The item type.</typeparam>
/// <param name="Data">The items, newest first.</param>
/// <param name="HasMore">Whether another page follows (ask with <c>starting_after</c> = the last id).</param>
public sealed record StripeList<T>(IReadOnlyList<T> Data, bool HasMore);

/// <summary>Reads a field that is an id, or the expanded object whose <c>id</c> it is.</summary>
public sealed class StripeExpandableIdConverter : JsonConverter<string?>
{
    /// <inheritdoc />
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.StartObject:
                using (var expanded = JsonDocument.ParseValue(ref reader))
                {
                    return expanded.RootElement.TryGetProperty("id", out var id) ? id.GetString() : null;
                }

            default:
                throw new JsonException($"Expected an id or an expanded object, found {reader.TokenType}.");
        }
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value);
    }
}
