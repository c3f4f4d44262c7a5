using NodaTime;
using ServiceLedger.Domain.Ledger;
using static ServiceLedger.Domain.Tests.Ledger.LedgerTestData;

namespace ServiceLedger.Domain.Tests.Ledger;

using ServiceLedger.Domain.Money;

public sealed class AppendDecisionTest
{
    private static readonly IReadOnlyDictionary<AccountId, Currency> NoCurrencies = new Dictionary<AccountId, Currency>();

    [Fact]
    public void New_entry_on_an_empty_book_is_written_as_sequence_one_with_the_genesis_link()
    {
        var plan = AppendDecision.Decide(Valid(), null, BookHead.Empty(Book), AccountingPeriods.None, NoCurrencies, RecordedAt);

        var write = Assert.IsType<AppendPlan.Write>(plan);
        Assert.Equal((1L, EntryHash.Zero), (write.Entry.Sequence, write.Entry.PreviousHash));
        Assert.Equal(new BookHead(Book, 1, write.Entry.Hash), write.NextHead);
        Assert.Equal([KeyValuePair.Create(Receivable, Yuan), KeyValuePair.Create(Payable, Yuan)], write.NewCurrencyBindings);
    }

    [Fact]
    public void Same_key_and_same_content_returns_the_first_entry_and_writes_nothing()
    {
        var first = Chain(Valid())[0];

        var plan = AppendDecision.Decide(Valid(), first, new BookHead(Book, 1, first.Hash), AccountingPeriods.None, NoCurrencies, RecordedAt);

        var finish = Assert.IsType<AppendPlan.Finish>(plan);
        Assert.Same(first, Assert.IsType<AppendResult.AlreadyAppended>(finish.Result).Entry);
    }

    [Fact]
    public void Same_key_with_different_content_is_refused()
    {
        var first = Chain(Valid())[0];

        var plan = AppendDecision.Decide(Valid(postings: StatementPostings(200m)), first, new BookHead(Book, 1, first.Hash), AccountingPeriods.None, NoCurrencies, RecordedAt);

        var refused = Assert.IsType<AppendResult.Refused>(Assert.IsType<AppendPlan.Finish>(plan).Result);
        var refusal = Assert.Single(refused.Refusals);
        Assert.Equal((LedgerRule.ExistsWithDifferentContent, "idempotencyKey"), (refusal.Code, refusal.Field));
        Assert.Contains("contract:ctr_7Hq2LmN4#1", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Retry_after_the_period_closed_still_returns_the_first_result()
    {
        var first = Chain(Valid())[0];

        var plan = AppendDecision.Decide(Valid(), first, new BookHead(Book, 1, first.Hash), ClosedThrough(new YearMonth(2027, 3)), NoCurrencies, RecordedAt);

        Assert.IsType<AppendResult.AlreadyAppended>(Assert.IsType<AppendPlan.Finish>(plan).Result);
    }

    [Fact]
    public void Entry_dated_in_a_closed_period_is_refused_before_sealing()
    {
        var plan = AppendDecision.Decide(Valid(), null, BookHead.Empty(Book), ClosedThrough(new YearMonth(2027, 3)), NoCurrencies, RecordedAt);

        var refused = Assert.IsType<AppendResult.Refused>(Assert.IsType<AppendPlan.Finish>(plan).Result);
        Assert.Contains("the first open period is 2027-04", Assert.Single(refused.Refusals).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Entry_posting_a_merchant_account_in_another_currency_than_it_holds_is_refused()
    {
        var currencies = new Dictionary<AccountId, Currency> { [Receivable] = Dollar };

        var plan = AppendDecision.Decide(Valid(), null, BookHead.Empty(Book), AccountingPeriods.None, currencies, RecordedAt);

        var refused = Assert.IsType<AppendResult.Refused>(Assert.IsType<AppendPlan.Finish>(plan).Result);
        Assert.Equal(LedgerRule.AccountCurrencyMismatch, Assert.Single(refused.Refusals).Code);
    }

    [Fact]
    public void Accounts_already_holding_their_currency_are_not_bound_again()
    {
        var currencies = new Dictionary<AccountId, Currency> { [Receivable] = Yuan };

        var write = Assert.IsType<AppendPlan.Write>(AppendDecision.Decide(Valid(), null, BookHead.Empty(Book), AccountingPeriods.None, currencies, RecordedAt));

        Assert.Equal([KeyValuePair.Create(Payable, Yuan)], write.NewCurrencyBindings);
    }

    [Fact]
    public void Entry_is_sealed_on_the_head_that_was_read()
    {
        var earlier = Chain(Valid(key: "first"), Valid(key: "second"));
        var head = BookHead.Empty(Book).After(earlier[0]).After(earlier[1]);

        var write = Assert.IsType<AppendPlan.Write>(AppendDecision.Decide(Valid(key: "third"), null, head, AccountingPeriods.None, NoCurrencies, RecordedAt));

        Assert.Equal((3L, earlier[1].Hash), (write.Entry.Sequence, write.Entry.PreviousHash));
        Assert.True(ChainVerification.Verify(Book, [earlier[0], earlier[1], write.Entry], write.NextHead).IsIntact);
    }

    [Fact]
    public void Existing_entry_of_another_key_is_a_store_bug()
    {
        var first = Chain(Valid(key: "other"))[0];

        Assert.Throws<ArgumentException>(() => AppendDecision.ForExistingKey(Valid(), first));
    }

    [Fact]
    public void Page_size_is_bounded()
    {
        Assert.True(PageRequest.Create(LedgerLimits.MaxPageSize, null).IsValid);
        Assert.Equal(LedgerRule.PageSizeOutOfRange, Assert.Single(PageRequest.Create(LedgerLimits.MaxPageSize + 1, null).Refusals).Code);
        Assert.Equal("pageSize", Assert.Single(PageRequest.Create(0, null).Refusals).Field);
    }
}
