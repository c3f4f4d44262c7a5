using Microsoft.Extensions.DependencyInjection.Extensions;
using NodaTime;
using ServiceLedger.Domain.Parties;
using ServiceLedger.Functions.Adapters.Parties;
using ServiceLedger.Functions.Adapters.Tables;
using ServiceLedger.Functions.Configuration;

namespace ServiceLedger.Functions.Parties;

/// <summary>Registers merchants and vendors: their Table stores and use cases.</summary>
public static class PartiesServiceCollectionExtensions
{
    /// <summary>Adds the parties capability; needs <c>AddStorage</c> (TableServiceClient, IClock).</summary>
    public static IServiceCollection AddParties(this IServiceCollection services)
    {
        services.TryAddSingleton<IMerchantStore>(provider =>
        {
            var tables = provider.GetRequiredService<TableServiceClient>();
            return new MerchantTableStore(
                tables.GetTableClient(StorageNames.MerchantsTable),
                tables.GetTableClient(StorageNames.MerchantShopsTable),
                provider.GetRequiredService<IClock>(),
                provider.GetRequiredService<ILogger<MerchantTableStore>>());
        });
        services.TryAddSingleton<IVendorStore>(provider =>
            new VendorTableStore(provider.GetRequiredService<TableServiceClient>().GetTableClient(StorageNames.VendorsTable)));
        services.TryAddSingleton<SignUpMerchant>();
        services.TryAddSingleton<ApplyAsVendor>();
        services.TryAddSingleton<ChangeVendorCertification>();
        return services;
    }
}
