using Microsoft.Extensions.DependencyInjection.Extensions;
using NodaTime;
using ServiceLedger.Functions.Adapters.Queues;
using ServiceLedger.Functions.Adapters.Tables;
using ServiceLedger.Functions.Hosting;

namespace ServiceLedger.Functions.Adapters.Storage;

/// <summary>Registers the storage adapters.</summary>
public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers, as singletons: <see cref="StorageAccount"/> (read from <paramref name="configuration"/> when first
    /// needed, so test hosts can add settings after this call), <see cref="StorageRequestCounter"/>,
    /// <see cref="TableServiceClient"/>, <see cref="QueueServiceClient"/>, <see cref="StorageProvisioner"/> and
    /// <see cref="IStorageProbe"/>; and NodaTime's system <see cref="IClock"/> unless a clock is registered already.
    /// </summary>
    public static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton<IClock>(SystemClock.Instance);
        services.TryAddSingleton(_ => StorageAccount.FromConfiguration(configuration));
        services.TryAddSingleton<StorageRequestCounter>();
        services.TryAddSingleton<TableServiceClient>();
        services.TryAddSingleton<QueueServiceClient>();
        services.TryAddSingleton<StorageProvisioner>();
        services.TryAddSingleton<IStorageProbe, StorageProbe>();
        return services;
    }
}
