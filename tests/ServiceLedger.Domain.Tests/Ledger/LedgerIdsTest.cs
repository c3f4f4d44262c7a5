using ServiceLedger.Domain.Ledger;
using static ServiceLedger.Domain.Tests.Ledger.LedgerTestData;

namespace ServiceLedger.Domain.Tests.Ledger;

public sealed class LedgerIdsTest
{
    private static readonly char[] TableKeyForbidden = ['/', '\\', '#', '?', '\''];

    [Theory]
    [InlineData("merchant:mer_5Tz8Qa:receivable", AccountType.Asset, false)]
    [InlineData("merchant:mer_5Tz8Qa:deposit", AccountType.Liability, false)]
    [InlineData("vendor:ven_3Kp9Wd:payable", AccountType.Liability, false)]
    [InlineData("platform:revenue", AccountType.Revenue, false)]
    [InlineData("platform:stripe-clearing", AccountType.Asset, true)]
    [InlineData("platform:disputed-funds", AccountType.Asset, true)]
    [InlineData("platform:bank", AccountType.Asset, false)]
    [InlineData("platform:processing-fees", AccountType.Expense, false)]
    public void Account_ids_of_the_chart_parse_to_their_kind_and_format_back(string text, AccountType type, bool clearing)
    {
        Assert.True(AccountId.TryParse(text, out var account));

        Assert.Equal(text, account.Value);
        Assert.Equal(type, account.Type);
        Assert.Equal(clearing, account.IsClearing);
    }

    [Fact]
    public void Per_party_accounts_hold_one_currency_and_platform_accounts_one_balance_per_currency()
    {
        Assert.All(ChartOfAccounts.All, kind => Assert.Equal(
            kind.Scope == AccountScope.Platform ? AccountCurrencyPolicy.BalancePerCurrency : AccountCurrencyPolicy.SingleCurrency,
            kind.CurrencyPolicy));
    }

    [Fact]
    public void Normal_balance_is_debit_for_assets_and_expenses_and_credit_for_liabilities_and_revenue()
    {
        Assert.Equal(PostingSide.Debit, AccountType.Asset.NormalBalance());
        Assert.Equal(PostingSide.Debit, AccountType.Expense.NormalBalance());
        Assert.Equal(PostingSide.Credit, AccountType.Liability.NormalBalance());
        Assert.Equal(PostingSide.Credit, AccountType.Revenue.NormalBalance());
    }

    [Fact]
    public void Chart_names_are_unique_and_every_template_parses_with_a_real_party()
    {
        Assert.Equal(ChartOfAccounts.All.Count, ChartOfAccounts.All.Select(kind => kind.Template).Distinct().Count());
        foreach (var kind in ChartOfAccounts.All)
        {
            var text = kind.Template.Replace("{merchantId}", MerchantId, StringComparison.Ordinal).Replace("{vendorId}", VendorId, StringComparison.Ordinal);
            Assert.True(AccountId.TryParse(text, out var account), text);
            Assert.Equal(kind, account.Kind);
        }

        Assert.Equal(["platform:stripe-clearing", "platform:disputed-funds"], ChartOfAccounts.Clearing.Select(kind => kind.Template));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("platform:nonsense")]
    [InlineData("merchant:ven_3Kp9Wd:receivable")]
    [InlineData("merchant:mer_5Tz8Qa:payable")]
    [InlineData("vendor:ven_3Kp9Wd:receivable")]
    [InlineData("merchant:mer_:receivable")]
    [InlineData("merchant:mer_a/b:receivable")]
    [InlineData("merchant:mer_a#b:receivable")]
    [InlineData("merchant:mer_a?b:receivable")]
    [InlineData("merchant:mer_a\\b:receivable")]
    [InlineData("merchant:mer_a\tb:receivable")]
    [InlineData("merchant:mer_a'b:receivable")]
    [InlineData("merchant:mer_a:b:receivable")]
    [InlineData("platform:revenue:extra")]
    [InlineData("Platform:revenue")]
    public void Malformed_account_ids_are_refused_naming_the_field(string? text)
    {
        var result = AccountId.Parse(text, "accountId");

        var refusal = Assert.Single(result.Refusals);
        Assert.Equal((LedgerRule.AccountIdInvalid, "accountId"), (refusal.Code, refusal.Field));
    }

    [Fact]
    public void Party_id_at_its_length_limit_is_accepted_and_one_past_it_is_not()
    {
        var longest = "mer_" + new string('a', LedgerLimits.MaxPartyIdLength - 4);

        Assert.True(AccountId.TryParse($"merchant:{longest}:receivable", out var account));
        Assert.True(account.Value.Length <= LedgerLimits.MaxAccountIdLength);
        Assert.False(AccountId.TryParse($"merchant:{longest}a:receivable", out _));
        Assert.Throws<ArgumentException>(() => AccountId.MerchantReceivable(longest + "a"));
    }

    [Fact]
    public void Account_ids_order_ordinally_and_compare_by_text()
    {
        Assert.True(AccountId.PlatformBank < AccountId.PlatformRevenue);
        Assert.True(Receivable < AccountId.PlatformBank);
        Assert.Equal(AccountId.MerchantReceivable(MerchantId), Receivable);
        Assert.NotEqual(AccountId.MerchantReceivable("mer_5tz8qa"), Receivable);
        Assert.True(default(AccountId).IsDefault);
    }

