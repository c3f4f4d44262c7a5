using ServiceLedger.Domain.Money;
using ServiceLedger.Domain.Reconciliation;

namespace ServiceLedger.Functions.Reconciliation;

/// <summary>One contract's figures for one of its settlement periods from both parties, and the tolerance agreed for comparing them.</summary>
/// <param name="ContractId">The contract.</param>
/// <param name="Period">The contract's settlement period the figures are for (a month or a quarter inside the run's period).</param>
/// <param name="Vendor">The vendor's service report (latest version).</param>
/// <param name="Merchant">The merchant's shop export (latest version).</param>
/// <param name="Tolerance">The contract's reconciliation tolerance, or null for <see cref="FiguresCheck.DefaultTolerance"/>.</param>
public sealed record ContractFigures(string ContractId, ReconciliationPeriod Period, PartyFigures Vendor, PartyFigures Merchant, Rate? Tolerance);

/// <summary>
/// Where a run reads what other capabilities own: the parties' figures (service reports and merchant shop exports), the
/// statements (settlement) and the deposits. A port, so that the checks stay pure and a test can hand a run its inputs;
/// <see cref="StoredReconciliationSources"/> reads the real tables.
/// </summary>
public interface IReconciliationSources
{
    /// <summary>
    /// Every contract and settlement period inside <paramref name="period"/> with figures from both parties: a monthly
    /// contract's months, a quarterly contract's quarters (a month's run has no quarterly figures to compare).
    /// </summary>
    Task<IReadOnlyList<ContractFigures>> ReadFiguresAsync(ReconciliationPeriod period, CancellationToken cancellationToken);

    /// <summary>Issued statements with an unpaid amount (payments allocated oldest due date first).</summary>
    Task<IReadOnlyList<OpenStatement>> ReadOpenStatementsAsync(CancellationToken cancellationToken);

    /// <summary>Deposits the ledger still holds for contracts that have ended, with the contract's end (running contracts are expected to hold theirs).</summary>
    Task<IReadOnlyList<HeldDeposit>> ReadHeldDepositsAsync(CancellationToken cancellationToken);

    /// <summary>Statements issued (by issue date) inside <paramref name="period"/>, with the entry each says posted it.</summary>
    Task<IReadOnlyList<IssuedStatement>> ReadIssuedStatementsAsync(ReconciliationPeriod period, CancellationToken cancellationToken);
}
