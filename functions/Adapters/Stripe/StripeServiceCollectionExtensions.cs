using Microsoft.Extensions.DependencyInjection.Extensions;
using ServiceLedger.Functions.Stripe;

namespace ServiceLedger.Functions.Adapters.Stripe;

/// <summary>Registers the Stripe adapter.</summary>
public static class StripeServiceCollectionExtensions
{
    /// <summary>How long one Stripe attempt may take (stripe-node allows 80 s; a webhook-driven flow should not wait that long).</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Registers <see cref="StripeOptions"/> and <see cref="StripeWebhookSecrets"/> (read from
    /// <paramref name="configuration"/> when first needed, so that test hosts can add settings after this call),
    /// <see cref="StripeRetries"/>, the typed <see cref="StripeClient"/> and the webhook intake
    /// (<see cref="ReceiveStripeEvent"/>).
    /// </summary>
    public static IServiceCollection AddStripe(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(_ => StripeOptions.FromConfiguration(configuration));
        services.TryAddSingleton(_ => StripeWebhookSecrets.FromConfiguration(configuration));
        services.TryAddSingleton<StripeRetries>();
        services.TryAddSingleton<ReceiveStripeEvent>();
        services.AddHttpClient<StripeClient>(http =>
        {
            http.Timeout = AttemptTimeout;
            http.MaxResponseContentBufferSize = StripeClient.MaxResponseBytes;
        });
        return services;
    }
}
