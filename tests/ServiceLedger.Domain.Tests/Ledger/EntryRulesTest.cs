using NodaTime;
using ServiceLedger.Domain.Ledger;
using static ServiceLedger.Domain.Tests.Ledger.LedgerTestData;

namespace ServiceLedger.Domain.Tests.Ledger;

using ServiceLedger.Domain.Money;

public sealed class EntryRulesTest
{
    [Fact]
    public void Balanced_entry_is_accepted_with_postings_in_canonical_order()
    {
        var entry = Valid(postings: [Posting.Credit(Revenue, Cny(10m)), Posting.Credit(Payable, Cny(90m)), Posting.Debit(Receivable, Cny(100m))]);

        Assert.Equal(
            ["merchant:mer_5Tz8Qa:receivable", "platform:revenue", "vendor:ven_3Kp9Wd:payable"],
            entry.Postings.Select(posting => posting.Account.Value));
    }

    [Fact]
    public void Posting_order_does_not_change_the_request_hash()
    {
        var forwards = Valid(postings: StatementPostings());
        var backwards = Valid(postings: StatementPostings().Reverse().ToArray());

        Assert.Equal(forwards.RequestHash, backwards.RequestHash);
    }

    [Fact]
    public void Entry_whose_debits_exceed_credits_is_refused_naming_the_currency_and_both_sums()
    {
        var result = Propose([Posting.Debit(Receivable, Cny(100m)), Posting.Credit(Payable, Cny(90m))]);

        var refusal = Assert.Single(result.Refusals);
        Assert.Equal(LedgerRule.EntryMustBalancePerCurrency, refusal.Code);
        Assert.Equal("postings", refusal.Field);
        Assert.Contains("CNY debits 100.00 do not equal CNY credits 90.00", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Multi_currency_entry_balances_each_currency_separately()
    {
        var result = Propose(
        [
            Posting.Debit(Clearing, Cny(700m)),
            Posting.Credit(Revenue, Cny(700m)),
            Posting.Debit(Bank, Usd(100m)),
            Posting.Credit(Clearing, Usd(100m)),
        ]);

        Assert.True(result.IsValid);
    }

    [Fact]
    public void Totals_that_match_only_across_currencies_are_refused_once_per_unbalanced_currency()
    {
        // 100 CNY debit against 100 USD credit "sums" to zero only if currencies were mixed.
        var result = Propose([Posting.Debit(Clearing, Cny(100m)), Posting.Credit(Bank, Usd(100m))]);

        Assert.Equal([LedgerRule.EntryMustBalancePerCurrency, LedgerRule.EntryMustBalancePerCurrency], Codes(result.Refusals));
        Assert.StartsWith("CNY", result.Refusals[0].Message, StringComparison.Ordinal);
        Assert.StartsWith("USD", result.Refusals[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Entry_without_postings_is_refused()
    {
        var refusal = Assert.Single(Propose(postings: []).Refusals);

        Assert.Equal((LedgerRule.EntryMustHavePostings, "postings"), (refusal.Code, refusal.Field));
    }

    [Fact]
    public void Single_posting_cannot_balance()
    {
        var refusal = Assert.Single(Propose([Posting.Debit(Receivable, Cny(1m))]).Refusals);

        Assert.Equal(LedgerRule.EntryMustBalancePerCurrency, refusal.Code);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5.00")]
    public void Zero_or_negative_amount_is_refused_at_its_posting_and_balance_is_not_judged(string amount)
    {
        var value = decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture);
        var result = Propose([Posting.Debit(Receivable, Cny(100m)), Posting.Credit(Payable, Cny(value)), Posting.Credit(Revenue, Cny(100m - value))]);

        var refusal = Assert.Single(result.Refusals);
        Assert.Equal((LedgerRule.AmountMustBePositive, "postings[1].amount"), (refusal.Code, refusal.Field));
    }

    [Fact]
    public void Amount_with_digits_beyond_the_minor_unit_is_refused()
    {
        var result = Propose([Posting.Debit(Receivable, Cny(100.005m)), Posting.Credit(Payable, Cny(100.005m))]);

        Assert.Equal([LedgerRule.AmountHasDigitsBeyondMinorUnit, LedgerRule.AmountHasDigitsBeyondMinorUnit], Codes(result.Refusals));
        Assert.Equal(["postings[0].amount", "postings[1].amount"], result.Refusals.Select(refusal => refusal.Field));
    }

    [Fact]
    public void Yen_amount_with_a_fraction_is_refused_because_yen_has_no_minor_unit()
    {
        var result = Propose([Posting.Debit(Clearing, new Money(500.5m, Yen)), Posting.Credit(Revenue, new Money(500.5m, Yen))]);

        Assert.All(result.Refusals, refusal => Assert.Equal(LedgerRule.AmountHasDigitsBeyondMinorUnit, refusal.Code));
    }

    [Fact]
    public void Amount_just_past_the_limit_is_refused_and_the_limit_itself_is_accepted()
    {
        var atLimit = Propose([Posting.Debit(Clearing, Cny(LedgerLimits.MaxPostingAmount)), Posting.Credit(Revenue, Cny(LedgerLimits.MaxPostingAmount))]);
        var pastLimit = Propose([Posting.Debit(Clearing, Cny(LedgerLimits.MaxPostingAmount + 0.01m)), Posting.Credit(Revenue, Cny(LedgerLimits.MaxPostingAmount + 0.01m))]);

        Assert.True(atLimit.IsValid);
        Assert.Equal([LedgerRule.AmountTooLarge, LedgerRule.AmountTooLarge], Codes(pastLimit.Refusals));
    }

    [Fact]
    public void Merchant_account_posted_in_two_currencies_in_one_entry_is_refused()
    {
        var result = Propose(
        [
            Posting.Debit(Receivable, Cny(100m)),
            Posting.Credit(Revenue, Cny(100m)),
            Posting.Debit(Receivable, Usd(10m)),
            Posting.Credit(Revenue, Usd(10m)),
        ]);

        var refusal = Assert.Single(result.Refusals);
        Assert.Equal((LedgerRule.AccountCurrencyMismatch, "postings[2].amount"), (refusal.Code, refusal.Field));
        Assert.Contains("merchant:mer_5Tz8Qa:receivable is posted in CNY at postings[0] and in USD here", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Platform_account_takes_several_currencies_in_one_entry()
    {
        var result = Propose(
        [
            Posting.Debit(Clearing, Cny(100m)),
            Posting.Credit(Revenue, Cny(100m)),
            Posting.Debit(Clearing, Usd(10m)),
            Posting.Credit(Revenue, Usd(10m)),
        ]);

        Assert.True(result.IsValid);
    }

    [Fact]
    public void Merchant_account_posted_in_a_currency_other_than_the_one_it_holds_is_refused_against_ledger_state()
    {
        var entry = Valid(postings: [Posting.Debit(Receivable, Usd(10m)), Posting.Credit(Revenue, Usd(10m))]);

        var refusals = entry.CheckAgainst(AccountingPeriods.None, new Dictionary<AccountId, Currency> { [Receivable] = Yuan });

        var refusal = Assert.Single(refusals);
        Assert.Equal(LedgerRule.AccountCurrencyMismatch, refusal.Code);
        Assert.Contains("holds CNY; this entry posts it in USD", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Account_holding_no_currency_yet_takes_the_entrys_currency()
    {
        var entry = Valid(postings: [Posting.Debit(Receivable, Usd(10m)), Posting.Credit(Revenue, Usd(10m))]);

        Assert.Empty(entry.CheckAgainst(AccountingPeriods.None, new Dictionary<AccountId, Currency>()));
        Assert.Equal([KeyValuePair.Create(Receivable, Dollar)], entry.CurrencyBindings());
    }

    [Fact]
    public void Description_is_required_and_bounded_and_plain()
    {
        var atLimit = Propose(description: new string('x', LedgerLimits.MaxDescriptionLength));

        Assert.True(atLimit.IsValid);
        Assert.Equal([LedgerRule.DescriptionRequired], Codes(Propose(description: "  ").Refusals));
        Assert.Equal([LedgerRule.DescriptionTooLong], Codes(Propose(description: new string('x', LedgerLimits.MaxDescriptionLength + 1)).Refusals));
        Assert.Equal([LedgerRule.DescriptionMustBePlainText], Codes(Propose(description: "line one\nline two").Refusals));
        Assert.Equal([LedgerRule.DescriptionMustBePlainText], Codes(Propose(description: "broken \ud800 surrogate").Refusals));
    }

    [Fact]
    public void Non_ascii_description_is_plain_text()
    {
        Assert.True(Propose(description: "对账单 2027-03 ✓ 🧾").IsValid);
    }

    [Fact]
    public void Too_many_or_duplicated_references_are_refused()
    {
        var many = Enumerable.Range(0, LedgerLimits.MaxReferencesPerEntry + 1).Select(index => SourceReference.Statement($"stm_{index}")).ToArray();
        var duplicated = new[] { SourceReference.Statement("stm_1"), SourceReference.StripeEvent("evt_1"), SourceReference.Statement("stm_1") };

        Assert.Equal([LedgerRule.TooManyReferences], Codes(Propose(references: many).Refusals));
        var refusal = Assert.Single(Propose(references: duplicated).Refusals);
        Assert.Equal((LedgerRule.ReferenceDuplicated, "references[2]"), (refusal.Code, refusal.Field));
    }

    [Fact]
    public void Too_many_postings_is_refused_and_the_limit_itself_is_accepted()
    {
        static Posting[] Postings(int pairs) => Enumerable.Range(0, pairs)
            .SelectMany(_ => new[] { Posting.Debit(Clearing, Cny(1m)), Posting.Credit(Revenue, Cny(1m)) })
            .ToArray();

        Assert.True(Propose(Postings(LedgerLimits.MaxPostingsPerEntry / 2)).IsValid);
        var overLimit = Postings(LedgerLimits.MaxPostingsPerEntry / 2).Append(Posting.Debit(Clearing, Cny(1m))).ToArray();
        Assert.Equal([LedgerRule.TooManyPostings], Codes(Propose(overLimit).Refusals));
    }

    [Fact]
    public void Entry_whose_canonical_form_exceeds_the_entity_budget_is_refused_as_too_large()
    {
        // 200 postings on the longest merchant accounts: every field within its own limit, the whole too big for one entity.
        var postings = Enumerable.Range(0, LedgerLimits.MaxPostingsPerEntry / 2)
            .SelectMany(index =>
            {
                var merchant = $"mer_{index:D3}" + new string('x', LedgerLimits.MaxPartyIdLength - 7);
                return new[]
                {
                    Posting.Debit(AccountId.MerchantReceivable(merchant), Cny(123456789.01m)),
                    Posting.Credit(AccountId.MerchantDeposit(merchant), Cny(123456789.01m)),
                };
            })
            .ToArray();

        var refusal = Assert.Single(Propose(postings).Refusals);

        Assert.Equal(LedgerRule.EntryTooLarge, refusal.Code);
        Assert.Contains($"at most {LedgerLimits.MaxEntryContentBytes}", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Effective_date_outside_the_accepted_years_is_refused()
    {
        Assert.Equal([LedgerRule.EffectiveDateOutOfRange], Codes(Propose(effectiveDate: new LocalDate(1999, 12, 31)).Refusals));
        Assert.True(Propose(effectiveDate: new LocalDate(2000, 1, 1)).IsValid);
    }

    [Fact]
    public void Refusals_come_in_rule_order_date_then_description_then_postings()
    {
        var result = Propose(
            postings: [Posting.Debit(Receivable, Cny(-1m)), Posting.Credit(Payable, Cny(0.001m))],
            effectiveDate: new LocalDate(1990, 1, 1),
            description: string.Empty);

        Assert.Equal(
            [LedgerRule.EffectiveDateOutOfRange, LedgerRule.DescriptionRequired, LedgerRule.AmountMustBePositive, LedgerRule.AmountHasDigitsBeyondMinorUnit],
            Codes(result.Refusals));
    }

    [Fact]
    public void Reversal_naming_an_entry_of_another_book_is_refused()
    {
        var other = new JournalEntryId(BookId.ForContract("ctr_other"), 3);

        var refusal = Assert.Single(Propose(reverses: other).Refusals);

        Assert.Equal((LedgerRule.ReversalMustBeInSameBook, "reverses"), (refusal.Code, refusal.Field));
    }

    [Fact]
    public void Missing_typed_values_are_bugs_and_throw()
    {
        Assert.Throws<ArgumentException>(() => ProposedEntry.Create(default, Key("k"), new LocalDate(2027, 3, 1), "d", StatementPostings()));
        Assert.Throws<ArgumentException>(() => ProposedEntry.Create(Book, default, new LocalDate(2027, 3, 1), "d", StatementPostings()));
        Assert.Throws<ArgumentException>(() => new Posting(default, PostingSide.Debit, Cny(1m)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Posting(Receivable, (PostingSide)0, Cny(1m)));
        Assert.Throws<ArgumentException>(() => new Posting(Receivable, PostingSide.Debit, default));
    }
}
