using System.Net;
using Microsoft.AspNetCore.Hosting;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Functions.Adapters.Tables;
using ServiceLedger.Functions.Auth;
using ServiceLedger.Functions.Configuration;
using ServiceLedger.Functions.Demo;
using ServiceLedger.Functions.Hosting;
using ServiceLedger.Functions.Statements;
using ServiceLedger.TestSupport.Api;
using ServiceLedger.TestSupport.Azurite;

namespace ServiceLedger.Api.Tests.Demo;

/// <summary>
/// The run command's demo data set: the app seeds it at startup (Development, Local:SeedDemo=true), one drain of the
/// trigger pump settles last month, the printed requests read the statements, and seeding again writes nothing.
/// </summary>
public sealed class DemoSeedingTests(DemoApiFactory app) : IClassFixture<DemoApiFactory>
{
    [Fact]
    public async Task Startup_seeds_a_contract_whose_last_month_one_drain_settles_and_seeding_again_writes_nothing()
    {
        // The fake clock is 2026-11-02 in Shanghai: last month is October.
        var october = SettlementPeriod.Month(2026, 10);
        var pump = ActivatorUtilities.CreateInstance<LocalTriggerPump>(app.Services);
        await DrainAsync(pump);
        var rowsBefore = await CountRowsAsync();

        var demo = await app.Services.GetRequiredService<DemoSeeder>().SeedAsync(CancellationToken.None);
        var handledAfter = await DrainAsync(pump);

        Assert.Equal(october, demo.Period);
        Assert.NotNull(await app.Services.GetRequiredService<StatementStore>().GetAsync(demo.Statement.Value, CancellationToken.None));
        Assert.Equal(0, demo.Writes);
        Assert.Equal(0, handledAfter);
        Assert.Equal(rowsBefore, await CountRowsAsync());

        using var merchant = app.CreateClientAs(CallerRole.Merchant, demo.Merchant.Value);
        using var vendor = app.CreateClientAs(CallerRole.Vendor, demo.Vendor.Value);
        using var statement = await merchant.GetAsync($"/api/statements/{demo.Statement}");
        using var pdf = await merchant.GetAsync($"/api/statements/{demo.Statement}.pdf");
        using var commission = await vendor.GetAsync($"/api/vendors/{demo.Vendor}/commission-statements/{demo.Period}");
        Assert.Equal(HttpStatusCode.OK, statement.StatusCode);
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Equal(HttpStatusCode.OK, commission.StatusCode);
    }

    private static async Task<int> DrainAsync(LocalTriggerPump pump)
    {
        var handled = 0;
        for (var round = 0; round < 50; round++)
        {
            var pass = await pump.RunOnceAsync(CancellationToken.None);
            if (!pass.DidWork)
            {
                return handled;
            }

            handled += pass.Handled;
        }

        throw new InvalidOperationException("The trigger queues were not empty after 50 passes.");
    }

    private async Task<int> CountRowsAsync()
    {
        var tables = app.Services.GetRequiredService<TableServiceClient>();
        var count = 0;
        foreach (var table in StorageNames.Tables)
        {
            await foreach (var _ in tables.GetTableClient(table).QueryAsync(new TableQuery(), 1_000, CancellationToken.None))
            {
                count++;
            }
        }

        return count;
    }
}

/// <summary>The app with the demo seeding on, over its own Azurite (a settlement run settles every active contract it finds).</summary>
public sealed class DemoApiFactory : ApiFactory
{
    private AzuriteInstance? own;

    /// <inheritdoc />
    public override async Task InitializeAsync()
    {
        own = await AzuriteInstance.StartAsync();
        await base.InitializeAsync();
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        own?.Dispose();
    }

    /// <inheritdoc />
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        base.ConfigureWebHost(builder);
        builder.UseSetting(AppSettings.StorageConnectionString, own!.ConnectionString);
        builder.UseSetting(AppSettings.LocalProvisionStorage, "true");
        builder.UseSetting(AppSettings.LocalSeedDemo, "true");
    }
}
