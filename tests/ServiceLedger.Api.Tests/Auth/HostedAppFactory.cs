using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using ServiceLedger.TestSupport;

namespace ServiceLedger.Api.Tests.Auth;

/// <summary>
/// The app in any environment with the given settings, for startup and Entra ID tests that
/// <see cref="TestSupport.Api.ApiFactory"/> (always Development) cannot express. Uses no storage.
/// </summary>
internal sealed class HostedAppFactory(
    string environment,
    IReadOnlyDictionary<string, string?> settings,
    Action<IServiceCollection>? services = null) : WebApplicationFactory<Program>
{
    /// <summary>Most starts <see cref="Start"/> tries.</summary>
    private const int MaxStarts = 5;

    /// <summary>The clock the app reads.</summary>
    public FakeClock Clock { get; } = new();

    /// <summary>
    /// Starts the app of a fresh factory from <paramref name="create"/> and stops it; what the start throws propagates.
    /// When the app fails to start, WebApplicationFactory's deferred host can lose a race with the failing host's
    /// disposal and throw <see cref="ObjectDisposedException"/> instead of the start's own exception; such a start is
    /// tried again with a fresh factory, so tests see the app's real failure.
    /// </summary>
    public static void Start(Func<HostedAppFactory> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        for (var attempt = 1; ; attempt++)
        {
            using var app = create();
            try
            {
                app.CreateClient().Dispose();
                return;
            }
            catch (ObjectDisposedException) when (attempt < MaxStarts)
            {
                // The race above: start again.
            }
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(s =>
        {
            s.AddSingleton<TimeProvider>(Clock);
            services?.Invoke(s);
        });
    }
}
