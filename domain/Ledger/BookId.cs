namespace ServiceLedger.Domain.Ledger;

/// <summary>
/// A book: one stream of journal entries with its own gap-free sequence and hash chain, stored as one Table partition.
/// Written <c>contract:{contractId}</c> (one book per contract) or <c>platform:{name}</c> (platform books such as
/// <c>platform:stripe</c> for payouts). Equality and ordering are ordinal on the text; <c>default(BookId)</c> names no book.
/// </summary>
public readonly record struct BookId : IComparable<BookId>
{
    /// <summary>Id prefix of a contract (<c>ctr_…</c>).</summary>
    public const string ContractIdPrefix = "ctr_";

    private const int MaxPlatformNameLength = 32;

    private BookId(string value, string? contractId)
    {
        Value = value;
        ContractId = contractId;
    }

    /// <summary>The book id text; also the Table PartitionKey of the book.</summary>
    public string Value { get; }

    /// <summary>The contract id of a contract book; null for a platform book.</summary>
    public string? ContractId { get; }

    /// <summary>True for <c>default(BookId)</c>.</summary>
    public bool IsDefault => Value is null;

    /// <summary><c>platform:stripe</c>: Stripe balance movements that belong to no single contract (payouts, payout failures).</summary>
    public static BookId PlatformStripe => ForPlatform("stripe");

    /// <summary><c>platform:general</c>: finance's own adjustments that belong to no contract.</summary>
    public static BookId PlatformGeneral => ForPlatform("general");

    /// <summary>The book of one contract; an invalid contract id (not <c>ctr_…</c>) is a bug and throws.</summary>
    public static BookId ForContract(string contractId)
    {
        if (!LedgerText.IsPartyId(contractId, ContractIdPrefix))
        {
            throw new ArgumentException(
                $"{LedgerText.Quote(contractId)} is not a contract id: expected '{ContractIdPrefix}' then 1 to "
                + $"{LedgerLimits.MaxPartyIdLength - ContractIdPrefix.Length} of [A-Za-z0-9_-].",
                nameof(contractId));
        }

        return new BookId($"contract:{contractId}", contractId);
    }

    /// <summary>A platform book; the name is 1 to 32 of <c>[a-z0-9-]</c>, starting with a letter (a bug otherwise).</summary>
    public static BookId ForPlatform(string name)
    {
        if (!LedgerText.IsName(name, MaxPlatformNameLength))
        {
            throw new ArgumentException(
                $"{LedgerText.Quote(name)} is not a platform book name: expected 1 to {MaxPlatformNameLength} of [a-z0-9-], starting with a letter.",
                nameof(name));
        }

        return new BookId($"platform:{name}", null);
    }

    /// <summary>Parses a book id; false when it is neither <c>contract:ctr_…</c> nor <c>platform:{name}</c>.</summary>
    public static bool TryParse(string? text, out BookId bookId)
    {
        bookId = default;
        if (string.IsNullOrEmpty(text) || text.Length > LedgerLimits.MaxBookIdLength)
        {
            return false;
        }

        switch (text.Split(':'))
        {
            case ["contract", var contractId] when LedgerText.IsPartyId(contractId, ContractIdPrefix):
                bookId = ForContract(contractId);
                return true;
            case ["platform", var name] when LedgerText.IsName(name, MaxPlatformNameLength):
                bookId = ForPlatform(name);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Parses a book id from a request; refuses with <see cref="LedgerRule.BookIdInvalid"/> naming the field.</summary>
    public static Validated<BookId> Parse(string? text, string field) =>
        TryParse(text, out var bookId)
            ? Validated.Valid(bookId)
            : Validated.Refused<BookId>(new Refusal(
                LedgerRule.BookIdInvalid,
                field,
                $"{LedgerText.Quote(text)} is not a book: expected 'contract:ctr_…' or 'platform:{{name}}' (e.g. 'platform:stripe')."));

    /// <summary>Equal when the texts are equal (ordinal).</summary>
    public bool Equals(BookId other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() => Value is null ? 0 : StringComparer.Ordinal.GetHashCode(Value);

    /// <summary>Orders by text, ordinal.</summary>
    public int CompareTo(BookId other) => string.CompareOrdinal(Value, other.Value);

    /// <summary>Orders by text, ordinal.</summary>
    public static bool operator <(BookId left, BookId right) => left.CompareTo(right) < 0;

    /// <summary>Orders by text, ordinal.</summary>
    public static bool operator >(BookId left, BookId right) => left.CompareTo(right) > 0;

    /// <summary>Orders by text, ordinal.</summary>
    public static bool operator <=(BookId left, BookId right) => left.CompareTo(right) <= 0;

    /// <summary>Orders by text, ordinal.</summary>
    public static bool operator >=(BookId left, BookId right) => left.CompareTo(right) >= 0;

    /// <summary>The book id text.</summary>
    public override string ToString() => Value ?? "(no book)";
}
