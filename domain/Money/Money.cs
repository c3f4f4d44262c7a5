using System.Globalization;
using System.Numerics;
using ServiceLedger.Domain.Ledger;

namespace ServiceLedger.Domain.Money;

/// <summary>
/// An amount in a currency. The amount may carry more decimals than the currency's minor unit while a line is being
/// computed; <see cref="RoundToMinorUnit"/> rounds it once, half away from zero. Equality is by currency and numeric
/// amount (1.50 CNY equals 1.5 CNY). Ordering is only defined within one currency. <c>default(Money)</c> has no currency
/// and is refused by arithmetic.
/// </summary>
public readonly record struct Money : IComparable<Money>, IComparisonOperators<Money, Money, bool>
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

    /// <summary>
    /// Reads the wire form <c>{ "amount": "27068.52", "currency": "CNY" }</c>: the amount is digits with an optional point and
    /// an optional leading minus (no plus, exponent, spaces or separators), with at most the currency's minor-unit digits and
    /// a magnitude up to <see cref="MaxAmount"/>. Refusals name <paramref name="field"/><c>.amount</c> or
    /// <paramref name="field"/><c>.currency</c>; whether zero or negative amounts make sense is the caller's rule.
    /// </summary>
    public static Validated<Money> Parse(string? amount, string? currency, string field)
    {
        var refusals = new List<Refusal>();
        if (!Currency.TryFromCode(currency, out var parsedCurrency))
        {
            refusals.Add(new Refusal(
                MoneyRule.CurrencyUnknown,
                field + ".currency",
                $"{LedgerText.Quote(currency)} is not a supported currency: expected an ISO 4217 code such as 'CNY' "
                + $"(one of {string.Join(", ", Currency.All.Select(known => known.Code))})."));
        }

        if (!DecimalText.TryParse(amount, MaxAmountTextLength, out var parsedAmount))
        {
            refusals.Add(new Refusal(
                MoneyRule.AmountMustBeDecimalText,
                field + ".amount",
                $"{LedgerText.Quote(amount)} is not an amount: give a decimal string such as \"27068.52\" (no exponent, spaces or separators)."));
        }
        else if (Math.Abs(parsedAmount) > MaxAmount)
        {
            refusals.Add(new Refusal(
                MoneyRule.AmountTooLarge,
                field + ".amount",
                $"{amount} is larger than {MaxAmount.ToString("N0", CultureInfo.InvariantCulture)}, the largest amount accepted."));
        }
        else if (refusals.Count == 0 && decimal.Round(parsedAmount, parsedCurrency.MinorUnits, MidpointRounding.AwayFromZero) != parsedAmount)
        {
            refusals.Add(new Refusal(
                MoneyRule.AmountHasDigitsBeyondMinorUnit,
                field + ".amount",
                $"{amount} has more decimals than {parsedCurrency} has minor units ({parsedCurrency.MinorUnits})."));
        }

        return refusals.Count > 0 ? Validated.Refused<Money>(refusals) : Validated.Valid(new Money(parsedAmount, parsedCurrency));
    }

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

    /// <summary>
    /// Largest magnitude of an amount read from input, in major units (one trillion, the ledger's largest posting): sums of
    /// a bounded number of such amounts stay far inside decimal's range.
    /// </summary>
    public const decimal MaxAmount = 1_000_000_000_000m;

    /// <summary>Longest amount text accepted on the wire; a longer one is refused before it is parsed.</summary>
    public const int MaxAmountTextLength = 32;

    /// <summary>Most parts one allocation or split may produce; more is a bug in the caller, not a business case.</summary>
    public const int MaxAllocationParts = 1_000;

    /// <summary>This amount times a rate, rounded once to the minor unit, half away from zero (e.g. commission on sales).</summary>
    public Money MultiplyBy(Rate rate) => new Money(Amount * rate.Fraction, Currency).RoundToMinorUnit();

    /// <summary>
    /// Splits this amount into parts proportional to <paramref name="ratios"/> (non-negative, at least one positive), by the
    /// largest-remainder method: each part is the exact share truncated to the minor unit, and the minor units left over go one
    /// each to the parts with the largest truncated remainders, ties going to the lower index. The parts add up to this
    /// amount exactly, each is within one minor unit of its exact share, a zero ratio gets zero, and the same input always
    /// gives the same parts. A negative amount is split as its magnitude, every part negative. The amount must be whole
    /// minor units (round first); breaking a precondition is a bug and throws.
    /// </summary>
    public IReadOnlyList<Money> Allocate(IReadOnlyList<decimal> ratios)
    {
        ArgumentNullException.ThrowIfNull(ratios);
        if (ratios.Count is 0 or > MaxAllocationParts)
        {
            throw new ArgumentException($"Allocate needs 1 to {MaxAllocationParts} ratios, not {ratios.Count}.", nameof(ratios));
        }

        if (ratios.Any(ratio => ratio < 0m) || ratios.All(ratio => ratio == 0m))
        {
            throw new ArgumentException("Allocation ratios must be non-negative with at least one positive.", nameof(ratios));
        }

        var totalMinor = ToMinorUnits();
        var magnitude = BigInteger.Abs(totalMinor);

        // Ratios become integers on one common scale so that every share is computed exactly: a decimal product of a large
        // amount and a ratio with many places would round, and rounding here could create or lose a minor unit.
        var scale = ratios.Max(ratio => ratio.Scale);
        var weights = ratios.Select(ratio => Unscaled(ratio) * BigInteger.Pow(10, scale - ratio.Scale)).ToArray();
        var totalWeight = weights.Aggregate(BigInteger.Zero, (sum, weight) => sum + weight);

        var shares = new BigInteger[weights.Length];
        var remainders = new BigInteger[weights.Length];
        var allocated = BigInteger.Zero;
        for (var index = 0; index < weights.Length; index++)
        {
            shares[index] = BigInteger.DivRem(magnitude * weights[index], totalWeight, out remainders[index]);
            allocated += shares[index];
        }

        // The remainders sum to (magnitude - allocated) * totalWeight and each is below totalWeight, so fewer minor units are
        // left than there are parts with a non-zero remainder: the loop below never runs out of parts.
        var leftover = (int)(magnitude - allocated);
        var byRemainder = Enumerable.Range(0, weights.Length)
            .OrderByDescending(index => remainders[index])
            .ThenBy(index => index)
            .Take(leftover);
        foreach (var index in byRemainder)
        {
            shares[index] += 1;
        }

        var sign = totalMinor < 0 ? -1 : 1;
        var currency = Currency;
        return shares.Select(share => FromMinorUnits(sign * (long)share, currency)).ToArray();
    }

    /// <summary>Splits this amount into <paramref name="parts"/> near-equal parts (earlier parts get any extra minor unit); see <see cref="Allocate"/>.</summary>
    public IReadOnlyList<Money> Split(int parts)
    {
        if (parts is < 1 or > MaxAllocationParts)
        {
            throw new ArgumentOutOfRangeException(nameof(parts), parts, $"Split needs 1 to {MaxAllocationParts} parts.");
        }

        return Allocate(Enumerable.Repeat(1m, parts).ToArray());
    }

    /// <summary>The sum of amounts, all in <paramref name="currency"/>; zero when there are none. Mixing currencies is a bug and throws.</summary>
    public static Money Sum(IEnumerable<Money> amounts, Currency currency)
    {
        ArgumentNullException.ThrowIfNull(amounts);
        var sum = Zero(currency);
        foreach (var amount in amounts)
        {
            sum += amount;
        }

        return sum;
    }

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

    private static BigInteger Unscaled(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        return new BigInteger((uint)bits[0]) | (new BigInteger((uint)bits[1]) << 32) | (new BigInteger((uint)bits[2]) << 64);
    }

    private static void EnsureSameCurrency(Money left, Money right)
    {
        if (left.Currency != right.Currency)
        {
            throw new InvalidOperationException($"Cannot combine {left.Currency} and {right.Currency}: amounts of different currencies never mix.");
        }
    }
}
