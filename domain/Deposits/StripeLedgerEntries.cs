using NodaTime;
using ServiceLedger.Domain.Ledger;

namespace ServiceLedger.Domain.Deposits;

using ServiceLedger.Domain.Money;

/// <summary>
/// The journal entry each Stripe money movement causes (docs/ledger.md, "flows"), as pure functions of facts the
/// hosting layer has read from a verified event. Every entry is keyed <c>stripe:{eventId}</c>, so applying the same
/// event twice writes once; entries of different events commute (each posts fixed amounts, none reads a balance), so
/// out-of-order delivery (a refund before the payment it refunds) ends in the same balances as in-order delivery.
/// Amounts must be positive; a fee of zero adds no posting. Refusals come back as values from the ledger's own rules.
/// </summary>
public static class StripeLedgerEntries
{
    /// <summary>
    /// A deposit paid (<c>checkout.session.completed</c> with <c>payment_status=paid</c>, or
    /// <c>checkout.session.async_payment_succeeded</c>): Dr stripe-clearing / Cr merchant deposit, plus the charge's
    /// processing fee (Dr processing-fees / Cr stripe-clearing) when known and non-zero, in the contract's book.
    /// </summary>
    public static Validated<ProposedEntry> DepositPaid(
        string eventId, string contractId, string merchantId, Money amount, Money processingFee, LocalDate effectiveDate, string stripeObjectId)
    {
        var postings = new List<Posting>
        {
            Posting.Debit(AccountId.PlatformStripeClearing, amount),
            Posting.Credit(AccountId.MerchantDeposit(merchantId), amount),
        };
        AddIfNonZero(postings, AccountId.PlatformProcessingFees, AccountId.PlatformStripeClearing, processingFee);
        return Entry(eventId, BookId.ForContract(contractId), effectiveDate, $"Deposit paid through Stripe ({stripeObjectId})", postings, stripeObjectId);
    }

    /// <summary>A deposit refunded and confirmed by Stripe (refund succeeded): Dr merchant deposit / Cr stripe-clearing, in the contract's book.</summary>
    public static Validated<ProposedEntry> DepositRefunded(
        string eventId, string contractId, string merchantId, Money amount, LocalDate effectiveDate, string refundId) =>
        Entry(
            eventId,
            BookId.ForContract(contractId),
            effectiveDate,
            $"Deposit refunded through Stripe ({refundId})",
            [Posting.Debit(AccountId.MerchantDeposit(merchantId), amount), Posting.Credit(AccountId.PlatformStripeClearing, amount)],
            refundId);

    /// <summary>A payout landed (<c>payout.paid</c>): Dr bank / Cr stripe-clearing for the payout amount (net of fees), in <c>platform:stripe</c>.</summary>
    public static Validated<ProposedEntry> PayoutPaid(string eventId, Money amount, LocalDate effectiveDate, string payoutId) =>
        Entry(
            eventId,
            BookId.PlatformStripe,
            effectiveDate,
            $"Stripe payout to the bank ({payoutId})",
            [Posting.Debit(AccountId.PlatformBank, amount), Posting.Credit(AccountId.PlatformStripeClearing, amount)],
            payoutId);

    /// <summary>
    /// A chargeback's funds withdrawn (<c>charge.dispute.funds_withdrawn</c>): Dr disputed-funds (amount) + Dr
    /// dispute-fees (fee, when non-zero) / Cr stripe-clearing (both), in the contract's book. Inquiries move no money
    /// and have no entry.
    /// </summary>
    public static Validated<ProposedEntry> DisputeFundsWithdrawn(
        string eventId, string contractId, Money amount, Money disputeFee, LocalDate effectiveDate, string disputeId)
    {
        var postings = new List<Posting>
        {
            Posting.Debit(AccountId.PlatformDisputedFunds, amount),
            Posting.Credit(AccountId.PlatformStripeClearing, amount),
        };
        AddIfNonZero(postings, AccountId.PlatformDisputeFees, AccountId.PlatformStripeClearing, disputeFee);
        return Entry(eventId, BookId.ForContract(contractId), effectiveDate, $"Stripe withdrew funds for dispute {disputeId}", postings, disputeId);
    }

    /// <summary>
    /// A won dispute's funds reinstated (<c>charge.dispute.funds_reinstated</c>): Dr stripe-clearing / Cr
    /// disputed-funds, and the fee back (Cr dispute-fees) when Stripe returns it, in the contract's book.
    /// </summary>
    public static Validated<ProposedEntry> DisputeFundsReinstated(
        string eventId, string contractId, Money amount, Money feeReturned, LocalDate effectiveDate, string disputeId)
    {
        var postings = new List<Posting>
        {
            Posting.Debit(AccountId.PlatformStripeClearing, amount),
            Posting.Credit(AccountId.PlatformDisputedFunds, amount),
        };
        AddIfNonZero(postings, AccountId.PlatformStripeClearing, AccountId.PlatformDisputeFees, feeReturned);
        return Entry(eventId, BookId.ForContract(contractId), effectiveDate, $"Stripe reinstated funds for dispute {disputeId}", postings, disputeId);
    }

    private static void AddIfNonZero(List<Posting> postings, AccountId debit, AccountId credit, Money amount)
    {
        if (amount.IsZero)
        {
            return;
        }

        postings.Add(Posting.Debit(debit, amount));
        postings.Add(Posting.Credit(credit, amount));
    }

    private static Validated<ProposedEntry> Entry(
        string eventId, BookId book, LocalDate effectiveDate, string description, IReadOnlyList<Posting> postings, string stripeObjectId) =>
        ProposedEntry.Create(
            book,
            IdempotencyKey.ForStripeEvent(eventId),
            effectiveDate,
            description,
            postings,
            [SourceReference.StripeEvent(eventId), SourceReference.StripeObject(stripeObjectId)]);
}
