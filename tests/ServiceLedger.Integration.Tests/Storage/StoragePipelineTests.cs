using System.Net;
using System.Text;
using Azure.Core.Pipeline;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;
using ServiceLedger.Functions.Adapters.Queues;
using ServiceLedger.Functions.Adapters.Storage;
using ServiceLedger.Functions.Adapters.Tables;

namespace ServiceLedger.Integration.Tests.Storage;

/// <summary>The pipeline's headers, signing and retries, over a scripted HTTP handler (unit tests: no Azurite).</summary>
public sealed class StoragePipelineTests
{
    private static readonly StorageAccount Account = StorageAccount.FromConnectionString("UseDevelopmentStorage=true");

    [Fact]
    public async Task Table_requests_carry_version_odata_headers_a_request_id_and_a_shared_key_lite_signature()
    {
        var handler = new ScriptedHandler(_ => Json(HttpStatusCode.OK, "{\"value\":[]}"));
        var clock = new StepClock(Instant.FromUtc(2027, 3, 31, 12, 0, 0));
        var tables = new TableServiceClient(Account, Pipeline(StorageService.Table, handler, clock, new StorageRequestCounter()));

        await tables.GetTableNamesAsync(1, CancellationToken.None);

        var request = Assert.Single(handler.Requests);
        Assert.Equal("2020-12-06", request.Header("x-ms-version"));
        Assert.Equal("3.0;NetFx", request.Header("DataServiceVersion"));
        Assert.Equal("3.0;NetFx", request.Header("MaxDataServiceVersion"));
        Assert.Equal("application/json;odata=minimalmetadata", request.Header("Accept"));
        Assert.Equal("Wed, 31 Mar 2027 12:00:00 GMT", request.Header("x-ms-date"));
        Assert.False(string.IsNullOrEmpty(request.Header("x-ms-client-request-id")));
        var key = new StorageSharedKey(StorageConnectionString.DevelopmentAccountName, StorageConnectionString.DevelopmentAccountKey);
        Assert.Equal(
            "SharedKeyLite devstoreaccount1:" + key.ComputeSignature("Wed, 31 Mar 2027 12:00:00 GMT\n/devstoreaccount1/devstoreaccount1/Tables"),
            request.Header("Authorization"));
    }

    [Fact]
    public async Task Queue_requests_are_signed_with_full_shared_key_over_the_headers_actually_sent()
    {
        var handler = new ScriptedHandler(_ => new HttpResponseMessage(HttpStatusCode.Created)
        {
            Content = new StringContent(
                "<QueueMessagesList><QueueMessage><MessageId>m1</MessageId><InsertionTime>Wed, 31 Mar 2027 12:00:00 GMT</InsertionTime>" +
                "<ExpirationTime>Wed, 07 Apr 2027 12:00:00 GMT</ExpirationTime><PopReceipt>pr</PopReceipt>" +
                "<TimeNextVisible>Wed, 31 Mar 2027 12:00:00 GMT</TimeNextVisible></QueueMessage></QueueMessagesList>",
                Encoding.UTF8,
                "application/xml"),
        });
        var clock = new StepClock(Instant.FromUtc(2027, 3, 31, 12, 0, 0));
        var queues = new QueueServiceClient(Account, Pipeline(StorageService.Queue, handler, clock, new StorageRequestCounter()));

        var sent = await queues.GetQueueClient("orders").SendMessageAsync("hi", 0, CancellationToken.None);

        var request = Assert.Single(handler.Requests);
        Assert.Equal("m1", sent.MessageId);
        Assert.Equal("2021-12-02", request.Header("x-ms-version"));
        var expected = SharedKeySigning.QueueStringToSign(
            "POST",
            request.Headers.Where(h => h.Key.StartsWith("x-ms-", StringComparison.OrdinalIgnoreCase) || h.Key == "Content-Type"),
            request.Body.Length,
            "devstoreaccount1",
            request.Uri);
        Assert.Contains("\n/devstoreaccount1/devstoreaccount1/orders/messages\nvisibilitytimeout:0", expected, StringComparison.Ordinal);
        Assert.Contains("x-ms-client-request-id:", expected, StringComparison.Ordinal);
        var key = new StorageSharedKey(StorageConnectionString.DevelopmentAccountName, StorageConnectionString.DevelopmentAccountKey);
        Assert.Equal("SharedKey devstoreaccount1:" + key.ComputeSignature(expected), request.Header("Authorization"));
        Assert.Equal("<QueueMessage><MessageText>hi</MessageText></QueueMessage>", Encoding.UTF8.GetString(request.Body));
    }

