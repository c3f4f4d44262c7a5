namespace ServiceLedger.Domain.Money;

/// <summary>
/// Refusal codes of money values (amounts, rates) parsed from requests and contract terms. Clients may switch on them; a code
/// is never renamed or reused for another rule.
/// </summary>
public static class MoneyRule
{
    /// <summary>An amount is not a plain decimal string such as <c>"27068.52"</c> (or <c>"-5.00"</c> where negatives are allowed).</summary>
    public const string AmountMustBeDecimalText = nameof(AmountMustBeDecimalText);

    /// <summary>An amount has digits beyond its currency's minor unit (e.g. 1.005 CNY).</summary>
    public const string AmountHasDigitsBeyondMinorUnit = nameof(AmountHasDigitsBeyondMinorUnit);

    /// <summary>An amount's magnitude exceeds <see cref="Money.MaxAmount"/>.</summary>
    public const string AmountTooLarge = nameof(AmountTooLarge);

    /// <summary>A currency code is not one of the ISO 4217 currencies the product supports (<see cref="Currency.All"/>).</summary>
    public const string CurrencyUnknown = nameof(CurrencyUnknown);

    /// <summary>A rate is not a plain decimal number such as <c>0.035</c> (or <c>3.5</c> for a percentage).</summary>
    public const string RateMustBeDecimalText = nameof(RateMustBeDecimalText);

    /// <summary>A rate lies outside 0 to 1 (0% to 100%).</summary>
    public const string RateOutOfRange = nameof(RateOutOfRange);

    /// <summary>A rate has more than <see cref="Rate.MaxDecimalPlaces"/> decimal places as a fraction.</summary>
    public const string RateHasTooManyDecimalPlaces = nameof(RateHasTooManyDecimalPlaces);
}
