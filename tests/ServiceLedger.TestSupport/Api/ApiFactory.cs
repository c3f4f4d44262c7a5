using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NodaTime;
using ServiceLedger.Functions.Adapters.Storage;
using ServiceLedger.Functions.Auth;
using ServiceLedger.Functions.Configuration;
using ServiceLedger.TestSupport.Azurite;
using Xunit;

namespace ServiceLedger.TestSupport.Api;

/// <summary>
/// The real app in process (<see cref="WebApplicationFactory{TEntryPoint}"/>) for API tests: Development environment,
/// the assembly's shared Azurite with every table and queue created, and a <see cref="FakeClock"/> serving both
/// <see cref="IClock"/> and <see cref="TimeProvider"/> (token lifetimes included). Use it as a class fixture
/// (<c>IClassFixture&lt;ApiFactory&gt;</c>) and call <see cref="CreateClientAs(CallerRole, string?)"/> for a client whose
/// requests carry a development token. Storage is shared by every test in the assembly: give each test its own ids.
/// </summary>
public class ApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    private string? _storageConnectionString;

    /// <summary>The clock the app reads; move it to test expiry, periods and due dates.</summary>
    public FakeClock Clock { get; } = new();

    /// <summary>The connection string of the Azurite the app uses (to inspect tables directly).</summary>
    public string StorageConnectionString =>
        _storageConnectionString ?? throw new InvalidOperationException("ApiFactory is not initialised: use it as an xunit fixture, or await InitializeAsync().");

    /// <summary>Starts (or joins) the shared Azurite, then starts the app and creates every table and queue.</summary>
    public virtual async Task InitializeAsync()
    {
        _storageConnectionString = await StartStorageAsync();
        await Services.GetRequiredService<StorageProvisioner>().EnsureCreatedAsync(CancellationToken.None);
    }

    /// <summary>
    /// The storage the app uses: the assembly's shared Azurite. A derived factory whose tests change what every app instance
    /// reads (e.g. the holiday calendar) starts a private one instead.
    /// </summary>
    protected virtual async Task<string> StartStorageAsync() => (await AzuriteInstance.SharedAsync()).ConnectionString;

    /// <summary>Stops the app (the shared Azurite keeps running for other fixtures).</summary>
    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    /// <summary>A client whose requests carry a fresh development token for <paramref name="role"/>.</summary>
    /// <param name="role">The caller's role.</param>
    /// <param name="partyId">The tenant party id: required for merchant and vendor, e.g. <c>mer_acme</c>.</param>
    public HttpClient CreateClientAs(CallerRole role, string? partyId = null) => CreateClientWithToken(MintToken(role, partyId));

    /// <summary>A client whose requests carry <paramref name="accessToken"/> as a bearer token (for hand-made or tampered tokens).</summary>
    public HttpClient CreateClientWithToken(string accessToken)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }

    /// <summary>
    /// A development token for <paramref name="role"/> from the app's own issuer (the same key and validation path as
    /// POST /api/dev/tokens), valid from <see cref="Clock"/>'s now for <paramref name="lifetime"/> (default one hour).
    /// </summary>
    public string MintToken(CallerRole role, string? partyId = null, TimeSpan? lifetime = null) =>
        MintToken([role], partyId, lifetime);

    /// <summary>A development token granting all of <paramref name="roles"/> (see the single-role overload).</summary>
    public string MintToken(IReadOnlyCollection<CallerRole> roles, string? partyId, TimeSpan? lifetime = null)
    {
        PartyId? party = null;
        if (partyId is not null)
        {
            party = PartyId.TryParse(partyId, out var parsed)
                ? parsed
                : throw new ArgumentException($"'{partyId}' is not a party id (1-{PartyId.MaxLength} of A-Z a-z 0-9 _ -).", nameof(partyId));
        }

        var issuer = Services.GetService<DevTokenIssuer>()
            ?? throw new InvalidOperationException("The development issuer is not running in this host (it runs only in Development).");
        return issuer.Mint(roles, party, lifetime).AccessToken;
    }

    /// <summary>Development environment, Azurite storage and the fake clock; derived factories add to this.</summary>
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment(Environments.Development);
        builder.UseSetting(AppSettings.StorageConnectionString, StorageConnectionString);
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<IClock>(Clock);
            services.AddSingleton<TimeProvider>(Clock);
        });
    }
}
