using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodaTime;
using ServiceLedger.Functions.Adapters.Queues;
using ServiceLedger.Functions.Adapters.Storage;
using ServiceLedger.Functions.Adapters.Tables;
using ServiceLedger.Functions.Configuration;
using ServiceLedger.Functions.Hosting;
using ServiceLedger.TestSupport.Azurite;

namespace ServiceLedger.Integration.Tests.Storage;

/// <summary>Authentication, DI registration, probe, provisioner, request counting and log hygiene, against Azurite.</summary>
public sealed class StorageWiringTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Shared_key_signed_requests_are_accepted_by_both_services()
    {
        var clients = StorageTestClients.Create((await AzuriteInstance.SharedAsync()).ConnectionString);

        var tables = await clients.Tables.GetTableNamesAsync(1, None);
        var queues = await clients.Queues.GetQueueNamesAsync(1, None);

        Assert.True(tables.Count <= 1);
        Assert.True(queues.Count <= 1);
        Assert.Equal(1, clients.Counter.TableRequests);
        Assert.Equal(1, clients.Counter.QueueRequests);
    }

    [Fact]
    public async Task Requests_signed_with_a_wrong_key_are_refused_by_both_services()
    {
        var azurite = await AzuriteInstance.SharedAsync();
        var wrongKey = Convert.ToBase64String(new byte[64]);
        var clients = StorageTestClients.Create(azurite.ConnectionString.Replace(
            StorageConnectionString.DevelopmentAccountKey, wrongKey, StringComparison.Ordinal));

        var table = await Assert.ThrowsAsync<TableStorageException>(
            () => clients.Tables.GetTableClient(StorageTestNames.Table("auth")).CreateIfNotExistsAsync(None));
        var queue = await Assert.ThrowsAsync<QueueStorageException>(
            () => clients.Queues.GetQueueClient(StorageTestNames.Queue("auth")).CreateIfNotExistsAsync(None));

        Assert.Equal(403, table.Status);
        Assert.Equal(403, queue.Status);
    }

    [Fact]
    public async Task AddStorage_reads_settings_added_after_registration_and_shares_one_counter()
    {
        var configuration = new ConfigurationManager();
        await using var provider = new ServiceCollection().AddLogging().AddStorage(configuration).BuildServiceProvider();
        configuration[AppSettings.StorageConnectionString] = (await AzuriteInstance.SharedAsync()).ConnectionString;

        var tables = provider.GetRequiredService<TableServiceClient>();
        var queues = provider.GetRequiredService<QueueServiceClient>();
        var counter = provider.GetRequiredService<StorageRequestCounter>();
        await provider.GetRequiredService<StorageProvisioner>().EnsureCreatedAsync(None);
        var reachable = await provider.GetRequiredService<IStorageProbe>().CanReachStorageAsync(None);

        Assert.True(reachable);
        Assert.Same(counter, provider.GetRequiredService<StorageRequestCounter>());
        // One create per table, one per queue and its poison twin, then one probe request to each service.
        Assert.Equal(StorageNames.Tables.Count + 1, counter.TableRequests);
        Assert.Equal((2 * StorageNames.Queues.Count) + 1, counter.QueueRequests);
        Assert.Equal((await AzuriteInstance.SharedAsync()).TableEndpoint, tables.ServiceUri);
        Assert.Equal((await AzuriteInstance.SharedAsync()).QueueEndpoint, queues.ServiceUri);
        Assert.Same(SystemClock.Instance, provider.GetRequiredService<IClock>());
    }

    [Fact]
    public async Task The_probe_reports_unreachable_storage_as_false()
    {
        var port = ClosedPort();
        var connectionString =
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={StorageConnectionString.DevelopmentAccountKey};" +
            $"TableEndpoint=http://127.0.0.1:{port}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{port}/devstoreaccount1";
        await using var provider = Provider(connectionString);

        Assert.False(await provider.GetRequiredService<IStorageProbe>().CanReachStorageAsync(None));
    }

    [Fact]
    public async Task The_probe_lets_the_callers_own_cancellation_through()
    {
        await using var provider = Provider((await AzuriteInstance.SharedAsync()).ConnectionString);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => provider.GetRequiredService<IStorageProbe>().CanReachStorageAsync(cancelled.Token));
    }

    [Fact]
    public async Task The_provisioner_creates_tables_queues_and_poison_queues_idempotently()
    {
        var clients = await SharedAzurite.ClientsAsync();
        await using var provider = Provider((await AzuriteInstance.SharedAsync()).ConnectionString);
        var provisioner = provider.GetRequiredService<StorageProvisioner>();
        string[] tables = [StorageTestNames.Table("prova"), StorageTestNames.Table("provb")];
        string[] queues = [StorageTestNames.Queue("prov")];

        await provisioner.EnsureCreatedAsync(tables, queues, None);
        await provisioner.EnsureCreatedAsync(tables, queues, None);

        foreach (var table in tables)
        {
            Assert.Empty((await clients.Tables.GetTableClient(table).QueryPageAsync(new TableQuery(), null, None)).Entities);
        }

        Assert.Empty(await clients.Queues.GetQueueClient(queues[0]).PeekMessagesAsync(1, None));
        Assert.Empty(await clients.Queues.GetQueueClient(StorageNames.PoisonQueueOf(queues[0])).PeekMessagesAsync(1, None));
    }

    [Fact]
    public async Task Every_attempt_is_counted_once_per_request()
    {
        var clients = StorageTestClients.Create((await AzuriteInstance.SharedAsync()).ConnectionString);
        var table = clients.Tables.GetTableClient(StorageTestNames.Table("count"));
        var queue = clients.Queues.GetQueueClient(StorageTestNames.Queue("count"));

        await table.CreateIfNotExistsAsync(None);
        await table.InsertAsync(new TableEntity("p", "r"), None);
        await table.GetAsync("p", "r", null, None);
        await queue.CreateIfNotExistsAsync(None);
        await queue.SendMessageAsync("m", 0, None);

        Assert.Equal(3, clients.Counter.TableRequests);
        Assert.Equal(2, clients.Counter.QueueRequests);
        Assert.Equal(5, clients.Counter.Total);
    }

    [Fact]
    public async Task Logs_name_each_request_but_never_keys_signatures_or_pop_receipts()
    {
        var logs = new ConcurrentQueue<string>();
        var azurite = await AzuriteInstance.SharedAsync();
        var services = new ServiceCollection()
            .AddLogging(builder => builder.SetMinimumLevel(LogLevel.Trace).AddProvider(new ListLoggerProvider(logs)))
            .AddStorage(new ConfigurationBuilder().AddInMemoryCollection(
                new Dictionary<string, string?> { [AppSettings.StorageConnectionString] = azurite.ConnectionString }).Build());
        await using var provider = services.BuildServiceProvider();
        var table = provider.GetRequiredService<TableServiceClient>().GetTableClient(StorageTestNames.Table("logs"));
        var queue = provider.GetRequiredService<QueueServiceClient>().GetQueueClient(StorageTestNames.Queue("logs"));

        await table.CreateIfNotExistsAsync(None);
        await table.SubmitBatchAsync([TableBatchOperation.Insert(new TableEntity("p", "r"))], None);
        await Assert.ThrowsAsync<TableStorageException>(() => table.InsertAsync(new TableEntity("p", "r"), None));
        await queue.CreateIfNotExistsAsync(None);
        await queue.SendMessageAsync("secret-payload", 0, None);
        var message = Assert.Single(await queue.ReceiveMessagesAsync(1, 30, None));
        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, None);

        var all = string.Join('\n', logs);
        Assert.Contains("/$batch answered 202", all, StringComparison.Ordinal);
        Assert.Contains("answered 409", all, StringComparison.Ordinal);
        Assert.Contains("client request id", all, StringComparison.Ordinal);
        Assert.DoesNotContain(StorageConnectionString.DevelopmentAccountKey, all, StringComparison.Ordinal);
        Assert.DoesNotContain("SharedKey", all, StringComparison.Ordinal);
        Assert.DoesNotContain("Authorization", all, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(message.PopReceipt, all, StringComparison.Ordinal);
        Assert.DoesNotContain(Uri.EscapeDataString(message.PopReceipt), all, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-payload", all, StringComparison.Ordinal);
    }

    private static ServiceProvider Provider(string connectionString) =>
        new ServiceCollection()
            .AddLogging()
            .AddStorage(new ConfigurationBuilder().AddInMemoryCollection(
                new Dictionary<string, string?> { [AppSettings.StorageConnectionString] = connectionString }).Build())
            .BuildServiceProvider();

    internal static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private sealed class ListLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new ListLogger(lines);

        public void Dispose()
        {
        }
    }

    private sealed class ListLogger(ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue(formatter(state, exception) + (exception is null ? string.Empty : " " + exception));
    }
}
