using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NodaTime;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Functions.Adapters.Tables;
using ServiceLedger.Functions.Calendars;

namespace ServiceLedger.Functions.Configuration;

/// <summary>
/// Loads the holiday schedules shipped in this assembly (Configuration/Holidays/{jurisdiction}-{year}.txt, embedded as
/// resources <c>Holidays/{file}</c>) into a <see cref="WorkingDayCalendar"/>. Finance adds a year by uploading it
/// (<see cref="HolidayCalendarUploads"/>) or by adding a file to a release; the format is docs/holiday-calendars.md. A malformed file fails the host at start-up, not a due date months later.
/// </summary>
public static class HolidayCalendars
{
    /// <summary>Mainland China, the jurisdiction of every contract the product signs today.</summary>
    public const string MainlandChina = "CN";

    /// <summary>Resource name prefix of the schedule files (set by LogicalName in the project file).</summary>
    internal const string ResourcePrefix = "Holidays/";

    /// <summary>Most schedule files one jurisdiction may ship; a bound on start-up work, decades of room.</summary>
    internal const int MaxSchedulesPerJurisdiction = 50;

    /// <summary>
    /// Registers <see cref="IWorkingDayCalendar"/> as the mainland China calendar (<see cref="LiveWorkingDayCalendar"/>: the
    /// shipped files plus the years finance uploaded), unless one is registered already (tests may register their own). The
    /// files are parsed now, so a broken file stops start-up. <see cref="HolidayCalendarUploads"/> (table
    /// <see cref="StorageNames.HolidayCalendarsTable"/>) and its refresh, which also logs a missing year for the coming
    /// quarter as a warning at start-up, need storage when they run.
    /// </summary>
    public static IServiceCollection AddWorkingDayCalendar(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(new LiveWorkingDayCalendar(Load(MainlandChina)));
        services.TryAddSingleton<IWorkingDayCalendar>(provider => provider.GetRequiredService<LiveWorkingDayCalendar>());
        services.TryAddSingleton(provider => new HolidayCalendarUploads(
            provider.GetRequiredService<TableServiceClient>().GetTableClient(StorageNames.HolidayCalendarsTable),
            provider.GetRequiredService<LiveWorkingDayCalendar>(),
            provider.GetRequiredService<IClock>()));
        services.AddHostedService<HolidayCalendarRefresh>();
        return services;
    }

    /// <summary>
    /// The calendar of <paramref name="jurisdiction"/> from the shipped files named <c>{jurisdiction}-{yyyy}.txt</c>. A file
    /// that does not parse, or whose content disagrees with its name, throws with every problem listed (a release bug).
    /// </summary>
    public static WorkingDayCalendar Load(string jurisdiction)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jurisdiction);
        var assembly = typeof(HolidayCalendars).Assembly;
        var prefix = $"{ResourcePrefix}{jurisdiction}-";
        var names = assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(prefix, StringComparison.Ordinal) && name.EndsWith(".txt", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToArray();
        if (names.Length > MaxSchedulesPerJurisdiction)
        {
            throw new InvalidOperationException($"{names.Length} holiday files for {jurisdiction}; at most {MaxSchedulesPerJurisdiction} are loaded.");
        }

        return new WorkingDayCalendar(jurisdiction, names.Select(name => ParseResource(assembly, name, jurisdiction)).ToArray());
    }

    private static HolidaySchedule ParseResource(Assembly assembly, string resourceName, string jurisdiction)
    {
        var fileName = resourceName[ResourcePrefix.Length..];
        using var stream = assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"Resource {resourceName} was listed but cannot be opened.");
        using var reader = new StreamReader(stream);
        var parsed = HolidaySchedule.Parse(reader.ReadToEnd(), fileName);
        if (!parsed.IsValid)
        {
            throw new InvalidOperationException(
                $"Holiday file {fileName} is invalid (docs/holiday-calendars.md):{Environment.NewLine}"
                + string.Join(Environment.NewLine, parsed.Refusals.Select(refusal => refusal.Message)));
        }

        var schedule = parsed.Value;
        var expectedName = string.Create(CultureInfo.InvariantCulture, $"{schedule.Jurisdiction}-{schedule.Year}.txt");
        if (schedule.Jurisdiction != jurisdiction || fileName != expectedName)
        {
            throw new InvalidOperationException(
                $"Holiday file {fileName} declares jurisdiction {schedule.Jurisdiction} and year {schedule.Year}, so it must be named {expectedName}.");
        }

        return schedule;
    }
}
