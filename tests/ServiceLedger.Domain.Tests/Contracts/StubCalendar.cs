namespace ServiceLedger.Domain.Tests.Contracts;

using NodaTime;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Ledger;

/// <summary>
/// A calendar for lifecycle tests that only need "some working days": Monday to Friday plus the given make-up days,
/// minus the given holidays, for 2026 and 2027 only. The due-date tests use the shipped mainland China schedule instead.
/// </summary>
internal sealed class StubCalendar(IEnumerable<LocalDate>? holidays = null, IEnumerable<LocalDate>? makeUpDays = null) : IWorkingDayCalendar
{
    private readonly HashSet<LocalDate> holidays = [.. holidays ?? []];
    private readonly HashSet<LocalDate> makeUpDays = [.. makeUpDays ?? []];

    public string Jurisdiction => "TEST";

    public IReadOnlyList<int> Years { get; } = [2026, 2027];

    public Validated<bool> IsWorkingDay(LocalDate day, string field) =>
        Years.Contains(day.Year)
            ? Validated.Valid(makeUpDays.Contains(day) || (day.DayOfWeek < IsoDayOfWeek.Saturday && !holidays.Contains(day)))
            : Validated.Refused<bool>(new Refusal(CalendarRule.HolidayScheduleMissing, field, $"No schedule for {day.Year}."));

    public Validated<LocalDate> AddWorkingDays(LocalDate start, int workingDays, string field)
    {
        var day = start;
        for (var counted = 0; counted < workingDays;)
        {
            day = day.PlusDays(1);
            var working = IsWorkingDay(day, field);
            if (!working.IsValid)
            {
                return Validated.Refused<LocalDate>(working.Refusals);
            }

            counted += working.Value ? 1 : 0;
        }

        return Validated.Valid(day);
    }
}
