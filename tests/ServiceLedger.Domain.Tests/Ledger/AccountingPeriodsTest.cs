using NodaTime;
using ServiceLedger.Domain.Ledger;
using static ServiceLedger.Domain.Tests.Ledger.LedgerTestData;

namespace ServiceLedger.Domain.Tests.Ledger;

using ServiceLedger.Domain.Money;

public sealed class AccountingPeriodsTest
{
    private static readonly EntryHash Report = EntryHash.Of([42]);
    private static readonly IReadOnlyDictionary<AccountId, Currency> NoCurrencies = new Dictionary<AccountId, Currency>();

    [Fact]
    public void Entry_dated_in_a_closed_period_is_refused_naming_the_first_open_period()
    {
        var periods = ClosedThrough(new YearMonth(2027, 2));
        var entry = Valid(effectiveDate: new LocalDate(2027, 2, 15));

        var refusal = Assert.Single(entry.CheckAgainst(periods, NoCurrencies));

        Assert.Equal((LedgerRule.EffectiveDateInClosedPeriod, "effectiveDate"), (refusal.Code, refusal.Field));
        Assert.Contains("2027-02-15 is in the closed period 2027-02; the first open period is 2027-03", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_month_up_to_the_last_closed_one_is_closed_and_the_next_is_open()
    {
        var periods = ClosedThrough(new YearMonth(2027, 2));

        Assert.True(periods.IsClosed(new LocalDate(2026, 11, 30)));
        Assert.True(periods.IsClosed(new LocalDate(2027, 2, 28)));
        Assert.False(periods.IsClosed(new LocalDate(2027, 3, 1)));
        Assert.Equal(new YearMonth(2027, 3), periods.FirstOpenPeriod);
        Assert.Empty(Valid(effectiveDate: new LocalDate(2027, 3, 1)).CheckAgainst(periods, NoCurrencies));
    }

    [Fact]
    public void With_nothing_closed_every_date_is_open()
    {
        Assert.Null(AccountingPeriods.None.FirstOpenPeriod);
        Assert.Null(AccountingPeriods.None.CheckEffectiveDate(new LocalDate(2001, 1, 1), "effectiveDate"));
    }

    [Fact]
    public void Periods_close_in_order_after_the_first_closing()
    {
        var periods = ClosedThrough(new YearMonth(2027, 2));

        var skipping = periods.ProposeClosing(new YearMonth(2027, 4), "fin_ada", RecordedAt, new LocalDate(2027, 6, 1), Report);
        var next = periods.ProposeClosing(new YearMonth(2027, 3), "fin_ada", RecordedAt, new LocalDate(2027, 4, 1), Report);

        var refusal = Assert.Single(skipping.Refusals);
        Assert.Equal(LedgerRule.PeriodMustBeFirstOpen, refusal.Code);
        Assert.Contains("the first open period is 2027-03, not 2027-04", refusal.Message, StringComparison.Ordinal);
        Assert.True(next.IsValid);
        Assert.Equal(new YearMonth(2027, 4), periods.With(next.Value).FirstOpenPeriod);
    }

    [Fact]
    public void A_closed_period_cannot_be_closed_again_and_the_refusal_says_who_closed_it()
    {
        var periods = ClosedThrough(new YearMonth(2027, 2));

        var again = periods.ProposeClosing(new YearMonth(2027, 2), "fin_bob", RecordedAt, new LocalDate(2027, 5, 1), Report);
        var earlier = periods.ProposeClosing(new YearMonth(2026, 12), "fin_bob", RecordedAt, new LocalDate(2027, 5, 1), Report);

        Assert.Equal(LedgerRule.PeriodAlreadyClosed, Assert.Single(again.Refusals).Code);
        Assert.Contains("closed by fin_ada", again.Refusals[0].Message, StringComparison.Ordinal);
        Assert.Contains("closed with 2027-02", Assert.Single(earlier.Refusals).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_month_can_be_closed_from_the_day_after_it_ends()
    {
        var onLastDay = AccountingPeriods.None.ProposeClosing(new YearMonth(2027, 3), "fin_ada", RecordedAt, new LocalDate(2027, 3, 31), Report);
        var dayAfter = AccountingPeriods.None.ProposeClosing(new YearMonth(2027, 3), "fin_ada", RecordedAt, new LocalDate(2027, 4, 1), Report);

        Assert.Equal(LedgerRule.PeriodMustHaveEnded, Assert.Single(onLastDay.Refusals).Code);
        Assert.True(dayAfter.IsValid);
    }

    [Fact]
    public void A_closing_must_say_who_closed()
    {
        var result = AccountingPeriods.None.ProposeClosing(new YearMonth(2027, 3), " ", RecordedAt, new LocalDate(2027, 4, 1), Report);

        Assert.Equal((LedgerRule.ClosedByInvalid, "closedBy"), (Assert.Single(result.Refusals).Code, result.Refusals[0].Field));
    }

    [Fact]
    public void Closings_are_chained_so_an_edited_or_removed_closing_is_detected()
    {
        var periods = ClosedThrough(new YearMonth(2027, 2));
        var march = periods.ProposeClosing(new YearMonth(2027, 3), "fin_ada", RecordedAt, new LocalDate(2027, 4, 1), Report).Value;
        var withMarch = periods.With(march);
        var february = withMarch.Closings[0];

        Assert.Equal(february.Hash, march.PreviousHash);
        var edited = PeriodClosing.FromStored(february.Period, "fin_mallory", february.ClosedAt, february.ReportHash, february.PreviousHash, february.Hash);
        Assert.Throws<InvalidOperationException>(() => AccountingPeriods.FromClosings([edited, march]));
        Assert.Throws<InvalidOperationException>(() => AccountingPeriods.FromClosings([march]));
        Assert.Equal(withMarch.LastHash, AccountingPeriods.FromClosings(withMarch.Closings).LastHash);
    }

    [Fact]
    public void Deleting_the_last_closing_to_reopen_a_period_is_caught_by_the_stored_head()
    {
        var periods = ClosedThrough(new YearMonth(2027, 2));
        var march = periods.ProposeClosing(new YearMonth(2027, 3), "fin_ada", RecordedAt, new LocalDate(2027, 4, 1), Report).Value;
        var withMarch = periods.With(march);

        Assert.Equal(new YearMonth(2027, 3), AccountingPeriods.FromClosings(withMarch.Closings, withMarch.LastHash).LastClosed);
        Assert.Throws<InvalidOperationException>(() => AccountingPeriods.FromClosings(withMarch.Closings.Take(1), withMarch.LastHash));
    }

    [Fact]
    public void Non_consecutive_stored_closings_are_a_broken_invariant()
    {
        var february = ClosedThrough(new YearMonth(2027, 2)).Closings[0];
        var april = PeriodClosing.FromStored(new YearMonth(2027, 4), "fin_ada", RecordedAt, Report, february.Hash, EntryHash.Of([9]));

        Assert.Throws<InvalidOperationException>(() => AccountingPeriods.FromClosings([february, april]));
    }
}
