using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ServiceLedger.Functions.Hosting;

namespace ServiceLedger.Api.Tests.Hosting;

/// <summary>POST /{FunctionName}: the Functions host's invocation protocol for queue and timer triggers.</summary>
public sealed class FunctionInvocationTests : IClassFixture<AppWithTestFunctions>
{
    // The queue payload exactly as functions-custom-handlers.md "Request payload" shows it (azure.md 1.4), with the
    // binding renamed from the doc's "myQueueItem" to our "message".
    private const string DocumentedQueuePayload = """
        {
          "Data": {
            "message": "{ message: \"Message sent\" }"
          },
          "Metadata": {
            "DequeueCount": 1,
            "ExpirationTime": "2019-10-16T17:58:31+00:00",
            "Id": "800ae4b3-bdd2-4c08-badd-f08e5a34b865",
            "InsertionTime": "2019-10-09T17:58:31+00:00",
            "NextVisibleTime": "2019-10-09T18:08:32+00:00",
            "PopReceipt": "AgAAAAMAAAAAAAAAAgtnj8x+1QE=",
            "sys": {
              "MethodName": "QueueTrigger",
              "UtcNow": "2019-10-09T17:58:32.2205399Z",
              "RandGuid": "24ad4c06-24ad-4e5b-8294-3da9714877e9"
            }
          }
        }
        """;

    // TimerInfo as functions-bindings-timer.md "Usage" documents it (azure.md 1.4), under our binding name "timer".
    private const string DocumentedTimerPayload = """
        {
          "Data": {
            "timer": {
              "Schedule": { "AdjustForDST": true },
              "ScheduleStatus": {
                "Last": "2016-10-04T10:15:00+00:00",
                "LastUpdated": "2016-10-04T10:16:00+00:00",
                "Next": "2016-10-04T10:20:00+00:00"
              },
              "IsPastDue": false
            }
          },
          "Metadata": {}
        }
        """;

    private readonly AppWithTestFunctions app;

    public FunctionInvocationTests(AppWithTestFunctions app) => this.app = app;

    [Fact]
    public async Task Documented_queue_payload_reaches_the_handler_and_gets_the_documented_response_shape()
    {
        var before = app.Recorder.Messages.Count;

        using var response = await PostAsync(AppWithTestFunctions.Recorded, DocumentedQueuePayload);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(JsonValueKind.Object, body.RootElement.GetProperty("Outputs").ValueKind);
        Assert.Empty(body.RootElement.GetProperty("Outputs").EnumerateObject());
        Assert.Contains("800ae4b3-bdd2-4c08-badd-f08e5a34b865", body.RootElement.GetProperty("Logs")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, body.RootElement.GetProperty("ReturnValue").ValueKind);
        var seen = Assert.Single(app.Recorder.Messages.Skip(before), m => m.MessageId == "800ae4b3-bdd2-4c08-badd-f08e5a34b865");
        Assert.Equal("{ message: \"Message sent\" }", seen.MessageText);
        Assert.Equal(1, seen.DequeueCount);
        Assert.Equal(new DateTimeOffset(2019, 10, 9, 17, 58, 31, TimeSpan.Zero), seen.InsertionTime);
    }

    [Fact]
    public async Task A_message_text_serialised_twice_by_the_host_is_unwrapped_once()
    {
        // The host JSON-serialises string values before the payload (azure.md 8.1 item 8): text "{"a":1}" arrives as "\"{\\\"a\\\":1}\"".
        var id = Guid.NewGuid().ToString();
        var twice = JsonSerializer.Serialize(JsonSerializer.Serialize("""{"a":1}"""));
        var payload = $$$"""{"Data":{"message":{{{twice}}}},"Metadata":{"Id":"{{{id}}}","DequeueCount":"3"}}""";

        using var response = await PostAsync(AppWithTestFunctions.Recorded, payload);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = Assert.Single(app.Recorder.Messages, m => m.MessageId == id);
        Assert.Equal("""{"a":1}""", seen.MessageText);
        Assert.Equal(3, seen.DequeueCount);
    }

    [Fact]
    public async Task A_message_the_host_passes_as_a_json_object_reaches_the_handler_as_its_json_text()
    {
        var id = Guid.NewGuid().ToString();
        var payload = $$$"""{"Data":{"message":{"invoice":"INV-1","lines":[1,2]}},"Metadata":{"Id":"{{{id}}}"}}""";

        using var response = await PostAsync(AppWithTestFunctions.Recorded, payload);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = Assert.Single(app.Recorder.Messages, m => m.MessageId == id);
        Assert.Equal("""{"invoice":"INV-1","lines":[1,2]}""", seen.MessageText);
    }

    [Fact]
    public async Task Function_names_match_without_regard_to_case_as_host_routing_does()
    {
        using var response = await PostAsync(AppWithTestFunctions.Recorded.ToLowerInvariant(), DocumentedQueuePayload);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_failing_handler_answers_500_so_the_host_retries_and_leaks_no_exception_text()
    {
        using var response = await PostAsync(AppWithTestFunctions.Failing, DocumentedQueuePayload);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("do-not-leak", text, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", text, StringComparison.Ordinal);
        Assert.Contains(AppWithTestFunctions.Failing, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_function_answers_404_problem_details()
    {
        using var response = await PostAsync("NoSuchFunction", DocumentedQueuePayload);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("NoSuchFunction", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_payload_without_the_trigger_binding_answers_400_naming_the_field_and_calls_no_handler()
    {
        var before = app.Recorder.Messages.Count;

        using var response = await PostAsync(AppWithTestFunctions.Recorded, """{"Data":{"myQueueItem":"x"},"Metadata":{}}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("Data.message", out _));
        Assert.Equal(before, app.Recorder.Messages.Count);
    }

    [Fact]
    public async Task A_body_that_is_not_json_answers_400_problem_details()
    {
        using var response = await PostAsync(AppWithTestFunctions.Recorded, "{not json");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Documented_timer_payload_reaches_the_handler_with_its_schedule_status()
    {
        var before = app.Recorder.Ticks.Count;

        using var response = await PostAsync(AppWithTestFunctions.Timer, DocumentedTimerPayload);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var tick = Assert.Single(app.Recorder.Ticks.Skip(before));
        Assert.False(tick.IsPastDue);
        Assert.Equal(new DateTimeOffset(2016, 10, 4, 10, 15, 0, TimeSpan.Zero), tick.Last);
        Assert.Equal(new DateTimeOffset(2016, 10, 4, 10, 20, 0, TimeSpan.Zero), tick.Next);
    }

    [Fact]
    public async Task The_invocation_endpoint_needs_no_token_because_only_the_host_calls_it_on_loopback()
    {
        using var client = app.CreateClient();
        using var content = new StringContent(DocumentedTimerPayload, Encoding.UTF8, "application/json");

        using var response = await client.PostAsync(new Uri("/" + AppWithTestFunctions.Timer, UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<HttpResponseMessage> PostAsync(string functionName, string payload)
    {
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/" + functionName, UriKind.Relative))
        {
            Content = new StringContent(payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(FunctionHost.InvocationIdHeader, Guid.NewGuid().ToString());
        request.Headers.UserAgent.ParseAdd("Azure-Functions-Host/4.1040.0");
        return await client.SendAsync(request);
    }
}
