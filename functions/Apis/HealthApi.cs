using System.Reflection;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Functions.Hosting;

namespace ServiceLedger.Functions.Apis;

/// <summary>
/// GET /api/health: the app version, whether storage answers, whether the holiday calendar covers the coming quarter, and
/// which poison queues hold messages.
/// </summary>
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
    /// an operator must fix before then. So is a poison queue holding messages (work a function gave up on). Anonymous so that
    /// probes need no token.
    /// </summary>
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/api/health", GetHealthAsync)
            .WithName("Health")
            .WithSummary("The app version, whether storage answers, and which poison queues hold messages.")
            .AllowAnonymous();
        return app;
    }

    private static async Task<Results<Ok<HealthReport>, JsonHttpResult<HealthReport>>> GetHealthAsync(
        IServiceProvider services, IWorkingDayCalendar calendar, IClock clock, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var today = clock.GetCurrentInstant().InUtc().Date;
        var calendarHealth = new CalendarHealth(calendar.Jurisdiction, calendar.Years, CalendarCoverage.Warning(calendar, today));

        bool reachable;
        IReadOnlyList<PoisonQueueCount>? holding;
        try
        {
            // Both are bounded (3 s) and never throw for storage faults; asked at once, so health takes the slower of the two.
            var probe = services.GetRequiredService<IStorageProbe>().CanReachStorageAsync(cancellationToken);
            var poison = services.GetRequiredService<PoisonQueues>().ReadHoldingAsync(cancellationToken);
            reachable = await probe.ConfigureAwait(false);
            holding = await poison.ConfigureAwait(false);
        }
        catch (InvalidOperationException exception)
        {
            // Storage settings missing or invalid: the clients cannot even be built. Health still answers, as degraded.
            loggers.CreateLogger(typeof(HealthApi)).LogError("Health: storage is not usable: {Error}", exception.Message);
            reachable = false;
            holding = null;
        }

        var poisonHealth = new PoisonQueueHealth(
            holding is not null,
            holding?.Select(count => new PoisonQueueWarning(count.Queue, count.ApproximateMessageCount, PoisonQueues.Warning(count))).ToArray() ?? []);
        return reachable
            ? TypedResults.Ok(new HealthReport("ok", Version, "ok", calendarHealth, poisonHealth))
            : TypedResults.Json(new HealthReport("degraded", Version, "unreachable", calendarHealth, poisonHealth), statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}

/// <summary>What the health endpoint answers.</summary>
/// <param name="Status">"ok" when every dependency answers, else "degraded".</param>
/// <param name="Version">The app's build version.</param>
/// <param name="Storage">"ok" or "unreachable".</param>
/// <param name="Calendar">The working-day calendar's years and, when the coming quarter needs a year it lacks, a warning.</param>
/// <param name="PoisonQueues">The poison queues of the queues the app consumes that hold messages, each with a warning.</param>
public sealed record HealthReport(string Status, string Version, string Storage, CalendarHealth Calendar, PoisonQueueHealth PoisonQueues);

/// <summary>Poison queues as health reports them: a queue holding messages is a warning, not a 503 (the app still serves).</summary>
/// <param name="Checked">False when the poison queues could not be read (storage unreachable or not configured).</param>
/// <param name="Holding">The poison queues holding messages, by name; empty when none does.</param>
public sealed record PoisonQueueHealth(bool Checked, IReadOnlyList<PoisonQueueWarning> Holding);

/// <summary>One poison queue holding messages.</summary>
/// <param name="Queue">The poison queue.</param>
/// <param name="ApproximateMessageCount">About how many messages it holds (never fewer).</param>
/// <param name="Warning">What it means and where to look.</param>
public sealed record PoisonQueueWarning(string Queue, long ApproximateMessageCount, string Warning);

/// <summary>The holiday calendar as health reports it.</summary>
/// <param name="Jurisdiction">E.g. "CN".</param>
/// <param name="Years">The years with a holiday schedule.</param>
/// <param name="Warning">Null when the schedules cover today through the coming quarter; else what is missing and what fails.</param>
public sealed record CalendarHealth(string Jurisdiction, IReadOnlyList<int> Years, string? Warning);
