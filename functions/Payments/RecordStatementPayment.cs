namespace ServiceLedger.Functions.Payments;

using System.Globalization;
using NodaTime;
using ServiceLedger.Domain;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Domain.Money;
using ServiceLedger.Domain.Settlement;
using ServiceLedger.Functions.Ledger;
using ServiceLedger.Functions.Statements;

/// <summary>A statement payment as a request carries it (every field may be missing; the use case names what is).</summary>
/// <param name="Amount">The amount received: <c>{ "amount": "1234.56", "currency": "CNY" }</c>.</param>
/// <param name="ReceivedOn">The day the money arrived, <c>yyyy-MM-dd</c>.</param>
/// <param name="Reference">The bank's reference of the transfer.</param>
/// <param name="RequestId">The caller's id of this request: a retry with the same id and body answers the same payment.</param>
public sealed record RecordStatementPaymentRequest(MoneyInput? Amount, string? ReceivedOn, string? Reference, string? RequestId);

/// <summary>What recording a statement payment came to.</summary>
public abstract record PaymentResult
{
    private PaymentResult()
    {
    }

    /// <summary>The payment is recorded: by this call (<paramref name="Created"/>) or by an earlier one with the same request.</summary>
    /// <param name="Payment">The payment and its ledger entry.</param>
    /// <param name="Balance">The statement's total, paid and outstanding after it.</param>
    /// <param name="Created">True when this call recorded it.</param>
    public sealed record Recorded(RecordedPayment Payment, StatementBalance Balance, bool Created) : PaymentResult;

    /// <summary>No such statement.</summary>
    public sealed record NotFound : PaymentResult;

    /// <summary>The request was refused; nothing was written.</summary>
    /// <param name="Refusals">Every refusal, each naming its field.</param>
    public sealed record Refused(IReadOnlyList<Refusal> Refusals) : PaymentResult;

    /// <summary>The request id was used for this statement with another body; nothing was written.</summary>
    /// <param name="Refusal">Why.</param>
    public sealed record Conflict(Refusal Refusal) : PaymentResult;
}

/// <summary>A statement's total and what is recorded as paid of it.</summary>
/// <param name="Total">What the statement asks.</param>
/// <param name="Paid">The sum of its recorded payments.</param>
public sealed record StatementBalance(Money Total, Money Paid)
{
    /// <summary>What is still owed: the total less the payments, never below zero (a credit note owes nothing).</summary>
    public Money Outstanding => Total - Paid is { IsNegative: true } ? Money.Zero(Total.Currency) : Total - Paid;

    /// <summary>The balance of <paramref name="statement"/> given its <paramref name="payments"/>.</summary>
    public static StatementBalance Of(StatementRecord statement, IEnumerable<RecordedPayment> payments)
    {
        ArgumentNullException.ThrowIfNull(statement);
        ArgumentNullException.ThrowIfNull(payments);
        return new StatementBalance(statement.Total, Money.Sum(payments.Select(recorded => recorded.Payment.Amount), statement.Total.Currency));
    }
}

