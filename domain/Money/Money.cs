using System.Globalization;

namespace ServiceLedger.Domain.Money;

/// <summary>
/// An amount in a currency. The amount may carry more decimals than the currency's minor unit while a line is being
/// computed; <see cref="RoundToMinorUnit"/> rounds it once, half away from zero. Equality is by currency and numeric
/// amount (1.50 CNY equals 1.5 CNY). Ordering is only defined within one currency. <c>default(Money)</c> has no currency
/// and is refused by arithmetic.
/// </summary>
public readonly record struct Money : IComparable<Money>
{
    /// <summary>Creates an amount in a currency; the currency must be a real one.</summary>
    public Money(decimal amount, Currency currency)
    {
        if (currency.IsDefault)
        {
            throw new ArgumentException("Money needs a currency; default(Currency) names none.", nameof(currency));
        }

        Amount = amount;
        Currency = currency;
    }

    /// <summary>The amount in major units (yuan, not fen).</summary>
    public decimal Amount { get; }

    /// <summary>The currency of the amount.</summary>
    public Currency Currency { get; }

    /// <summary>Zero in the given currency.</summary>
    public static Money Zero(Currency currency) => new(0m, currency);

    /// <summary>An amount from an integer count of minor units (e.g. fen for CNY).</summary>
    public static Money FromMinorUnits(long amountMinor, Currency currency) =>
        new(amountMinor * currency.MinorUnit, currency);

    /// <summary>True when the amount is exactly zero.</summary>
    public bool IsZero => Amount == 0m;

    /// <summary>True when the amount is below zero.</summary>
    public bool IsNegative => Amount < 0m;

    /// <summary>True when the amount has no digits beyond the currency's minor unit.</summary>
    public bool IsWholeMinorUnits => decimal.Round(Amount, Currency.MinorUnits, MidpointRounding.AwayFromZero) == Amount;

    /// <summary>The amount as an integer count of minor units; throws if it is not a whole number of them.</summary>
    public long ToMinorUnits()
    {
        if (!IsWholeMinorUnits)
        {
            throw new InvalidOperationException($"{this} has digits beyond the minor unit of {Currency}; round it first.");
        }

        return decimal.ToInt64(Amount / Currency.MinorUnit);
    }

    /// <summary>Rounds to the currency's minor unit, half away from zero (DESIGN.md section 3).</summary>
    public Money RoundToMinorUnit() =>
        new(decimal.Round(Amount, Currency.MinorUnits, MidpointRounding.AwayFromZero), Currency);

    /// <summary>Adds two amounts of the same currency; mixing currencies is a bug and throws.</summary>
    public static Money operator +(Money left, Money right)
    {
        EnsureSameCurrency(left, right);
        return new Money(left.Amount + right.Amount, left.Currency);
    }

    /// <summary>Subtracts two amounts of the same currency; mixing currencies is a bug and throws.</summary>
    public static Money operator -(Money left, Money right)
    {
        EnsureSameCurrency(left, right);
        return new Money(left.Amount - right.Amount, left.Currency);
    }

    /// <summary>The same amount with the opposite sign.</summary>
    public static Money operator -(Money value) => new(-value.Amount, value.Currency);

    /// <summary>Scales an amount, e.g. sales by a commission rate; the result is not rounded.</summary>
    public static Money operator *(Money value, decimal factor) => new(value.Amount * factor, value.Currency);

    /// <summary>Compares amounts of the same currency.</summary>
    public static bool operator <(Money left, Money right) => left.CompareTo(right) < 0;

    /// <summary>Compares amounts of the same currency.</summary>
    public static bool operator >(Money left, Money right) => left.CompareTo(right) > 0;

    /// <summary>Compares amounts of the same currency.</summary>
    public static bool operator <=(Money left, Money right) => left.CompareTo(right) <= 0;

    /// <summary>Compares amounts of the same currency.</summary>
    public static bool operator >=(Money left, Money right) => left.CompareTo(right) >= 0;

    /// <summary>Orders amounts of one currency; comparing different currencies is a bug and throws.</summary>
    public int CompareTo(Money other)
    {
        EnsureSameCurrency(this, other);
        return Amount.CompareTo(other.Amount);
    }

    /// <summary>Equal when currency and numeric amount are equal (trailing zeros do not matter).</summary>
    public bool Equals(Money other) => Currency == other.Currency && Amount == other.Amount;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Currency, Amount);

    /// <summary>The amount with exactly the currency's minor-unit digits when it has no more, e.g. "27068.52".</summary>
    public string FormatAmount() =>
        IsWholeMinorUnits
            ? Amount.ToString("F" + Currency.MinorUnits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)
            : Amount.ToString(CultureInfo.InvariantCulture);

    /// <summary>For example "27068.52 CNY".</summary>
    public override string ToString() => $"{FormatAmount()} {Currency}";

    private static void EnsureSameCurrency(Money left, Money right)
    {
        if (left.Currency != right.Currency)
        {
            throw new InvalidOperationException($"Cannot combine {left.Currency} and {right.Currency}: amounts of different currencies never mix.");
        }
    }
}
