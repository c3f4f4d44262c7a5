using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ServiceLedger.Domain.Money;

namespace ServiceLedger.Domain.Tests.Money;

using Money = ServiceLedger.Domain.Money.Money;

public sealed class MoneyArithmeticTest
{
    private static readonly Currency Yuan = Currency.Cny;

    [Theory]
    [InlineData("100.00", "0.035", "3.50")]
    [InlineData("0.10", "0.05", "0.01")]
    [InlineData("-0.10", "0.05", "-0.01")]
    [InlineData("0.30", "0.05", "0.02")]
    [InlineData("-0.30", "0.05", "-0.02")]
    [InlineData("0.29", "0.05", "0.01")]
    [InlineData("27068.52", "0.015", "406.03")]
    [InlineData("1000000000000.00", "1", "1000000000000.00")]
    public void Multiplying_by_a_rate_rounds_once_half_away_from_zero(string amount, string rate, string expected)
    {
        var result = Cny(amount).MultiplyBy(Rate.Parse(rate, "rate").Value);

        Assert.Equal(Cny(expected), result);
        Assert.True(result.IsWholeMinorUnits);
    }

    [Theory]
    [InlineData("JPY", "1000", "0.0015", "2")]
    [InlineData("JPY", "-1000", "0.0015", "-2")]
    [InlineData("KWD", "1.000", "0.0005", "0.001")]
    [InlineData("KWD", "1.000", "0.0004", "0.000")]
    public void Rounding_uses_the_currency_minor_unit(string code, string amount, string rate, string expected)
    {
        var currency = Currency.FromCode(code);

        var result = Of(amount, currency).MultiplyBy(Rate.Parse(rate, "rate").Value);

        Assert.Equal(Of(expected, currency), result);
    }

    [Property(Arbitrary = [typeof(MoneyArbitraries)])]
    public void Rounding_moves_at_most_half_a_minor_unit_and_away_from_zero_at_the_midpoint(long minor, int thousandths)
    {
        // minor + thousandths/1000 minor units, i.e. an amount with a digit below the minor unit of CNY.
        var exact = new Money((minor * 0.01m) + (thousandths * 0.001m), Yuan);

        var rounded = exact.RoundToMinorUnit();

        var distance = Math.Abs(rounded.Amount - exact.Amount);
        Assert.True(distance <= 0.005m, $"{exact} rounded to {rounded}");
        Assert.True(rounded.IsWholeMinorUnits);
        if (distance == 0.005m)
        {
            Assert.True(Math.Abs(rounded.Amount) > Math.Abs(exact.Amount), $"midpoint {exact} rounded toward zero to {rounded}");
        }

        Assert.Equal(-rounded, (-exact).RoundToMinorUnit());
    }

    [Theory]
    [InlineData("100.00", new[] { "1", "1", "1" }, new[] { "33.34", "33.33", "33.33" })]
    [InlineData("-100.00", new[] { "1", "1", "1" }, new[] { "-33.34", "-33.33", "-33.33" })]
    [InlineData("0.05", new[] { "0.3", "0.7" }, new[] { "0.02", "0.03" })]
    [InlineData("0.01", new[] { "1", "1" }, new[] { "0.01", "0.00" })]
    [InlineData("0.02", new[] { "1", "0", "1" }, new[] { "0.01", "0.00", "0.01" })]
    [InlineData("10.00", new[] { "0.85", "0.15" }, new[] { "8.50", "1.50" })]
    [InlineData("10.01", new[] { "0.85", "0.15" }, new[] { "8.51", "1.50" })]
    [InlineData("0.00", new[] { "1", "2" }, new[] { "0.00", "0.00" })]
    public void Allocation_gives_leftover_units_to_largest_remainders_then_lowest_index(string amount, string[] ratios, string[] expected)
    {
        var parts = Cny(amount).Allocate(ratios.Select(ratio => decimal.Parse(ratio, System.Globalization.CultureInfo.InvariantCulture)).ToArray());

        Assert.Equal(expected.Select(Cny), parts);
    }

    [Fact]
    public void Allocation_of_a_huge_amount_by_ratios_with_many_places_is_exact()
    {
        var amount = Cny("999999999999.99");
        var ratios = new[] { 0.3333333333333333333333333333m, 0.3333333333333333333333333333m, 0.3333333333333333333333333334m, 7.9m };

        var parts = amount.Allocate(ratios);

        Assert.Equal(amount, Money.Sum(parts, Yuan));
    }

    [Property(Arbitrary = [typeof(MoneyArbitraries)])]
    public void Allocation_preserves_the_total_and_each_part_is_within_one_minor_unit_of_its_exact_share(long minor, decimal[] ratios)
    {
        var amount = Money.FromMinorUnits(minor, Yuan);

        var parts = amount.Allocate(ratios);

        Assert.Equal(ratios.Length, parts.Count);
        Assert.Equal(amount, Money.Sum(parts, Yuan));
        var totalRatio = ratios.Sum();
        for (var index = 0; index < ratios.Length; index++)
        {
            var exact = amount.Amount * ratios[index] / totalRatio;
            Assert.True(Math.Abs(parts[index].Amount - exact) < 0.01m, $"part {index}: {parts[index]} vs exact {exact}");
            Assert.True(parts[index].IsWholeMinorUnits);
            if (ratios[index] == 0m)
            {
                Assert.True(parts[index].IsZero);
            }
        }

        Assert.Equal(parts, amount.Allocate(ratios));
    }