    [Theory]
    [InlineData("contract:ctr_7Hq2LmN4", true)]
    [InlineData("platform:stripe", true)]
    [InlineData("platform:general", true)]
    [InlineData("contract:mer_7Hq2LmN4", false)]
    [InlineData("contract:ctr_7Hq2/LmN4", false)]
    [InlineData("platform:Stripe", false)]
    [InlineData("stripe", false)]
    [InlineData("", false)]
    public void Book_ids_are_contract_or_platform_books(string text, bool valid)
    {
        var result = BookId.Parse(text, "bookId");

        Assert.Equal(valid, result.IsValid);
        if (valid)
        {
            Assert.Equal(text, result.Value.Value);
        }
        else
        {
            Assert.Equal(LedgerRule.BookIdInvalid, Assert.Single(result.Refusals).Code);
        }
    }

    [Fact]
    public void Idempotency_keys_derive_from_their_causes()
    {
        Assert.Equal("stripe:evt_1PqR7sT2uV3wX4yZ", IdempotencyKey.ForStripeEvent("evt_1PqR7sT2uV3wX4yZ").Value);
        Assert.Equal("statement:ctr_7Hq2LmN4:2027-03:v2", IdempotencyKey.ForStatement(ContractId, "2027-03", 2).Value);
        Assert.Equal("statement:ctr_7Hq2LmN4:2027-Q1:v1", IdempotencyKey.ForStatement(ContractId, "2027-Q1", 1).Value);
        Assert.Equal("dispute:dp_1Abc:resolution", IdempotencyKey.ForDisputeResolution("dp_1Abc").Value);
        Assert.Equal("reversal:12", IdempotencyKey.ForReversal(new JournalEntryId(Book, 12)).Value);
        Assert.Equal("idem:stripe:evt_1", IdempotencyKey.ForStripeEvent("evt_1").MarkerRowKey);
    }

    [Theory]
    [InlineData("2027-13")]
    [InlineData("2027-00")]
    [InlineData("2027-Q5")]
    [InlineData("2027-3")]
    public void Statement_keys_need_a_period_of_the_api_forms(string period)
    {
        Assert.Throws<ArgumentException>(() => IdempotencyKey.ForStatement(ContractId, period, 1));
    }

    [Fact]
    public void Stripe_keys_need_an_event_id()
    {
        Assert.Throws<ArgumentException>(() => IdempotencyKey.ForStripeEvent("ch_123"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("slash/inside")]
    [InlineData("hash#inside")]
    [InlineData("question?inside")]
    [InlineData("back\\slash")]
    [InlineData("control\u0001char")]
    [InlineData("quote'inside")]
    public void Idempotency_keys_a_row_key_cannot_carry_are_refused(string text)
    {
        var refusal = Assert.Single(IdempotencyKey.Parse(text, "idempotencyKey").Refusals);

        Assert.Equal((LedgerRule.IdempotencyKeyInvalid, "idempotencyKey"), (refusal.Code, refusal.Field));
    }

    [Fact]
    public void Idempotency_key_at_its_length_limit_is_accepted_and_one_past_it_is_not()
    {
        Assert.True(IdempotencyKey.TryParse(new string('k', LedgerLimits.MaxIdempotencyKeyLength), out _));
        Assert.False(IdempotencyKey.TryParse(new string('k', LedgerLimits.MaxIdempotencyKeyLength + 1), out _));
    }

    [Fact]
    public void Source_references_validate_kind_and_value()
    {
        Assert.Equal("stripe-object:ch_3Nx", SourceReference.StripeObject("ch_3Nx").ToString());
        Assert.Equal("reference.kind", Assert.Single(SourceReference.Parse("Stripe", "ch_1", "reference").Refusals).Field);
        Assert.Equal("reference.value", Assert.Single(SourceReference.Parse("stripe-object", "ch 1", "reference").Refusals).Field);
        Assert.False(SourceReference.Parse("statement", new string('s', LedgerLimits.MaxReferenceValueLength + 1), "reference").IsValid);
    }

    [Fact]
    public void Every_id_the_ledger_makes_is_safe_for_a_table_key()
    {
        var ids = new[]
        {
            Receivable.Value, Deposit.Value, Payable.Value, Book.Value, BookId.PlatformStripe.Value,
            IdempotencyKey.ForStatement(ContractId, "2027-03", 1).MarkerRowKey, new JournalEntryId(Book, 42).SequenceRowKey,
        }.Concat(ChartOfAccounts.All.Where(kind => kind.Scope == AccountScope.Platform).Select(kind => AccountId.ForPlatform(kind).Value));

        Assert.All(ids, id =>
        {
            Assert.True(id.Length <= LedgerLimits.TableKeyMaxChars);
            Assert.True(id.IndexOfAny(TableKeyForbidden) < 0, id);
            Assert.DoesNotContain(id, char.IsControl);
        });
    }

    [Fact]
    public void Sequence_row_keys_are_zero_padded_so_table_order_is_sequence_order()
    {
        Assert.Equal("0000000000000000009", new JournalEntryId(Book, 9).SequenceRowKey);
        Assert.True(string.CompareOrdinal(new JournalEntryId(Book, 9).SequenceRowKey, new JournalEntryId(Book, 10).SequenceRowKey) < 0);
        Assert.Equal(LedgerLimits.SequenceKeyDigits, new JournalEntryId(Book, long.MaxValue).SequenceRowKey.Length);
    }
}
