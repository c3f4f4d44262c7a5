namespace ServiceLedger.Domain.Billing;

using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;

/// <summary>
/// Where service reports are kept (port; the Table adapter implements it). Versions and reviews are only ever added, each
/// write an insert that fails when its key exists, so two writers racing for the same version get one winner.
/// </summary>
public interface IServiceReportStore
{
    /// <summary>All versions of the contract's report for the period, with their reviews; empty when none.</summary>
    Task<ServiceReportHistory> ReadAsync(ContractId contract, SettlementPeriod period, CancellationToken cancellationToken);

    /// <summary>
    /// Every period's history of the contract's report (one partition read), oldest period first; periods without a version
    /// are absent. Settlement reads it once per contract to settle a period and to notice corrected reports of settled ones.
    /// </summary>
    Task<IReadOnlyList<ServiceReportHistory>> ReadContractAsync(ContractId contract, CancellationToken cancellationToken);

    /// <summary>Adds a new version; false (nothing written) when that version number is already taken.</summary>
    Task<bool> TryAddVersionAsync(ServiceReport report, CancellationToken cancellationToken);

    /// <summary>Adds the review of <paramref name="reviewed"/> (its <see cref="ServiceReport.Review"/>); false when the version already has one.</summary>
    Task<bool> TryAddReviewAsync(ServiceReport reviewed, CancellationToken cancellationToken);
}

/// <summary>Where merchants' shop exports are kept (port), insert-only like <see cref="IServiceReportStore"/>.</summary>
public interface IShopExportStore
{
    /// <summary>All versions for the contract and period, oldest first.</summary>
    Task<IReadOnlyList<ShopExport>> ReadAsync(ContractId contract, SettlementPeriod period, CancellationToken cancellationToken);

    /// <summary>Adds a new version; false (nothing written) when that version number is already taken.</summary>
    Task<bool> TryAddAsync(ShopExport shopExport, CancellationToken cancellationToken);
}
