using ServiceLedger.Functions.Adapters.Storage;
using ServiceLedger.Functions.Configuration;

namespace ServiceLedger.Functions.Hosting;

/// <summary>
/// Creates every table and queue of <see cref="StorageNames"/> (with poison queues) before the app serves, when
/// Local:ProvisionStorage is "true" — the run command's Azurite starts empty. In Azure the templates create them.
/// </summary>
internal sealed class LocalStorageProvisioning(IConfiguration configuration, IServiceProvider services, ILogger<LocalStorageProvisioning> logger)
    : IHostedService
{
    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!configuration.GetValue<bool>(AppSettings.LocalProvisionStorage))
        {
            return;
        }

        // Resolved only when enabled, so that hosts without storage settings (most API tests) never build the clients.
        logger.LogInformation("Provisioning local storage ({Setting}=true)", AppSettings.LocalProvisionStorage);
        await services.GetRequiredService<StorageProvisioner>().EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
