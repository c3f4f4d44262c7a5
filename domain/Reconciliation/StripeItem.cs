using NodaTime;

namespace ServiceLedger.Domain.Reconciliation;

using ServiceLedger.Domain.Money;

/// <summary>
/// One Stripe balance transaction as the matcher sees it. Amounts are signed integers of minor units as Stripe reports them
/// (a charge positive, a refund or payout negative; the fee positive when Stripe charged one), so a million of them fit in
/// flat arrays without a decimal or an allocation each. <c>default</c> is no item.
/// </summary>
/// <param name="BalanceTransactionId">Stripe's <c>txn_…</c> id.</param>
/// <param name="SourceId">The object that caused it (<c>ch_…</c>, <c>re_…</c>, <c>po_…</c>, <c>du_…</c>); the key the ledger names.</param>
/// <param name="Type">Stripe's type: <c>charge</c>, <c>refund</c>, <c>payout</c>, <c>adjustment</c>, …</param>
/// <param name="AmountMinor">Gross amount in minor units.</param>
/// <param name="FeeMinor">Stripe's fee in minor units.</param>
/// <param name="NetMinor">Amount minus fee, in minor units.</param>
/// <param name="Currency">The currency of all three amounts.</param>
/// <param name="Created">When Stripe created it; its UTC date decides its period.</param>
/// <param name="AvailableOn">When the funds become available.</param>
/// <param name="PayoutId">The payout that paid it out (<c>po_…</c>), or null while it is still in the balance.</param>
public readonly record struct StripeItem(
    string BalanceTransactionId,
    string SourceId,
    string Type,
    long AmountMinor,
    long FeeMinor,
    long NetMinor,
    Currency Currency,
    Instant Created,
    Instant AvailableOn,
    string? PayoutId)
{
    /// <summary>Stripe's type for a payout's own balance transaction.</summary>
    public const string PayoutType = "payout";

    /// <summary>The UTC date Stripe created it on.</summary>
    public LocalDate CreatedDate => Created.InUtc().Date;
}
