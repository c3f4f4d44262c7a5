namespace ServiceLedger.Functions.Disputes;

using System.Text.Json;
using NodaTime;
using NodaTime.Text;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Disputes;
using ServiceLedger.Domain.Money;
using ServiceLedger.Domain.Parties;
using ServiceLedger.Functions.Contracts;

// The JSON shape of a dispute: what the API answers and, deliberately, what the Table adapter stores (one mapping to
// test; add fields, never rename). The API filters actions by the reader's role before answering (internal notes are
// finance-only). Dates are yyyy-MM-dd, instants UTC ISO 8601, enums their names, money as MoneyView.

/// <summary>A dispute as JSON.</summary>
public sealed record DisputeView
{
    /// <summary>The dispute id (<c>dsp_…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The contract id.</summary>
    public required string ContractId { get; init; }

    /// <summary>The merchant id.</summary>
    public required string MerchantId { get; init; }

    /// <summary>The vendor id.</summary>
    public required string VendorId { get; init; }

    /// <summary>The contested statement and line (line absent for the whole statement); absent for a chargeback.</summary>
    public SubjectView? Subject { get; init; }

    /// <summary>The reason category.</summary>
    public required string Reason { get; init; }

    /// <summary>The amount contested.</summary>
    public required MoneyView Contested { get; init; }

    /// <summary>The amount on hold now (derived; ignored when stored).</summary>
    public MoneyView? OnHold { get; init; }

    /// <summary>Where the dispute is.</summary>
    public required string State { get; init; }

    /// <summary>The day it entered its state.</summary>
    public required string StateSince { get; init; }

    /// <summary>The last day for a response in this state, when there is one.</summary>
    public string? ResponseDueOn { get; init; }

    /// <summary>The decision, once resolved.</summary>
    public string? Outcome { get; init; }

    /// <summary>The amount credited, once resolved.</summary>
    public MoneyView? ResolvedAmount { get; init; }

    /// <summary>The chargeback as Stripe reports it, for chargebacks.</summary>
    public ChargebackView? Chargeback { get; init; }

    /// <summary>When Stripe's newest applied observation was made.</summary>
    public string? StripeObservedAt { get; init; }

    /// <summary>Raised by every action; what <c>If-Match</c> may quote.</summary>
    public required int Revision { get; init; }

    /// <summary>The actions the reader may see, oldest first.</summary>
    public required IReadOnlyList<DisputeActionView> Actions { get; init; }
}

/// <summary>The contested statement line.</summary>
/// <param name="StatementId">The statement.</param>
/// <param name="Line">The line number (1-based); absent for the whole statement.</param>
public sealed record SubjectView(string StatementId, int? Line);

/// <summary>A chargeback's Stripe facts.</summary>
/// <param name="StripeDisputeId">Stripe's dispute id.</param>
/// <param name="ChargeId">The disputed charge.</param>
/// <param name="Status">Stripe's status, verbatim.</param>
/// <param name="EvidenceDueBy">When evidence must reach Stripe.</param>
/// <param name="IsInquiry">True for an inquiry (no money moved).</param>
public sealed record ChargebackView(string StripeDisputeId, string ChargeId, string Status, string? EvidenceDueBy, bool IsInquiry);

/// <summary>One recorded action.</summary>
/// <param name="Action">What was done.</param>
/// <param name="From">State before.</param>
/// <param name="To">State after.</param>
/// <param name="By">Who.</param>
/// <param name="At">When (UTC).</param>
/// <param name="Text">The text, when any.</param>
/// <param name="Documents">Referenced documents.</param>
/// <param name="Visibility">parties or financeOnly.</param>
public sealed record DisputeActionView(string Action, string From, string To, ActorView By, string At, string? Text, IReadOnlyList<DocumentView> Documents, string Visibility);

/// <summary>A referenced document.</summary>
/// <param name="Name">The file name.</param>
/// <param name="ContentType">The media type.</param>
/// <param name="SizeBytes">The size.</param>
/// <param name="Sha256">SHA-256, lower-case hex.</param>
public sealed record DocumentView(string? Name, string? ContentType, long SizeBytes, string? Sha256);

/// <summary>Maps disputes to and from <see cref="DisputeView"/>.</summary>
public static class DisputeJson
{
    /// <summary>Options for storing and answering disputes: web defaults (camelCase), nulls left out.</summary>
    public static JsonSerializerOptions Options => ContractJson.Options;

