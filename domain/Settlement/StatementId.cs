using System.Globalization;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;

namespace ServiceLedger.Domain.Settlement;

/// <summary>
/// A statement's id, derived from its content key so that re-settling the same contract, period and version names the same
/// statement: <c>stm_{contract id without ctr_}_{period}_v{n}</c>, e.g. <c>stm_8f2k3m9q1w4e_2027-03_v1</c>. Fits a Table key
/// and a ledger source reference. Equality and ordering are ordinal on the text; <c>default(StatementId)</c> names none.
/// </summary>
public readonly record struct StatementId : IComparable<StatementId>
{
    /// <summary>The type prefix every statement id starts with.</summary>
    public const string Prefix = "stm_";

    private StatementId(string value) => Value = value;

    /// <summary>The id text, prefix included.</summary>
    public string Value { get; }

    /// <summary>True for <c>default(StatementId)</c>.</summary>
    public bool IsDefault => Value is null;

    /// <summary>The id of version <paramref name="version"/> (1 or more) of a contract's statement for a period.</summary>
    public static StatementId For(ContractId contract, SettlementPeriod period, int version)
    {
        if (contract.IsDefault || period.IsDefault)
        {
            throw new ArgumentException("A statement id needs a contract and a period.", nameof(contract));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        return new StatementId(string.Create(
            CultureInfo.InvariantCulture,
            $"{Prefix}{contract.Value[ContractId.Prefix.Length..]}_{period}_v{version}"));
    }

    /// <summary>Equal when the texts are equal (ordinal).</summary>
    public bool Equals(StatementId other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() => Value is null ? 0 : StringComparer.Ordinal.GetHashCode(Value);

    /// <summary>Orders by text, ordinal.</summary>
    public int CompareTo(StatementId other) => string.CompareOrdinal(Value, other.Value);

    /// <summary>Orders by text, ordinal.</summary>
    public static bool operator <(StatementId left, StatementId right) => left.CompareTo(right) < 0;

    /// <summary>Orders by text, ordinal.</summary>
    public static bool operator >(StatementId left, StatementId right) => left.CompareTo(right) > 0;

    /// <summary>Orders by text, ordinal.</summary>
    public static bool operator <=(StatementId left, StatementId right) => left.CompareTo(right) <= 0;

    /// <summary>Orders by text, ordinal.</summary>
    public static bool operator >=(StatementId left, StatementId right) => left.CompareTo(right) >= 0;

    /// <summary>The id text.</summary>
    public override string ToString() => Value ?? "(no statement)";
}
