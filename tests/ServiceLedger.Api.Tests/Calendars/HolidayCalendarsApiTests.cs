using System.Net;
using System.Text;
using System.Text.Json;
using NodaTime;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Functions.Adapters.Tables;
using ServiceLedger.Functions.Auth;
using ServiceLedger.Functions.Calendars;
using ServiceLedger.Functions.Configuration;

namespace ServiceLedger.Api.Tests.Calendars;

/// <summary>
/// GET /api/holiday-calendars/{jurisdiction} and PUT /api/holiday-calendars/{jurisdiction}/{year}: finance puts a year the
/// State Council published in force without a release; a year in force never changes; bad files are refused line by line.
/// Each test uses its own year (the class shares one private Azurite, and years are only ever added).
/// </summary>
public sealed class HolidayCalendarsApiTests(PrivateStorageApiFactory api) : IClassFixture<PrivateStorageApiFactory>
{
    // Test data only, not an official schedule: New Year's Day on a Friday, so the first working day after 31 December is Monday 4 January.
    private const string Year2027 = "# test data\njurisdiction CN\nyear 2027\n2027-01-01 holiday 元旦 New Year's Day\n2027-02-20 workday 春节调休 make-up day\n";

    [Fact]
    public async Task An_uploaded_year_is_in_force_at_once_the_coverage_warning_goes_and_due_dates_cross_into_it()
    {
        using var finance = api.CreateClientAs(CallerRole.Finance);
        var calendar = api.Services.GetRequiredService<IWorkingDayCalendar>();
        var refusedBefore = calendar.AddWorkingDays(new LocalDate(2026, 12, 31), 1, "dueOn");
        var healthBefore = await ReadAsync(await finance.GetAsync("/api/health"), HttpStatusCode.OK);

        var uploaded = await ReadAsync(await finance.PutAsync("/api/holiday-calendars/CN/2027", Text(Year2027)), HttpStatusCode.Created);
        var healthAfter = await ReadAsync(await finance.GetAsync("/api/health"), HttpStatusCode.OK);
        var listed = await ReadAsync(await finance.GetAsync("/api/holiday-calendars/CN"), HttpStatusCode.OK);

        Assert.Equal(CalendarRule.HolidayScheduleMissing, refusedBefore.Refusals[0].Code);
        Assert.Contains("2027", healthBefore.GetProperty("calendar").GetProperty("warning").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, healthAfter.GetProperty("calendar").GetProperty("warning").ValueKind);
        Assert.Equal(new LocalDate(2027, 1, 4), calendar.AddWorkingDays(new LocalDate(2026, 12, 31), 1, "dueOn").Value);
        Assert.Equal((2027, "uploaded", 1, 1), (uploaded.GetProperty("year").GetInt32(), uploaded.GetProperty("source").GetString(), uploaded.GetProperty("holidays").GetInt32(), uploaded.GetProperty("makeUpWorkingDays").GetInt32()));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(Year2027))), uploaded.GetProperty("sha256").GetString());
        var years = listed.GetProperty("years").EnumerateArray().Select(year => (year.GetProperty("year").GetInt32(), year.GetProperty("source").GetString())).ToArray();
        Assert.Contains((2026, "shipped"), years);
        Assert.Contains((2027, "uploaded"), years);
        Assert.Equal(JsonValueKind.Null, listed.GetProperty("warning").ValueKind);
    }

    [Fact]
    public async Task The_same_days_again_answer_200_and_other_days_for_a_year_in_force_are_409_shipped_years_included()
    {
        using var finance = api.CreateClientAs(CallerRole.Finance);
        const string path = "/api/holiday-calendars/CN/2031";
        var first = "jurisdiction CN\nyear 2031\n2031-01-01 holiday 元旦 New Year's Day\n";

        await ReadAsync(await finance.PutAsync(path, Text(first)), HttpStatusCode.Created);
        var renamed = await ReadAsync(await finance.PutAsync(path, Text(first.Replace("New Year's Day", "New Year", StringComparison.Ordinal) + "# a comment\n")), HttpStatusCode.OK);
        var changed = await ReadAsync(await finance.PutAsync(path, Text(first + "2031-01-02 holiday 元旦 New Year's Day\n")), HttpStatusCode.Conflict);
        var shipped2026 = ShippedText(2026);
        var sameAsShipped = await ReadAsync(await finance.PutAsync("/api/holiday-calendars/CN/2026", Text(shipped2026)), HttpStatusCode.OK);
        var otherThanShipped = await ReadAsync(await finance.PutAsync("/api/holiday-calendars/CN/2026", Text("jurisdiction CN\nyear 2026\n2026-03-02 holiday made up\n")), HttpStatusCode.Conflict);

        Assert.Equal("uploaded", renamed.GetProperty("source").GetString());
        Assert.Equal("元旦 New Year's Day", renamed.GetProperty("days")[0].GetProperty("name").GetString());
        Assert.Equal(CalendarRule.HolidayScheduleInForce, Code(changed));
        Assert.Equal(["year"], Fields(changed));
        Assert.Equal("shipped", sameAsShipped.GetProperty("source").GetString());
        Assert.Equal(CalendarRule.HolidayScheduleInForce, Code(otherThanShipped));
        Assert.Contains("shipped", Message(otherThanShipped), StringComparison.Ordinal);
        Assert.True(api.Services.GetRequiredService<IWorkingDayCalendar>().IsWorkingDay(new LocalDate(2026, 3, 2), "day").Value);
    }

    [Fact]
    public async Task Bad_uploads_are_refused_naming_the_field_or_the_line_and_nothing_is_stored()
    {
        using var finance = api.CreateClientAs(CallerRole.Finance);

        var badLine = await ReadAsync(await finance.PutAsync("/api/holiday-calendars/CN/2032", Text("jurisdiction CN\nyear 2032\n2032-13-01 holiday nope\n")), HttpStatusCode.BadRequest);
        var otherYear = await ReadAsync(await finance.PutAsync("/api/holiday-calendars/CN/2032", Text("jurisdiction CN\nyear 2033\n")), HttpStatusCode.BadRequest);
        var badYear = await ReadAsync(await finance.PutAsync("/api/holiday-calendars/CN/32", Text("jurisdiction CN\nyear 2032\n")), HttpStatusCode.BadRequest);
        var otherJurisdiction = await ReadAsync(await finance.PutAsync("/api/holiday-calendars/US/2032", Text("jurisdiction US\nyear 2032\n")), HttpStatusCode.BadRequest);
        var empty = await ReadAsync(await finance.PutAsync("/api/holiday-calendars/CN/2032", Text("")), HttpStatusCode.BadRequest);
        var tooLong = await ReadAsync(await finance.PutAsync("/api/holiday-calendars/CN/2032", Text("jurisdiction CN\nyear 2032\n" + new string('#', HolidayCalendarUploads.MaxTextLength))), HttpStatusCode.BadRequest);

        Assert.Equal(CalendarRule.HolidayScheduleLineInvalid, Code(badLine));
        Assert.Equal(["CN-2032.txt line 3"], Fields(badLine));
        Assert.Equal(["text"], Fields(otherYear));
        Assert.Equal(["year"], Fields(badYear));
        Assert.Equal(["jurisdiction"], Fields(otherJurisdiction));
        Assert.Equal(["text"], Fields(empty));
        Assert.Equal(["text"], Fields(tooLong));
        Assert.Equal(CalendarRule.HolidayScheduleUploadInvalid, Code(tooLong));
        Assert.DoesNotContain(2032, api.Services.GetRequiredService<IWorkingDayCalendar>().Years);
        Assert.Null(await StoredRowAsync(2032));
    }

    [Fact]
    public async Task Only_finance_reads_or_uploads_and_another_jurisdiction_is_404()
    {
        using var merchant = api.CreateClientAs(CallerRole.Merchant, "mer_calendar");
        using var vendor = api.CreateClientAs(CallerRole.Vendor, "ven_calendar");
        using var finance = api.CreateClientAs(CallerRole.Finance);
        var year = "jurisdiction CN\nyear 2034\n2034-01-02 holiday 元旦 New Year's Day\n";

        Assert.Equal(HttpStatusCode.Forbidden, (await merchant.PutAsync("/api/holiday-calendars/CN/2034", Text(year))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await vendor.GetAsync("/api/holiday-calendars/CN")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.CreateClient().GetAsync("/api/holiday-calendars/CN")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await finance.GetAsync("/api/holiday-calendars/US")).StatusCode);
        Assert.Null(await StoredRowAsync(2034));
    }

    [Fact]
    public async Task Two_uploads_of_one_year_with_different_days_at_once_put_exactly_one_in_force()
    {
        using var finance = api.CreateClientAs(CallerRole.Finance);
        var a = "jurisdiction CN\nyear 2035\n2035-01-01 holiday 元旦 New Year's Day\n";
        var b = "jurisdiction CN\nyear 2035\n2035-01-02 holiday 元旦 New Year's Day\n";

        var answers = await Task.WhenAll(finance.PutAsync("/api/holiday-calendars/CN/2035", Text(a)), finance.PutAsync("/api/holiday-calendars/CN/2035", Text(b)));

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Conflict], answers.Select(answer => answer.StatusCode).Order());
        var winner = await ReadAsync(answers.Single(answer => answer.StatusCode == HttpStatusCode.Created), HttpStatusCode.Created);
        var holiday = winner.GetProperty("days")[0].GetProperty("date").GetString();
        var calendar = api.Services.GetRequiredService<IWorkingDayCalendar>();
        Assert.Equal(holiday == "2035-01-01", !calendar.IsWorkingDay(new LocalDate(2035, 1, 1), "day").Value);
        Assert.Equal(holiday == "2035-01-02", !calendar.IsWorkingDay(new LocalDate(2035, 1, 2), "day").Value);
        Assert.Equal(holiday == "2035-01-01" ? a : b, (await StoredRowAsync(2035))!.Get("Text").AsString());
    }

    [Fact]
    public async Task Another_instance_puts_an_uploaded_year_in_force_on_its_next_refresh()
    {
        using var finance = api.CreateClientAs(CallerRole.Finance);
        var table = api.Services.GetRequiredService<TableServiceClient>().GetTableClient(StorageNames.HolidayCalendarsTable);
        var otherInstance = new LiveWorkingDayCalendar(HolidayCalendars.Load(HolidayCalendars.MainlandChina));
        var otherUploads = new HolidayCalendarUploads(table, otherInstance, api.Clock);

        await ReadAsync(await finance.PutAsync("/api/holiday-calendars/CN/2036", Text("jurisdiction CN\nyear 2036\n2036-01-01 holiday 元旦 New Year's Day\n")), HttpStatusCode.Created);
        var missingBefore = otherInstance.IsWorkingDay(new LocalDate(2036, 1, 1), "day");
        var added = await otherUploads.RefreshAsync(CancellationToken.None);
        var again = await otherUploads.RefreshAsync(CancellationToken.None);

        Assert.Equal(CalendarRule.HolidayScheduleMissing, missingBefore.Refusals[0].Code);
        Assert.True(added >= 1);
        Assert.Equal(0, again);
        Assert.False(otherInstance.IsWorkingDay(new LocalDate(2036, 1, 1), "day").Value);
        Assert.Equal(otherInstance.Years, api.Services.GetRequiredService<IWorkingDayCalendar>().Years);
    }

    private static StringContent Text(string text) => new(text, Encoding.UTF8, "text/plain");

    private static string ShippedText(int year)
    {
        using var stream = typeof(HolidayCalendars).Assembly.GetManifestResourceStream($"Holidays/CN-{year}.txt")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private async Task<TableEntity?> StoredRowAsync(int year) =>
        await api.Services.GetRequiredService<TableServiceClient>().GetTableClient(StorageNames.HolidayCalendarsTable)
            .GetAsync("CN", year.ToString(System.Globalization.CultureInfo.InvariantCulture), null, CancellationToken.None);

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"Expected {expected}, got {response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static string Code(JsonElement problem) => problem.GetProperty("code").GetString()!;

    private static string Message(JsonElement problem) => problem.GetRawText();

    private static string[] Fields(JsonElement problem) =>
        [.. problem.GetProperty("errors").EnumerateObject().Select(member => member.Name).Order(StringComparer.Ordinal)];
}
