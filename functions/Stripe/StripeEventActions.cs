using System.Text.Json;
using NodaTime;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Parties;
using ServiceLedger.Functions.Adapters.Stripe;

namespace ServiceLedger.Functions.Stripe;

/// <summary>
/// What one Stripe event asks of us, decided from the event text alone (no I/O), so the dispatch is unit-tested:
/// <see cref="StripeEventActions.Read"/> turns a verified, stored event into one of these; <see cref="ApplyStripeEvent"/>
/// carries it out. Dates are UTC calendar dates of Stripe's Unix timestamps.
/// </summary>
public abstract record StripeEventAction
{
    private StripeEventAction()
    {
    }

    /// <summary>A deposit session was paid: book it, mark the attempt paid, activate the contract.</summary>
    /// <param name="SessionId">The <c>cs_…</c>.</param>
    /// <param name="Contract">The contract (session metadata <c>contract_id</c>, else <c>client_reference_id</c>).</param>
    /// <param name="Merchant">The merchant (metadata <c>merchant_id</c>).</param>
    /// <param name="Amount">The session total.</param>
    /// <param name="PaymentIntentId">The PaymentIntent, when present.</param>
    /// <param name="EffectiveDate">The day Stripe reported the payment (the event's creation date).</param>
    public sealed record PayDeposit(string SessionId, ContractId Contract, MerchantId Merchant, StripeAmount Amount, string? PaymentIntentId, LocalDate EffectiveDate) : StripeEventAction;

    /// <summary>A session completed with a delayed payment method: nothing is paid yet.</summary>
    /// <param name="SessionId">The <c>cs_…</c>.</param>
    /// <param name="Contract">The contract.</param>
    public sealed record AwaitAsyncPayment(string SessionId, ContractId Contract) : StripeEventAction;

    /// <summary>A session expired, or its delayed payment failed: the merchant may start a new checkout.</summary>
    /// <param name="SessionId">The <c>cs_…</c>.</param>
    /// <param name="Contract">The contract.</param>
    /// <param name="Status"><c>expired</c> or <c>failed</c> (see <c>CheckoutStatus</c>).</param>
    public sealed record CloseCheckout(string SessionId, ContractId Contract, string Status) : StripeEventAction;

    /// <summary>A refund's status as Stripe reports it.</summary>
    /// <param name="RefundId">The <c>re_…</c>.</param>
    /// <param name="Status">Stripe's status: <c>succeeded</c> books it; <c>failed</c>/<c>canceled</c> book it and its failure (net zero); others wait.</param>
    /// <param name="Amount">The refund amount.</param>
    /// <param name="Contract">From the refund's metadata (we set it when we create refunds), if present.</param>
    /// <param name="Merchant">From the refund's metadata, if present.</param>
    /// <param name="RequestId">Finance's request id from the metadata, if present.</param>
    /// <param name="PaymentIntentId">The refunded PaymentIntent: the join to the deposit when the metadata is missing.</param>
    /// <param name="CreatedOn">The refund's creation date: the effective date of the refunded entry, the same in every event.</param>
    /// <param name="EventOn">The event's date: the effective date of a failure.</param>
    public sealed record ChangeRefund(
        string RefundId, string Status, StripeAmount Amount, ContractId? Contract, MerchantId? Merchant, string? RequestId, string? PaymentIntentId, LocalDate CreatedOn, LocalDate EventOn)
        : StripeEventAction;

    /// <summary>Stripe charged a processing fee on a balance transaction the event carries expanded.</summary>
    /// <param name="BalanceTransactionId">The <c>txn_…</c>.</param>
    /// <param name="Fee">The fee (positive).</param>
    /// <param name="SourceId">The charge it was taken on.</param>
    /// <param name="EffectiveDate">The balance transaction's creation date.</param>
    public sealed record ChargeFee(string BalanceTransactionId, StripeAmount Fee, string SourceId, LocalDate EffectiveDate) : StripeEventAction;