/// <summary>
/// Records a merchant's payment of one statement (finance, from the bank statement). Order, and why:
/// <list type="number">
/// <item>read the statement and its payments (one get, one range query); the same request id again answers the payment
/// recorded then, or 409 when the body differs;</item>
/// <item>check the request against the statement (<see cref="StatementPayment.Create"/>: currency, positive, not beyond
/// what is outstanding, not received after today in the contract's zone);</item>
/// <item><b>post to the ledger first</b> under <c>payment:{statementId}:{requestId}</c>, dated the day received (or the first
/// open day after it), then store the payment row. The key makes the post exactly-once: a retry after a crash between the
/// two writes gets "already appended" back and stores the row.</item>
/// </list>
/// Two different payments of one statement recorded at the same moment are each checked against the outstanding amount
/// read before either is stored, so together they could exceed it (docs/payments.md, known limits).
/// </summary>
public sealed class RecordStatementPayment(StatementStore statements, StatementPaymentStore payments, LedgerService ledger, IClock clock, ILogger<RecordStatementPayment> logger)
{
    /// <summary>Records the payment of <paramref name="statementId"/> described by <paramref name="request"/>.</summary>
    public async Task<PaymentResult> RecordAsync(string statementId, RecordStatementPaymentRequest? request, CancellationToken cancellationToken)
    {
        var statement = await statements.GetAsync(statementId, cancellationToken).ConfigureAwait(false);
        if (statement is null)
        {
            return new PaymentResult.NotFound();
        }

        request ??= new RecordStatementPaymentRequest(null, null, null, null);
        var recorded = await payments.ReadAsync(statement, cancellationToken).ConfigureAwait(false);
        var id = StatementId.For(statement.Contract, statement.Period, statement.Version);
        var today = clock.GetCurrentInstant().InZone(statement.TimeZone).Date;
        var earlier = recorded.FirstOrDefault(payment => string.Equals(payment.Payment.RequestId, request.RequestId, StringComparison.Ordinal));
        var paidBefore = StatementBalance.Of(statement, recorded.Where(payment => !ReferenceEquals(payment, earlier))).Paid;
        var payment = StatementPayment.Create(
            id, statement.Total, paidBefore, request.Amount?.Amount, request.Amount?.Currency, request.ReceivedOn, request.Reference, request.RequestId, today);
        if (earlier is not null)
        {
            return payment.IsValid && string.Equals(payment.Value.RequestHash, earlier.RequestHash, StringComparison.Ordinal)
                ? new PaymentResult.Recorded(earlier, StatementBalance.Of(statement, recorded), false)
                : Reused(id, request.RequestId!);
        }

        if (!payment.IsValid)
        {
            return new PaymentResult.Refused(payment.Refusals);
        }

        if (recorded.Count >= StatementPaymentStore.MaxPaymentsPerStatement)
        {
            return new PaymentResult.Refused([new Refusal(PaymentRule.ExceedsOutstanding, "amount.amount", $"Statement {id} has {recorded.Count} payments, the most one statement takes; ask finance to consolidate them.")]);
        }

        var periods = await ledger.ReadPeriodsAsync(cancellationToken).ConfigureAwait(false);
        var entry = payment.Value.LedgerEntry(statement.Contract.Book, statement.Merchant, periods.FirstOpenDateOnOrAfter(payment.Value.ReceivedOn));
        if (!entry.IsValid)
        {
            return new PaymentResult.Refused(entry.Refusals);
        }

        var posted = await ledger.AppendAsync(entry.Value, cancellationToken).ConfigureAwait(false);
        JournalEntry journalEntry;
        switch (posted)
        {
            case AppendResult.Appended appended:
                journalEntry = appended.Entry;
                break;
            case AppendResult.AlreadyAppended already:
                journalEntry = already.Entry;
                break;
            case AppendResult.Refused refused when refused.Refusals.Any(refusal => refusal.Code == LedgerRule.ExistsWithDifferentContent):
                return Reused(id, request.RequestId!);
            default:
                var refusals = ((AppendResult.Refused)posted).Refusals;
                logger.LogWarning("The ledger refused payment {RequestId} of statement {StatementId} (contract {ContractId}): {Refusals}", request.RequestId, id, statement.Contract, string.Join("; ", refusals.Select(refusal => refusal.Code)));
                return new PaymentResult.Refused(refusals);
        }

        var row = new RecordedPayment(payment.Value, payment.Value.RequestHash, journalEntry.Id.ToString(), clock.GetCurrentInstant());
        if (!await payments.InsertAsync(statement.Contract, row, cancellationToken).ConfigureAwait(false))
        {
            // The same request raced this one and stored the row first; both posted the same entry once.
            var stored = (await payments.ReadAsync(statement, cancellationToken).ConfigureAwait(false)).First(other => other.Payment.RequestId == row.Payment.RequestId);
            return new PaymentResult.Recorded(stored, StatementBalance.Of(statement, [.. recorded, stored]), false);
        }

        logger.LogInformation("Payment {RequestId} of {Amount} for statement {StatementId} (contract {ContractId}) recorded as entry {EntryId}", row.Payment.RequestId, row.Payment.Amount, id, statement.Contract, row.LedgerEntryId);
        return new PaymentResult.Recorded(row, StatementBalance.Of(statement, [.. recorded, row]), true);
    }

    private static PaymentResult.Conflict Reused(StatementId statement, string requestId) => new(new Refusal(
        PaymentRule.RequestIdReused,
        "requestId",
        string.Create(CultureInfo.InvariantCulture, $"Request id '{requestId}' recorded a payment of {statement} with another amount, day or reference; use a new request id for another payment.")));
}
