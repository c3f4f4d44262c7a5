using System.Globalization;

namespace ServiceLedger.Domain.Money;

/// <summary>The one way a decimal number is written on the wire: digits with an optional point and an optional leading minus.</summary>
internal static class DecimalText
{
    /// <summary>
    /// Parses <c>-?digits(.digits)?</c> of at most <paramref name="maxLength"/> characters. decimal.TryParse alone would also
    /// accept "1,000", " 1", "+1" or "1e3". The minus is let through so that callers can refuse a negative value as out of
    /// range, which tells the sender more than "not a number".
    /// </summary>
    internal static bool TryParse(string? text, int maxLength, out decimal value)
    {
        value = 0m;
        if (string.IsNullOrEmpty(text) || text.Length > maxLength)
        {
            return false;
        }

        var unsigned = text[0] == '-' ? text[1..] : text;
        var parts = unsigned.Split('.');
        return parts.Length <= 2
            && parts.All(part => part.Length > 0 && part.All(char.IsAsciiDigit))
            && decimal.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }
}
