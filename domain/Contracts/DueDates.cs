namespace ServiceLedger.Domain.Contracts;

using NodaTime;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Ledger;


/// <summary>
/// Due dates counted in working days of the contract's calendar (DESIGN.md section 3): weekends and public holidays are
/// skipped, official make-up working days count. The count starts the day after the given date, so N = 2 from a Wednesday
/// before a normal weekend is the Friday. A year the calendar has no schedule for is refused, never guessed.
/// </summary>
public static class DueDates
{
    /// <summary>The <paramref name="workingDays"/>-th working day strictly after <paramref name="from"/> (1 or more).</summary>
    public static Validated<LocalDate> AfterWorkingDays(LocalDate from, int workingDays, IWorkingDayCalendar calendar, string field)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentOutOfRangeException.ThrowIfLessThan(workingDays, 1);
        return calendar.AddWorkingDays(from, workingDays, field);
    }

    /// <summary>When the first base fee is due: <see cref="Terms.FirstBaseFeeDueWorkingDays"/> working days after the signing day.</summary>
    public static Validated<LocalDate> FirstBaseFee(LocalDate signedOn, Terms terms, IWorkingDayCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(terms);
        return AfterWorkingDays(signedOn, terms.FirstBaseFeeDueWorkingDays, calendar, "signedOn");
    }

    /// <summary>
    /// When a statement issued on <paramref name="issuedOn"/> is due: <see cref="Terms.PaymentTermsWorkingDays"/> working days
    /// later; terms of 0 days make it due on the day it is issued.
    /// </summary>
    public static Validated<LocalDate> Statement(LocalDate issuedOn, Terms terms, IWorkingDayCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(terms);
        return terms.PaymentTermsWorkingDays == 0
            ? Validated.Valid(issuedOn)
            : AfterWorkingDays(issuedOn, terms.PaymentTermsWorkingDays, calendar, "issuedOn");
    }
}
