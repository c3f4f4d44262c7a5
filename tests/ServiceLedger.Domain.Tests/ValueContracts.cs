using System.Numerics;

namespace ServiceLedger.Domain.Tests;

/// <summary>
/// Checks the equality and ordering contract of a value type once, the way NodaTime's TestHelper does: Equals, ==, !=,
/// GetHashCode, CompareTo and the four comparison operators must all agree.
/// </summary>
internal static class ValueContracts
{
    /// <summary>
    /// <paramref name="value"/> and <paramref name="equalValue"/> are equal (built separately); <paramref name="greaterValue"/>
    /// orders after both.
    /// </summary>
    public static void AssertEqualityAndOrdering<T>(T value, T equalValue, T greaterValue)
        where T : struct, IComparable<T>, IEquatable<T>, IComparisonOperators<T, T, bool>
    {
        Assert.True(value.Equals(equalValue));
        Assert.True(value.Equals((object)equalValue));
        Assert.True(value == equalValue);
        Assert.False(value != equalValue);
        Assert.Equal(value.GetHashCode(), equalValue.GetHashCode());
        Assert.Equal(0, value.CompareTo(equalValue));
        Assert.True(value <= equalValue && value >= equalValue);
        Assert.False(value < equalValue || value > equalValue);

        Assert.False(value.Equals(greaterValue));
        Assert.False(value.Equals((object)greaterValue));
        Assert.True(value != greaterValue);
        Assert.True(value.CompareTo(greaterValue) < 0);
        Assert.True(greaterValue.CompareTo(value) > 0);
        Assert.True(value < greaterValue && value <= greaterValue);
        Assert.True(greaterValue > value && greaterValue >= value);
        Assert.False(value > greaterValue || value >= greaterValue);
    }
}
