using Microsoft.Extensions.DependencyInjection.Extensions;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Functions.Adapters.Ledger;

namespace ServiceLedger.Functions.Ledger;

/// <summary>Registers the ledger.</summary>
public static class LedgerServiceCollectionExtensions
{
    /// <summary>
    /// Registers, as singletons: <see cref="LedgerTables.Default"/> (unless tables are registered already), the Table Storage
    /// store as <see cref="ILedgerStore"/> (one per process: it caches book heads) and, when the store offers it, as
    /// <see cref="IContractBookWrites"/> (else <see cref="IContractBookWrites.None"/>),
    /// and <see cref="LedgerService"/>. Needs <c>AddStorage</c>.
    /// </summary>
    public static IServiceCollection AddLedger(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(LedgerTables.Default);
        services.TryAddSingleton<TableLedgerStore>();
        services.TryAddSingleton<ILedgerStore>(provider => provider.GetRequiredService<TableLedgerStore>());
        services.TryAddSingleton(provider => provider.GetRequiredService<ILedgerStore>() as IContractBookWrites ?? IContractBookWrites.None);
        services.TryAddSingleton<LedgerService>();
        return services;
    }
}
