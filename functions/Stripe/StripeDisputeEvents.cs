using NodaTime;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Parties;
using ServiceLedger.Functions.Adapters.Stripe;
using ServiceLedger.Functions.Deposits;

namespace ServiceLedger.Functions.Stripe;

/// <summary>One dispute event, joined to the contract whose deposit payment is disputed.</summary>
/// <param name="EventId">The <c>evt_…</c>.</param>
/// <param name="EventType">The <c>charge.dispute.*</c> type.</param>
/// <param name="EventCreated">When Stripe created the event (reports arrive in any order; newer wins).</param>
/// <param name="Contract">The contract.</param>
/// <param name="Merchant">Its merchant.</param>
/// <param name="Dispute">The dispute as the event carries it.</param>
public sealed record StripeDisputeNotice(string EventId, string EventType, Instant EventCreated, ContractId Contract, MerchantId Merchant, StripeDispute Dispute);

/// <summary>
/// The seam for dispute records (issue 9): <see cref="ApplyStripeEvent"/> calls it for every <c>charge.dispute.*</c>
/// event after booking any funds movement. The default (<see cref="StoredDisputeStatus"/>) stores the status Stripe
/// reported; a disputes capability replaces the registration (<c>services.Replace(...)</c>) to keep its own records and
/// book outcomes such as a lost dispute (<c>dispute:{id}:resolution</c>). Must be idempotent: events are redelivered.
/// </summary>
public interface IStripeDisputeEvents
{
    /// <summary>Records <paramref name="notice"/>; throwing fails the queue invocation, so it is retried.</summary>
    Task OnDisputeEventAsync(StripeDisputeNotice notice, CancellationToken cancellationToken);
}

/// <summary>Stores each dispute's status as Stripe last reported it, in the deposits table (newer events win).</summary>
public sealed class StoredDisputeStatus(DepositStore store) : IStripeDisputeEvents
{
    /// <inheritdoc />
    public Task OnDisputeEventAsync(StripeDisputeNotice notice, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var dispute = notice.Dispute;
        return store.SaveDisputeStatusAsync(
            notice.Contract, dispute.Id, dispute.Status ?? "unknown", dispute.Amount, (dispute.Currency ?? string.Empty).ToUpperInvariant(), dispute.Reason,
            notice.EventCreated, notice.EventId, cancellationToken);
    }
}
