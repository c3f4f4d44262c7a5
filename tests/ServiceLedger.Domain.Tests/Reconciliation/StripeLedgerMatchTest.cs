using NodaTime;
using ServiceLedger.Domain.Reconciliation;

namespace ServiceLedger.Domain.Tests.Reconciliation;

using ServiceLedger.Domain.Money;

public sealed class StripeLedgerMatchTest
{
    private static readonly Currency Yuan = Currency.FromCode("CNY");
    private static readonly ReconciliationPeriod March = ReconciliationPeriod.Month(new YearMonth(2027, 3));

    [Fact]
    public void A_clean_period_has_no_exceptions_and_counts_every_match()
    {
        var (stripe, ledger) = CleanMonth();

        var outcome = Match(stripe, ledger);

        Assert.Empty(outcome.Lines);
        Assert.Equal(4, outcome.MatchedById);
    }

    [Fact]
    public void A_missing_webhook_is_in_stripe_only_and_nothing_else()
    {
        var (stripe, ledger) = CleanMonth();
        ledger.RemoveAll(item => item.StripeObjectId == "ch_2");

        var line = Assert.Single(Match(stripe, ledger).Lines);

        Assert.Equal(ReconciliationKind.InStripeOnly, line.Kind);
        Assert.Equal("ch_2", line.Key);
        Assert.Equal(["txn_2"], line.StripeRefs.ToArray());
        Assert.Equal(20_000, line.StripeAmountMinor);
        Assert.Equal(0, line.LedgerAmountMinor);
    }

    [Fact]
    public void A_fee_one_minor_unit_off_is_a_fee_difference_and_nothing_else()
    {
        var (stripe, ledger) = CleanMonth();
        var index = ledger.FindIndex(item => item.StripeObjectId == "ch_1");
        ledger[index] = ledger[index] with { FeeMinor = ledger[index].FeeMinor + 1 };

        var line = Assert.Single(Match(stripe, ledger).Lines);

        Assert.Equal(ReconciliationKind.FeeDiffers, line.Kind);
        Assert.Equal((290, 291), (line.StripeFeeMinor, line.LedgerFeeMinor));
        Assert.Equal(["entry-ch_1"], line.LedgerRefs.ToArray());
    }

    [Fact]
    public void A_payout_stripe_created_on_the_last_day_and_the_ledger_booked_next_month_is_timing_only()
    {
        var (stripe, ledger) = CleanMonth();
        stripe.Add(Stripe("txn_po", "po_1", StripeItem.PayoutType, -29_130, 0, At(2027, 3, 31, 22)));
        ledger.Add(Ledger("po_1", -29_130, 0, new LocalDate(2027, 4, 1)));
        PaidOutBy("po_1", stripe, "ch_1", "ch_2");

        var line = Assert.Single(Match(stripe, ledger).Lines);

        Assert.Equal(ReconciliationKind.Timing, line.Kind);
        Assert.Equal("po_1", line.Key);
        Assert.Equal(line.StripeAmountMinor, line.LedgerAmountMinor);
    }

    [Fact]
    public void A_payout_that_is_not_the_sum_of_its_balance_transactions_is_a_payout_difference()
    {
        var (stripe, ledger) = CleanMonth();
        stripe.Add(Stripe("txn_po", "po_1", StripeItem.PayoutType, -29_131, 0, At(2027, 3, 20, 9)));
        ledger.Add(Ledger("po_1", -29_131, 0, new LocalDate(2027, 3, 20)));
        PaidOutBy("po_1", stripe, "ch_1", "ch_2");

        var line = Assert.Single(Match(stripe, ledger).Lines);

        Assert.Equal(ReconciliationKind.PayoutDiffers, line.Kind);
        Assert.Equal((29_131L, 29_130L), (line.StripeAmountMinor, line.LedgerAmountMinor));
    }

