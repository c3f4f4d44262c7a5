using NodaTime;
using ServiceLedger.Domain.Ledger;

namespace ServiceLedger.Domain.Deposits;

using ServiceLedger.Domain.Money;

/// <summary>What a line of the deposit register records.</summary>
public enum DepositLineKind
{
    /// <summary>The deposit was paid (Cr merchant deposit, key <c>stripe:{sessionId}:paid</c>).</summary>
    Paid = 1,

    /// <summary>Part of the deposit was applied to a statement (Dr merchant deposit, key <c>deposit-application:…</c>).</summary>
    Applied = 2,

    /// <summary>Part of the deposit was refunded and Stripe confirmed it (Dr merchant deposit, key <c>stripe:{refundId}:refunded</c>).</summary>
    Refunded = 3,

    /// <summary>A confirmed refund failed later; its amount is back in the deposit (Cr, key <c>stripe:{refundId}:refund-failed</c>).</summary>
    RefundFailed = 4,

    /// <summary>Any other posting to the deposit account (e.g. a lost dispute), with its side.</summary>
    Adjusted = 5,
}

/// <summary>
/// One line of the register: one posting to <c>merchant:{id}:deposit</c> in the contract's book, with the entry it
/// belongs to (book, sequence, key) and the Stripe object behind it, if any.
/// </summary>
/// <param name="Kind">What the line records.</param>
/// <param name="Side">Credit adds to the deposit held; debit takes from it.</param>
/// <param name="Amount">The posting's amount (positive; <paramref name="Side"/> carries the direction).</param>
/// <param name="EffectiveDate">The entry's effective date.</param>
/// <param name="Entry">The journal entry (book and sequence).</param>
/// <param name="Key">The entry's idempotency key.</param>
/// <param name="StripeObjectId">The Stripe object of the entry (<c>cs_…</c>, <c>re_…</c>), or null.</param>
/// <param name="Description">The entry's description.</param>
public sealed record DepositLine(
    DepositLineKind Kind, PostingSide Side, Money Amount, LocalDate EffectiveDate, JournalEntryId Entry, IdempotencyKey Key, string? StripeObjectId, string Description);

/// <summary>
/// The deposit register of one contract (预付款台账): every posting to the merchant's deposit account in the contract's
/// book, in sequence order, and the totals. <see cref="Balance"/> = paid − applied − refunded (+ failed refunds and
/// other credits, − other debits): exactly the account's credit balance in this book.
/// </summary>
/// <param name="Currency">The deposit's currency.</param>
/// <param name="Lines">The lines, in sequence order.</param>
/// <param name="Paid">Total paid.</param>
/// <param name="Applied">Total applied to statements.</param>
/// <param name="Refunded">Total refunded, net of refunds that failed later.</param>
/// <param name="Balance">What the platform still holds for the merchant under this contract.</param>
public sealed record DepositRegister(Currency Currency, IReadOnlyList<DepositLine> Lines, Money Paid, Money Applied, Money Refunded, Money Balance)
{
    // The kind SourceReference.StripeObject gives; a line names the Stripe object of its entry.
    private const string StripeObjectKind = "stripe-object";

