using System.Collections.Frozen;

namespace ServiceLedger.Domain.Money;

/// <summary>
/// An ISO 4217 currency with its number of minor units (CNY 2, JPY 0, KWD 3).
/// Equality is by code. <c>default(Currency)</c> has no code and is refused by every operation.
/// </summary>
public readonly record struct Currency
{
    // ISO 4217 minor units for the currencies the product may bill in. Adding one is a deliberate act:
    // an unknown code is refused rather than guessed at, since a wrong exponent mis-states every amount.
    private static readonly FrozenDictionary<string, int> MinorUnitsByCode = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["AUD"] = 2, ["CAD"] = 2, ["CHF"] = 2, ["CNY"] = 2, ["EUR"] = 2, ["GBP"] = 2, ["HKD"] = 2,
        ["JPY"] = 0, ["KRW"] = 0, ["KWD"] = 3, ["BHD"] = 3, ["MOP"] = 2, ["MYR"] = 2, ["NZD"] = 2,
        ["SGD"] = 2, ["THB"] = 2, ["TWD"] = 2, ["USD"] = 2, ["VND"] = 0, ["IDR"] = 2, ["PHP"] = 2,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private Currency(string code, int minorUnits)
    {
        Code = code;
        MinorUnits = minorUnits;
    }

    /// <summary>The three upper-case letters of ISO 4217, e.g. <c>CNY</c>.</summary>
    public string Code { get; }

    /// <summary>Digits after the decimal point in the smallest unit (2 for CNY, 0 for JPY).</summary>
    public int MinorUnits { get; }

    /// <summary>Chinese yuan renminbi, the default billing currency.</summary>
    public static Currency Cny => FromCode("CNY");

    /// <summary>Every currency the product knows, ordered by code.</summary>
    public static IReadOnlyList<Currency> All { get; } =
        MinorUnitsByCode.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => new Currency(pair.Key, pair.Value)).ToArray();

    /// <summary>Looks a currency up by its ISO 4217 code; false for an unknown or malformed code.</summary>
    public static bool TryFromCode(string? code, out Currency currency)
    {
        if (code is not null && MinorUnitsByCode.TryGetValue(code, out var minorUnits))
        {
            currency = new Currency(code, minorUnits);
            return true;
        }

        currency = default;
        return false;
    }

    /// <summary>Looks a currency up by its ISO 4217 code; throws for an unknown code (a bug at a trusted call site).</summary>
    public static Currency FromCode(string code) =>
        TryFromCode(code, out var currency)
            ? currency
            : throw new ArgumentException($"'{code}' is not an ISO 4217 currency this product supports.", nameof(code));

    /// <summary>The smallest representable amount, e.g. 0.01 for CNY.</summary>
    public decimal MinorUnit => MinorUnits switch
    {
        0 => 1m,
        2 => 0.01m,
        3 => 0.001m,
        _ => throw new InvalidOperationException($"Currency '{Code}' has an unsupported minor-unit count {MinorUnits}."),
    };

    /// <summary>True for <c>default(Currency)</c>, which names no currency.</summary>
    public bool IsDefault => Code is null;

    /// <summary>The ISO code.</summary>
    public override string ToString() => Code ?? "(no currency)";
}
