namespace ServiceLedger.Functions.Payments;

using ServiceLedger.Domain.Money;
using ServiceLedger.Domain.Settlement;
using ServiceLedger.Functions.Statements;

/// <summary>What taking a credit note into its statement's tally came to.</summary>
/// <param name="Credited">What the credit note credits: always all of it (the dispute decision is finance's).</param>
/// <param name="OutstandingBefore">What was still owed on the statement just before it (total − paid, pending payment included, − earlier credit notes; not below zero); null for a retry that found it taken in already, or when the statement is not stored.</param>
public sealed record CreditAdmission(Money Credited, Money? OutstandingBefore)
{
    /// <summary>
    /// The part of <see cref="Credited"/> beyond <see cref="OutstandingBefore"/>: the merchant's credit balance on the statement
    /// (the statement's <c>creditBalance</c>); zero when the credit note fitted, or on a retry.
    /// </summary>
    public Money Excess => OutstandingBefore is { } before && Credited > before ? Credited - before : Money.Zero(Credited.Currency);
}

/// <summary>
/// Takes a resolved dispute's credit note into its statement's payment tally (<see cref="PaymentTally"/>, row
/// <c>paid:{statementId}</c>) with the same conditional write payments are admitted by, before the credit note is posted.
/// So a payment decided on a tally read before the credit note was taken in fails its write and decides again with the
/// credit note counted; and a payment admitted first (or pending) stays admitted. A credit note is never refused: what
/// it credits beyond what was still owed (a payment came first) is the merchant's credit balance, reported in
/// <see cref="CreditAdmission.Excess"/>. Taking the same credit note (same reference) in again changes nothing, so a retried
/// resolution counts it once.
/// </summary>
public sealed class AdmitCreditNote(StatementStore statements, StatementPaymentStore payments, CreditNoteStore creditNotes, ILogger<AdmitCreditNote> logger)
{
    /// <summary>Rounds of read and conditional write against payments of the same statement before giving up (an exception: the resolution is retried).</summary>
    public const int MaxAttempts = 10;

    /// <summary>Takes <paramref name="note"/> into its statement's tally, once.</summary>
    public async Task<CreditAdmission> AdmitAsync(CreditNote note, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(note);
        var statement = await statements.GetAsync(note.Statement.Value, cancellationToken).ConfigureAwait(false);
        if (statement is null)
        {
            // Disputes are opened on stored statements, and statements are never deleted; with no statement there is no payment
            // to race with, and the decision still stands, so the credit note is booked without a tally.
            logger.LogWarning("Credit note {Reference} names statement {StatementId}, which is not stored; it is booked without a tally", note.Reference, note.Statement);
            return new CreditAdmission(note.Credited, null);
        }

        if (note.Credited.Currency != statement.Total.Currency)
        {
            throw new InvalidOperationException($"Credit note {note.Reference} credits {note.Credited} on statement {statement.Id} in {statement.Total.Currency}; a contested amount is in the statement's currency.");
        }

        // Credit notes booked before they went through the tally: static rows, read once.
        var older = await creditNotes.ReadAsync(statement, cancellationToken).ConfigureAwait(false);
        var credit = new TallyCredit(note.Reference, note.Credited);
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var read = await payments.ReadTallyAsync(statement, cancellationToken).ConfigureAwait(false);
            if (read is not null && read.HasCredit(note.Reference))
            {
                return new CreditAdmission(note.Credited, null);
            }

            // Without a tally the payment rows are all the payments there are (a payment is only stored with a tally write).
            var stored = read is null ? await payments.ReadAsync(statement, cancellationToken).ConfigureAwait(false) : [];
            var before = PaymentTally.Of(statement, read, stored);
            var owed = statement.Total - before.Paid - PaymentTally.CreditedOn(statement, read, older);
            var outstanding = owed.IsNegative ? Money.Zero(owed.Currency) : owed;
            if (await payments.TryWriteTallyAsync(statement, read, before.Crediting(credit), cancellationToken).ConfigureAwait(false) is null)
            {
                logger.LogInformation("Credit note {Reference} of statement {StatementId} (contract {ContractId}) lost a race for the statement's tally (round {Attempt}); reading again", note.Reference, statement.Id, statement.Contract, attempt);
                continue;
            }

            var admission = new CreditAdmission(note.Credited, outstanding);
            if (!admission.Excess.IsZero)
            {
                logger.LogWarning(
                    "Credit note {Reference} credits {Credited} on statement {StatementId} (contract {ContractId}), of which only {Outstanding} was still owed: {Excess} is the merchant's credit balance",
                    note.Reference, note.Credited, statement.Id, statement.Contract, outstanding, admission.Excess);
            }

            return admission;
        }

        throw new InvalidOperationException($"Payments of statement {statement.Id} kept changing its tally under credit note {note.Reference} ({MaxAttempts} rounds); retry the resolution.");
    }
}