    [Property(Arbitrary = [typeof(MoneyArbitraries)])]
    public void A_split_differs_by_at_most_one_minor_unit_with_the_larger_parts_first(long minor, byte count)
    {
        var partCount = (count % 50) + 1;
        var amount = Money.FromMinorUnits(minor, Yuan);

        var parts = amount.Split(partCount).Select(part => part.ToMinorUnits()).ToArray();

        Assert.Equal(minor, parts.Sum());
        Assert.True(parts.Max() - parts.Min() <= 1);
        Assert.Equal(minor >= 0 ? parts.OrderByDescending(part => part) : parts.OrderBy(part => part), parts);
    }

    [Fact]
    public void Allocation_preconditions_are_bugs()
    {
        var amount = Cny("1.00");

        Assert.Throws<ArgumentException>(() => amount.Allocate([]));
        Assert.Throws<ArgumentException>(() => amount.Allocate([0m, 0m]));
        Assert.Throws<ArgumentException>(() => amount.Allocate([1m, -0.01m]));
        Assert.Throws<ArgumentException>(() => amount.Allocate(Enumerable.Repeat(1m, Money.MaxAllocationParts + 1).ToArray()));
        Assert.Equal(Money.MaxAllocationParts, amount.Allocate(Enumerable.Repeat(1m, Money.MaxAllocationParts).ToArray()).Count);
        Assert.Throws<InvalidOperationException>(() => new Money(1.005m, Yuan).Allocate([1m]));
        Assert.Throws<ArgumentOutOfRangeException>(() => amount.Split(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => amount.Split(Money.MaxAllocationParts + 1));
    }

    [Fact]
    public void Equality_ignores_trailing_zeros_and_ordering_stays_within_one_currency()
    {
        ValueContracts.AssertEqualityAndOrdering(Cny("1.5"), Cny("1.50"), Cny("1.51"));
        Assert.NotEqual(Cny("1.00"), Of("1.00", Currency.FromCode("USD")));
        Assert.Throws<InvalidOperationException>(() => Cny("1.00") < Of("2.00", Currency.FromCode("USD")));
    }

    [Fact]
    public void Sum_is_zero_for_nothing_and_refuses_to_mix_currencies()
    {
        Assert.Equal(Money.Zero(Yuan), Money.Sum([], Yuan));
        Assert.Equal(Cny("3.50"), Money.Sum([Cny("1.25"), Cny("2.25")], Yuan));
        Assert.Throws<InvalidOperationException>(() => Money.Sum([Cny("1.00"), Of("1.00", Currency.FromCode("USD"))], Yuan));
        Assert.Throws<InvalidOperationException>(() => Money.Sum([Of("1.00", Currency.FromCode("USD"))], Yuan));
    }

    private static Money Cny(string amount) => Of(amount, Currency.Cny);

    private static Money Of(string amount, Currency currency) =>
        new(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), currency);
}

/// <summary>Generators for money properties: amounts in minor units up to a trillion yuan, and allocation ratios.</summary>
public static class MoneyArbitraries
{
    private const long MaxMinor = 100_000_000_000_000;

    /// <summary>Amounts in minor units, biased toward small ones where rounding edges are dense.</summary>
    public static Arbitrary<long> MinorUnits() => Arb.From(Gen.OneOf(
        Gen.Choose(-1_000, 1_000).Select(value => (long)value),
        Gen.Choose(-1_000_000, 1_000_000).Select(value => (long)value),
        from high in Gen.Choose(-100_000, 100_000)
        from low in Gen.Choose(0, 999_999_999)
        select Math.Clamp((high * 1_000_000_000L) + low, -MaxMinor, MaxMinor)));

    /// <summary>Digits below the minor unit: 0 to 9 thousandths of a yuan, with the midpoint 5 often.</summary>
    public static Arbitrary<int> Thousandths() => Arb.From(Gen.Frequency((1, Gen.Constant(5)), (3, Gen.Choose(0, 9))));

    /// <summary>1 to 12 non-negative ratios with up to 4 places, at least one positive; zeros are frequent.</summary>
    public static Arbitrary<decimal[]> Ratios() => Arb.From(
        from count in Gen.Choose(1, 12)
        from raw in Gen.Frequency((1, Gen.Constant(0)), (4, Gen.Choose(1, 1_000_000))).ArrayOf(count)
        from places in Gen.Choose(0, 4)
        let ratios = raw.Select(value => value / (decimal)Math.Pow(10, places)).ToArray()
        where ratios.Any(ratio => ratio > 0m)
        select ratios);

    /// <summary>Part counts for splits.</summary>
    public static Arbitrary<byte> Counts() => Arb.From(Gen.Choose(0, 255).Select(value => (byte)value));
}