    /// <summary>The JSON view of a dispute with the actions <paramref name="reader"/> may see (finance sees all).</summary>
    public static DisputeView ToView(Dispute dispute, ActorRole reader)
    {
        ArgumentNullException.ThrowIfNull(dispute);
        return new DisputeView
        {
            Id = dispute.Id.Value,
            ContractId = dispute.Contract.Value,
            MerchantId = dispute.Merchant.Value,
            VendorId = dispute.Vendor.Value,
            Subject = dispute.Subject is { } subject ? new SubjectView(subject.StatementId, subject.Line) : null,
            Reason = dispute.Reason.ToString(),
            Contested = MoneyView.Of(dispute.Contested),
            OnHold = MoneyView.Of(dispute.OnHold),
            State = dispute.State.ToString(),
            StateSince = LocalDatePattern.Iso.Format(dispute.StateSince),
            ResponseDueOn = dispute.ResponseDueOn is { } due ? LocalDatePattern.Iso.Format(due) : null,
            Outcome = dispute.Outcome?.ToString(),
            ResolvedAmount = dispute.ResolvedAmount is { } resolved ? MoneyView.Of(resolved) : null,
            Chargeback = dispute.Chargeback is { } facts
                ? new ChargebackView(facts.StripeDisputeId, facts.ChargeId, facts.Status, facts.EvidenceDueBy is { } dueBy ? Format(dueBy) : null, facts.IsInquiry)
                : null,
            StripeObservedAt = dispute.StripeObservedAt is { } observed ? Format(observed) : null,
            Revision = dispute.Revision,
            Actions = dispute.ActionsVisibleTo(reader).Select(action => new DisputeActionView(
                action.Action,
                action.From.ToString(),
                action.To.ToString(),
                new ActorView(action.By.Role.ToString().ToLowerInvariant(), action.By.Subject),
                Format(action.At),
                action.Text,
                action.Documents.Select(document => new DocumentView(document.Name, document.ContentType, document.SizeBytes, document.Sha256)).ToArray(),
                action.Visibility == DisputeVisibility.FinanceOnly ? "financeOnly" : "parties")).ToArray(),
        };
    }

    /// <summary>Rebuilds a stored dispute from its full (finance) view; throws when the stored text was altered.</summary>
    public static Dispute FromView(DisputeView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        return Dispute.Restore(
            DisputeId.TryParse(view.Id, out var id) ? id : throw Broken(view.Id, "id"),
            ContractId.TryParse(view.ContractId, out var contract) ? contract : throw Broken(view.Id, "contractId"),
            MerchantId.TryParse(view.MerchantId, out var merchant) ? merchant : throw Broken(view.Id, "merchantId"),
            VendorId.TryParse(view.VendorId, out var vendor) ? vendor : throw Broken(view.Id, "vendorId"),
            view.Subject is { } subject ? new DisputeSubject(subject.StatementId, subject.Line) : null,
            Enum.Parse<DisputeReason>(view.Reason),
            ParseMoney(view.Contested),
            Enum.Parse<DisputeState>(view.State),
            LocalDatePattern.Iso.Parse(view.StateSince).GetValueOrThrow(),
            view.ResponseDueOn is { } due ? LocalDatePattern.Iso.Parse(due).GetValueOrThrow() : null,
            view.Outcome is { } outcome ? Enum.Parse<DisputeOutcome>(outcome) : null,
            view.ResolvedAmount is { } resolved ? ParseMoney(resolved) : null,
            view.Chargeback is { } facts
                ? new ChargebackFacts(facts.StripeDisputeId, facts.ChargeId, facts.Status, facts.EvidenceDueBy is { } dueBy ? ParseInstant(dueBy) : null, facts.IsInquiry)
                : null,
            view.StripeObservedAt is { } observed ? ParseInstant(observed) : null,
            view.Actions.Select(action => new DisputeAction(
                action.Action,
                Enum.Parse<DisputeState>(action.From),
                Enum.Parse<DisputeState>(action.To),
                Actor.Create(Enum.Parse<ActorRole>(action.By.Role, ignoreCase: true), action.By.Subject, "by").Value,
                ParseInstant(action.At),
                action.Text,
                action.Documents.Select(document => new EvidenceDocument(document.Name!, document.ContentType!, document.SizeBytes, document.Sha256!)).ToArray(),
                action.Visibility == "financeOnly" ? DisputeVisibility.FinanceOnly : DisputeVisibility.Parties)).ToArray(),
            view.Revision);
    }

    private static string Format(Instant instant) => InstantPattern.ExtendedIso.Format(instant);

    private static Instant ParseInstant(string text) => InstantPattern.ExtendedIso.Parse(text).GetValueOrThrow();

    private static Money ParseMoney(MoneyView view) => Money.Parse(view.Amount, view.Currency, "amount").Value;

    private static InvalidOperationException Broken(string id, string field) => new($"Stored dispute {id} has an unreadable {field}.");
}
