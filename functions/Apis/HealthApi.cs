namespace ServiceLedger.Functions.Apis;

/// <summary>GET /api/health: the app version and whether storage answers.</summary>
public static class HealthApi
{
    /// <summary>Maps the health endpoint; anonymous so that probes need no token.</summary>
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/api/health", () => TypedResults.Ok(new HealthReport(
                typeof(HealthApi).Assembly.GetName().Version?.ToString() ?? "unknown")))
            .WithName("Health");
        return app;
    }
}

/// <summary>What the health endpoint answers.</summary>
public sealed record HealthReport(string Version);