    /// <summary>
    /// The register from the entries of the contract's book (any order; other accounts' postings are ignored). Throws
    /// when a deposit posting is in another currency than <paramref name="currency"/> (the account is single-currency,
    /// so that would be a broken ledger invariant).
    /// </summary>
    public static DepositRegister Compute(string merchantId, Currency currency, IEnumerable<JournalEntry> contractBookEntries)
    {
        ArgumentNullException.ThrowIfNull(contractBookEntries);
        var account = AccountId.MerchantDeposit(merchantId);
        var lines = new List<DepositLine>();
        foreach (var entry in contractBookEntries.OrderBy(e => e.Sequence))
        {
            foreach (var posting in entry.Postings.Where(p => p.Account == account))
            {
                if (posting.Currency != currency)
                {
                    throw new InvalidOperationException($"Entry {entry.Id} posts the deposit account in {posting.Currency}, not the deposit's {currency}.");
                }

                var stripeObject = entry.References.FirstOrDefault(r => r.Kind == StripeObjectKind);
                lines.Add(new DepositLine(
                    KindOf(entry.IdempotencyKey, posting.Side), posting.Side, posting.Amount, entry.EffectiveDate, entry.Id, entry.IdempotencyKey,
                    stripeObject.IsDefault ? null : stripeObject.Value, entry.Description));
            }
        }

        Money Total(DepositLineKind kind) => Money.Sum(lines.Where(l => l.Kind == kind).Select(l => l.Amount), currency);
        var credits = Money.Sum(lines.Where(l => l.Side == PostingSide.Credit).Select(l => l.Amount), currency);
        var debits = Money.Sum(lines.Where(l => l.Side == PostingSide.Debit).Select(l => l.Amount), currency);
        return new DepositRegister(
            currency, lines, Total(DepositLineKind.Paid), Total(DepositLineKind.Applied),
            Total(DepositLineKind.Refunded) - Total(DepositLineKind.RefundFailed), credits - debits);
    }

    /// <summary>
    /// The amount a new refund may take: the balance less refunds asked of Stripe and not yet confirmed
    /// (<paramref name="pendingRefunds"/>), never below zero.
    /// </summary>
    public Money Unused(Money pendingRefunds)
    {
        var unused = Balance - pendingRefunds;
        return unused.IsNegative ? Money.Zero(Currency) : unused;
    }

    /// <summary>
    /// Checks a refund of <paramref name="requested"/> (null: all of the unused deposit) against what is unused;
    /// refusals name <paramref name="field"/>.
    /// </summary>
    public Validated<Money> CheckRefund(Money? requested, Money pendingRefunds, string field)
    {
        var unused = Unused(pendingRefunds);
        if (Paid.IsZero)
        {
            return Validated.Refused<Money>(new Refusal(DepositFlowRule.DepositNotPaid, field, "No deposit has been paid for this contract yet; there is nothing to refund."));
        }

        if (requested is null && unused.IsZero)
        {
            return Validated.Refused<Money>(new Refusal(
                DepositFlowRule.RefundExceedsUnusedDeposit, field, $"Nothing of the deposit is unused (balance {Balance}, pending refunds {pendingRefunds}); there is nothing left to refund."));
        }

        var amount = requested ?? unused;
        if (amount.Currency != Currency || !amount.IsWholeMinorUnits || amount.Amount <= 0m)
        {
            return Validated.Refused<Money>(new Refusal(
                DepositFlowRule.RefundAmountInvalid, field, $"Give a positive amount in {Currency} with at most {Currency.MinorUnits} decimals, or leave it out to refund all of the unused {unused}."));
        }

        return amount > unused
            ? Validated.Refused<Money>(new Refusal(
                DepositFlowRule.RefundExceedsUnusedDeposit, field, $"At most {unused} of the deposit is unused (balance {Balance}, pending refunds {pendingRefunds}); {amount} is more."))
            : Validated.Valid(amount);
    }

    private static DepositLineKind KindOf(IdempotencyKey key, PostingSide side)
    {
        var text = key.Value;
        return (side, text) switch
        {
            (PostingSide.Credit, _) when text.StartsWith("stripe:", StringComparison.Ordinal) && text.EndsWith(":" + StripeLedgerEntries.Paid, StringComparison.Ordinal) => DepositLineKind.Paid,
            (PostingSide.Debit, _) when text.StartsWith("stripe:", StringComparison.Ordinal) && text.EndsWith(":" + StripeLedgerEntries.Refunded, StringComparison.Ordinal) => DepositLineKind.Refunded,
            (PostingSide.Credit, _) when text.StartsWith("stripe:", StringComparison.Ordinal) && text.EndsWith(":" + StripeLedgerEntries.RefundFailed, StringComparison.Ordinal) => DepositLineKind.RefundFailed,
            (PostingSide.Debit, _) when text.StartsWith("deposit-application:", StringComparison.Ordinal) => DepositLineKind.Applied,
            _ => DepositLineKind.Adjusted,
        };
    }
}
