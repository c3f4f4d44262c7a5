using NodaTime;
using ServiceLedger.Domain.Ledger;
using static ServiceLedger.Domain.Tests.Ledger.LedgerTestData;

namespace ServiceLedger.Domain.Tests.Ledger;

public sealed class BalancesTest
{
    private static readonly AccountId DisputedFunds = AccountId.PlatformDisputedFunds;

    // A month of one contract: deposit paid (1 Mar), Stripe fee (1 Mar), statement issued (31 Mar),
    // payout of the deposit net of fee (3 Apr), statement paid by bank transfer (10 Apr).
    private static IReadOnlyList<JournalEntry> Month() => Chain(
        Valid(key: "stripe:evt_deposit", effectiveDate: new LocalDate(2027, 3, 1), postings: [Posting.Debit(Clearing, Cny(3000m)), Posting.Credit(Deposit, Cny(3000m))]),
        Valid(key: "stripe:evt_fee", effectiveDate: new LocalDate(2027, 3, 1), postings: [Posting.Debit(Fees, Cny(87.30m)), Posting.Credit(Clearing, Cny(87.30m))]),
        Valid(key: "statement:ctr_7Hq2LmN4:2027-03:v1", effectiveDate: new LocalDate(2027, 3, 31), postings: StatementPostings(1000m, 100m)),
        Valid(key: "stripe:evt_payout", effectiveDate: new LocalDate(2027, 4, 3), book: BookId.PlatformStripe, postings: [Posting.Debit(Bank, Cny(2912.70m)), Posting.Credit(Clearing, Cny(2912.70m))]),
        Valid(key: "bank:transfer-88", effectiveDate: new LocalDate(2027, 4, 10), postings: [Posting.Debit(Bank, Cny(1000m)), Posting.Credit(Receivable, Cny(1000m))]));

    [Fact]
    public void Account_balance_as_of_a_date_counts_entries_dated_up_to_that_day()
    {
        var entries = Month();

        var beforeStatement = Assert.Single(BalanceProjection.AsOf(Receivable, new LocalDate(2027, 3, 30), entries).DefaultIfEmpty(AccountBalance.Zero(Receivable, Yuan)));
        var afterStatement = Assert.Single(BalanceProjection.AsOf(Receivable, new LocalDate(2027, 3, 31), entries));
        var afterPayment = Assert.Single(BalanceProjection.AsOf(Receivable, new LocalDate(2027, 4, 10), entries));

        Assert.Equal(Cny(0m), beforeStatement.Balance);
        Assert.Equal(Cny(1000m), afterStatement.Balance);
        Assert.Equal(Cny(0m), afterPayment.Balance);
    }

    [Fact]
    public void Balance_is_signed_on_the_accounts_normal_side()
    {
        var projection = BalanceProjection.Recompute(Month());

        Assert.Equal(Cny(3000m), Assert.Single(projection.BalancesOf(Deposit)).Balance);
        Assert.Equal(Cny(-3000m), projection.BalancesOf(Deposit)[0].Net);
        Assert.Equal(Cny(900m), Assert.Single(projection.BalancesOf(Payable)).Balance);
        Assert.Equal(Cny(3912.70m), Assert.Single(projection.BalancesOf(Bank)).Balance);
    }

    [Fact]
    public void Trial_balance_of_a_period_balances_per_currency_and_lists_opening_movement_and_closing()
    {
        var entries = Month();

        var april = TrialBalance.Compute(new YearMonth(2027, 4), entries);

        Assert.True(april.IsBalanced);
        var total = Assert.Single(april.Totals);
        Assert.Equal((Cny(3912.70m), Cny(3912.70m)), (total.PeriodDebits, total.PeriodCredits));
        var receivable = april.Lines.Single(line => line.Account == Receivable);
        Assert.Equal((Cny(1000m), Cny(0m), Cny(1000m), Cny(0m)), (receivable.Opening, receivable.PeriodDebits, receivable.PeriodCredits, receivable.Closing));
        Assert.Equal(total.ClosingDebitBalances, total.ClosingCreditBalances);
    }

