using Microsoft.Extensions.DependencyInjection.Extensions;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Functions.Adapters.Ledger;

namespace ServiceLedger.Functions.Ledger;

/// <summary>Registers the ledger.</summary>
public static class LedgerServiceCollectionExtensions
{
    /// <summary>
    /// Registers, as singletons: <see cref="LedgerTables.Default"/> (unless tables are registered already), the Table Storage
    /// store as <see cref="ILedgerStore"/> (one per process: it caches book heads),
    /// and <see cref="LedgerService"/>. Needs <c>AddStorage</c>.
    /// </summary>
    public static IServiceCollection AddLedger(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(LedgerTables.Default);
        services.TryAddSingleton<TableLedgerStore>();
        services.TryAddSingleton<ILedgerStore>(provider => provider.GetRequiredService<TableLedgerStore>());
        services.TryAddSingleton<LedgerService>();
        return services;
    }
}
