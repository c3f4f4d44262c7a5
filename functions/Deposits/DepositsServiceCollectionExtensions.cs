using Microsoft.Extensions.DependencyInjection.Extensions;
using ServiceLedger.Functions.Configuration;
using ServiceLedger.Functions.Hosting;
using ServiceLedger.Functions.Stripe;

namespace ServiceLedger.Functions.Deposits;

/// <summary>Registers the deposit flow: checkout, refunds and register, and the queue function that applies Stripe events.</summary>
public static class DepositsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="DepositSettings"/> (read when first needed), <see cref="DepositStore"/>,
    /// <see cref="DepositCheckout"/>, <see cref="DepositRefunds"/>, the default <see cref="IStripeDisputeEvents"/>
    /// (<see cref="StoredDisputeStatus"/>, replaceable by a disputes capability) and the <c>ApplyStripeEvent</c> queue
    /// function on <see cref="StorageNames.StripeEventsQueue"/>.
    /// </summary>
    public static IServiceCollection AddDeposits(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(_ => DepositSettings.FromConfiguration(configuration));
        services.TryAddSingleton<DepositStore>();
        services.TryAddScoped<DepositCheckout>();
        services.TryAddScoped<DepositRefunds>();
        services.TryAddSingleton<IStripeDisputeEvents, StoredDisputeStatus>();
        return services.AddQueueFunction<ApplyStripeEvent>(ApplyStripeEvent.FunctionName, StorageNames.StripeEventsQueue);
    }
}
