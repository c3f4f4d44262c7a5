using NodaTime;
using ServiceLedger.Domain.Calendar;

namespace ServiceLedger.Domain.Tests.Calendar;

/// <summary>The shipped holiday files (linked from functions/Configuration/Holidays) and small builders for calendar tests.</summary>
internal static class CalendarTestData
{
    /// <summary>The mainland China calendar over every shipped CN file.</summary>
    public static WorkingDayCalendar MainlandChina() =>
        new("CN", typeof(CalendarTestData).Assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith("Holidays/CN-", StringComparison.Ordinal))
            .Select(name => ShippedSchedule(name["Holidays/".Length..])));

    /// <summary>A shipped file, parsed; it must be valid.</summary>
    public static HolidaySchedule ShippedSchedule(string fileName)
    {
        using var stream = typeof(CalendarTestData).Assembly.GetManifestResourceStream("Holidays/" + fileName)
            ?? throw new InvalidOperationException($"{fileName} is not linked into the test assembly.");
        using var reader = new StreamReader(stream);
        return HolidaySchedule.Parse(reader.ReadToEnd(), fileName).Value;
    }

    /// <summary>A schedule with no listed dates: weekends off, weekdays on.</summary>
    public static HolidaySchedule PlainYear(string jurisdiction, int year) =>
        HolidaySchedule.Parse($"jurisdiction {jurisdiction}\nyear {year}\n", $"{jurisdiction}-{year}.txt").Value;

    /// <summary>An ISO date.</summary>
    public static LocalDate Date(string text) => NodaTime.Text.LocalDatePattern.Iso.Parse(text).Value;
}
