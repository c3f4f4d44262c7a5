using System.Globalization;

namespace ServiceLedger.Domain.Ledger;

/// <summary>
/// The key that makes a write exactly-once, derived from its cause: <c>stripe:{eventId}</c>,
/// <c>statement:{contractId}:{period}:v{n}</c>, <c>dispute:{disputeId}:resolution</c>, <c>payment:{statementId}:{requestId}</c>,
/// <c>reversal:{sequence}</c>.
/// Unique within a book: the store keeps it as RowKey <c>idem:{key}</c> in the book's partition. 1 to
/// <see cref="LedgerLimits.MaxIdempotencyKeyLength"/> of <c>[A-Za-z0-9_-:.]</c>. Equality is ordinal;
/// <c>default(IdempotencyKey)</c> names no key.
/// </summary>
public readonly record struct IdempotencyKey
{
    private IdempotencyKey(string value) => Value = value;

    /// <summary>The key text.</summary>
    public string Value { get; }

    /// <summary>True for <c>default(IdempotencyKey)</c>.</summary>
    public bool IsDefault => Value is null;

    /// <summary>The RowKey of the idempotency marker entity in the book's partition: <c>idem:{key}</c>.</summary>
    public string MarkerRowKey => LedgerLimits.IdempotencyMarkerPrefix + Value;

    /// <summary><c>stripe:{eventId}</c>: the entry a Stripe event causes; the id must be <c>evt_…</c> (a bug otherwise).</summary>
    public static IdempotencyKey ForStripeEvent(string eventId)
    {
        RequireSegment(eventId, "evt_", nameof(eventId));
        return new IdempotencyKey($"stripe:{eventId}");
    }

    /// <summary>
    /// <c>statement:{contractId}:{period}:v{version}</c>: version <paramref name="version"/> of a contract's statement for a
    /// period written <c>2027-03</c> or <c>2027-Q1</c>. A re-issued statement is a new version, hence a new key.
    /// </summary>
    public static IdempotencyKey ForStatement(string contractId, string period, int version)
    {
        RequireSegment(contractId, BookId.ContractIdPrefix, nameof(contractId));
        if (!IsPeriodText(period))
        {
            throw new ArgumentException($"{LedgerText.Quote(period)} is not a period: expected '2027-03' or '2027-Q1'.", nameof(period));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        return new IdempotencyKey($"statement:{contractId}:{period}:v{version.ToString(CultureInfo.InvariantCulture)}");
    }

    /// <summary><c>dispute:{disputeId}:resolution</c>: the entry that books a dispute's outcome, once.</summary>
    public static IdempotencyKey ForDisputeResolution(string disputeId)
    {
        RequireSegment(disputeId, string.Empty, nameof(disputeId));
        return new IdempotencyKey($"dispute:{disputeId}:resolution");
    }

    /// <summary>
    /// <c>payment:{statementId}:{requestId}</c>: a merchant's payment of a statement as finance records it; the request id
    /// (the caller's) makes a retried request post once. A statement id has no colon, so the key reads back unambiguously;
    /// text that would not make a key is a bug in the caller (it validates the request id first) and throws.
    /// </summary>
    public static IdempotencyKey ForStatementPayment(string statementId, string requestId)
    {
        ArgumentNullException.ThrowIfNull(statementId);
        ArgumentNullException.ThrowIfNull(requestId);
        if (!statementId.StartsWith("stm_", StringComparison.Ordinal) || statementId.Contains(':', StringComparison.Ordinal) || requestId.Length == 0)
        {
            throw new ArgumentException($"{LedgerText.Quote(statementId)} and {LedgerText.Quote(requestId)} do not make a payment key: expected 'stm_…' and a request id.", nameof(statementId));
        }

        return TryParse($"payment:{statementId}:{requestId}", out var key)
            ? key
            : throw new ArgumentException($"payment:{statementId}:{requestId} is not a key: at most {LedgerLimits.MaxIdempotencyKeyLength} of [A-Za-z0-9_-:.].", nameof(requestId));
    }

    /// <summary>
    /// <c>reversal:{sequence}</c>: the reversal of an entry, appended to the same book. Reversing the same entry twice
    /// therefore returns the first reversal (or, with other content, is refused): an entry is reversed at most once.
    /// </summary>
    public static IdempotencyKey ForReversal(JournalEntryId reversed) =>
        new($"reversal:{reversed.Sequence.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>Parses a key; false when empty, too long, or with a character a Table RowKey or our ids do not allow.</summary>
    public static bool TryParse(string? text, out IdempotencyKey key)
    {
        key = LedgerText.IsKey(text, LedgerLimits.MaxIdempotencyKeyLength) ? new IdempotencyKey(text!) : default;
        return !key.IsDefault;
    }

    /// <summary>Parses a key from a request; refuses with <see cref="LedgerRule.IdempotencyKeyInvalid"/> naming the field.</summary>
    public static Validated<IdempotencyKey> Parse(string? text, string field) =>
        TryParse(text, out var key)
            ? Validated.Valid(key)
            : Validated.Refused<IdempotencyKey>(new Refusal(
                LedgerRule.IdempotencyKeyInvalid,
                field,
                $"{LedgerText.Quote(text)} is not an idempotency key: expected 1 to {LedgerLimits.MaxIdempotencyKeyLength} of [A-Za-z0-9_-:.], "
                + "derived from the cause, e.g. 'stripe:evt_…' or 'statement:ctr_…:2027-03:v1'."));

    /// <summary>Equal when the texts are equal (ordinal).</summary>
    public bool Equals(IdempotencyKey other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() => Value is null ? 0 : StringComparer.Ordinal.GetHashCode(Value);

    /// <summary>The key text.</summary>
    public override string ToString() => Value ?? "(no key)";

    private static void RequireSegment(string value, string prefix, string parameter)
    {
        if (!LedgerText.IsPartyId(value, prefix))
        {
            throw new ArgumentException(
                $"{LedgerText.Quote(value)} cannot be part of an idempotency key: expected '{prefix}' then 1 to "
                + $"{LedgerLimits.MaxPartyIdLength - prefix.Length} of [A-Za-z0-9_-].",
                parameter);
        }
    }

    // 2027-03 or 2027-Q1: the period forms of DESIGN.md section 8.
    private static bool IsPeriodText(string? period) =>
        period is { Length: 7 }
        && char.IsAsciiDigit(period[0]) && char.IsAsciiDigit(period[1]) && char.IsAsciiDigit(period[2]) && char.IsAsciiDigit(period[3])
        && period[4] == '-'
        && ((period[5] == '0' && period[6] is >= '1' and <= '9')
            || (period[5] == '1' && period[6] is >= '0' and <= '2')
            || (period[5] == 'Q' && period[6] is >= '1' and <= '4'));
}
