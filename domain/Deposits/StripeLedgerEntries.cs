using NodaTime;
using ServiceLedger.Domain.Ledger;

namespace ServiceLedger.Domain.Deposits;

using ServiceLedger.Domain.Money;

/// <summary>
/// The journal entry each Stripe money movement causes (docs/ledger.md, "flows"; docs/stripe.md, "Applying events"), as
/// pure functions of facts the hosting layer has read from a verified event. Each entry is keyed by the Stripe
/// <b>object</b> that moved the money and the movement, <c>stripe:{objectId}:{movement}</c> (e.g.
/// <c>stripe:cs_…:paid</c>, <c>stripe:re_…:refunded</c>), not by the event: Stripe may send two different events for
/// one movement (<c>checkout.session.completed</c> and <c>…async_payment_succeeded</c>; <c>charge.refunded</c> and
/// <c>refund.updated</c>), and the second must write nothing. The content (description, references, date) is a
/// function of the object alone, so a repeated movement normally meets "already appended". Entries commute (each posts
/// fixed amounts, none reads a balance), so out-of-order delivery ends in the same balances as in-order delivery.
/// Amounts must be positive; a fee of zero adds no posting. Refusals come back as values from the ledger's own rules.
/// </summary>
public static class StripeLedgerEntries
{
    /// <summary>
    /// The reference kind naming the charge (<c>ch_…</c>/<c>py_…</c>) that paid a deposit: kept apart from
    /// <c>stripe-object</c>, which stays the session, so the deposit register and existing entries read as before.
    /// </summary>
    public const string ChargeReferenceKind = "stripe-charge";

    /// <summary>Movement name of a paid Checkout Session.</summary>
    public const string Paid = "paid";

    /// <summary>Movement name of a refund Stripe confirmed.</summary>
    public const string Refunded = "refunded";

    /// <summary>Movement name of a refund that failed after it had succeeded (the money is back in the deposit).</summary>
    public const string RefundFailed = "refund-failed";

    /// <summary>Movement name of Stripe's processing fee on a balance transaction.</summary>
    public const string Fee = "fee";

    /// <summary>Movement name of a payout that failed (the money is back in the Stripe balance).</summary>
    public const string PayoutFailedMovement = "failed";

    /// <summary>Movement name of a dispute's funds withdrawn.</summary>
    public const string FundsWithdrawn = "funds-withdrawn";

    /// <summary>Movement name of a dispute's funds reinstated.</summary>
    public const string FundsReinstated = "funds-reinstated";

    /// <summary>
    /// <c>stripe:{objectId}:{movement}</c>; throws for an object id or movement that cannot be part of a key (a bug: ids
    /// come from a verified Stripe event and are checked before this is called).
    /// </summary>
    public static IdempotencyKey KeyFor(string stripeObjectId, string movement) =>
        IdempotencyKey.TryParse($"stripe:{stripeObjectId}:{movement}", out var key)
            ? key
            : throw new ArgumentException($"'{stripeObjectId}' / '{movement}' cannot form a Stripe idempotency key.", nameof(stripeObjectId));

    /// <summary>
    /// A deposit paid (<c>checkout.session.completed</c> with <c>payment_status=paid</c>, or
    /// <c>checkout.session.async_payment_succeeded</c>): Dr stripe-clearing / Cr merchant deposit, in the contract's
    /// book, keyed <c>stripe:{sessionId}:paid</c> whether or not the charge is known. The entry names the session, and —
    /// when <paramref name="chargeId"/> is known (the PaymentIntent's latest charge) — the charge under
    /// <see cref="ChargeReferenceKind"/>: Stripe's balance transaction names the charge, never the session, so that is
    /// the id reconciliation joins on. The processing fee is a separate entry (<see cref="ProcessingFee"/>).
    /// </summary>
    public static Validated<ProposedEntry> DepositPaid(string sessionId, string contractId, string merchantId, Money amount, LocalDate effectiveDate, string? chargeId = null) =>
        ProposedEntry.Create(
            BookId.ForContract(contractId),
            KeyFor(sessionId, Paid),
            effectiveDate,
            $"Deposit paid through Stripe Checkout ({sessionId})",
            [Posting.Debit(AccountId.PlatformStripeClearing, amount), Posting.Credit(AccountId.MerchantDeposit(merchantId), amount)],
            chargeId is null
                ? [SourceReference.StripeObject(sessionId)]
                : [SourceReference.StripeObject(sessionId), SourceReference.Of(ChargeReferenceKind, chargeId)]);

    /// <summary>A deposit refund confirmed by Stripe (status succeeded): Dr merchant deposit / Cr stripe-clearing, in the contract's book, keyed <c>stripe:{refundId}:refunded</c>.</summary>
    public static Validated<ProposedEntry> DepositRefunded(string refundId, string contractId, string merchantId, Money amount, LocalDate effectiveDate) =>
        Entry(
            KeyFor(refundId, Refunded),
            BookId.ForContract(contractId),
            effectiveDate,
            $"Deposit refunded through Stripe ({refundId})",
            [Posting.Debit(AccountId.MerchantDeposit(merchantId), amount), Posting.Credit(AccountId.PlatformStripeClearing, amount)],
            refundId);

