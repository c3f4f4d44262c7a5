namespace ServiceLedger.Domain.Tests.Contracts;

using NodaTime;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Tests.Calendar;
using ServiceLedger.TestSupport.Contracts;

// Against the shipped mainland China 2026 schedule: Mid-Autumn 25–27 September, National Day 1–7 October,
// make-up working days Sunday 20 September and Saturday 10 October.
public sealed class DueDatesTest
{
    private static readonly WorkingDayCalendar China = CalendarTestData.MainlandChina();
    private static readonly Terms Sample = SampleTerms.Valid;

    [Fact]
    public void Signing_on_the_working_day_before_national_day_makes_the_first_base_fee_due_after_the_holiday()
    {
        Assert.Equal(new LocalDate(2026, 10, 9), DueDates.FirstBaseFee(new LocalDate(2026, 9, 30), Sample, China).Value);
    }

    [Fact]
    public void A_make_up_working_day_on_a_sunday_counts()
    {
        // Friday 18 September: Saturday is off, Sunday 20 September is an official working day, then Monday.
        Assert.Equal(new LocalDate(2026, 9, 21), DueDates.FirstBaseFee(new LocalDate(2026, 9, 18), Sample, China).Value);
    }

    [Fact]
    public void A_holiday_that_takes_a_friday_pushes_the_due_date_into_the_next_week()
    {
        Assert.Equal(new LocalDate(2026, 9, 29), DueDates.FirstBaseFee(new LocalDate(2026, 9, 24), Sample, China).Value);
    }

    [Fact]
    public void Statement_payment_terms_count_working_days_and_land_on_a_make_up_saturday()
    {
        // 5 working days from Monday 28 September: 29, 30 September, 8, 9 and Saturday 10 October.
        Assert.Equal(new LocalDate(2026, 10, 10), DueDates.Statement(new LocalDate(2026, 9, 28), Sample, China).Value);
    }

    [Fact]
    public void Payment_terms_of_zero_days_are_due_on_the_day_of_issue()
    {
        var immediate = Terms.Create(SampleTerms.Input with { PaymentTermsWorkingDays = 0 }).Value;

        Assert.Equal(new LocalDate(2026, 10, 1), DueDates.Statement(new LocalDate(2026, 10, 1), immediate, China).Value);
    }

    [Fact]
    public void A_due_date_in_a_year_without_a_schedule_is_refused_not_guessed()
    {
        var result = DueDates.FirstBaseFee(new LocalDate(2026, 12, 31), Sample, China);

        Assert.Equal(CalendarRule.HolidayScheduleMissing, Assert.Single(result.Refusals).Code);
    }

    [Fact]
    public void A_contract_signed_on_the_eve_of_national_day_records_the_first_base_fee_due_after_it()
    {
        var signed = SampleContracts.SignedByBoth(China, signedAt: Instant.FromUtc(2026, 9, 30, 2, 0));

        Assert.Equal((new LocalDate(2026, 9, 30), new LocalDate(2026, 10, 9)), (signed.SignedOn, signed.FirstBaseFeeDueOn));
    }
}
