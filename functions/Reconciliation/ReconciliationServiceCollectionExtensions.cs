using Microsoft.Extensions.DependencyInjection.Extensions;
using ServiceLedger.Functions.Adapters.Tables;
using ServiceLedger.Functions.Configuration;
using ServiceLedger.Functions.Hosting;

namespace ServiceLedger.Functions.Reconciliation;

/// <summary>Registers reconciliation: its store, use case, sources port and queue function.</summary>
public static class ReconciliationServiceCollectionExtensions
{
    /// <summary>Adds reconciliation; needs storage, the ledger, Stripe and the function host.</summary>
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
        services.TryAddSingleton<IReconciliationSources, NoReconciliationSources>();
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
