using System.Collections.Frozen;
using NodaTime;
using NodaTime.Text;
using ServiceLedger.Domain.Ledger;

namespace ServiceLedger.Domain.Calendar;

/// <summary>
/// The working days of one jurisdiction over the years it has a <see cref="HolidaySchedule"/> for (one schedule per year).
/// Saturday and Sunday are rest days unless listed as make-up working days; listed holidays are rest days. A date in a year
/// without a schedule is refused with <see cref="CalendarRule.HolidayScheduleMissing"/> naming the year; years are never
/// guessed, because an unknown holiday would silently move a due date.
/// </summary>
public sealed class WorkingDayCalendar : IWorkingDayCalendar
{
    private readonly FrozenDictionary<int, HolidaySchedule> schedulesByYear;

    /// <summary>
    /// A calendar over schedules of one jurisdiction, at most one per year. A schedule of another jurisdiction or a second
    /// schedule for a year is a configuration bug and throws.
    /// </summary>
    public WorkingDayCalendar(string jurisdiction, IEnumerable<HolidaySchedule> schedules)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jurisdiction);
        ArgumentNullException.ThrowIfNull(schedules);
        var byYear = new Dictionary<int, HolidaySchedule>();
        foreach (var schedule in schedules)
        {
            if (schedule.Jurisdiction != jurisdiction)
            {
                throw new ArgumentException(
                    $"The {schedule.Year} schedule is for {schedule.Jurisdiction}, not {jurisdiction}; one calendar holds one jurisdiction.", nameof(schedules));
            }

            if (!byYear.TryAdd(schedule.Year, schedule))
            {
                throw new ArgumentException($"Two {jurisdiction} schedules for {schedule.Year}; a year has one schedule.", nameof(schedules));
            }
        }

        Jurisdiction = jurisdiction;
        schedulesByYear = byYear.ToFrozenDictionary();
        Years = byYear.Keys.Order().ToArray();
    }

    /// <inheritdoc />
    public string Jurisdiction { get; }

    /// <inheritdoc />
    public IReadOnlyList<int> Years { get; }

    /// <summary>The schedule of <paramref name="year"/>, or null when the calendar has none.</summary>
    public HolidaySchedule? ScheduleOf(int year) => schedulesByYear.GetValueOrDefault(year);

    /// <inheritdoc />
    public Validated<bool> IsWorkingDay(LocalDate day, string field) =>
        schedulesByYear.TryGetValue(day.Year, out var schedule)
            ? Validated.Valid(schedule.IsWorkingDay(day))
            : Validated.Refused<bool>(Missing(day, field));

    /// <inheritdoc />
    public Validated<LocalDate> AddWorkingDays(LocalDate start, int workingDays, string field)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workingDays, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(workingDays, IWorkingDayCalendar.MaxWorkingDays);

        // Bounded: every step moves one day forward, and a year with no working day at all still ends, after which the
        // next year either has a schedule (finitely many) or is refused.
        var day = start;
        var counted = 0;
        while (counted < workingDays)
        {
            day = day.PlusDays(1);
            if (!schedulesByYear.TryGetValue(day.Year, out var schedule))
            {
                return Validated.Refused<LocalDate>(Missing(day, field));
            }

            if (schedule.IsWorkingDay(day))
            {
                counted++;
            }
        }

        return Validated.Valid(day);
    }

    private Refusal Missing(LocalDate day, string field) =>
        new(
            CalendarRule.HolidayScheduleMissing,
            field,
            $"Working days of {day.Year} cannot be counted: there is no {Jurisdiction} holiday schedule for {day.Year} "
            + $"(needed for {LocalDatePattern.Iso.Format(day)}). Schedules exist for {(Years.Count == 0 ? "no year" : string.Join(", ", Years))}; "
            + "finance adds a year as described in docs/holiday-calendars.md.");
}