    [Fact]
    public void Trial_balance_ignores_entries_dated_after_the_period_and_orders_lines_by_account()
    {
        var march = TrialBalance.Compute(new YearMonth(2027, 3), Month());

        Assert.DoesNotContain(march.Lines, line => line.Account == Bank);
        Assert.Equal(march.Lines.Select(line => line.Account.Value).Order(StringComparer.Ordinal), march.Lines.Select(line => line.Account.Value));
    }

    [Fact]
    public void Trial_balance_keeps_currencies_apart()
    {
        var entries = Chain(
            Valid(key: "a", postings: [Posting.Debit(Clearing, Cny(700m)), Posting.Credit(Revenue, Cny(700m))]),
            Valid(key: "b", postings: [Posting.Debit(Clearing, Usd(100m)), Posting.Credit(Revenue, Usd(100m))]));

        var march = TrialBalance.Compute(new YearMonth(2027, 3), entries);

        Assert.Equal(["CNY", "USD"], march.Totals.Select(total => total.Currency.Code));
        Assert.Equal(Usd(100m), march.Totals[1].PeriodDebits);
        Assert.True(march.IsBalanced);
    }

    [Fact]
    public void Report_hash_is_the_same_whatever_order_entries_are_read_in_and_changes_with_any_amount()
    {
        var entries = Month();
        var other = Chain(Month().Select(entry => entry.Content).Take(4).Append(
            Valid(key: "bank:transfer-88", effectiveDate: new LocalDate(2027, 4, 10), postings: [Posting.Debit(Bank, Cny(999.99m)), Posting.Credit(Receivable, Cny(999.99m))])).ToArray());

        Assert.Equal(TrialBalance.Compute(new YearMonth(2027, 4), entries).ReportHash, TrialBalance.Compute(new YearMonth(2027, 4), entries.Reverse()).ReportHash);
        Assert.NotEqual(TrialBalance.Compute(new YearMonth(2027, 4), entries).ReportHash, TrialBalance.Compute(new YearMonth(2027, 4), other).ReportHash);
    }

    [Fact]
    public void Projection_applied_entry_by_entry_equals_the_recomputation()
    {
        var entries = Month();

        var projected = entries.Aggregate(BalanceProjection.Empty, (projection, entry) => projection.Apply(entry));

        Assert.True(BalanceProjection.Compare(projected, BalanceProjection.Recompute(entries)).Agrees);
    }

    [Fact]
    public void Replaying_an_entry_into_the_projection_changes_nothing()
    {
        var entries = Month();
        var projected = entries.Aggregate(BalanceProjection.Empty, (projection, entry) => projection.Apply(entry));

        Assert.Same(projected, projected.Apply(entries[2]));
    }

    [Fact]
    public void Projection_that_skipped_an_entry_differs_from_the_recomputation_where_it_matters()
    {
        var entries = Month();
        var projected = entries.Where(entry => entry.Book == Book).Take(2).Aggregate(BalanceProjection.Empty, (projection, entry) => projection.Apply(entry));

        var comparison = BalanceProjection.Compare(projected, BalanceProjection.Recompute(entries));

        Assert.False(comparison.Agrees);
        Assert.Equal([Receivable, Bank, Revenue, Clearing, Payable], comparison.Balances.Select(difference => difference.Account));
        var receivable = comparison.Balances.Single(difference => difference.Account == Receivable);
        Assert.Equal((Cny(0m), Cny(1000m)), (receivable.Projected.Debits, receivable.Recomputed.Debits));
        Assert.Contains("projection has Dr 0.00 Cr 0.00, the journal gives Dr 1000.00 Cr 1000.00", receivable.Message, StringComparison.Ordinal);
        Assert.Equal(
            [new BookWatermarkDifference(Book, 2, 4), new BookWatermarkDifference(BookId.PlatformStripe, 0, 1)],
            comparison.Books);
    }