    [Fact]
    public void Items_in_the_margin_around_the_period_that_match_each_other_are_not_this_periods_business()
    {
        var (stripe, ledger) = CleanMonth();
        stripe.Add(Stripe("txn_apr", "ch_apr", "charge", 5_000, 150, At(2027, 4, 2, 8)));
        ledger.Add(Ledger("ch_apr", 5_000, 150, new LocalDate(2027, 4, 2)));
        stripe.Add(Stripe("txn_apr2", "ch_apr2", "charge", 7_000, 210, At(2027, 4, 2, 8)));

        var outcome = Match(stripe, ledger);

        Assert.Empty(outcome.Lines);
        Assert.Equal(4, outcome.MatchedById);
    }

    [Fact]
    public void An_entry_that_names_no_stripe_object_is_paired_by_amount_fee_and_date_rules()
    {
        var (stripe, ledger) = CleanMonth();
        var index = ledger.FindIndex(item => item.StripeObjectId == "ch_2");
        ledger[index] = ledger[index] with { StripeObjectId = null, EffectiveDate = new LocalDate(2027, 3, 7) };

        var outcome = Match(stripe, ledger);

        var line = Assert.Single(outcome.Lines);
        Assert.Equal((ReconciliationKind.Matched, MatchBasis.RuleOneToOne), (line.Kind, line.Basis));
        Assert.Empty(outcome.Exceptions);
        Assert.Equal(1, outcome.MatchedByRule);
    }

    [Fact]
    public void An_entry_keyed_by_the_checkout_session_instead_of_the_charge_is_paired_by_rules_not_flagged_twice()
    {
        var (stripe, ledger) = CleanMonth();
        var index = ledger.FindIndex(item => item.StripeObjectId == "ch_2");
        ledger[index] = ledger[index] with { StripeObjectId = "cs_test_2" };

        var line = Assert.Single(Match(stripe, ledger).Lines);

        Assert.Equal((ReconciliationKind.Matched, MatchBasis.RuleOneToOne), (line.Kind, line.Basis));
        Assert.Equal(["entry-ch_2"], line.LedgerRefs.ToArray());
    }

    [Fact]
    public void One_stripe_charge_booked_as_two_entries_is_a_one_to_many_match()
    {
        var (stripe, ledger) = CleanMonth();
        ledger.RemoveAll(item => item.StripeObjectId == "ch_2");
        ledger.Add(Ledger(null, 12_000, 400, new LocalDate(2027, 3, 6), "part-a"));
        ledger.Add(Ledger(null, 8_000, 180, new LocalDate(2027, 3, 6), "part-b"));
        ledger.Add(Ledger(null, 3_000, 90, new LocalDate(2027, 3, 26), "unrelated"));

        var outcome = Match(stripe, ledger);

        Assert.Equal(2, outcome.Lines.Length);
        var pair = Assert.Single(outcome.Lines, line => line.Kind == ReconciliationKind.Matched);
        Assert.Equal(MatchBasis.RuleOneToMany, pair.Basis);
        Assert.Equal(["part-a", "part-b"], pair.LedgerRefs.ToArray());
        var other = Assert.Single(outcome.Exceptions);
        Assert.Equal((ReconciliationKind.InLedgerOnly, "unrelated"), (other.Kind, other.Key));
    }

    [Fact]
    public void Two_stripe_refunds_booked_as_one_entry_is_a_many_to_one_match()
    {
        var (stripe, ledger) = CleanMonth();
        stripe.Add(Stripe("txn_r1", "re_1", "refund", -1_000, 0, At(2027, 3, 12, 10)));
        stripe.Add(Stripe("txn_r2", "re_2", "refund", -2_500, 0, At(2027, 3, 12, 11)));
        ledger.Add(Ledger(null, -3_500, 0, new LocalDate(2027, 3, 13), "refunds"));

        var line = Assert.Single(Match(stripe, ledger).Lines);

        Assert.Equal((ReconciliationKind.Matched, MatchBasis.RuleManyToOne), (line.Kind, line.Basis));
        Assert.Equal(["txn_r1", "txn_r2"], line.StripeRefs.ToArray());
    }

