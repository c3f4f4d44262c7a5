using ServiceLedger.Domain.Money;

namespace ServiceLedger.Domain.Tests.Money;

public sealed class RateTest
{
    [Theory]
    [InlineData("0.035", "0.035", "3.5%")]
    [InlineData("0.0350", "0.035", "3.5%")]
    [InlineData("0", "0", "0%")]
    [InlineData("1", "1", "100%")]
    [InlineData("1.000000", "1", "100%")]
    [InlineData("0.000001", "0.000001", "0.0001%")]
    [InlineData("0.0005", "0.0005", "0.05%")]
    public void Wire_form_parses_and_formats_without_trailing_zeros(string text, string wire, string percent)
    {
        var rate = Rate.Parse(text, "rate").Value;

        Assert.Equal(wire, rate.ToString());
        Assert.Equal(percent, rate.ToPercentString());
        Assert.Equal(rate, Rate.Parse(rate.ToString(), "rate").Value);
    }

    [Theory]
    [InlineData("1.000001", MoneyRule.RateOutOfRange)]
    [InlineData("-0.000001", MoneyRule.RateOutOfRange)]
    [InlineData("-0", MoneyRule.RateOutOfRange)]
    [InlineData("0.0000001", MoneyRule.RateHasTooManyDecimalPlaces)]
    [InlineData("0.9999995", MoneyRule.RateHasTooManyDecimalPlaces)]
    [InlineData("", MoneyRule.RateMustBeDecimalText)]
    [InlineData(null, MoneyRule.RateMustBeDecimalText)]
    [InlineData(" 0.1", MoneyRule.RateMustBeDecimalText)]
    [InlineData("0.1 ", MoneyRule.RateMustBeDecimalText)]
    [InlineData("+0.1", MoneyRule.RateMustBeDecimalText)]
    [InlineData(".5", MoneyRule.RateMustBeDecimalText)]
    [InlineData("5.", MoneyRule.RateMustBeDecimalText)]
    [InlineData("0,5", MoneyRule.RateMustBeDecimalText)]
    [InlineData("1e-2", MoneyRule.RateMustBeDecimalText)]
    [InlineData("0..1", MoneyRule.RateMustBeDecimalText)]
    [InlineData("3.5%", MoneyRule.RateMustBeDecimalText)]
    [InlineData("0.00000000000000000001", MoneyRule.RateMustBeDecimalText)]
    public void Wire_form_refuses_just_past_each_limit_naming_the_field(string? text, string code)
    {
        var result = Rate.Parse(text, "terms.commissionTiers[1].rate");

        var refusal = Assert.Single(result.Refusals);
        Assert.Equal(code, refusal.Code);
        Assert.Equal("terms.commissionTiers[1].rate", refusal.Field);
    }

    [Fact]
    public void Longest_accepted_text_is_exactly_the_limit()
    {
        var longest = "0.100000" + new string('0', Rate.MaxTextLength - 8);

        Assert.Equal(Rate.MaxTextLength, longest.Length);
        Assert.Equal(Rate.Of(0.1m), Rate.Parse(longest, "rate").Value);
        Assert.Equal(MoneyRule.RateMustBeDecimalText, Rate.Parse(longest + "0", "rate").Refusals[0].Code);
    }

    [Theory]
    [InlineData("3.5", "0.035")]
    [InlineData("3.5%", "0.035")]
    [InlineData("100", "1")]
    [InlineData("0.0001", "0.000001")]
    [InlineData("0", "0")]
    public void Percentages_parse_to_the_fraction(string text, string fraction)
    {
        Assert.Equal(fraction, Rate.ParsePercent(text, "rate").Value.ToString());
    }

    [Theory]
    [InlineData("100.0001", MoneyRule.RateOutOfRange)]
    [InlineData("-0.0001", MoneyRule.RateOutOfRange)]
    [InlineData("-0%", MoneyRule.RateOutOfRange)]
    [InlineData("0.00001", MoneyRule.RateHasTooManyDecimalPlaces)]
    [InlineData("%", MoneyRule.RateMustBeDecimalText)]
    [InlineData("3.5%%", MoneyRule.RateMustBeDecimalText)]
    public void Percentages_refuse_just_past_each_limit(string text, string code)
    {
        Assert.Equal(code, Assert.Single(Rate.ParsePercent(text, "rate").Refusals).Code);
    }

    [Fact]
    public void Fractions_from_numbers_are_checked_like_text()
    {
        Assert.Equal(MoneyRule.RateOutOfRange, Rate.FromFraction(1.000001m, "rate").Refusals[0].Code);
        Assert.Equal(MoneyRule.RateHasTooManyDecimalPlaces, Rate.FromFraction(0.0000001m, "rate").Refusals[0].Code);
        Assert.True(Rate.FromFraction(1m, "rate").IsValid);
        Assert.Throws<ArgumentOutOfRangeException>(() => Rate.Of(-0.000001m));
        Assert.Throws<ArgumentOutOfRangeException>(() => Rate.Of(0.0000001m));
    }

    [Fact]
    public void Equality_and_ordering_are_numeric_and_default_is_zero()
    {
        ValueContracts.AssertEqualityAndOrdering(Rate.Of(0.035m), Rate.Parse("0.0350", "rate").Value, Rate.Of(0.0351m));
        ValueContracts.AssertEqualityAndOrdering(Rate.Zero, Rate.Of(0m), Rate.Of(0.000001m));
        Assert.True(Rate.One > Rate.Zero);
        Assert.Equal(Rate.Zero, default);
        Assert.Equal("0", default(Rate).ToString());
    }

    [Theory]
    [InlineData("0.7", 7, 10, 0)]
    [InlineData("0.7", 699_999, 1_000_000, 1)]
    [InlineData("0.7", 700_001, 1_000_000, -1)]
    [InlineData("0.333333", 1, 3, -1)]
    [InlineData("0.333334", 1, 3, 1)]
    [InlineData("0", 0, 5, 0)]
    [InlineData("1", 5, 5, 0)]
    [InlineData("0.5", 4_611_686_018_427_387_904, 9_223_372_036_854_775_807, -1)]
    public void Comparing_with_a_ratio_is_exact_at_tier_edges(string rate, long numerator, long denominator, int sign)
    {
        Assert.Equal(sign, Math.Sign(Rate.Parse(rate, "rate").Value.CompareToRatio(numerator, denominator)));
    }

    [Fact]
    public void Comparing_with_a_ratio_needs_a_positive_denominator()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Rate.Of(0.5m).CompareToRatio(1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Rate.Of(0.5m).CompareToRatio(-1, 2));
    }
}
