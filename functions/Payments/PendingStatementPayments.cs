namespace ServiceLedger.Functions.Payments;

using ServiceLedger.Functions.Settlement;
using ServiceLedger.Functions.Statements;

/// <summary>Settlement's port to finish payments a crash left pending (<see cref="RecordStatementPayment.FinishPendingAsync"/>).</summary>
internal sealed class PendingStatementPayments(RecordStatementPayment payments) : ISettlementPendingPayments
{
    public Task FinishAsync(StatementRecord statement, CancellationToken cancellationToken) => payments.FinishPendingAsync(statement, cancellationToken);
}
