using NodaTime;
using ServiceLedger.Domain.Reconciliation;

namespace ServiceLedger.Domain.Tests.Reconciliation;

using ServiceLedger.Domain.Money;

public sealed class StripeClearingCheckTest
{
    private static readonly Currency Yuan = Currency.FromCode("CNY");
    private static readonly ReconciliationPeriod March = ReconciliationPeriod.Month(new YearMonth(2027, 3));

    [Fact]
    public void A_clean_period_leaves_nothing_unexplained()
    {
        var (stripe, ledger) = CleanMonth();

        Assert.Empty(Check(stripe, ledger));
    }

    [Fact]
    public void A_payout_in_transit_across_the_month_end_is_explained_by_its_timing_line()
    {
        var (stripe, ledger) = CleanMonth();
        stripe.Add(Stripe("txn_po", "po_1", StripeItem.PayoutType, -29_130, 0, Instant.FromUtc(2027, 3, 31, 22, 0)));
        ledger.Add(Ledger("po_1", -29_130, 0, new LocalDate(2027, 4, 1)));

        Assert.Empty(Check(stripe, ledger));
    }

    [Fact]
    public void A_clearing_posting_stripe_never_saw_is_one_unexplained_line_with_its_amount()
    {
        var (stripe, ledger) = CleanMonth();
        ledger.Add(Ledger(null, 5_000, 0, new LocalDate(2027, 3, 20), "platform:general#9"));

        var line = Assert.Single(Check(stripe, ledger), exception => exception.Kind == ReconciliationKind.ClearingUnexplained);

        Assert.Equal("platform:stripe-clearing:2027-03:CNY", line.Subject);
        Assert.Equal("CNY", line.Currency);
        Assert.Contains("leaving 50.00 unexplained", line.Detail, StringComparison.Ordinal);
        Assert.Equal(["platform:stripe-clearing"], line.Right.Refs.ToArray());
    }

    [Fact]
    public void Only_the_period_counts_items_in_the_margins_on_both_sides_are_not_this_periods_clearing()
    {
        var (stripe, ledger) = CleanMonth();
        stripe.Add(Stripe("txn_apr", "ch_apr", "charge", 7_000, 200, Instant.FromUtc(2027, 4, 2, 9, 0)));
        ledger.Add(Ledger("ch_apr", 7_000, 200, new LocalDate(2027, 4, 2)));

        Assert.Empty(Check(stripe, ledger));
    }

    private static IReadOnlyList<ExceptionLine> Check(List<StripeItem> stripe, List<LedgerItem> ledger)
    {
        var outcome = StripeLedgerMatch.Run(stripe.ToArray(), ledger.ToArray(), March, MatchPolicy.Default);
        return StripeClearingCheck.Run(stripe.ToArray(), ledger.ToArray(), outcome.Lines, March);
    }

    private static (List<StripeItem> Stripe, List<LedgerItem> Ledger) CleanMonth()
    {
        var stripe = new List<StripeItem>
        {
            Stripe("txn_1", "ch_1", "charge", 10_000, 290, Instant.FromUtc(2027, 3, 2, 10, 0)),
            Stripe("txn_2", "ch_2", "charge", 20_000, 580, Instant.FromUtc(2027, 3, 5, 23, 0)),
            Stripe("txn_4", "re_4", "refund", -4_000, 0, Instant.FromUtc(2027, 3, 28, 15, 0)),
        };
        return (stripe, stripe.Select(item => Ledger(item.SourceId, item.AmountMinor, item.FeeMinor, item.CreatedDate)).ToList());
    }

    private static StripeItem Stripe(string txn, string source, string type, long amount, long fee, Instant created) =>
        new(txn, source, type, amount, fee, amount - fee, Yuan, created, created.Plus(Duration.FromDays(2)), null);

    private static LedgerItem Ledger(string? stripeObjectId, long amount, long fee, LocalDate date, string? entryRef = null) =>
        new(entryRef ?? $"entry-{stripeObjectId}", stripeObjectId, amount, fee, Yuan, date, "platform:stripe");
}
