namespace ServiceLedger.Functions.Billing;

using ServiceLedger.Domain.Billing;
using ServiceLedger.Functions.Adapters.Billing;

/// <summary>Registers the billing capability: service reports (JSON and CSV import) and merchants' shop exports.</summary>
public static class BillingServiceCollectionExtensions
{
    /// <summary>The Table stores and the use cases. Expects storage, a clock and the contracts' store to be registered.</summary>
    public static IServiceCollection AddBilling(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<IServiceReportStore, TableServiceReportStore>();
        services.AddSingleton<IShopExportStore, TableShopExportStore>();
        services.AddSingleton<ReportingGate>();
        services.AddSingleton<ServiceReporting>();
        services.AddSingleton<ServiceReportImport>();
        services.AddSingleton<ShopExporting>();
        return services;
    }
}
