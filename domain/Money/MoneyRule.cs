namespace ServiceLedger.Domain.Money;

/// <summary>
/// Refusal codes of money values (amounts, rates) parsed from requests and contract terms. Clients may switch on them; a code
/// is never renamed or reused for another rule.
/// </summary>
public static class MoneyRule
{
    /// <summary>A rate is not a plain decimal number such as <c>0.035</c> (or <c>3.5</c> for a percentage).</summary>
    public const string RateMustBeDecimalText = nameof(RateMustBeDecimalText);

    /// <summary>A rate lies outside 0 to 1 (0% to 100%).</summary>
    public const string RateOutOfRange = nameof(RateOutOfRange);

    /// <summary>A rate has more than <see cref="Rate.MaxDecimalPlaces"/> decimal places as a fraction.</summary>
    public const string RateHasTooManyDecimalPlaces = nameof(RateHasTooManyDecimalPlaces);
}
