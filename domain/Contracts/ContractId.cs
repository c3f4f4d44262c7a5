namespace ServiceLedger.Domain.Contracts;

using ServiceLedger.Domain.Ledger;
using ServiceLedger.Domain.Parties;


/// <summary>
/// A contract's id: <c>ctr_</c> then 12 to 26 of <c>[a-z0-9]</c>, the same shape as party ids, so it fits a Table key, a URL
/// segment and a ledger book id (<c>contract:{id}</c>) without escaping. Equality and ordering are ordinal on the text;
/// <c>default(ContractId)</c> names no contract (<see cref="IsDefault"/>).
/// </summary>
public readonly record struct ContractId : IComparable<ContractId>
{
    /// <summary>The type prefix every contract id starts with (the ledger's <see cref="BookId.ContractIdPrefix"/>).</summary>
    public const string Prefix = BookId.ContractIdPrefix;

    private ContractId(string value) => Value = value;

    /// <summary>The id text, prefix included.</summary>
    public string Value { get; }

    /// <summary>True for <c>default(ContractId)</c>.</summary>
    public bool IsDefault => Value is null;

    /// <summary>The id derived from a seed the caller supplies (a random token, or an idempotency key): same seed, same id.</summary>
    public static ContractId Derive(string seed) => new(PartyIdText.Derive(Prefix, seed));

    /// <summary>Parses an id; false when the text is not <c>ctr_</c> then 12 to 26 of <c>[a-z0-9]</c>.</summary>
    public static bool TryParse(string? text, out ContractId contractId)
    {
        contractId = PartyIdText.IsValid(text, Prefix) ? new ContractId(text!) : default;
        return !contractId.IsDefault;
    }

    /// <summary>Parses an id from a request; refuses with <see cref="ContractRule.ContractIdInvalid"/> naming the field.</summary>
    public static Validated<ContractId> Parse(string? text, string field) =>
        TryParse(text, out var contractId)
            ? Validated.Valid(contractId)
            : Validated.Refused<ContractId>(PartyIdText.Refusal(ContractRule.ContractIdInvalid, "contract", Prefix, text, field));

    /// <summary>The contract's ledger book.</summary>
    public BookId Book => BookId.ForContract(Value);

    /// <summary>Equal when the texts are equal (ordinal).</summary>
    public bool Equals(ContractId other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() => Value is null ? 0 : StringComparer.Ordinal.GetHashCode(Value);

    /// <summary>Orders by text, ordinal.</summary>
    public int CompareTo(ContractId other) => string.CompareOrdinal(Value, other.Value);

    /// <summary>Orders by text, ordinal.</summary>
    public static bool operator <(ContractId left, ContractId right) => left.CompareTo(right) < 0;

    /// <summary>Orders by text, ordinal.</summary>
    public static bool operator >(ContractId left, ContractId right) => left.CompareTo(right) > 0;

    /// <summary>Orders by text, ordinal.</summary>
    public static bool operator <=(ContractId left, ContractId right) => left.CompareTo(right) <= 0;

    /// <summary>Orders by text, ordinal.</summary>
    public static bool operator >=(ContractId left, ContractId right) => left.CompareTo(right) >= 0;

    /// <summary>The id text.</summary>
    public override string ToString() => Value ?? "(no contract)";
}
