using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using ServiceLedger.Functions.Configuration;
using ServiceLedger.Functions.Hosting;

namespace ServiceLedger.Api.Tests.Hosting;

/// <summary>The local pump copies host.json and starts only where no Functions host runs.</summary>
public sealed class LocalHostingTests : IClassFixture<WebApplicationFactory<Program>>
{
    private readonly WebApplicationFactory<Program> app;

    public LocalHostingTests(WebApplicationFactory<Program> app) => this.app = app;

    [Fact]
    public void Pump_settings_equal_host_json_queue_settings()
    {
        using var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Root, "host.json")));
        var queues = host.RootElement.GetProperty("extensions").GetProperty("queues");
        var settings = QueueTriggerSettings.FromHostJson;

        Assert.Equal(queues.GetProperty("batchSize").GetInt32(), settings.BatchSize);
        Assert.Equal(queues.GetProperty("maxDequeueCount").GetInt32(), settings.MaxDequeueCount);
        Assert.Equal(TimeSpan.Parse(queues.GetProperty("visibilityTimeout").GetString()!, System.Globalization.CultureInfo.InvariantCulture), settings.VisibilityTimeout);
        Assert.Equal(TimeSpan.Parse(queues.GetProperty("maxPollingInterval").GetString()!, System.Globalization.CultureInfo.InvariantCulture), settings.MaxPollingInterval);
        Assert.Equal(queues.GetProperty("messageEncoding").GetString() == "base64", settings.Base64Messages);
    }

    [Theory]
    [InlineData(null, "true", true)]
    [InlineData("", "true", true)]
    [InlineData("40123", "true", false)]
    [InlineData(null, "false", false)]
    [InlineData(null, null, false)]
    public void Pump_runs_only_without_a_functions_host_and_when_switched_on(string? hostPort, string? setting, bool expected)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(setting is null ? [] : [new(AppSettings.LocalTriggerPump, setting)])
            .Build();

        Assert.Equal(expected, LocalTriggerPump.IsEnabled(configuration, hostPort));
    }

    [Fact]
    public void Every_queue_a_registered_function_reads_is_provisioned_from_StorageNames()
    {
        var registry = app.Services.GetRequiredService<FunctionRegistry>();

        // A poison queue is provisioned with its source queue (StorageProvisioner and infra derive it).
        Assert.All(registry.QueueFunctions, f => Assert.Contains(f.PoisonOf ?? f.QueueName, StorageNames.Queues));
        Assert.All(registry.QueueFunctions.Where(f => f.ReadsPoisonQueue), f => Assert.Equal(StorageNames.PoisonQueueOf(f.PoisonOf!), f.QueueName));
    }

    [Fact]
    public void Host_json_runs_the_published_executable_and_forwards_http_requests()
    {
        using var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Root, "host.json")));
        var handler = host.RootElement.GetProperty("customHandler");

        Assert.Equal(typeof(Program).Assembly.GetName().Name, handler.GetProperty("description").GetProperty("defaultExecutablePath").GetString());
        Assert.True(handler.GetProperty("enableForwardingHttpRequest").GetBoolean());
        Assert.Equal("api", Repository.RoutePrefix);
    }
}
