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
    /// <summary>The clock the app reads.</summary>
    public FakeClock Clock { get; } = new();

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
