using NodaTime;
using ServiceLedger.Domain.Ledger;
using static ServiceLedger.Domain.Tests.Ledger.LedgerTestData;

namespace ServiceLedger.Domain.Tests.Ledger;

public sealed class ReversalTest
{
    private static readonly JournalEntry Original = Chain(Valid())[0];

    [Fact]
    public void Reversal_swaps_every_posting_side_and_keeps_accounts_and_amounts()
    {
        var reversal = Original.Reverse("Statement 2027-03 withdrawn", AccountingPeriods.None).Value;

        Assert.Equal(
            Original.Postings.Select(posting => (posting.Account, posting.Side == PostingSide.Debit ? PostingSide.Credit : PostingSide.Debit, posting.Amount)).Order(),
            reversal.Postings.Select(posting => (posting.Account, posting.Side, posting.Amount)).Order());
    }

    [Fact]
    public void Reversal_names_the_entry_it_reverses_and_has_its_own_key_in_the_same_book()
    {
        var reversal = Original.Reverse("Statement 2027-03 withdrawn", AccountingPeriods.None).Value;

        Assert.Equal(new JournalEntryId(Book, 1), reversal.Reverses);
        Assert.Equal(Book, reversal.Book);
        Assert.Equal("reversal:1", reversal.IdempotencyKey.Value);
        Assert.NotEqual(Original.IdempotencyKey, reversal.IdempotencyKey);
    }

    [Fact]
    public void Reversal_and_original_net_every_account_to_zero()
    {
        var reversal = Original.Reverse("Statement 2027-03 withdrawn", AccountingPeriods.None).Value;
        var both = Chain(Original.Content, reversal);

        Assert.All(BalanceProjection.Recompute(both).Balances, balance => Assert.True(balance.IsZero, balance.ToString()));
    }

    [Fact]
    public void Reversal_of_an_entry_in_an_open_period_keeps_its_date()
    {
        var reversal = Original.Reverse("withdrawn", ClosedThrough(new YearMonth(2027, 2))).Value;

        Assert.Equal(Original.EffectiveDate, reversal.EffectiveDate);
    }

    [Fact]
    public void Reversal_of_an_entry_in_a_closed_period_is_dated_on_the_first_day_of_the_first_open_period()
    {
        var reversal = Original.Reverse("withdrawn after close", ClosedThrough(new YearMonth(2027, 5))).Value;

        Assert.Equal(new LocalDate(2027, 6, 1), reversal.EffectiveDate);
        Assert.Empty(reversal.CheckAgainst(ClosedThrough(new YearMonth(2027, 5)), new Dictionary<AccountId, ServiceLedger.Domain.Money.Currency>()));
    }

    [Fact]
    public void Reversing_twice_gives_the_same_request_so_the_store_answers_the_first_reversal()
    {
        var first = Original.Reverse("withdrawn", AccountingPeriods.None).Value;
        var second = Original.Reverse("withdrawn", AccountingPeriods.None).Value;
        var appended = Chain(Original.Content, first)[1];

        Assert.IsType<AppendResult.AlreadyAppended>(AppendDecision.ForExistingKey(second, appended));
    }

    [Fact]
    public void Reversal_description_follows_the_entry_rules()
    {
        Assert.Equal(LedgerRule.DescriptionRequired, Assert.Single(Original.Reverse(string.Empty, AccountingPeriods.None).Refusals).Code);
    }
}
