using NodaTime;

namespace ServiceLedger.Domain.Reconciliation;

using ServiceLedger.Domain.Money;

/// <summary>
/// One ledger entry's effect on Stripe clearing, as the matcher sees it: the amount and fee in the same signs Stripe uses
/// (money into the Stripe balance positive), so that a correct entry equals its balance transaction field by field.
/// <c>default</c> is no item.
/// </summary>
/// <param name="EntryRef">The entry's id (<c>book/sequence</c>) or idempotency key: what finance looks up.</param>
/// <param name="StripeObjectId">The Stripe object the entry names, or null for an entry that names none (matched by rules).</param>
/// <param name="AmountMinor">Gross amount in minor units (clearing movement plus fee).</param>
/// <param name="FeeMinor">Stripe fee booked, in minor units.</param>
/// <param name="Currency">The currency of both amounts.</param>
/// <param name="EffectiveDate">The entry's accounting date; it decides the entry's period.</param>
/// <param name="Book">The book the entry is in.</param>
public readonly record struct LedgerItem(
    string EntryRef,
    string? StripeObjectId,
    long AmountMinor,
    long FeeMinor,
    Currency Currency,
    LocalDate EffectiveDate,
    string Book)
{
    /// <summary>What the entry moved through Stripe clearing: amount minus fee.</summary>
    public long NetMinor => AmountMinor - FeeMinor;
}
