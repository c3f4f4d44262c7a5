using Microsoft.Extensions.DependencyInjection.Extensions;
using ServiceLedger.Functions.Adapters.Tables;
using ServiceLedger.Functions.Configuration;
using ServiceLedger.Functions.Hosting;

namespace ServiceLedger.Functions.Reconciliation;

/// <summary>Registers reconciliation: its store, tolerances, use case, sources (over the reports, statements and ledger tables) and queue function.</summary>
public static class ReconciliationServiceCollectionExtensions
{
    /// <summary>Adds reconciliation; needs storage, the ledger, contracts, billing, settlement's statements, Stripe and the function host.</summary>
    public static IServiceCollection AddReconciliation(this IServiceCollection services)
    {
        services.TryAddSingleton(provider =>
        {
            var tables = provider.GetRequiredService<TableServiceClient>();
            return new ReconciliationStore(
                tables.GetTableClient(StorageNames.ReconciliationsTable),
                tables.GetTableClient(StorageNames.ReconciliationExceptionsTable),
                tables.GetTableClient(StorageNames.ReconciliationStripeItemsTable));
        });
        services.TryAddSingleton(provider => new ReconciliationTolerances(
            provider.GetRequiredService<TableServiceClient>().GetTableClient(StorageNames.ReconciliationTolerancesTable),
            provider.GetRequiredService<Domain.Contracts.IContractStore>(),
            provider.GetRequiredService<NodaTime.IClock>()));
        services.TryAddSingleton<IReconciliationSources, StoredReconciliationSources>();
        services.TryAddSingleton<ReconcilePeriod>();
        services.AddQueueFunction<RunReconciliationHandler>(ReconcilePeriod.FunctionName, StorageNames.ReconciliationQueue);
        return services;
    }
}

/// <summary>The queue function: one message per run id; runs its checks.</summary>
public sealed class RunReconciliationHandler(ReconcilePeriod reconcile) : IQueueTriggerHandler
{
    /// <inheritdoc />
    public Task HandleAsync(QueueTrigger trigger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        return reconcile.RunAsync(trigger.MessageText.Trim(), cancellationToken);
    }
}