    [Fact]
    public async Task A_server_busy_answer_is_retried_with_a_fresh_date_and_the_same_request_id()
    {
        var attempts = 0;
        var handler = new ScriptedHandler(_ => ++attempts == 1
            ? Json(HttpStatusCode.ServiceUnavailable, "{\"odata.error\":{\"code\":\"ServerBusy\",\"message\":{\"value\":\"busy\"}}}")
            : Json(HttpStatusCode.OK, "{\"value\":[{\"TableName\":\"ledger\"}]}"));
        var counter = new StorageRequestCounter();
        var clock = new StepClock(Instant.FromUtc(2027, 3, 31, 12, 0, 0));
        var tables = new TableServiceClient(Account, Pipeline(StorageService.Table, handler, clock, counter));

        var names = await tables.GetTableNamesAsync(1, CancellationToken.None);

        Assert.Equal(["ledger"], names);
        Assert.Equal(2, counter.TableRequests);
        Assert.Equal(handler.Requests[0].Header("x-ms-client-request-id"), handler.Requests[1].Header("x-ms-client-request-id"));
        Assert.NotEqual(handler.Requests[0].Header("x-ms-date"), handler.Requests[1].Header("x-ms-date"));
        Assert.NotEqual(handler.Requests[0].Header("Authorization"), handler.Requests[1].Header("Authorization"));
    }

    [Fact]
    public async Task Retries_stop_after_the_bound_and_the_last_error_is_typed()
    {
        var handler = new ScriptedHandler(_ =>
            Json(HttpStatusCode.ServiceUnavailable, "{\"odata.error\":{\"code\":\"ServerBusy\",\"message\":{\"value\":\"busy\"}}}"));
        var counter = new StorageRequestCounter();
        var tables = new TableServiceClient(
            Account, Pipeline(StorageService.Table, handler, new StepClock(Instant.FromUtc(2027, 1, 1, 0, 0)), counter));

        var error = await Assert.ThrowsAsync<TableStorageException>(() => tables.GetTableNamesAsync(1, CancellationToken.None));

        Assert.Equal(503, error.Status);
        Assert.Equal("ServerBusy", error.ErrorCode);
        Assert.Equal(1 + StoragePipelines.MaxRetries, counter.TableRequests);
    }

    [Fact]
    public async Task A_conflict_is_not_retried()
    {
        var handler = new ScriptedHandler(_ =>
            Json(HttpStatusCode.Conflict, "{\"odata.error\":{\"code\":\"EntityAlreadyExists\",\"message\":{\"value\":\"exists\"}}}"));
        var counter = new StorageRequestCounter();
        var tables = new TableServiceClient(
            Account, Pipeline(StorageService.Table, handler, new StepClock(Instant.FromUtc(2027, 1, 1, 0, 0)), counter));

        var error = await Assert.ThrowsAsync<TableStorageException>(
            () => tables.GetTableClient("ledger").InsertAsync(new TableEntity("p", "r"), CancellationToken.None));

        Assert.True(error.IsConflict);
        Assert.Equal(1, counter.TableRequests);
        Assert.Contains("insert (PartitionKey='p', RowKey='r') in 'ledger'", error.Message, StringComparison.Ordinal);
    }

    private static HttpPipeline Pipeline(StorageService service, ScriptedHandler handler, IClock clock, StorageRequestCounter counter) =>
        StoragePipelines.Create(Account, service, counter, clock, NullLogger.Instance, new HttpClientTransport(handler));

    private static HttpResponseMessage Json(HttpStatusCode status, string json) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    /// <summary>A clock that moves one second on every read, so each signing attempt sees a new time.</summary>
    private sealed class StepClock(Instant start) : IClock
    {
        private long _reads;

        public Instant GetCurrentInstant() => start + Duration.FromSeconds(Interlocked.Increment(ref _reads) - 1);
    }

    private sealed record SeenRequest(Uri Uri, List<KeyValuePair<string, string>> Headers, byte[] Body)
    {
        public string? Header(string name) =>
            Headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();
    }

    private sealed class ScriptedHandler(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        public List<SeenRequest> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            // NonValidated: the raw values as sent, not HttpClient's re-formatted parse of them.
            var headers = request.Headers.NonValidated
                .Concat(request.Content?.Headers.NonValidated ?? default)
                .Select(h => KeyValuePair.Create(h.Key, string.Join(",", h.Value)))
                .Where(h => h.Key != "Content-Length")
                .ToList();
            var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
            lock (Requests)
            {
                Requests.Add(new SeenRequest(request.RequestUri!, headers, body));
            }

            return answer(request);
        }
    }
}
