using NodaTime;
using ServiceLedger.Domain.Ledger;

namespace ServiceLedger.Domain.Calendar;

/// <summary>
/// Which days are working days in one jurisdiction: Monday to Friday, except public holidays, plus official make-up working
/// days that fall on a weekend. It only knows the years it has a holiday schedule for; asking about any other year is refused
/// with <see cref="CalendarRule.HolidayScheduleMissing"/> naming the year, never guessed (a guess would set a wrong due date).
/// </summary>
public interface IWorkingDayCalendar
{
    /// <summary>Most working days one count may add: a year of them. Due dates and grace periods are days or weeks.</summary>
    const int MaxWorkingDays = 366;

    /// <summary>The jurisdiction whose holidays this calendar holds, e.g. <c>CN</c> for mainland China.</summary>
    string Jurisdiction { get; }

    /// <summary>The years with a holiday schedule, ascending.</summary>
    IReadOnlyList<int> Years { get; }

    /// <summary>True when <paramref name="day"/> is a working day; refused when its year has no schedule (naming <paramref name="field"/>).</summary>
    Validated<bool> IsWorkingDay(LocalDate day, string field);

    /// <summary>
    /// The <paramref name="workingDays"/>-th working day strictly after <paramref name="start"/> (1 gives the next working day,
    /// whatever <paramref name="start"/> itself is). Refused when a year the count passes through has no schedule.
    /// <paramref name="workingDays"/> must be 1 to <see cref="MaxWorkingDays"/> (a bug otherwise).
    /// </summary>
    Validated<LocalDate> AddWorkingDays(LocalDate start, int workingDays, string field);
}