    [Fact]
    public void Projection_refuses_to_skip_a_sequence()
    {
        var entries = Month();

        Assert.Throws<InvalidOperationException>(() => BalanceProjection.Empty.Apply(entries[1]));
    }

    [Fact]
    public void Clearing_account_that_returned_to_zero_is_not_reported()
    {
        Assert.Empty(ClearingCheck.Run(Month(), new LocalDate(2027, 4, 30)));
    }

    [Fact]
    public void Clearing_account_not_yet_paid_out_is_reported_with_the_date_it_opened_and_its_age()
    {
        var entries = Month();

        var open = Assert.Single(ClearingCheck.Run(entries, new LocalDate(2027, 3, 31)));

        Assert.Equal((Clearing, Cny(2912.70m)), (open.Account, open.Balance));
        Assert.Equal((new LocalDate(2027, 3, 1), entries[0].RecordedAt, entries[0].Id, 30), (open.OpenSince, open.OpenSinceRecordedAt, open.OpenedBy, open.AgeDays));
    }

    [Fact]
    public void Clearing_balance_under_a_steady_flow_is_aged_from_its_oldest_unsettled_money()
    {
        // Charges on the 1st and 2nd, a payout of the first on the 3rd: what waits is the 2nd's charge, not the 1st's.
        var entries = Chain(
            Valid(key: "stripe:evt_1", effectiveDate: new LocalDate(2027, 3, 1), postings: [Posting.Debit(Clearing, Cny(100m)), Posting.Credit(Deposit, Cny(100m))]),
            Valid(key: "stripe:evt_2", effectiveDate: new LocalDate(2027, 3, 2), postings: [Posting.Debit(Clearing, Cny(100m)), Posting.Credit(Deposit, Cny(100m))]),
            Valid(key: "stripe:evt_3", effectiveDate: new LocalDate(2027, 3, 3), postings: [Posting.Debit(Bank, Cny(100m)), Posting.Credit(Clearing, Cny(100m))]));

        var open = Assert.Single(ClearingCheck.Run(entries, new LocalDate(2027, 3, 10)));

        Assert.Equal((Cny(100m), new LocalDate(2027, 3, 2), entries[1].Id, 8), (open.Balance, open.OpenSince, open.OpenedBy, open.AgeDays));
    }

    [Fact]
    public void Clearing_account_overdrawn_is_reported_negative_from_the_entry_that_overdrew_it()
    {
        var entries = Chain(
            Valid(key: "stripe:evt_1", effectiveDate: new LocalDate(2027, 3, 1), postings: [Posting.Debit(Clearing, Cny(100m)), Posting.Credit(Deposit, Cny(100m))]),
            Valid(key: "stripe:evt_2", effectiveDate: new LocalDate(2027, 3, 5), postings: [Posting.Debit(Bank, Cny(150m)), Posting.Credit(Clearing, Cny(150m))]));

        var open = Assert.Single(ClearingCheck.Run(entries, new LocalDate(2027, 3, 5)));

        Assert.Equal((Cny(-50m), new LocalDate(2027, 3, 5), 0), (open.Balance, open.OpenSince, open.AgeDays));
    }

    [Fact]
    public void Clearing_account_that_went_back_to_zero_and_opened_again_is_aged_from_the_reopening()
    {
        var entries = Month().Select(entry => entry.Content).Append(
            Valid(key: "stripe:evt_dispute", effectiveDate: new LocalDate(2027, 4, 20), postings: [Posting.Debit(DisputedFunds, Cny(500m)), Posting.Credit(Bank, Cny(500m))])).ToArray();

        var open = ClearingCheck.Run(Chain(entries), new LocalDate(2027, 5, 5));

        var disputed = Assert.Single(open);
        Assert.Equal((DisputedFunds, new LocalDate(2027, 4, 20), 15), (disputed.Account, disputed.OpenSince, disputed.AgeDays));
    }
}
