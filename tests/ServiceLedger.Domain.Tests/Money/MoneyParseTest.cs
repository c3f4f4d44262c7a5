using ServiceLedger.Domain.Ledger;
using ServiceLedger.Domain.Money;

namespace ServiceLedger.Domain.Tests.Money;

using Money = ServiceLedger.Domain.Money.Money;

public sealed class MoneyParseTest
{
    [Theory]
    [InlineData("27068.52", "CNY", "27068.52 CNY")]
    [InlineData("27068.5", "CNY", "27068.50 CNY")]
    [InlineData("-5.00", "CNY", "-5.00 CNY")]
    [InlineData("0", "CNY", "0.00 CNY")]
    [InlineData("1000", "JPY", "1000 JPY")]
    [InlineData("1.005", "KWD", "1.005 KWD")]
    [InlineData("1000000000000", "CNY", "1000000000000.00 CNY")]
    [InlineData("-1000000000000.00", "CNY", "-1000000000000.00 CNY")]
    public void The_wire_form_reads_amount_and_currency(string amount, string currency, string expected)
    {
        Assert.Equal(expected, Money.Parse(amount, currency, "sales").Value.ToString());
    }

    [Theory]
    [InlineData("1000000000000.01", "CNY", MoneyRule.AmountTooLarge, "sales.amount")]
    [InlineData("-1000000000000.01", "CNY", MoneyRule.AmountTooLarge, "sales.amount")]
    [InlineData("1.005", "CNY", MoneyRule.AmountHasDigitsBeyondMinorUnit, "sales.amount")]
    [InlineData("1.5", "JPY", MoneyRule.AmountHasDigitsBeyondMinorUnit, "sales.amount")]
    [InlineData("1e3", "CNY", MoneyRule.AmountMustBeDecimalText, "sales.amount")]
    [InlineData("1,000.00", "CNY", MoneyRule.AmountMustBeDecimalText, "sales.amount")]
    [InlineData("+1.00", "CNY", MoneyRule.AmountMustBeDecimalText, "sales.amount")]
    [InlineData(" 1.00", "CNY", MoneyRule.AmountMustBeDecimalText, "sales.amount")]
    [InlineData("", "CNY", MoneyRule.AmountMustBeDecimalText, "sales.amount")]
    [InlineData(null, "CNY", MoneyRule.AmountMustBeDecimalText, "sales.amount")]
    [InlineData("1.00", "cny", MoneyRule.CurrencyUnknown, "sales.currency")]
    [InlineData("1.00", "XXX", MoneyRule.CurrencyUnknown, "sales.currency")]
    [InlineData("1.00", null, MoneyRule.CurrencyUnknown, "sales.currency")]
    public void Bad_input_is_refused_naming_the_field_just_past_each_limit(string? amount, string? currency, string code, string field)
    {
        var refusal = Assert.Single(Money.Parse(amount, currency, "sales").Refusals);

        Assert.Equal(code, refusal.Code);
        Assert.Equal(field, refusal.Field);
    }

    [Fact]
    public void A_bad_amount_and_a_bad_currency_are_both_reported()
    {
        var refusals = Money.Parse("abc", "ABC", "sales").Refusals;

        Assert.Equal([MoneyRule.CurrencyUnknown, MoneyRule.AmountMustBeDecimalText], refusals.Select(refusal => refusal.Code));
    }

    [Fact]
    public void Amount_text_longer_than_the_limit_is_refused_before_parsing()
    {
        var longest = "1." + new string('0', Money.MaxAmountTextLength - 2);

        Assert.True(Money.Parse(longest, "CNY", "x").IsValid);
        Assert.Equal(MoneyRule.AmountMustBeDecimalText, Money.Parse(longest + "0", "CNY", "x").Refusals[0].Code);
    }

    [Fact]
    public void The_largest_amount_read_is_the_largest_posting_the_ledger_takes()
    {
        Assert.Equal(LedgerLimits.MaxPostingAmount, Money.MaxAmount);
    }

    [Fact]
    public void Currencies_carry_their_iso_minor_units_and_unknown_codes_are_refused()
    {
        Assert.Equal(2, Currency.Cny.MinorUnits);
        Assert.Equal(0, Currency.FromCode("JPY").MinorUnits);
        Assert.Equal(3, Currency.FromCode("KWD").MinorUnits);
        Assert.False(Currency.TryFromCode("XXX", out _));
        Assert.Equal(Currency.All.OrderBy(currency => currency.Code, StringComparer.Ordinal), Currency.All);
    }
}