    /// <summary>A payout paid (or failed after or instead of being paid).</summary>
    /// <param name="PayoutId">The <c>po_…</c>.</param>
    /// <param name="Amount">The payout amount.</param>
    /// <param name="ArrivalOn">Its arrival date: the effective date of the paid entry, the same in every event.</param>
    /// <param name="Failed">True for <c>payout.failed</c>.</param>
    /// <param name="EventOn">The event's date: the effective date of a failure.</param>
    public sealed record PayOut(string PayoutId, StripeAmount Amount, LocalDate ArrivalOn, bool Failed, LocalDate EventOn) : StripeEventAction;

    /// <summary>A dispute event: its status is stored as reported; funds withdrawn/reinstated also move money.</summary>
    /// <param name="Dispute">The dispute as the event carries it.</param>
    /// <param name="Movement"><c>funds-withdrawn</c>, <c>funds-reinstated</c>, or null when no money moved.</param>
    /// <param name="Fee">The dispute fee withdrawn, or returned (minor units, non-negative; 0 when none).</param>
    /// <param name="EffectiveDate">The balance transaction's date for a movement, else the event's.</param>
    /// <param name="EventCreated">The event's creation instant (newer reports win).</param>
    public sealed record ReportDispute(StripeDispute Dispute, string? Movement, long Fee, LocalDate EffectiveDate, Instant EventCreated) : StripeEventAction;

    /// <summary>Nothing to do: an unknown type, or a known type that carries nothing for us.</summary>
    /// <param name="Reason">Why, for the stored outcome and the log.</param>
    public sealed record Ignore(string Reason) : StripeEventAction;

    /// <summary>Several actions from one event (a <c>charge.refunded</c> with its refunds expanded).</summary>
    /// <param name="Actions">The actions, in the event's order.</param>
    public sealed record Several(IReadOnlyList<StripeEventAction> Actions) : StripeEventAction;
}

/// <summary>The id, type and creation time of a stored event, and what it asks of us.</summary>
/// <param name="EventId">The <c>evt_…</c>.</param>
/// <param name="Type">The event type.</param>
/// <param name="Created">When Stripe created the event.</param>
/// <param name="Action">What to do.</param>
public sealed record StripeEventReading(string EventId, string Type, Instant Created, StripeEventAction Action);

/// <summary>Reads a stored Stripe event into a <see cref="StripeEventAction"/> (docs/deposits.md, "Event table").</summary>
public static class StripeEventActions
{
    /// <summary>Most refunds of one <c>charge.refunded</c> event considered (Stripe's expanded list holds at most 10 unless paged).</summary>
    public const int MaxRefundsPerCharge = 100;

    /// <summary>
    /// The action <paramref name="eventJson"/> asks for. Throws <see cref="JsonException"/> when the text is not an event
    /// with an id, a type and a data object (it was verified and stored, so that is a bug or a Stripe format change).
    /// </summary>
    public static StripeEventReading Read(string eventJson)
    {
        using var document = JsonDocument.Parse(eventJson);
        var root = document.RootElement;
        var id = Text(root, "id") ?? throw new JsonException("The event has no id.");
        var type = Text(root, "type") ?? throw new JsonException($"Event {id} has no type.");
        var created = Instant.FromUnixTimeSeconds(root.TryGetProperty("created", out var c) && c.TryGetInt64(out var s) ? s : 0);
        if (!root.TryGetProperty("data", out var data) || !data.TryGetProperty("object", out var dataObject) || dataObject.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException($"Event {id} ({type}) has no data.object.");
        }

        return new StripeEventReading(id, type, created, Decide(type, dataObject, created));
    }

