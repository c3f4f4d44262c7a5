using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NodaTime;
using ServiceLedger.Domain;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Functions.Adapters.Tables;

namespace ServiceLedger.Functions.Calendars;

/// <summary>One year of the calendar and where it came from.</summary>
/// <param name="Schedule">The schedule in force.</param>
/// <param name="Uploaded">Who uploaded it and when; null for a year shipped in the assembly.</param>
public sealed record CalendarYear(HolidaySchedule Schedule, CalendarUpload? Uploaded);

/// <summary>Who uploaded a year's schedule, when, and the SHA-256 of the text they sent.</summary>
/// <param name="By">The finance user.</param>
/// <param name="At">When it was stored.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the UTF-8 text as stored.</param>
public sealed record CalendarUpload(string By, Instant At, string Sha256);

/// <summary>What an upload answered.</summary>
public abstract record UploadCalendarResult
{
    private UploadCalendarResult()
    {
    }

    /// <summary>The year is in force now (201), or was already with the same days (200, <paramref name="Created"/> false).</summary>
    public sealed record InForce(CalendarYear Year, bool Created) : UploadCalendarResult;

    /// <summary>Bad input (400) or a year already in force with other days (409); nothing was written.</summary>
    public sealed record Refused(IReadOnlyList<Refusal> Refusals, int Status) : UploadCalendarResult;
}

/// <summary>
/// Holiday schedules uploaded by finance, so that a year the State Council publishes can be put in force without a release
/// (docs/holiday-calendars.md, "Adding a year"). Table <c>holidaycalendars</c>: PartitionKey = jurisdiction, RowKey =
/// <c>yyyy</c>, the file's text as sent, who and when. Insert-only: a year in force (shipped or uploaded) never changes,
/// because due dates, late penalties and dispute deadlines were computed from it; uploading the same days again is
/// answered 200, other days 409. Each instance adds stored years to its <see cref="LiveWorkingDayCalendar"/> at start and
/// every <see cref="RefreshInterval"/> (<see cref="HolidayCalendarRefresh"/>); the instance that stored a year has it at once.
/// </summary>
public sealed class HolidayCalendarUploads(TableClient table, LiveWorkingDayCalendar calendar, IClock clock)
{
    /// <summary>Longest text accepted, in UTF-16 code units: one Table string property holds 32,768. A year's file is ~2,000.</summary>
    public const int MaxTextLength = 32_000;

    /// <summary>How often each instance looks for years uploaded through another instance.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMinutes(5);

    /// <summary>First year accepted: the first a settlement period may name.</summary>
    public const int MinYear = SettlementPeriod.MinYear;

    /// <summary>Last year accepted: the last a settlement period may name.</summary>
    public const int MaxYear = SettlementPeriod.MaxYear;

    /// <summary>Every year of the calendar, ascending, with where it came from (one partition query).</summary>
    public async Task<IReadOnlyList<CalendarYear>> ListAsync(CancellationToken cancellationToken)
    {
        var uploads = await ReadUploadsAsync(cancellationToken).ConfigureAwait(false);
        return [.. calendar.Years.Select(year => new CalendarYear(calendar.ScheduleOf(year)!, calendar.Shipped.Contains(year) ? null : uploads.GetValueOrDefault(year).Upload))];
    }

    /// <summary>
    /// Puts <paramref name="text"/> (the file format of docs/holiday-calendars.md) in force as <paramref name="jurisdiction"/>'s
    /// schedule for <paramref name="yearText"/>: validated in full first (every bad line named), then stored insert-only and
    /// added to this instance's calendar.
    /// </summary>
    public async Task<UploadCalendarResult> UploadAsync(string jurisdiction, string yearText, string? text, string uploadedBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jurisdiction);
        ArgumentNullException.ThrowIfNull(yearText);
        var refusals = new List<Refusal>();
        if (!string.Equals(jurisdiction, calendar.Jurisdiction, StringComparison.Ordinal))
        {
            refusals.Add(new Refusal(CalendarRule.HolidayScheduleUploadInvalid, "jurisdiction", $"This deployment keeps the {calendar.Jurisdiction} calendar only, not '{jurisdiction}'."));
        }

        if (!int.TryParse(yearText, NumberStyles.None, CultureInfo.InvariantCulture, out var year) || year is < MinYear or > MaxYear || yearText.Length != 4)
        {
            refusals.Add(new Refusal(CalendarRule.HolidayScheduleUploadInvalid, "year", $"The year is written yyyy, {MinYear} to {MaxYear}."));
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            refusals.Add(new Refusal(CalendarRule.HolidayScheduleUploadInvalid, "text", "Send the schedule file as the request body (text/plain, UTF-8), in the format of docs/holiday-calendars.md."));
        }
        else if (text.Length > MaxTextLength)
        {
            refusals.Add(new Refusal(CalendarRule.HolidayScheduleUploadInvalid, "text", $"The file has {text.Length} characters; at most {MaxTextLength} are accepted (a year's schedule is about 2,000)."));
        }

