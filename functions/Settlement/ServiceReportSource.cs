namespace ServiceLedger.Functions.Settlement;

using ServiceLedger.Domain.Billing;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;

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
    /// <summary>The latest version of the report of <paramref name="contract"/> for <paramref name="period"/>, or null when none was submitted.</summary>
    Task<ServiceReportVersion?> ReadLatestAsync(ContractId contract, SettlementPeriod period, CancellationToken cancellationToken);
}

/// <summary>The latest version from the service reports store (one partition query: the contract's versions for the period).</summary>
public sealed class StoredServiceReports(IServiceReportStore reports) : IServiceReportSource
{
    /// <inheritdoc />
    public async Task<ServiceReportVersion?> ReadLatestAsync(ContractId contract, SettlementPeriod period, CancellationToken cancellationToken)
    {
        var latest = (await reports.ReadAsync(contract, period, cancellationToken).ConfigureAwait(false)).Latest;
        return latest is null ? null : new ServiceReportVersion(latest.Version, latest.Figures, latest.Status == ServiceReportStatus.Contested);
    }
}
