namespace ServiceLedger.Functions.Disputes;

using NodaTime;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Disputes;
using ServiceLedger.Domain.Money;
using ServiceLedger.Domain.Settlement;
using ServiceLedger.Functions.Deposits;
using ServiceLedger.Functions.Settlement;
using ServiceLedger.Functions.Statements;
using ServiceLedger.Functions.Stripe;

/// <summary>
/// Statement lines from the statements store: line n is the n-th line of the issued statement (1-based) and the whole
/// statement is its total; what may be contested is the amount's absolute value (a credit line can be contested too).
/// A statement of another contract is not found.
/// </summary>
public sealed class StoredStatementLines(StatementStore statements) : IStatementLines
{
    /// <inheritdoc />
    public async Task<StatementLineFacts?> FindAsync(ContractId contract, string statementId, int? line, CancellationToken cancellationToken)
    {
        var statement = await statements.GetAsync(statementId, cancellationToken).ConfigureAwait(false);
        if (statement is null || statement.Contract != contract)
        {
            return null;
        }

        var amount = line switch
        {
            null => statement.Total,
            { } number when number >= 1 && number <= statement.Lines.Count => statement.Lines[number - 1].Amount,
            _ => (Money?)null,
        };
        return amount is { } found ? new StatementLineFacts(found.Amount < 0 ? -found : found) : null;
    }
}

/// <summary>A resolution's credit note as a row beside the statement it credits (<see cref="CreditNoteStore"/>).</summary>
public sealed class StoredCreditNotes(CreditNoteStore store) : IStatementCreditNotes
{
    /// <inheritdoc />
    public Task RecordAsync(ContractId contract, string disputeId, CreditNote note, string ledgerEntryId, Instant recordedAt, CancellationToken cancellationToken) =>
        store.InsertAsync(contract, disputeId, note, ledgerEntryId, recordedAt, cancellationToken);
}

/// <summary>
/// Stripe's <c>charge.dispute.*</c> events become chargeback disputes (replacing the deposits capability's default
/// <see cref="IStripeDisputeEvents"/>, whose stored status it keeps writing too): the first event opens the dispute, later
/// ones move it to Stripe's newest status; an inquiry (<c>warning_*</c>) is recorded like any other status.
/// </summary>
public sealed class ChargebackDisputes(DisputeDesk desk, DepositStore deposits) : IStripeDisputeEvents
{
    /// <inheritdoc />
    public async Task OnDisputeEventAsync(StripeDisputeNotice notice, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notice);
        await new StoredDisputeStatus(deposits).OnDisputeEventAsync(notice, cancellationToken).ConfigureAwait(false);
        var dispute = notice.Dispute;
        var status = dispute.Status ?? "needs_response";
        var currency = Currency.TryFromCode((dispute.Currency ?? string.Empty).ToUpperInvariant(), out var known)
            ? known
            : throw new InvalidOperationException($"Stripe dispute {dispute.Id} has currency '{dispute.Currency}', which we do not know.");
        var facts = new ChargebackFacts(
            dispute.Id,
            dispute.Charge ?? string.Empty,
            status,
            dispute.EvidenceDetails?.DueBy is { } dueBy ? Instant.FromUnixTimeSeconds(dueBy) : null,
            status.StartsWith("warning_", StringComparison.Ordinal));
        await desk.RecordChargebackAsync(notice.Contract, facts, Money.FromMinorUnits(dispute.Amount, currency), notice.EventCreated, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>
/// Settlement's holds from the disputes store: every unresolved fee dispute on the contract holds its contested amount
/// (referenced <c>dispute:{id}</c>); chargebacks hold nothing, Stripe moves that money.
/// </summary>
public sealed class DisputeHolds(IDisputeStore disputes) : ISettlementHolds
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<HeldAmount>> HeldAsync(ContractId contract, CancellationToken cancellationToken)
    {
        var listed = await disputes.ListAsync(new DisputeFilter(null, contract, null, null), cancellationToken).ConfigureAwait(false);
        return [.. listed.Select(stored => stored.Dispute).Where(dispute => !dispute.OnHold.IsZero).Select(dispute => new HeldAmount(dispute.OnHold, $"dispute:{dispute.Id}")
        {
            // Names the disputed statement so that its overdue amount accrues no late penalty while the dispute lasts.
            Statement = StatementRecord.TryParseId(dispute.Subject?.StatementId, out var contractId, out var period, out var version) ? StatementId.For(contractId, period, version) : null,
        })];
    }
}