    /// <summary>
    /// A deposit refund that failed after it had been booked: Dr stripe-clearing / Cr merchant deposit, keyed
    /// <c>stripe:{refundId}:refund-failed</c>. Posted together with <see cref="DepositRefunded"/> (idempotent), so the pair
    /// nets to zero whichever of the two events arrives first.
    /// </summary>
    public static Validated<ProposedEntry> DepositRefundFailed(string refundId, string contractId, string merchantId, Money amount, LocalDate effectiveDate) =>
        Entry(
            KeyFor(refundId, RefundFailed),
            BookId.ForContract(contractId),
            effectiveDate,
            $"Stripe refund {refundId} failed; the amount is back in the deposit",
            [Posting.Debit(AccountId.PlatformStripeClearing, amount), Posting.Credit(AccountId.MerchantDeposit(merchantId), amount)],
            refundId);

    /// <summary>
    /// Stripe's processing fee on one balance transaction: Dr processing-fees / Cr stripe-clearing, in
    /// <c>platform:stripe</c> (a platform cost, so no join to a contract is needed), keyed <c>stripe:{txnId}:fee</c>.
    /// </summary>
    public static Validated<ProposedEntry> ProcessingFee(string balanceTransactionId, Money fee, LocalDate effectiveDate, string sourceObjectId) =>
        Entry(
            KeyFor(balanceTransactionId, Fee),
            BookId.PlatformStripe,
            effectiveDate,
            $"Stripe processing fee on {sourceObjectId} ({balanceTransactionId})",
            [Posting.Debit(AccountId.PlatformProcessingFees, fee), Posting.Credit(AccountId.PlatformStripeClearing, fee)],
            balanceTransactionId,
            sourceObjectId);

    /// <summary>A payout landed (<c>payout.paid</c>): Dr bank / Cr stripe-clearing for the payout amount (net of fees), in <c>platform:stripe</c>, keyed <c>stripe:{payoutId}:paid</c>.</summary>
    public static Validated<ProposedEntry> PayoutPaid(string payoutId, Money amount, LocalDate effectiveDate) =>
        Entry(
            KeyFor(payoutId, Paid),
            BookId.PlatformStripe,
            effectiveDate,
            $"Stripe payout to the bank ({payoutId})",
            [Posting.Debit(AccountId.PlatformBank, amount), Posting.Credit(AccountId.PlatformStripeClearing, amount)],
            payoutId);

    /// <summary>
    /// A payout failed (<c>payout.failed</c>): Dr stripe-clearing / Cr bank, in <c>platform:stripe</c>, keyed
    /// <c>stripe:{payoutId}:failed</c>. Posted together with <see cref="PayoutPaid"/> (idempotent), so the pair nets to
    /// zero whether or not <c>payout.paid</c> came first, or at all.
    /// </summary>
    public static Validated<ProposedEntry> PayoutFailed(string payoutId, Money amount, LocalDate effectiveDate) =>
        Entry(
            KeyFor(payoutId, PayoutFailedMovement),
            BookId.PlatformStripe,
            effectiveDate,
            $"Stripe payout {payoutId} failed; the amount is back in the Stripe balance",
            [Posting.Debit(AccountId.PlatformStripeClearing, amount), Posting.Credit(AccountId.PlatformBank, amount)],
            payoutId);

    /// <summary>
    /// A chargeback's funds withdrawn (<c>charge.dispute.funds_withdrawn</c>): Dr disputed-funds (amount) + Dr
    /// dispute-fees (fee, when non-zero) / Cr stripe-clearing (both), in the contract's book, keyed
    /// <c>stripe:{disputeId}:funds-withdrawn</c>. Inquiries move no money and have no entry.
    /// </summary>
    public static Validated<ProposedEntry> DisputeFundsWithdrawn(string disputeId, string contractId, Money amount, Money disputeFee, LocalDate effectiveDate)
    {
        var postings = new List<Posting>
        {
            Posting.Debit(AccountId.PlatformDisputedFunds, amount),
            Posting.Credit(AccountId.PlatformStripeClearing, amount),
        };
        AddIfNonZero(postings, AccountId.PlatformDisputeFees, AccountId.PlatformStripeClearing, disputeFee);
        return Entry(KeyFor(disputeId, FundsWithdrawn), BookId.ForContract(contractId), effectiveDate, $"Stripe withdrew funds for dispute {disputeId}", postings, disputeId);
    }

    /// <summary>
    /// A won dispute's funds reinstated (<c>charge.dispute.funds_reinstated</c>): Dr stripe-clearing / Cr
    /// disputed-funds, and the fee back (Cr dispute-fees) when Stripe returns it, in the contract's book, keyed
    /// <c>stripe:{disputeId}:funds-reinstated</c>.
    /// </summary>
    public static Validated<ProposedEntry> DisputeFundsReinstated(string disputeId, string contractId, Money amount, Money feeReturned, LocalDate effectiveDate)
    {
        var postings = new List<Posting>
        {
            Posting.Debit(AccountId.PlatformStripeClearing, amount),
            Posting.Credit(AccountId.PlatformDisputedFunds, amount),
        };
        AddIfNonZero(postings, AccountId.PlatformStripeClearing, AccountId.PlatformDisputeFees, feeReturned);
        return Entry(KeyFor(disputeId, FundsReinstated), BookId.ForContract(contractId), effectiveDate, $"Stripe reinstated funds for dispute {disputeId}", postings, disputeId);
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
        IdempotencyKey key, BookId book, LocalDate effectiveDate, string description, IReadOnlyList<Posting> postings, params string[] stripeObjectIds) =>
        ProposedEntry.Create(book, key, effectiveDate, description, postings, [.. stripeObjectIds.Select(SourceReference.StripeObject)]);
}
