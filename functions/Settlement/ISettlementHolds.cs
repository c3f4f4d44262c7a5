namespace ServiceLedger.Functions.Settlement;

using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Settlement;
using ServiceLedger.Functions.Statements;

/// <summary>
/// The amounts on hold on a contract when it is settled (issue 9: a contested amount is kept out of the vendor's payable
/// balance and accrues no late penalty). The disputes capability answers with its unresolved disputes; without it (a host
/// that does not register disputes) nothing is on hold.
/// </summary>
public interface ISettlementHolds
{
    /// <summary>
    /// The contract's amounts on hold now, each with the reference of what holds it. <paramref name="statements"/> is the
    /// contract's statements partition as the run read it: its dispute markers say whether there is anything to read.
    /// </summary>
    Task<IReadOnlyList<HeldAmount>> HeldAsync(ContractId contract, ContractStatements statements, CancellationToken cancellationToken);
}

/// <summary>No holds: the answer when no disputes capability is registered.</summary>
internal sealed class NoSettlementHolds : ISettlementHolds
{
    public Task<IReadOnlyList<HeldAmount>> HeldAsync(ContractId contract, ContractStatements statements, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<HeldAmount>>([]);
}

/// <summary>
/// Finishes a statement payment a crash left pending on its tally (admitted, maybe posted, not stored as a payment row), so
/// that a settlement's late penalties and carried balances see it. The payments capability answers; without it (a host
/// that does not register payments) there are no payments, so nothing is pending.
/// </summary>
public interface ISettlementPendingPayments
{
    /// <summary>Posts (once, by its key) and stores the payment pending on <paramref name="statement"/>'s tally, if any.</summary>
    Task FinishAsync(StatementRecord statement, CancellationToken cancellationToken);
}

/// <summary>No payments capability: nothing is ever pending.</summary>
internal sealed class NoSettlementPendingPayments : ISettlementPendingPayments
{
    public Task FinishAsync(StatementRecord statement, CancellationToken cancellationToken) => Task.CompletedTask;
}
