using System.Security.Cryptography;
using System.Text;
using NodaTime;
using NodaTime.Text;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Domain.Parties;

namespace ServiceLedger.Domain.Settlement;

using ServiceLedger.Domain.Money;

/// <summary>Codes of the refusals of a recorded statement payment; clients may switch on them.</summary>
public static class PaymentRule
{
    /// <summary>The amount is zero or negative.</summary>
    public const string AmountMustBePositive = "PaymentAmountMustBePositive";

    /// <summary>The payment's currency is not the statement's.</summary>
    public const string CurrencyMismatch = "PaymentCurrencyMismatch";

    /// <summary>The amount is more than the statement still owes.</summary>
    public const string ExceedsOutstanding = "PaymentExceedsOutstanding";

    /// <summary>The day received is not a date, or after today in the contract's time zone.</summary>
    public const string ReceivedOnInvalid = "PaymentReceivedOnInvalid";

    /// <summary>The bank reference is empty, too long, or has control characters.</summary>
    public const string ReferenceInvalid = "PaymentReferenceInvalid";

    /// <summary>The request id is empty, too long, or has characters outside <c>[A-Za-z0-9_-.]</c>.</summary>
    public const string RequestIdInvalid = "PaymentRequestIdInvalid";

    /// <summary>The statement has as many payments as one statement takes.</summary>
    public const string TooManyPayments = "PaymentTooManyForStatement";

    /// <summary>The request id was used for this statement with another body (a 409, not a 400).</summary>
    public const string RequestIdReused = "PaymentRequestIdReused";
}

/// <summary>
/// A merchant's payment of one statement (a bank transfer), as finance records it: it names its statement, so it is
/// allocated to exactly that statement (docs/payments.md). Posted once to the contract's book as Dr <c>platform:bank</c> /
/// Cr <c>merchant:{id}:receivable</c> under <c>payment:{statementId}:{requestId}</c>. Built only through
/// <see cref="Create"/>, so an instance always holds a positive amount in the statement's currency, received no later
/// than the day it was recorded. Equality is by value.
/// </summary>
public sealed record StatementPayment
{
    /// <summary>Longest request id.</summary>
    public const int MaxRequestIdLength = 64;

    /// <summary>Longest bank reference.</summary>
    public const int MaxReferenceLength = 100;

    private static readonly LocalDatePattern DatePattern = LocalDatePattern.Iso;

    private StatementPayment()
    {
    }

    /// <summary>The statement paid.</summary>
    public required StatementId Statement { get; init; }

    /// <summary>The caller's id of the request: the same id again is the same payment.</summary>
    public required string RequestId { get; init; }

    /// <summary>The amount received, positive, in the statement's currency.</summary>
    public required Money Amount { get; init; }

    /// <summary>The day the money arrived (the bank's value date), in the contract's time zone; penalties stop on it.</summary>
    public required LocalDate ReceivedOn { get; init; }

    /// <summary>The bank's reference of the transfer, for people reconciling the bank statement.</summary>
    public required string Reference { get; init; }

    /// <summary>The ledger key of the payment.</summary>
    public IdempotencyKey IdempotencyKey => IdempotencyKey.ForStatementPayment(Statement.Value, RequestId);

