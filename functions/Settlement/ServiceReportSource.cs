namespace ServiceLedger.Functions.Settlement;

using ServiceLedger.Domain.Billing;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;

/// <summary>The latest version of a contract's service report for a period: the figures a statement is computed from.</summary>
/// <param name="Version">The report's version (1 for the first; a corrected report is a higher one).</param>
/// <param name="Figures">The validated figures.</param>
public sealed record ServiceReportVersion(int Version, ServiceFigures Figures);

/// <summary>
/// Where settlement reads service reports (port). The service reports capability answers it from its table; until that is
/// wired in, <see cref="NoServiceReports"/> answers "none", so every contract that needs a report is held, never guessed.
/// </summary>
public interface IServiceReportSource
{
    /// <summary>The latest version of the report of <paramref name="contract"/> for <paramref name="period"/>, or null when none was submitted.</summary>
    Task<ServiceReportVersion?> ReadLatestAsync(ContractId contract, SettlementPeriod period, CancellationToken cancellationToken);
}

/// <summary>A report source with no reports: contracts that need one are held with "no service report".</summary>
public sealed class NoServiceReports : IServiceReportSource
{
    /// <inheritdoc />
    public Task<ServiceReportVersion?> ReadLatestAsync(ContractId contract, SettlementPeriod period, CancellationToken cancellationToken) =>
        Task.FromResult<ServiceReportVersion?>(null);
}
