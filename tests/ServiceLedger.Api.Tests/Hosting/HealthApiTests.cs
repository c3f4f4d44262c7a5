using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using ServiceLedger.Functions.Adapters.Queues;
using ServiceLedger.Functions.Adapters.Storage;
using NodaTime;
using ServiceLedger.Functions.Apis;
using ServiceLedger.Functions.Configuration;
using ServiceLedger.TestSupport;
using ServiceLedger.TestSupport.Azurite;

namespace ServiceLedger.Api.Tests.Hosting;

/// <summary>GET /api/health reports the version and whether storage answers, without a token.</summary>
public sealed class HealthApiTests
{
    [Fact]
    public async Task Health_is_ok_with_200_when_storage_answers()
    {
        var azurite = await AzuriteInstance.SharedAsync();
        await using var app = AppOn(azurite.ConnectionString);
        using var client = app.CreateClient();

        using var response = await client.GetAsync(new Uri("/api/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("ok", body.GetProperty("status").GetString());
        Assert.Equal("ok", body.GetProperty("storage").GetString());
        Assert.Equal(HealthApi.Version, body.GetProperty("version").GetString());
        Assert.StartsWith("0.", HealthApi.Version, StringComparison.Ordinal);
        Assert.Equal("CN", body.GetProperty("calendar").GetProperty("jurisdiction").GetString());
    }

    [Fact]
    public async Task Health_warns_without_failing_when_the_coming_quarter_needs_a_holiday_schedule_that_is_not_shipped()
    {
        var azurite = await AzuriteInstance.SharedAsync();
        var shipped = HolidayCalendars.Load(HolidayCalendars.MainlandChina).Years;
        var lastYear = shipped[^1];
        var clock = new FakeClock(Instant.FromUtc(lastYear, 12, 1, 0, 0));
        await using var app = AppOn(azurite.ConnectionString).WithWebHostBuilder(b => b.ConfigureServices(services => services.AddSingleton<IClock>(clock)));
        using var client = app.CreateClient();

        using var late = await client.GetAsync(new Uri("/api/health", UriKind.Relative));
        clock.Set(Instant.FromUtc(lastYear, 6, 1, 0, 0));
        using var early = await client.GetAsync(new Uri("/api/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, late.StatusCode);
        var calendar = (await late.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("calendar");
        Assert.Equal(shipped, calendar.GetProperty("years").EnumerateArray().Select(year => year.GetInt32()));
        Assert.Contains((lastYear + 1).ToString(CultureInfo.InvariantCulture), calendar.GetProperty("warning").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, (await early.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("calendar").GetProperty("warning").ValueKind);
    }

    [Fact]
    public async Task Health_warns_without_failing_naming_each_poison_queue_that_holds_messages_and_its_count()
    {
        using var azurite = await AzuriteInstance.StartAsync();
        await using var app = AppOn(azurite.ConnectionString);
        using var client = app.CreateClient();
        var queues = app.Services.GetRequiredService<QueueServiceClient>();
        var runsPoison = queues.GetQueueClient(StorageNames.PoisonQueueOf(StorageNames.SettlementRunsQueue));
        await runsPoison.CreateIfNotExistsAsync(CancellationToken.None);
        await queues.GetQueueClient(StorageNames.PoisonQueueOf(StorageNames.SettlementQueue)).CreateIfNotExistsAsync(CancellationToken.None);

        using var before = await client.GetAsync(new Uri("/api/health", UriKind.Relative));
        await runsPoison.SendBase64MessageAsync("given up 1", 0, CancellationToken.None);
        await runsPoison.SendBase64MessageAsync("given up 2", 0, CancellationToken.None);
        using var after = await client.GetAsync(new Uri("/api/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        var empty = (await before.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("poisonQueues");
        Assert.True(empty.GetProperty("checked").GetBoolean());
        Assert.Equal(0, empty.GetProperty("holding").GetArrayLength());
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        var body = await after.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("ok", body.GetProperty("status").GetString());
        var holding = Assert.Single(body.GetProperty("poisonQueues").GetProperty("holding").EnumerateArray());
        Assert.Equal("settlement-runs-poison", holding.GetProperty("queue").GetString());
        Assert.Equal(2, holding.GetProperty("approximateMessageCount").GetInt64());
        Assert.StartsWith("settlement-runs-poison holds about 2 message(s)", holding.GetProperty("warning").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_is_degraded_with_503_when_storage_does_not_answer()
    {
        await using var app = AppOn(ConnectionStringToNothing());
        using var client = app.CreateClient();

        using var response = await client.GetAsync(new Uri("/api/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("degraded", body.GetProperty("status").GetString());
        Assert.Equal("unreachable", body.GetProperty("storage").GetString());
        Assert.Equal(HealthApi.Version, body.GetProperty("version").GetString());
        Assert.False(body.GetProperty("poisonQueues").GetProperty("checked").GetBoolean());
    }

    [Fact]
    public async Task Health_is_degraded_with_503_not_500_when_storage_is_not_configured()
    {
        await using var app = new WebApplicationFactory<Program>();
        using var client = app.CreateClient();

        using var response = await client.GetAsync(new Uri("/api/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("unreachable", body.GetProperty("storage").GetString());
        Assert.False(body.GetProperty("poisonQueues").GetProperty("checked").GetBoolean());
    }

    private static WebApplicationFactory<Program> AppOn(string connectionString) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(b => b.UseSetting("Storage:ConnectionString", connectionString));

    /// <summary>Azurite's account on a loopback port that was free a moment ago: connections are refused at once.</summary>
    private static string ConnectionStringToNothing()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var endpoint = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/{StorageConnectionString.DevelopmentAccountName}");
        return $"DefaultEndpointsProtocol=http;AccountName={StorageConnectionString.DevelopmentAccountName};" +
            $"AccountKey={StorageConnectionString.DevelopmentAccountKey};QueueEndpoint={endpoint};TableEndpoint={endpoint};";
    }
}
