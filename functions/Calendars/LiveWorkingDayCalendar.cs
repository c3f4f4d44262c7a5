using NodaTime;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Ledger;

namespace ServiceLedger.Functions.Calendars;

/// <summary>
/// The app's working-day calendar: the schedules shipped in the assembly plus the years finance uploaded
/// (<see cref="HolidayCalendarUploads"/>), as one <see cref="WorkingDayCalendar"/> snapshot that is swapped when a year is
/// added. Years are only ever added, never changed or removed, so an answer once given never changes; a year missing a
/// moment ago may answer now. Every reader sees one consistent snapshot per call.
/// </summary>
public sealed class LiveWorkingDayCalendar : IWorkingDayCalendar
{
    private readonly Lock gate = new();
    private volatile WorkingDayCalendar current;

    /// <summary>A calendar over the shipped schedules; <see cref="Shipped"/> remembers which years they are.</summary>
    public LiveWorkingDayCalendar(WorkingDayCalendar shipped)
    {
        ArgumentNullException.ThrowIfNull(shipped);
        current = shipped;
        Shipped = shipped.Years.ToHashSet();
    }

    /// <summary>The years shipped in the assembly (the rest were uploaded).</summary>
    public IReadOnlySet<int> Shipped { get; }

    /// <inheritdoc />
    public string Jurisdiction => current.Jurisdiction;

    /// <inheritdoc />
    public IReadOnlyList<int> Years => current.Years;

    /// <summary>The schedule in force for <paramref name="year"/>, or null.</summary>
    public HolidaySchedule? ScheduleOf(int year) => current.ScheduleOf(year);

    /// <inheritdoc />
    public Validated<bool> IsWorkingDay(LocalDate day, string field) => current.IsWorkingDay(day, field);

    /// <inheritdoc />
    public Validated<LocalDate> AddWorkingDays(LocalDate start, int workingDays, string field) => current.AddWorkingDays(start, workingDays, field);

    /// <summary>
    /// Adds the years of <paramref name="schedules"/> this calendar lacks and returns how many it added. A year it has already
    /// is left as it is (the first schedule of a year stays in force; the uploads refuse a different second one).
    /// </summary>
    public int Add(IEnumerable<HolidaySchedule> schedules)
    {
        ArgumentNullException.ThrowIfNull(schedules);
        lock (gate)
        {
            var before = current;
            var added = schedules.Where(schedule => before.ScheduleOf(schedule.Year) is null).DistinctBy(schedule => schedule.Year).ToArray();
            if (added.Length > 0)
            {
                current = new WorkingDayCalendar(before.Jurisdiction, before.Years.Select(year => before.ScheduleOf(year)!).Concat(added));
            }

            return added.Length;
        }
    }
}
