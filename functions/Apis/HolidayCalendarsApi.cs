using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using NodaTime.Text;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Functions.Auth;
using ServiceLedger.Functions.Calendars;
using ServiceLedger.Functions.Errors;

namespace ServiceLedger.Functions.Apis;

/// <summary>
/// The working-day calendar over HTTP (finance): which years it holds and where each came from, and the upload of a year's
/// holiday schedule as the State Council publishes it, in the file format of docs/holiday-calendars.md, without a release.
/// Endpoints parse, authorise, call <see cref="HolidayCalendarUploads"/> and map the result.
/// </summary>
public static class HolidayCalendarsApi
{
    /// <summary>Maps GET /api/holiday-calendars/{jurisdiction} and PUT /api/holiday-calendars/{jurisdiction}/{year}.</summary>
    public static IEndpointRouteBuilder MapHolidayCalendarsApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var group = app.MapGroup("/api/holiday-calendars/{jurisdiction}").WithTags("Holiday calendars").RequireRoles(CallerRole.Finance);
        group.MapGet("/", ListAsync)
            .WithName("HolidayCalendarGet")
            .WithSummary("The years of the working-day calendar (shipped or uploaded, with every listed day) and, when the coming quarter needs a year it lacks, a warning.");
        group.MapPut("/{year}", UploadAsync)
            .WithName("HolidayCalendarUpload")
            .WithSummary("Puts a year's holiday schedule in force: the file as text/plain (docs/holiday-calendars.md). 201 when added; 200 when the same days are in force; 409 when the year is in force with other days (a year never changes).")
            .Accepts<string>("text/plain")
            .WithMetadata(new RequestSizeLimitAttribute(HolidayCalendarUploads.MaxTextLength * 4L));
        return app;
    }

    private static async Task<IResult> ListAsync(string jurisdiction, HolidayCalendarUploads uploads, IWorkingDayCalendar calendar, IClock clock, CancellationToken cancellationToken)
    {
        if (!string.Equals(jurisdiction, calendar.Jurisdiction, StringComparison.Ordinal))
        {
            return ApiProblems.NotFound("holiday calendar");
        }

        var years = await uploads.ListAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new HolidayCalendarView(
            calendar.Jurisdiction,
            [.. years.Select(CalendarYearView.Of)],
            CalendarCoverage.Warning(calendar, clock.GetCurrentInstant().InUtc().Date)));
    }

    private static async Task<IResult> UploadAsync(string jurisdiction, string year, HttpRequest request, CallerContext caller, HolidayCalendarUploads uploads, CancellationToken cancellationToken)
    {
        // The body is bounded by the endpoint's RequestSizeLimit (413 above it); a UTF-8 BOM is dropped here.
        using var reader = new StreamReader(request.Body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false), detectEncodingFromByteOrderMarks: true);
        var text = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        var by = caller.Subject.Length > 0 ? caller.Subject : "finance";
        return await uploads.UploadAsync(jurisdiction, year, text, by, cancellationToken).ConfigureAwait(false) switch
        {
            UploadCalendarResult.InForce { Created: true } added => TypedResults.Created($"/api/holiday-calendars/{jurisdiction}", CalendarYearView.Of(added.Year)),
            UploadCalendarResult.InForce same => TypedResults.Ok(CalendarYearView.Of(same.Year)),
            UploadCalendarResult.Refused refused => ApiProblems.Refused(refused.Refusals, refused.Status),
            var other => throw new InvalidOperationException($"Unknown outcome {other}."),
        };
    }

    /// <summary>The calendar of one jurisdiction.</summary>
    /// <param name="Jurisdiction">E.g. <c>CN</c>.</param>
    /// <param name="Years">Every year it holds, ascending.</param>
    /// <param name="Warning">Set when the coming quarter needs a year it lacks.</param>
    public sealed record HolidayCalendarView(string Jurisdiction, IReadOnlyList<CalendarYearView> Years, string? Warning);

    /// <summary>One year of the calendar.</summary>
    /// <param name="Year">The year.</param>
    /// <param name="Source"><c>shipped</c> (in the release) or <c>uploaded</c>.</param>
    /// <param name="UploadedBy">Who uploaded it; null when shipped.</param>
    /// <param name="UploadedAt">When (UTC ISO 8601); null when shipped.</param>
    /// <param name="Sha256">SHA-256 of the uploaded text; null when shipped.</param>
    /// <param name="Holidays">How many days are holidays.</param>
    /// <param name="MakeUpWorkingDays">How many weekend days are worked.</param>
    /// <param name="Days">Every listed day: date, <c>holiday</c> or <c>workday</c>, and the holiday's name.</param>
    public sealed record CalendarYearView(int Year, string Source, string? UploadedBy, string? UploadedAt, string? Sha256, int Holidays, int MakeUpWorkingDays, IReadOnlyList<CalendarDayView> Days)
    {
        /// <summary>The view of a year.</summary>
        public static CalendarYearView Of(CalendarYear year)
        {
            ArgumentNullException.ThrowIfNull(year);
            var days = year.Schedule.Days;
            return new CalendarYearView(
                year.Schedule.Year,
                year.Uploaded is null ? "shipped" : "uploaded",
                year.Uploaded?.By,
                year.Uploaded is { } upload ? InstantPattern.ExtendedIso.Format(upload.At) : null,
                year.Uploaded?.Sha256,
                days.Count(day => day.Kind == ScheduledDayKind.Holiday),
                days.Count(day => day.Kind == ScheduledDayKind.MakeUpWorkingDay),
                [.. days.Select(day => new CalendarDayView(
                    day.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    day.Kind == ScheduledDayKind.Holiday ? "holiday" : "workday",
                    day.Name))]);
        }
    }

    /// <summary>One listed day.</summary>
    /// <param name="Date">yyyy-MM-dd.</param>
    /// <param name="Kind"><c>holiday</c> or <c>workday</c> (a weekend day that is worked).</param>
    /// <param name="Name">The holiday it belongs to.</param>
    public sealed record CalendarDayView(string Date, string Kind, string Name);
}