    [Fact]
    public void An_entry_naming_a_stripe_object_stripe_does_not_list_is_in_ledger_only()
    {
        var (stripe, ledger) = CleanMonth();
        ledger.Add(Ledger("ch_ghost", 9_999, 3, new LocalDate(2027, 3, 9)));

        var line = Assert.Single(Match(stripe, ledger).Lines);

        Assert.Equal((ReconciliationKind.InLedgerOnly, "ch_ghost"), (line.Kind, line.Key));
    }

    [Fact]
    public void An_amount_difference_outranks_a_fee_difference()
    {
        var (stripe, ledger) = CleanMonth();
        var index = ledger.FindIndex(item => item.StripeObjectId == "ch_3");
        ledger[index] = ledger[index] with { AmountMinor = ledger[index].AmountMinor + 100, FeeMinor = 0 };

        var line = Assert.Single(Match(stripe, ledger).Lines);

        Assert.Equal(ReconciliationKind.AmountDiffers, line.Kind);
    }

    [Fact]
    public void The_same_items_in_any_order_give_the_same_lines_in_the_same_order()
    {
        var (stripe, ledger) = CleanMonth();
        ledger.Clear();
        ledger.Add(Ledger("ch_ghost", 1, 0, new LocalDate(2027, 3, 9)));
        ledger.Add(Ledger("ch_ghost2", 2, 0, new LocalDate(2027, 3, 9)));

        var forward = Match(stripe, ledger).Lines;
        stripe.Reverse();
        ledger.Reverse();
        var backward = Match(stripe, ledger).Lines;

        Assert.Equal(forward.Select(Describe), backward.Select(Describe));
        Assert.Equal(6, forward.Length);
    }

    private static MatchOutcome Match(List<StripeItem> stripe, List<LedgerItem> ledger) =>
        StripeLedgerMatch.Run(stripe.ToArray(), ledger.ToArray(), March, MatchPolicy.Default);

    private static string Describe(ReconciliationLine line) => $"{line.Kind} {line.Key} {string.Join(',', line.StripeRefs)} {string.Join(',', line.LedgerRefs)}";

    // Four charges in March, each booked on the day Stripe created it.
    private static (List<StripeItem> Stripe, List<LedgerItem> Ledger) CleanMonth()
    {
        var stripe = new List<StripeItem>
        {
            Stripe("txn_1", "ch_1", "charge", 10_000, 290, At(2027, 3, 2, 10)),
            Stripe("txn_2", "ch_2", "charge", 20_000, 580, At(2027, 3, 5, 23)),
            Stripe("txn_3", "ch_3", "charge", 30_000, 870, At(2027, 3, 18, 1)),
            Stripe("txn_4", "re_4", "refund", -4_000, 0, At(2027, 3, 28, 15)),
        };
        var ledger = stripe.Select(item => Ledger(item.SourceId, item.AmountMinor, item.FeeMinor, item.CreatedDate)).ToList();
        return (stripe, ledger);
    }

    private static void PaidOutBy(string payoutId, List<StripeItem> stripe, params string[] sources)
    {
        for (var i = 0; i < stripe.Count; i++)
        {
            if (sources.Contains(stripe[i].SourceId))
            {
                stripe[i] = stripe[i] with { PayoutId = payoutId };
            }
        }
    }

    private static Instant At(int year, int month, int day, int hour) => Instant.FromUtc(year, month, day, hour, 0);

    private static StripeItem Stripe(string txn, string source, string type, long amount, long fee, Instant created) =>
        new(txn, source, type, amount, fee, amount - fee, Yuan, created, created.Plus(Duration.FromDays(2)), null);

    private static LedgerItem Ledger(string? stripeObjectId, long amount, long fee, LocalDate date, string? entryRef = null) =>
        new(entryRef ?? $"entry-{stripeObjectId}", stripeObjectId, amount, fee, Yuan, date, "platform:stripe");
}
