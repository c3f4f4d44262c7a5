using ServiceLedger.Domain.Money;
using ServiceLedger.Domain.Reconciliation;

namespace ServiceLedger.Functions.Reconciliation;

/// <summary>One contract's figures for a period from both parties, and the tolerance agreed for comparing them.</summary>
/// <param name="ContractId">The contract.</param>
/// <param name="Vendor">The vendor's service report.</param>
/// <param name="Merchant">The merchant's shop export.</param>
/// <param name="Tolerance">The contract's reconciliation tolerance, or null for <see cref="FiguresCheck.DefaultTolerance"/>.</param>
public sealed record ContractFigures(string ContractId, PartyFigures Vendor, PartyFigures Merchant, Rate? Tolerance);

/// <summary>
/// Where a run reads the parties' figures (service reports and merchant shop exports, owned by the reports capability) and
/// the receivables (statements, owned by settlement; deposits). A port, so that the run does not depend on tables another
/// capability owns; until those capabilities register their own, <see cref="NoReconciliationSources"/> answers "none".
/// </summary>
public interface IReconciliationSources
{
    /// <summary>Every contract with figures from both parties for the period.</summary>
    Task<IReadOnlyList<ContractFigures>> ReadFiguresAsync(ReconciliationPeriod period, CancellationToken cancellationToken);

    /// <summary>Issued statements with an unpaid amount.</summary>
    Task<IReadOnlyList<OpenStatement>> ReadOpenStatementsAsync(CancellationToken cancellationToken);

    /// <summary>Deposits the ledger still holds, with their contract's end.</summary>
    Task<IReadOnlyList<HeldDeposit>> ReadHeldDepositsAsync(CancellationToken cancellationToken);
}

/// <summary>The sources used until the reports and settlement capabilities provide theirs: no figures, no receivables.</summary>
public sealed class NoReconciliationSources : IReconciliationSources
{
    /// <inheritdoc />
    public Task<IReadOnlyList<ContractFigures>> ReadFiguresAsync(ReconciliationPeriod period, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ContractFigures>>([]);

    /// <inheritdoc />
    public Task<IReadOnlyList<OpenStatement>> ReadOpenStatementsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<OpenStatement>>([]);

    /// <inheritdoc />
    public Task<IReadOnlyList<HeldDeposit>> ReadHeldDepositsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<HeldDeposit>>([]);
}
