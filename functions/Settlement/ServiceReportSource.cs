namespace ServiceLedger.Functions.Settlement;

using ServiceLedger.Domain.Billing;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Functions.Statements;

/// <summary>The latest version of a contract's service report for a period: the figures a statement is computed from.</summary>
/// <param name="Version">The report's version (1 for the first; a corrected report is a higher one).</param>
/// <param name="Figures">The validated figures.</param>
/// <param name="Contested">True when the merchant contested this version: it is not billed until a new version replaces it.</param>
public sealed record ServiceReportVersion(int Version, ServiceFigures Figures, bool Contested = false);

/// <summary>
/// Where settlement reads service reports (port): <see cref="StoredServiceReports"/> reads the service reports capability's
/// store; tests put reports in memory.
/// </summary>
public interface IServiceReportSource
{
    /// <summary>
    /// The latest version of every period the contract has a report for (one read of the contract's reports), so that one
    /// handling settles its period and notices corrected reports of settled periods without a read per period.
    /// </summary>
    Task<IReadOnlyDictionary<SettlementPeriod, ServiceReportVersion>> ReadLatestAsync(ContractId contract, CancellationToken cancellationToken);

    /// <summary>
    /// The latest versions from the contract's statements partition as a settlement just read it, when this source's reports
    /// are stored there (so they cost no request of their own); null when they are not (then <see cref="ReadLatestAsync"/>).
    /// </summary>
    IReadOnlyDictionary<SettlementPeriod, ServiceReportVersion>? LatestFrom(ContractStatements partition) => null;
}

/// <summary>
/// The latest versions from the service reports store, which keeps them in the contract's statements partition: a settlement
/// takes them from its read of that partition (<see cref="LatestFrom"/>); anyone else reads them (one partition query).
/// </summary>
public sealed class StoredServiceReports(IServiceReportStore reports) : IServiceReportSource
{
    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<SettlementPeriod, ServiceReportVersion>> ReadLatestAsync(ContractId contract, CancellationToken cancellationToken) =>
        Latest(await reports.ReadContractAsync(contract, cancellationToken).ConfigureAwait(false));

    /// <inheritdoc />
    public IReadOnlyDictionary<SettlementPeriod, ServiceReportVersion> LatestFrom(ContractStatements partition)
    {
        ArgumentNullException.ThrowIfNull(partition);
        return Latest(partition.ServiceReports);
    }

    private static Dictionary<SettlementPeriod, ServiceReportVersion> Latest(IEnumerable<ServiceReportHistory> histories) =>
        histories
            .Where(history => history.Latest is not null)
            .ToDictionary(history => history.Period, history => new ServiceReportVersion(history.Latest!.Version, history.Latest.Figures, history.Latest.Status == ServiceReportStatus.Contested));
}