    private static StripeEventAction Decide(string type, JsonElement dataObject, Instant created)
    {
        var eventOn = created.InUtc().Date;
        return type switch
        {
            "checkout.session.completed" => Session(dataObject, session => session.PaymentStatus == "paid"
                ? Paid(session, eventOn)
                : session.PaymentStatus == "unpaid"
                    ? (contract, _) => new StripeEventAction.AwaitAsyncPayment(session.Id, contract)
                    : (_, _) => new StripeEventAction.Ignore($"Session {session.Id} completed with payment_status '{session.PaymentStatus}': nothing was paid.")),
            "checkout.session.async_payment_succeeded" => Session(dataObject, session => Paid(session, eventOn)),
            "checkout.session.async_payment_failed" => Session(dataObject, session => (contract, _) => new StripeEventAction.CloseCheckout(session.Id, contract, "failed")),
            "checkout.session.expired" => Session(dataObject, session => (contract, _) => new StripeEventAction.CloseCheckout(session.Id, contract, "expired")),
            "refund.created" or "refund.updated" or "refund.failed" or "charge.refund.updated" => Refund(Deserialize<StripeRefund>(dataObject), eventOn),
            "charge.refunded" => ChargeRefunds(dataObject, eventOn),
            "charge.succeeded" or "charge.updated" => ChargeFee(dataObject),
            "payout.paid" or "payout.failed" => Payout(dataObject, type == "payout.failed", eventOn),
            _ when type.StartsWith("charge.dispute.", StringComparison.Ordinal) => Dispute(Deserialize<StripeDispute>(dataObject), type, created),
            _ => new StripeEventAction.Ignore($"Events of type {type} move no money we book; stored and acknowledged."),
        };
    }

    private static Func<ContractId, MerchantId?, StripeEventAction> Paid(StripeCheckoutSession session, LocalDate eventOn) =>
        (contract, merchant) =>
            merchant is not { } known
                ? new StripeEventAction.Ignore($"Session {session.Id} carries no merchant_id in its metadata: not a deposit session we created.")
                : session.AmountTotal is not > 0 || string.IsNullOrEmpty(session.Currency)
                    ? new StripeEventAction.Ignore($"Session {session.Id} carries no positive amount_total and currency.")
                    : new StripeEventAction.PayDeposit(session.Id, contract, known, new StripeAmount(session.AmountTotal.Value, session.Currency), session.PaymentIntent, eventOn);

    private static StripeEventAction Session(JsonElement dataObject, Func<StripeCheckoutSession, Func<ContractId, MerchantId?, StripeEventAction>> decide)
    {
        var session = Deserialize<StripeCheckoutSession>(dataObject);
        var contractText = session.Metadata.GetValueOrDefault(StripeMetadataKeys.ContractId) ?? session.ClientReferenceId;
        if (!ContractId.TryParse(contractText, out var contract))
        {
            return new StripeEventAction.Ignore($"Session {session.Id} names no contract of ours (metadata contract_id / client_reference_id).");
        }

        MerchantId? merchant = MerchantId.TryParse(session.Metadata.GetValueOrDefault(StripeMetadataKeys.MerchantId), out var m) ? m : null;
        return decide(session)(contract, merchant);
    }

    private static StripeEventAction Refund(StripeRefund refund, LocalDate eventOn)
    {
        if (string.IsNullOrEmpty(refund.Currency) || refund.Amount <= 0)
        {
            return new StripeEventAction.Ignore($"Refund {refund.Id} carries no positive amount and currency.");
        }

        ContractId? contract = ContractId.TryParse(refund.Metadata.GetValueOrDefault(StripeMetadataKeys.ContractId), out var c) ? c : null;
        MerchantId? merchant = MerchantId.TryParse(refund.Metadata.GetValueOrDefault(StripeMetadataKeys.MerchantId), out var m) ? m : null;
        return new StripeEventAction.ChangeRefund(
            refund.Id, refund.Status ?? "pending", new StripeAmount(refund.Amount, refund.Currency), contract, merchant,
            refund.Metadata.GetValueOrDefault(RequestIdKey), refund.PaymentIntent, Instant.FromUnixTimeSeconds(refund.Created).InUtc().Date, eventOn);
    }

