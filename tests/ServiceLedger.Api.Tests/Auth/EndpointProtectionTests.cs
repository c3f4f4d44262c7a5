using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using ServiceLedger.TestSupport.Api;

namespace ServiceLedger.Api.Tests.Auth;

/// <summary>
/// DESIGN.md section 7: every /api endpoint either requires a role (RequireRoles) or says AllowAnonymous on purpose
/// (health, the Stripe webhook, the OpenAPI document, the development token endpoint). There is no fallback policy,
/// so an endpoint that says neither would be open to anyone; this test is what catches it.
/// </summary>
public sealed class EndpointProtectionTests(ApiFactory app) : IClassFixture<ApiFactory>
{
    [Fact]
    public void Every_api_endpoint_requires_a_role_or_is_anonymous_on_purpose()
    {
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.TrimStart('/').StartsWith("api/", StringComparison.Ordinal) == true)
            .ToList();

        var open = endpoints
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null
                && e.Metadata.GetMetadata<IAuthorizeData>() is null
                && e.Metadata.GetMetadata<AuthorizationPolicy>() is null)
            .Select(e => $"{string.Join(',', e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"])} {e.RoutePattern.RawText}: add .RequireRoles(...) or .AllowAnonymous()")
            .ToList();

        Assert.Contains(endpoints, e => e.RoutePattern.RawText == "/api/me");
        Assert.Empty(open);
    }
}