    /// <summary>SHA-256 (hex) of what the request said (amount, currency, day received, reference): equal bodies, equal hash.</summary>
    public string RequestHash => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join(
        '\n',
        Amount.FormatAmount(),
        Amount.Currency.Code,
        DatePattern.Format(ReceivedOn),
        Reference))));

    /// <summary>
    /// Reads a payment request for <paramref name="statement"/>, whose total is <paramref name="total"/> and of which
    /// <paramref name="paid"/> is recorded as paid already and <paramref name="credited"/> (when given) was credited by
    /// accepted disputes' credit notes; <paramref name="today"/> is today in the contract's time zone. The payment may not
    /// exceed total − paid − credited. Every refusal at once, each naming its field (<c>amount.amount</c>,
    /// <c>amount.currency</c>, <c>receivedOn</c>, <c>reference</c>, <c>requestId</c>).
    /// </summary>
    public static Validated<StatementPayment> Create(
        StatementId statement, Money total, Money paid, string? amount, string? currency, string? receivedOn, string? reference, string? requestId, LocalDate today, Money? credited = null)
    {
        if (statement.IsDefault)
        {
            throw new ArgumentException("A payment needs its statement; default(StatementId) names none.", nameof(statement));
        }

        var refusals = new List<Refusal>();
        var money = Money.Parse(amount, currency, "amount");
        refusals.AddRange(money.Refusals);
        if (money.IsValid)
        {
            var creditedAmount = credited is { } credit && credit.Currency == total.Currency ? credit : Money.Zero(total.Currency);
            var outstanding = total - paid - creditedAmount;
            if (money.Value.Currency != total.Currency)
            {
                refusals.Add(new Refusal(PaymentRule.CurrencyMismatch, "amount.currency", $"Statement {statement} is in {total.Currency}; record the payment in {total.Currency}."));
            }
            else if (money.Value.Amount <= 0m)
            {
                refusals.Add(new Refusal(PaymentRule.AmountMustBePositive, "amount.amount", "Give the amount received, more than zero."));
            }
            else if (money.Value > outstanding)
            {
                refusals.Add(new Refusal(
                    PaymentRule.ExceedsOutstanding,
                    "amount.amount",
                    $"Statement {statement} has {Show(outstanding)} outstanding ({Show(total)} less {Show(paid)} paid{(creditedAmount.IsZero ? string.Empty : $" and {Show(creditedAmount)} credited by credit notes")}); record at most that. A payment beyond it is a credit balance, not a statement payment."));
            }
        }

        var day = DatePattern.Parse(receivedOn ?? string.Empty);
        if (!day.Success)
        {
            refusals.Add(new Refusal(PaymentRule.ReceivedOnInvalid, "receivedOn", "Give the day the money arrived as yyyy-MM-dd."));
        }
        else if (day.Value > today)
        {
            refusals.Add(new Refusal(PaymentRule.ReceivedOnInvalid, "receivedOn", $"{DatePattern.Format(day.Value)} is in the future; today is {DatePattern.Format(today)} in the contract's time zone."));
        }

        if (reference is null || reference.Length is 0 or > MaxReferenceLength || reference.Trim().Length == 0 || !LedgerText.IsPlainText(reference))
        {
            refusals.Add(new Refusal(PaymentRule.ReferenceInvalid, "reference", $"Give the bank's reference of the transfer: 1 to {MaxReferenceLength} characters of plain text."));
        }

        if (!IsRequestId(requestId))
        {
            refusals.Add(new Refusal(PaymentRule.RequestIdInvalid, "requestId", $"Give a request id of 1 to {MaxRequestIdLength} of [A-Za-z0-9_-.]; the same id again answers the same payment."));
        }

        if (refusals.Count > 0)
        {
            return Validated.Refused<StatementPayment>(refusals);
        }

        return Validated.Valid(new StatementPayment
        {
            Statement = statement,
            RequestId = requestId!,
            Amount = money.Value,
            ReceivedOn = day.Value,
            Reference = reference!,
        });
    }

    /// <summary>A payment as stored: trusted values read back (no rule is checked again); malformed values throw.</summary>
    public static StatementPayment Restore(StatementId statement, string requestId, Money amount, LocalDate receivedOn, string reference)
    {
        if (statement.IsDefault || !IsRequestId(requestId) || amount.Amount <= 0m || string.IsNullOrEmpty(reference))
        {
            throw new ArgumentException($"Payment {requestId} of {statement} is not a stored payment: it needs a statement, a request id, a positive amount and a reference.", nameof(requestId));
        }

        return new StatementPayment { Statement = statement, RequestId = requestId, Amount = amount, ReceivedOn = receivedOn, Reference = reference };
    }

    /// <summary>True when <paramref name="requestId"/> is 1 to <see cref="MaxRequestIdLength"/> of <c>[A-Za-z0-9_-.]</c>.</summary>
    public static bool IsRequestId(string? requestId) =>
        requestId is { Length: > 0 and <= MaxRequestIdLength } && requestId.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');

    /// <summary>
    /// The ledger entry of this payment in <paramref name="book"/> (the contract's), dated <paramref name="effectiveDate"/>
    /// (the day received, or the first open day after it when its month is closed): Dr <c>platform:bank</c> / Cr
    /// <c>merchant:{id}:receivable</c>, referencing the statement.
    /// </summary>
    public Validated<ProposedEntry> LedgerEntry(BookId book, MerchantId merchant, LocalDate effectiveDate) =>
        ProposedEntry.Create(
            book,
            IdempotencyKey,
            effectiveDate,
            $"Payment of statement {Statement} received {DatePattern.Format(ReceivedOn)}, bank reference {Reference}",
            [Posting.Debit(AccountId.PlatformBank, Amount), Posting.Credit(AccountId.MerchantReceivable(merchant.Value), Amount)],
            [SourceReference.Statement(Statement.Value)]);

    private static string Show(Money money) => money.FormatAmount() + " " + money.Currency.Code;
}