    /// <summary>The refund metadata key that carries finance's request id.</summary>
    public const string RequestIdKey = "request_id";

    private static StripeEventAction ChargeRefunds(JsonElement charge, LocalDate eventOn)
    {
        // Since API 2022-11-15 a charge does not embed its refunds; refund.* events carry each one. Expanded ones are used.
        if (!charge.TryGetProperty("refunds", out var refunds) || !refunds.TryGetProperty("data", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            return new StripeEventAction.Ignore("charge.refunded without expanded refunds: each refund is booked from its refund.* event.");
        }

        var actions = list.EnumerateArray().Take(MaxRefundsPerCharge).Select(item => Refund(Deserialize<StripeRefund>(item), eventOn)).ToArray();
        return actions.Length == 0 ? new StripeEventAction.Ignore("charge.refunded lists no refunds.") : new StripeEventAction.Several(actions);
    }

    private static StripeEventAction ChargeFee(JsonElement charge)
    {
        var chargeId = Text(charge, "id") ?? "unknown charge";
        if (!charge.TryGetProperty("balance_transaction", out var transaction) || transaction.ValueKind != JsonValueKind.Object)
        {
            return new StripeEventAction.Ignore($"Charge {chargeId} does not carry its balance transaction expanded: no fee to book from this event.");
        }

        var balance = Deserialize<StripeBalanceTransaction>(transaction);
        return balance.Fee > 0 && !string.IsNullOrEmpty(balance.Currency)
            ? new StripeEventAction.ChargeFee(balance.Id, new StripeAmount(balance.Fee, balance.Currency), chargeId, Instant.FromUnixTimeSeconds(balance.Created).InUtc().Date)
            : new StripeEventAction.Ignore($"Charge {chargeId}'s balance transaction {balance.Id} has no fee.");
    }

    private static StripeEventAction Payout(JsonElement payout, bool failed, LocalDate eventOn)
    {
        var id = Text(payout, "id") ?? throw new JsonException("A payout without an id.");
        var amount = payout.TryGetProperty("amount", out var a) && a.TryGetInt64(out var minor) ? minor : 0;
        var currency = Text(payout, "currency");
        var arrival = payout.TryGetProperty("arrival_date", out var d) && d.TryGetInt64(out var seconds) ? Instant.FromUnixTimeSeconds(seconds).InUtc().Date : eventOn;
        return amount > 0 && !string.IsNullOrEmpty(currency)
            ? new StripeEventAction.PayOut(id, new StripeAmount(amount, currency), arrival, failed, eventOn)
            : new StripeEventAction.Ignore($"Payout {id} carries no positive amount and currency.");
    }

    private static StripeEventAction.ReportDispute Dispute(StripeDispute dispute, string type, Instant created)
    {
        var (movement, category) = type switch
        {
            "charge.dispute.funds_withdrawn" => ("funds-withdrawn", "dispute"),
            "charge.dispute.funds_reinstated" => ("funds-reinstated", "dispute_reversal"),
            _ => ((string?)null, (string?)null),
        };
        var line = category is null ? null : dispute.BalanceTransactions.FirstOrDefault(t => t.ReportingCategory == category);

        // A withdrawal's fee is charged (positive); a reinstatement returns it (Stripe writes it as a negative fee).
        var fee = line is null ? 0 : Math.Abs(line.Fee);
        var effective = (line is null ? created : Instant.FromUnixTimeSeconds(line.Created)).InUtc().Date;
        return new StripeEventAction.ReportDispute(dispute, movement, fee, effective, created);
    }

    private static T Deserialize<T>(JsonElement element) =>
        element.Deserialize<T>(StripeClient.SerializerOptions) ?? throw new JsonException($"Cannot read a {typeof(T).Name}.");

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
