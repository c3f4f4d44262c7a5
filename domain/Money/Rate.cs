using System.Globalization;
using ServiceLedger.Domain.Ledger;

namespace ServiceLedger.Domain.Money;

/// <summary>
/// A fraction from 0 to 1 inclusive with at most <see cref="MaxDecimalPlaces"/> decimal places: a commission rate, a
/// platform fee rate, a daily late-penalty rate. On the wire it is the fraction as a decimal string (<c>"0.035"</c> for
/// 3.5%), never a JSON float. Equality and ordering are numeric (<c>0.0350</c> equals <c>0.035</c>).
/// <c>default(Rate)</c> is <see cref="Zero"/>, a valid rate.
/// </summary>
public readonly record struct Rate : IComparable<Rate>, System.Numerics.IComparisonOperators<Rate, Rate, bool>
{
    /// <summary>Most decimal places of the fraction: 0.000001 (0.0001%) is the finest rate, enough for a daily penalty of 0.05%.</summary>
    public const int MaxDecimalPlaces = 6;

    /// <summary>Most decimal places of a percentage (the fraction's places less the two a percentage moves).</summary>
    public const int MaxPercentDecimalPlaces = MaxDecimalPlaces - 2;

    /// <summary>Longest rate text accepted; a longer one is refused before it is parsed.</summary>
    public const int MaxTextLength = 20;

    private const decimal PercentPerWhole = 100m;

    private Rate(decimal fraction) => Fraction = fraction;

    /// <summary>The fraction, from 0 to 1 inclusive, with at most <see cref="MaxDecimalPlaces"/> decimal places.</summary>
    public decimal Fraction { get; }

    /// <summary>The rate as a percentage, e.g. 3.5 for 0.035.</summary>
    public decimal Percent => Fraction * PercentPerWhole;

    /// <summary>0%.</summary>
    public static Rate Zero => default;

    /// <summary>100%.</summary>
    public static Rate One => new(1m);

    /// <summary>True when <paramref name="fraction"/> is a valid rate: 0 to 1 with at most <see cref="MaxDecimalPlaces"/> places.</summary>
    public static bool IsValidFraction(decimal fraction) =>
        fraction >= 0m && fraction <= 1m && HasAtMostPlaces(fraction, MaxDecimalPlaces);

    /// <summary>A rate from a fraction at a trusted call site (a constant, a test); an invalid fraction is a bug and throws.</summary>
    public static Rate Of(decimal fraction) =>
        IsValidFraction(fraction)
            ? new Rate(Normalize(fraction))
            : throw new ArgumentOutOfRangeException(
                nameof(fraction), fraction, $"A rate is a fraction from 0 to 1 with at most {MaxDecimalPlaces} decimal places.");

    /// <summary>A rate from a fraction received as input; refuses out-of-range values and excess places, naming <paramref name="field"/>.</summary>
    public static Validated<Rate> FromFraction(decimal fraction, string field)
    {
        if (fraction < 0m || fraction > 1m)
        {
            return Refuse(MoneyRule.RateOutOfRange, field, $"{Format(fraction)} is outside 0 to 1; give the rate as a fraction, e.g. 0.035 for 3.5%.");
        }

        return HasAtMostPlaces(fraction, MaxDecimalPlaces)
            ? Validated.Valid(new Rate(Normalize(fraction)))
            : Refuse(MoneyRule.RateHasTooManyDecimalPlaces, field, $"{Format(fraction)} has more than {MaxDecimalPlaces} decimal places; the finest rate is 0.000001.");
    }

    /// <summary>A rate from a percentage received as input (3.5 means 0.035); at most <see cref="MaxPercentDecimalPlaces"/> places.</summary>
    public static Validated<Rate> FromPercent(decimal percent, string field)
    {
        if (percent < 0m || percent > 100m)
        {
            return Refuse(MoneyRule.RateOutOfRange, field, $"{Format(percent)}% is outside 0% to 100%.");
        }

        return HasAtMostPlaces(percent, MaxPercentDecimalPlaces)
            ? Validated.Valid(new Rate(Normalize(percent / PercentPerWhole)))
            : Refuse(MoneyRule.RateHasTooManyDecimalPlaces, field, $"{Format(percent)}% has more than {MaxPercentDecimalPlaces} decimal places; the finest rate is 0.0001%.");
    }

    /// <summary>Parses the wire form, a fraction such as <c>"0.035"</c>: digits with an optional point, no sign, exponent or spaces.</summary>
    public static Validated<Rate> Parse(string? text, string field) =>
        DecimalText.TryParse(text, MaxTextLength, out var fraction)
            ? RefuseMinusSign(text!, field) ?? FromFraction(fraction, field)
            : Refuse(MoneyRule.RateMustBeDecimalText, field, $"{LedgerText.Quote(text)} is not a rate: give a fraction as a decimal string, e.g. \"0.035\" for 3.5%.");

    /// <summary>Parses a percentage such as <c>"3.5"</c> or <c>"3.5%"</c> into the rate 0.035.</summary>
    public static Validated<Rate> ParsePercent(string? text, string field)
    {
        var number = text is not null && text.EndsWith('%') ? text[..^1] : text;
        return DecimalText.TryParse(number, MaxTextLength, out var percent)
            ? RefuseMinusSign(number!, field) ?? FromPercent(percent, field)
            : Refuse(MoneyRule.RateMustBeDecimalText, field, $"{LedgerText.Quote(text)} is not a percentage: give a decimal number, e.g. \"3.5\" or \"3.5%\".");
    }

    /// <summary>
    /// Compares this rate with the ratio <paramref name="numerator"/> / <paramref name="denominator"/> exactly, without
    /// rounding the ratio (e.g. conversions / inquiries against a tier edge): negative when the rate is below the ratio, zero
    /// when equal, positive when above. Both must be non-negative and the denominator positive (a bug otherwise).
    /// </summary>
    public int CompareToRatio(long numerator, long denominator)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(numerator);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(denominator);

        // Fraction has at most 6 places and 0 <= Fraction <= 1, so Fraction * denominator is exact in decimal for any long.
        return (Fraction * denominator).CompareTo(numerator);
    }

    /// <summary>Orders by the fraction.</summary>
    public int CompareTo(Rate other) => Fraction.CompareTo(other.Fraction);

    /// <summary>Orders by the fraction.</summary>
    public static bool operator <(Rate left, Rate right) => left.CompareTo(right) < 0;

    /// <summary>Orders by the fraction.</summary>
    public static bool operator >(Rate left, Rate right) => left.CompareTo(right) > 0;

    /// <summary>Orders by the fraction.</summary>
    public static bool operator <=(Rate left, Rate right) => left.CompareTo(right) <= 0;

    /// <summary>Orders by the fraction.</summary>
    public static bool operator >=(Rate left, Rate right) => left.CompareTo(right) >= 0;

    /// <summary>The wire form: the fraction without trailing zeros, e.g. <c>"0.035"</c>, <c>"0"</c>, <c>"1"</c>.</summary>
    public override string ToString() => Format(Fraction);

    /// <summary>The percentage without trailing zeros, e.g. <c>"3.5%"</c>.</summary>
    public string ToPercentString() => Format(Percent) + "%";

    private static Validated<Rate> Refuse(string code, string field, string message) =>
        Validated.Refused<Rate>(new Refusal(code, field, message));

    // "-0" parses to zero; a minus sign on a rate is refused as out of range whatever the digits, so the text has one meaning.
    private static Validated<Rate>? RefuseMinusSign(string text, string field) =>
        text.StartsWith('-') ? Refuse(MoneyRule.RateOutOfRange, field, $"{LedgerText.Quote(text)} is negative; a rate is from 0 to 1.") : null;

    private static bool HasAtMostPlaces(decimal value, int places) =>
        decimal.Round(value, places, MidpointRounding.AwayFromZero) == value;

    // Strips trailing zeros so that the stored scale (and so the wire form and the hash of anything that embeds it) does
    // not depend on how the input was written.
    private static decimal Normalize(decimal value) => decimal.Parse(Format(value), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);

    private static string Format(decimal value) => value.ToString("0.############################", CultureInfo.InvariantCulture);
}
