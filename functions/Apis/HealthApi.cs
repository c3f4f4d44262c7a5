using System.Reflection;
using Microsoft.AspNetCore.Http.HttpResults;
using ServiceLedger.Functions.Hosting;

namespace ServiceLedger.Functions.Apis;

/// <summary>GET /api/health: the app version and whether storage answers.</summary>
public static class HealthApi
{
    /// <summary>The build's informational version (e.g. "0.1.0+commit"), or "unknown".</summary>
    public static string Version { get; } =
        typeof(HealthApi).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(HealthApi).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    /// <summary>
    /// Maps the health endpoint: 200 {"status":"ok",…,"storage":"ok"} when storage answers, else 503 with "degraded" and
    /// "unreachable" (so load balancers and the run command see the difference). Anonymous so that probes need no token.
    /// </summary>
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/api/health", GetHealthAsync)
            .WithName("Health")
            .WithSummary("The app version and whether storage answers.")
            .AllowAnonymous();
        return app;
    }

    private static async Task<Results<Ok<HealthReport>, JsonHttpResult<HealthReport>>> GetHealthAsync(
        IServiceProvider services, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        bool reachable;
        try
        {
            // The probe is bounded (StorageProbe.Timeout) and never throws for storage faults.
            reachable = await services.GetRequiredService<IStorageProbe>().CanReachStorageAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException exception)
        {
            // Storage settings missing or invalid: the clients cannot even be built. Health still answers, as degraded.
            loggers.CreateLogger(typeof(HealthApi)).LogError("Health: storage is not usable: {Error}", exception.Message);
            reachable = false;
        }

        return reachable
            ? TypedResults.Ok(new HealthReport("ok", Version, "ok"))
            : TypedResults.Json(new HealthReport("degraded", Version, "unreachable"), statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}

/// <summary>What the health endpoint answers.</summary>
/// <param name="Status">"ok" when every dependency answers, else "degraded".</param>
/// <param name="Version">The app's build version.</param>
/// <param name="Storage">"ok" or "unreachable".</param>
public sealed record HealthReport(string Status, string Version, string Storage);
