using NodaTime;
using ServiceLedger.Domain.Calendar;

namespace ServiceLedger.Functions.Configuration;

/// <summary>
/// Logs a warning at start-up when the holiday calendar lacks a year the coming quarter needs (<see cref="CalendarCoverage"/>),
/// so an alert on warnings reaches an operator weeks before the first statement of that year is refused. Health shows the
/// same warning for as long as it lasts.
/// </summary>
internal sealed class CalendarCoverageLog(IWorkingDayCalendar calendar, IClock clock, ILogger<CalendarCoverageLog> logger) : IHostedService
{
    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (CalendarCoverage.Warning(calendar, clock.GetCurrentInstant().InUtc().Date) is { } warning)
        {
            logger.LogWarning("Holiday calendar: {Warning}", warning);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
