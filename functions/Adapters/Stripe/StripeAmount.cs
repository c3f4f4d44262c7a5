using System.Globalization;
using ServiceLedger.Domain.Money;

namespace ServiceLedger.Functions.Adapters.Stripe;

/// <summary>
/// An amount as Stripe writes it: an integer count of the currency's minor units and a lower-case ISO code
/// (<c>150000</c> <c>eur</c> is EUR 1,500.00). Signed, because balance transactions carry negative amounts.
/// </summary>
/// <param name="AmountMinor">Minor units (cents, fen; whole yen for JPY).</param>
/// <param name="Currency">Lower-case ISO 4217 code, as Stripe sends and expects it.</param>
public readonly record struct StripeAmount(long AmountMinor, string Currency)
{
    /// <summary>
    /// Stripe's amount for <paramref name="money"/>. Throws when the amount has digits beyond the minor unit, and for a
    /// three-decimal currency (KWD, BHD) whose last digit is not 0, which Stripe refuses (shared/reference/stripe.md §1.7).
    /// </summary>
    public static StripeAmount FromMoney(Money money)
    {
        var minor = money.ToMinorUnits();
        if (money.Currency.MinorUnits == 3 && minor % 10 != 0)
        {
            throw new ArgumentException($"Stripe takes {money.Currency} amounts in multiples of 10 minor units; {money} is not one.", nameof(money));
        }

        return new StripeAmount(minor, money.Currency.Code.ToLowerInvariant());
    }

    /// <summary>The amount as domain money; false when the currency is one the product does not know.</summary>
    public bool TryToMoney(out Money money)
    {
        if (Domain.Money.Currency.TryFromCode(Currency?.ToUpperInvariant(), out var currency))
        {
            money = Money.FromMinorUnits(AmountMinor, currency);
            return true;
        }

        money = default;
        return false;
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{AmountMinor} {Currency}");
}
