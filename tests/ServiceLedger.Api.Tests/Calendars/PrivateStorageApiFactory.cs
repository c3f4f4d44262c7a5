using ServiceLedger.TestSupport.Api;
using ServiceLedger.TestSupport.Azurite;

namespace ServiceLedger.Api.Tests.Calendars;

/// <summary>
/// The app on an Azurite of its own: for tests whose writes every app instance reads at start (uploaded holiday years),
/// which must not reach the other fixtures on the shared Azurite.
/// </summary>
public sealed class PrivateStorageApiFactory : ApiFactory
{
    private AzuriteInstance? azurite;

    /// <inheritdoc />
    protected override async Task<string> StartStorageAsync()
    {
        azurite = await AzuriteInstance.StartAsync();
        return azurite.ConnectionString;
    }

    /// <summary>Stops the app, then its Azurite.</summary>
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        azurite?.Dispose();
    }
}