        if (refusals.Count > 0)
        {
            return new UploadCalendarResult.Refused(refusals, StatusCodes.Status400BadRequest);
        }

        var fileName = string.Create(CultureInfo.InvariantCulture, $"{jurisdiction}-{year}.txt");
        var parsed = HolidaySchedule.Parse(text!, fileName);
        if (!parsed.IsValid)
        {
            return new UploadCalendarResult.Refused(parsed.Refusals, StatusCodes.Status400BadRequest);
        }

        var schedule = parsed.Value;
        if (schedule.Jurisdiction != jurisdiction || schedule.Year != year)
        {
            return new UploadCalendarResult.Refused(
                [new Refusal(CalendarRule.HolidayScheduleUploadInvalid, "text", $"The file declares jurisdiction {schedule.Jurisdiction} and year {schedule.Year}; the URL names {jurisdiction} {year}.")],
                StatusCodes.Status400BadRequest);
        }

        // A year another instance uploaded may not be in this instance's calendar yet: the stored row decides.
        var stored = (await ReadUploadsAsync(cancellationToken).ConfigureAwait(false)).GetValueOrDefault(year);
        if (stored.Schedule is not null)
        {
            calendar.Add([stored.Schedule]);
        }

        if (calendar.ScheduleOf(year) is { } inForce)
        {
            return Compare(inForce, schedule, calendar.Shipped.Contains(year) ? null : stored.Upload);
        }

        var upload = new CalendarUpload(uploadedBy, clock.GetCurrentInstant(), Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text!))));
        try
        {
            await table.InsertAsync(
                new TableEntity(jurisdiction, RowKeyOf(year), [new("Text", text!), new("UploadedBy", upload.By), new("UploadedAt", upload.At.ToDateTimeOffset()), new("Sha256", upload.Sha256)]),
                cancellationToken).ConfigureAwait(false);
        }
        catch (TableStorageException conflict) when (conflict.IsConflict)
        {
            // Another upload of the same year won the insert: its days are in force, compare with them.
            var winner = (await ReadUploadsAsync(cancellationToken).ConfigureAwait(false)).GetValueOrDefault(year);
            calendar.Add([winner.Schedule!]);
            return Compare(winner.Schedule!, schedule, winner.Upload);
        }

        calendar.Add([schedule]);
        return new UploadCalendarResult.InForce(new CalendarYear(schedule, upload), Created: true);
    }

    /// <summary>Adds the stored years this instance's calendar lacks; returns how many (one partition query).</summary>
    public async Task<int> RefreshAsync(CancellationToken cancellationToken)
    {
        var uploads = await ReadUploadsAsync(cancellationToken).ConfigureAwait(false);
        return calendar.Add(uploads.Values.Select(upload => upload.Schedule!));
    }

    private static UploadCalendarResult Compare(HolidaySchedule inForce, HolidaySchedule sent, CalendarUpload? upload) =>
        inForce.SameDaysAs(sent)
            ? new UploadCalendarResult.InForce(new CalendarYear(inForce, upload), Created: false)
            : new UploadCalendarResult.Refused(
                [new Refusal(
                    CalendarRule.HolidayScheduleInForce,
                    "year",
                    $"The {inForce.Jurisdiction} schedule for {inForce.Year} is in force already ({(upload is null ? "shipped with the app" : $"uploaded by {upload.By}")}) with other days. A year in force never changes: due dates were computed from it.")],
                StatusCodes.Status409Conflict);

    private static string RowKeyOf(int year) => year.ToString("0000", CultureInfo.InvariantCulture);

    // Every uploaded year of this calendar's jurisdiction. A stored text that no longer parses was changed outside the app:
    // it throws rather than put a guess in force.
    private async Task<Dictionary<int, (HolidaySchedule? Schedule, CalendarUpload? Upload)>> ReadUploadsAsync(CancellationToken cancellationToken)
    {
        var years = new Dictionary<int, (HolidaySchedule?, CalendarUpload?)>();
        await foreach (var entity in table.QueryAsync(new TableQuery(TableFilter.PartitionKeyEquals(calendar.Jurisdiction), top: TableQuery.MaxPageSize), TableClient.DefaultMaxPages, cancellationToken).ConfigureAwait(false))
        {
            var parsed = HolidaySchedule.Parse(entity.Get("Text").AsString(), $"{entity.PartitionKey}-{entity.RowKey}.txt (stored)");
            if (!parsed.IsValid || parsed.Value.Jurisdiction != calendar.Jurisdiction || RowKeyOf(parsed.Value.Year) != entity.RowKey)
            {
                throw new InvalidOperationException($"The stored holiday schedule {entity.PartitionKey}/{entity.RowKey} no longer parses or does not match its key; it was changed outside the app.");
            }

            years[parsed.Value.Year] = (parsed.Value, new CalendarUpload(entity.Get("UploadedBy").AsString(), Instant.FromDateTimeOffset(entity.Get("UploadedAt").AsDateTime()), entity.Get("Sha256").AsString()));
        }

        return years;
    }
}
