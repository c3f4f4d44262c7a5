namespace ServiceLedger.Domain.Calendar;

/// <summary>
/// Refusal codes of periods and working-day calendars. Clients may switch on them; a code is never renamed or reused for
/// another rule.
/// </summary>
public static class CalendarRule
{
    /// <summary>A settlement period is not written <c>yyyy-MM</c> or <c>yyyy-Qn</c>, or its year is outside the accepted years.</summary>
    public const string PeriodInvalid = nameof(PeriodInvalid);

    /// <summary>A date falls in a year for which the working-day calendar has no holiday schedule, so working days cannot be counted.</summary>
    public const string HolidayScheduleMissing = nameof(HolidayScheduleMissing);

    /// <summary>A line of a holiday schedule file is malformed or breaks a rule of the format (docs/holiday-calendars.md).</summary>
    public const string HolidayScheduleLineInvalid = nameof(HolidayScheduleLineInvalid);

    /// <summary>An uploaded schedule names a jurisdiction the deployment does not keep, a malformed year, or no text, or too much.</summary>
    public const string HolidayScheduleUploadInvalid = nameof(HolidayScheduleUploadInvalid);

    /// <summary>A schedule is in force for the year already with other days; a year in force never changes.</summary>
    public const string HolidayScheduleInForce = nameof(HolidayScheduleInForce);
}
