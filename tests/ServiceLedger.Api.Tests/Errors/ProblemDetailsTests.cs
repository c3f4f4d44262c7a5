using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace ServiceLedger.Api.Tests.Errors;

/// <summary>Every error answers RFC 9457 problem details that name the field and leak nothing.</summary>
public sealed class ProblemDetailsTests(ErrorProbeFactory app) : IClassFixture<ErrorProbeFactory>
{
    private static readonly Uri Tokens = new("/api/dev/tokens", UriKind.Relative);

    [Fact]
    public async Task An_unexpected_exception_is_500_without_message_type_or_stack_trace_and_is_logged()
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync(new Uri(ErrorProbeFactory.FailingPath, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain(ErrorProbeFactory.Secret, body, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", body, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", body, StringComparison.Ordinal);
        var problem = JsonSerializer.Deserialize<JsonElement>(body);
        Assert.Equal(500, problem.GetProperty("status").GetInt32());
        var traceId = problem.GetProperty("traceId").GetString();
        Assert.False(string.IsNullOrEmpty(traceId));
        Assert.Contains(app.Errors, e => e.Exception is InvalidOperationException && e.Message.Contains(ErrorProbeFactory.FailingPath, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"role": "finance", "lifetimeMinutes": "sixty"}""", "lifetimeMinutes", "Expected")]
    [InlineData("""{"role": "finance", "lifetimeMinutes": true}""", "lifetimeMinutes", "a number")]
    [InlineData("""{"role": 7}""", "role", "a string")]
    [InlineData("""{"role": "finance", "partyId": nul}""", "partyId", "not valid JSON")]
    [InlineData("""{"role": "finance",""", "$", "not valid JSON")]
    [InlineData("""["finance"]""", "$", "a JSON object")]
    public async Task Malformed_json_or_a_wrong_type_is_400_naming_the_field(string json, string field, string expected)
    {
        using var client = app.CreateClient();
        using var content = new StringContent(json, Encoding.UTF8, "application/json");

        using var response = await client.PostAsync(Tokens, content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("MalformedJson", problem.GetProperty("code").GetString());
        var message = Assert.Single(problem.GetProperty("errors").GetProperty(field).EnumerateArray()).GetString();
        Assert.Contains(expected, message, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", problem.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_body_is_400()
    {
        using var client = app.CreateClient();
        using var content = new StringContent(string.Empty, Encoding.UTF8, "application/json");

        using var response = await client.PostAsync(Tokens, content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_415()
    {
        using var client = app.CreateClient();
        using var content = new StringContent("role=finance", Encoding.UTF8, "application/x-www-form-urlencoded");

        using var response = await client.PostAsync(Tokens, content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413_and_never_read()
    {
        using var client = app.CreateClient();
        var padding = new string(' ', (int)Functions.Errors.RequestBodyLimit.DefaultMaxBytes);
        using var content = new StringContent("{\"role\": \"finance\"}" + padding, Encoding.UTF8, "application/json");

        using var response = await client.PostAsync(Tokens, content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("BodyTooLarge", problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_body_at_the_limit_is_read()
    {
        using var client = app.CreateClient();
        var json = "{\"role\": \"finance\"}";
        var padding = new string(' ', (int)Functions.Errors.RequestBodyLimit.DefaultMaxBytes - json.Length);
        using var content = new StringContent(json + padding, Encoding.UTF8, "application/json");

        using var response = await client.PostAsync(Tokens, content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task An_unknown_route_is_404_problem_details()
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync(new Uri("/api/no-such-thing", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
