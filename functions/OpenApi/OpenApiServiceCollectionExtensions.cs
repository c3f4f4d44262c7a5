using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using ServiceLedger.Functions.Auth;

namespace ServiceLedger.Functions.OpenApi;

/// <summary>The OpenAPI document of every /api endpoint, served anonymously at <see cref="DocumentPath"/>.</summary>
public static class OpenApiServiceCollectionExtensions
{
    /// <summary>Where the document is served.</summary>
    public const string DocumentPath = "/api/openapi.json";

    /// <summary>
    /// Registers the document: /api routes only (the Functions host's invocation routes are not part of the API), the
    /// bearer security scheme, and a security requirement plus 401/403 answers on every endpoint that needs a caller.
    /// </summary>
    public static IServiceCollection AddApiDocument(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOpenApi(options =>
        {
            options.ShouldInclude = description => description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Service ledger API";
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal);
                document.Components.SecuritySchemes[BearerAuthenticationHandler.SchemeName] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "JWT",
                    Description = "An Entra ID access token for this API, or locally a token from POST /api/dev/tokens (docs/auth.md).",
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                if (metadata.OfType<IAllowAnonymous>().Any() || !metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<AuthorizationPolicy>().Any())
                {
                    return Task.CompletedTask;
                }

                operation.Security ??= [];
                operation.Security.Add(new OpenApiSecurityRequirement
                {
                    [new OpenApiSecuritySchemeReference(BearerAuthenticationHandler.SchemeName, context.Document)] = [],
                });
                operation.Responses ??= [];
                operation.Responses.TryAdd("401", new OpenApiResponse { Description = "No valid bearer token (problem details)." });
                operation.Responses.TryAdd("403", new OpenApiResponse { Description = "The token's roles do not allow this (problem details)." });
                return Task.CompletedTask;
            });
        });
        return services;
    }

    /// <summary>Serves the document at <see cref="DocumentPath"/>, anonymously (it describes, it does not expose data).</summary>
    public static IEndpointRouteBuilder MapApiDocument(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapOpenApi(DocumentPath).AllowAnonymous();
        return app;
    }
}
