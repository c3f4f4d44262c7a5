using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using ServiceLedger.TestSupport.Api;

namespace ServiceLedger.Api.Tests.OpenApi;

/// <summary>GET /api/openapi.json: anonymous, complete, and honest about which endpoints need a token.</summary>
public sealed class OpenApiDocumentTests(ApiFactory app) : IClassFixture<ApiFactory>
{
    private static readonly Uri Document = new("/api/openapi.json", UriKind.Relative);

    [Fact]
    public async Task The_document_is_served_without_a_token()
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync(Document);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.StartsWith("3.", document.GetProperty("openapi").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_mapped_api_endpoint_appears_in_the_document()
    {
        var paths = (await DocumentAsync()).GetProperty("paths");
        var mapped = app.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.TrimStart('/').StartsWith("api/", StringComparison.Ordinal) == true)
            .Where(e => e.RoutePattern.RawText!.TrimStart('/') != "api/openapi.json")
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"])
                .Select(method => (Path: "/" + e.RoutePattern.RawText!.TrimStart('/'), Method: method.ToLowerInvariant())))
            .ToList();

        var missing = mapped
            .Where(m => !(paths.TryGetProperty(m.Path, out var path) && path.TryGetProperty(m.Method, out _)))
            .Select(m => $"{m.Method.ToUpperInvariant()} {m.Path}")
            .ToList();

        Assert.Contains(mapped, m => m.Path == "/api/me");
        Assert.Empty(missing);
    }

    [Fact]
    public async Task The_bearer_scheme_is_declared_and_required_exactly_where_a_token_is_needed()
    {
        var document = await DocumentAsync();
        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        var paths = document.GetProperty("paths");

        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
        Assert.True(paths.GetProperty("/api/me").GetProperty("get").TryGetProperty("security", out _));
        Assert.False(paths.GetProperty("/api/health").GetProperty("get").TryGetProperty("security", out _));
        Assert.False(paths.GetProperty("/api/dev/tokens").GetProperty("post").TryGetProperty("security", out _));
    }

    [Fact]
    public async Task The_functions_hosts_invocation_routes_are_not_part_of_the_api()
    {
        var paths = (await DocumentAsync()).GetProperty("paths");

        Assert.All(paths.EnumerateObject(), p => Assert.StartsWith("/api/", p.Name, StringComparison.Ordinal));
    }

    private async Task<JsonElement> DocumentAsync()
    {
        using var client = app.CreateClient();
        return await client.GetFromJsonAsync<JsonElement>(Document);
    }
}
