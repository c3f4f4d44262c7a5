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
    /// <summary>What accepted disputes' credit notes took off the statement (zero when none, or not read).</summary>
    public Money Credited { get; init; } = Money.Zero(Total.Currency);

    /// <summary>What is still owed: the total less the payments and credit notes, never below zero (a credit note owes nothing).</summary>
    public Money Outstanding => Total - Paid - Credited is { IsNegative: true } ? Money.Zero(Total.Currency) : Total - Paid - Credited;

    /// <summary>
    /// What the payments and credit notes together came to beyond the total (zero when they did not): the merchant's credit
    /// balance, e.g. a dispute accepted after the statement was paid. Never refused, never a negative outstanding amount.
    /// </summary>
    public Money CreditBalance => Paid + Credited - Total is { IsNegative: false } excess ? excess : Money.Zero(Total.Currency);

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
/// <item>read the statement, its tally (<see cref="PaymentTally"/>) and then its payments (one get each, one range query); a
/// payment admitted but not yet stored (a crash, or another request in flight) is finished first, by whoever finds it; the
/// same request id again answers the payment recorded then, or 409 when the body differs;</item>
/// <item>check the request against the statement (<see cref="StatementPayment.Create"/>: currency, positive, not beyond
/// what is outstanding, not received after today in the contract's zone);</item>
/// <item><b>admit</b> it by writing the tally with If-Match (insert for the first payment): the check and the reservation are
/// one conditional write, so two payments read at the same moment cannot both be admitted on the same outstanding amount.
/// The loser reads again and decides again (at most <see cref="MaxAttempts"/> rounds, then 409 <c>ConcurrentChange</c>);</item>
/// <item><b>post to the ledger</b> under <c>payment:{statementId}:{requestId}</c>, dated as fixed on admission, then store
/// the payment row and clear the tally's pending payment in one transaction. The key makes the post exactly-once: whoever
/// finishes an admitted payment after a crash gets "already appended" back and stores the row. A payment the ledger
/// refuses is released from the tally (posted nothing, stored nothing).</item>
/// </list>
/// A refused request (overpaying, malformed) writes nothing at all: the tally is only written for an admitted payment.
/// </summary>
public sealed class RecordStatementPayment(
    StatementStore statements, StatementPaymentStore payments, CreditNoteStore creditNotes, LedgerService ledger, IClock clock, ILogger<RecordStatementPayment> logger)
{
    /// <summary>Rounds of read, decide and conditional write against other payments of the same statement before answering 409.</summary>
    public const int MaxAttempts = 5;

    /// <summary>Refusal code when other payments of the statement kept changing it for <see cref="MaxAttempts"/> rounds.</summary>
    public const string ConcurrentChange = "ConcurrentChange";

    /// <summary>Records the payment of <paramref name="statementId"/> described by <paramref name="request"/>.</summary>
    public async Task<PaymentResult> RecordAsync(string statementId, RecordStatementPaymentRequest? request, CancellationToken cancellationToken)
    {
        var statement = await statements.GetAsync(statementId, cancellationToken).ConfigureAwait(false);
        if (statement is null)
        {
            return new PaymentResult.NotFound();
        }

        // What accepted disputes credited on the statement is not owed: the credit notes taken into the tally (read each
        // round, so a credit note taken in meanwhile fails this payment's conditional write and is seen on the next round)
        // and the crn: rows of credit notes booked before credit notes went through the tally (one range read; static).
        var notes = await creditNotes.ReadAsync(statement, cancellationToken).ConfigureAwait(false);
        return await RecordAsync(statement, notes, request, cancellationToken).ConfigureAwait(false);
    }

    private async Task<PaymentResult> RecordAsync(StatementRecord statement, IReadOnlyList<CreditNote> notes, RecordStatementPaymentRequest? request, CancellationToken cancellationToken)
    {
        request ??= new RecordStatementPaymentRequest(null, null, null, null);
        var id = StatementId.For(statement.Contract, statement.Period, statement.Version);

        // True once this call admitted the payment or finished it for an earlier call with this request id: the row found
        // on the next round is then this call's doing (201), not a retry's answer (200).
        var createdHere = false;
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            // The tally before the rows: a payment stored after the tally was read changes the tally, so the write below fails.
            var tally = await payments.ReadTallyAsync(statement, cancellationToken).ConfigureAwait(false);
            var recorded = await payments.ReadAsync(statement, cancellationToken).ConfigureAwait(false);
            if (tally?.Pending is { } pending)
            {
                // Whatever became of it (stored, released because the ledger refused it, or moved on by another writer), this
                // request is decided on the next round, on what is stored then: a released payment of this very request is
                // admitted again, dated afresh.
                var finished = await FinishAsync(statement, id, tally, recorded, notes, cancellationToken).ConfigureAwait(false);
                createdHere |= finished is PaymentResult.Recorded && string.Equals(pending.Payment.RequestId, request.RequestId, StringComparison.Ordinal);
                continue;
            }

            var today = clock.GetCurrentInstant().InZone(statement.TimeZone).Date;
            var credited = PaymentTally.CreditedOn(statement, tally, notes);
            var earlier = recorded.FirstOrDefault(payment => string.Equals(payment.Payment.RequestId, request.RequestId, StringComparison.Ordinal));
            var paidBefore = StatementBalance.Of(statement, recorded.Where(payment => !ReferenceEquals(payment, earlier))).Paid;
            var payment = StatementPayment.Create(
                id, statement.Total, paidBefore, request.Amount?.Amount, request.Amount?.Currency, request.ReceivedOn, request.Reference, request.RequestId, today, credited);
            if (earlier is not null)
            {
                return payment.IsValid && string.Equals(payment.Value.RequestHash, earlier.RequestHash, StringComparison.Ordinal)
                    ? new PaymentResult.Recorded(earlier, StatementBalance.Of(statement, recorded) with { Credited = credited }, createdHere)
                    : Reused(id, request.RequestId!);
            }

            if (!payment.IsValid)
            {
                return new PaymentResult.Refused(payment.Refusals);
            }

            if (recorded.Count >= StatementPaymentStore.MaxPaymentsPerStatement)
            {
                return new PaymentResult.Refused([new Refusal(PaymentRule.TooManyPayments, "requestId", $"Statement {id} has {recorded.Count} payments, the most one statement takes ({StatementPaymentStore.MaxPaymentsPerStatement}); book the rest as one transfer.")]);
            }

            var periods = await ledger.ReadPeriodsAsync(cancellationToken).ConfigureAwait(false);
            var entryDate = periods.FirstOpenDateOnOrAfter(payment.Value.ReceivedOn);
            var entry = payment.Value.LedgerEntry(statement.Contract.Book, statement.Merchant, entryDate);
            if (!entry.IsValid)
            {
                return new PaymentResult.Refused(entry.Refusals);
            }

            var admitted = PaymentTally.Admitting(statement, tally, recorded, new PendingPayment(payment.Value, payment.Value.RequestHash, entryDate, clock.GetCurrentInstant()));
            var written = await payments.TryWriteTallyAsync(statement, tally, admitted, cancellationToken).ConfigureAwait(false);
            if (written is null)
            {
                // Another payment of this statement was admitted or stored since the read: decide again on what it left.
                logger.LogInformation("Payment {RequestId} of statement {StatementId} (contract {ContractId}) lost a race for the statement's tally (round {Attempt}); reading again", request.RequestId, id, statement.Contract, attempt);
                continue;
            }

            createdHere = true;
            var outcome = await FinishAsync(statement, id, written, recorded, notes, cancellationToken).ConfigureAwait(false);
            if (outcome is not null)
            {
                return outcome;
            }
        }

        return new PaymentResult.Conflict(new Refusal(
            ConcurrentChange,
            "requestId",
            string.Create(CultureInfo.InvariantCulture, $"Other payments of statement {id} kept changing it under this request ({MaxAttempts} rounds); send the same request again.")));
    }

    /// <summary>
    /// Finishes the payment a crash left pending on <paramref name="statement"/>'s tally, if any (the same work the next
    /// payment request of the statement would do first); nothing when none is pending or another writer finished it first.
    /// </summary>
    public async Task FinishPendingAsync(StatementRecord statement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var tally = await payments.ReadTallyAsync(statement, cancellationToken).ConfigureAwait(false);
        if (tally?.Pending is null)
        {
            return;
        }

        var recorded = await payments.ReadAsync(statement, cancellationToken).ConfigureAwait(false);
        var notes = await creditNotes.ReadAsync(statement, cancellationToken).ConfigureAwait(false);
        var id = StatementId.For(statement.Contract, statement.Period, statement.Version);
        logger.LogWarning("Payment {RequestId} of statement {StatementId} (contract {ContractId}) was left pending by a crash; finishing it before the contract is settled", tally.Pending.Payment.RequestId, id, statement.Contract);
        await FinishAsync(statement, id, tally, recorded, notes, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Posts and stores <paramref name="tally"/>'s pending payment: the ledger entry under its key (exactly-once), then the
    /// payment row and the cleared tally in one transaction. Answers the recorded payment (created by this call), the refusal
    /// when the ledger refused it (and it was released), or null when another writer moved the tally first.
    /// </summary>
    private async Task<PaymentResult?> FinishAsync(
        StatementRecord statement, StatementId id, PaymentTally tally, IReadOnlyList<RecordedPayment> recorded, IReadOnlyList<CreditNote> notes, CancellationToken cancellationToken)
    {
        var pending = tally.Pending ?? throw new InvalidOperationException($"The tally of {id} has no pending payment to finish.");
        var entry = pending.Payment.LedgerEntry(statement.Contract.Book, statement.Merchant, pending.EntryDate);
        if (!entry.IsValid)
        {
            throw new InvalidOperationException($"Payment {pending.Payment.RequestId} of {id} was admitted with a ledger entry that is not valid now: {string.Join("; ", entry.Refusals.Select(refusal => refusal.Code))}.");
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
            default:
                var refusals = ((AppendResult.Refused)posted).Refusals;
                logger.LogWarning("The ledger refused payment {RequestId} of statement {StatementId} (contract {ContractId}): {Refusals}; it is released from the statement's tally", pending.Payment.RequestId, id, statement.Contract, string.Join("; ", refusals.Select(refusal => refusal.Code)));
                if (await payments.TryWriteTallyAsync(statement, tally, tally.Released(), cancellationToken).ConfigureAwait(false) is null)
                {
                    return null;
                }

                return refusals.Any(refusal => refusal.Code == LedgerRule.ExistsWithDifferentContent)
                    ? Reused(id, pending.Payment.RequestId)
                    : new PaymentResult.Refused(refusals);
        }

        var row = new RecordedPayment(pending.Payment, pending.RequestHash, journalEntry.Id.ToString(), pending.RecordedAt);
        if (!await payments.TryStoreAsync(statement, tally, row, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        logger.LogInformation("Payment {RequestId} of {Amount} for statement {StatementId} (contract {ContractId}) recorded as entry {EntryId}", row.Payment.RequestId, row.Payment.Amount, id, statement.Contract, row.LedgerEntryId);
        return new PaymentResult.Recorded(row, StatementBalance.Of(statement, [.. recorded, row]) with { Credited = PaymentTally.CreditedOn(statement, tally, notes) }, true);
    }

    private static PaymentResult.Conflict Reused(StatementId statement, string requestId) => new(new Refusal(
        PaymentRule.RequestIdReused,
        "requestId",
        string.Create(CultureInfo.InvariantCulture, $"Request id '{requestId}' recorded a payment of {statement} with another amount, day or reference; use a new request id for another payment.")));
}
