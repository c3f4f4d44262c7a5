using System.Reflection;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Functions.Hosting;

namespace ServiceLedger.Functions.Apis;

/// <summary>GET /api/health: the app version, whether storage answers, and whether the holiday calendar covers the coming quarter.</summary>
public static class HealthApi
{
    /// <summary>The build's informational version (e.g. "0.1.0+commit"), or "unknown".</summary>
    public static string Version { get; } =
        typeof(HealthApi).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(HealthApi).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    /// <summary>
    /// Maps the health endpoint: 200 {"status":"ok",…,"storage":"ok"} when storage answers, else 503 with "degraded" and
    /// "unreachable" (so load balancers and the run command see the difference). A missing holiday schedule for the coming
    /// quarter is a warning in the body, not a 503: the app serves, but statements needing that year will be refused, which
    /// an operator must fix before then. Anonymous so that probes need no token.
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
        IServiceProvider services, IWorkingDayCalendar calendar, IClock clock, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var today = clock.GetCurrentInstant().InUtc().Date;
        var calendarHealth = new CalendarHealth(calendar.Jurisdiction, calendar.Years, CalendarCoverage.Warning(calendar, today));

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
            ? TypedResults.Ok(new HealthReport("ok", Version, "ok", calendarHealth))
            : TypedResults.Json(new HealthReport("degraded", Version, "unreachable", calendarHealth), statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}

/// <summary>What the health endpoint answers.</summary>
/// <param name="Status">"ok" when every dependency answers, else "degraded".</param>
/// <param name="Version">The app's build version.</param>
/// <param name="Storage">"ok" or "unreachable".</param>
/// <param name="Calendar">The working-day calendar's years and, when the coming quarter needs a year it lacks, a warning.</param>
public sealed record HealthReport(string Status, string Version, string Storage, CalendarHealth Calendar);

/// <summary>The holiday calendar as health reports it.</summary>
/// <param name="Jurisdiction">E.g. "CN".</param>
/// <param name="Years">The years with a holiday schedule.</param>
/// <param name="Warning">Null when the schedules cover today through the coming quarter; else what is missing and what fails.</param>
public sealed record CalendarHealth(string Jurisdiction, IReadOnlyList<int> Years, string? Warning);
