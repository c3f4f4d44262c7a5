using Microsoft.Extensions.DependencyInjection.Extensions;
using NodaTime;

namespace ServiceLedger.Functions.Configuration;

/// <summary>Registers the clocks (docs/time.md): nothing else in the product reads the time.</summary>
public static class ClockServiceCollectionExtensions
{
    /// <summary>
    /// Registers NodaTime's <see cref="SystemClock"/> as <see cref="IClock"/> and <see cref="TimeProvider.System"/>, each
    /// unless already registered, so a test host can put one FakeClock in both places first.
    /// </summary>
    public static IServiceCollection AddClock(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<IClock>(SystemClock.Instance);
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }
}
