using NodaTime;
using ServiceLedger.Domain.Calendar;

namespace ServiceLedger.Functions.Calendars;

/// <summary>
/// Puts the years finance uploaded (<see cref="HolidayCalendarUploads"/>) in force in this instance: once at start-up, then
/// every <see cref="HolidayCalendarUploads.RefreshInterval"/>, so a year uploaded through another instance is used here
/// within minutes without a restart. After the start-up read it logs a warning when the coming quarter needs a year the
/// calendar lacks (<see cref="CalendarCoverage"/>), so an alert on warnings reaches an operator weeks before the first
/// statement of that year is refused; health shows the same warning for as long as it lasts. A failed read keeps the years
/// already in force (the shipped ones at least) and is logged; it never stops the app.
/// </summary>
internal sealed class HolidayCalendarRefresh(
    IServiceProvider services, IWorkingDayCalendar calendar, IClock clock, TimeProvider time, ILogger<HolidayCalendarRefresh> logger) : IHostedService, IAsyncDisposable
{
    private ITimer? timer;
    private int refreshing;

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await RefreshAsync(cancellationToken).ConfigureAwait(false);
        if (CalendarCoverage.Warning(calendar, clock.GetCurrentInstant().InUtc().Date) is { } warning)
        {
            logger.LogWarning("Holiday calendar: {Warning}", warning);
        }

        timer = time.CreateTimer(_ => _ = RefreshAsync(CancellationToken.None), null, HolidayCalendarUploads.RefreshInterval, HolidayCalendarUploads.RefreshInterval);
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (timer is not null)
        {
            await timer.DisposeAsync().ConfigureAwait(false);
            timer = null;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None).ConfigureAwait(false);

    // One refresh at a time; a tick that finds one running skips (the next tick comes soon enough).
    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref refreshing, 1) == 1)
        {
            return;
        }

        try
        {
            // Resolved here, not injected: a host without storage configured still starts (health then says so).
            var added = await services.GetRequiredService<HolidayCalendarUploads>().RefreshAsync(cancellationToken).ConfigureAwait(false);
            if (added > 0)
            {
                logger.LogInformation("Holiday calendar: {Added} uploaded year(s) put in force; years now {Years}.", added, string.Join(", ", calendar.Years));
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogWarning(exception, "Holiday calendar: the uploaded schedules could not be read; the years in force stay {Years}.", string.Join(", ", calendar.Years));
        }
        finally
        {
            Volatile.Write(ref refreshing, 0);
        }
    }
}
