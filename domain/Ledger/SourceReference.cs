namespace ServiceLedger.Domain.Ledger;

/// <summary>
/// What caused an entry, outside the ledger: a kind (<c>stripe-event</c>, <c>stripe-object</c>, <c>statement</c>,
/// <c>dispute</c>, <c>contract</c>, …) and an id. Kinds are 1 to <see cref="LedgerLimits.MaxReferenceKindLength"/> of
/// <c>[a-z0-9-]</c>; values 1 to <see cref="LedgerLimits.MaxReferenceValueLength"/> of <c>[A-Za-z0-9_-:.]</c>.
/// Equality is by kind and value (ordinal); ordering is by kind, then value. <c>default</c> is no reference.
/// </summary>
public readonly record struct SourceReference : IComparable<SourceReference>
{
    private SourceReference(string kind, string value)
    {
        Kind = kind;
        Value = value;
    }

    /// <summary>What the id identifies, e.g. <c>stripe-object</c>.</summary>
    public string Kind { get; }

    /// <summary>The id, e.g. <c>ch_3Nx…</c>.</summary>
    public string Value { get; }

    /// <summary>True for <c>default(SourceReference)</c>.</summary>
    public bool IsDefault => Kind is null;

    /// <summary>A Stripe event (<c>evt_…</c>).</summary>
    public static SourceReference StripeEvent(string eventId) => Of("stripe-event", eventId);

    /// <summary>A Stripe object: charge, refund, dispute, payout or balance transaction (<c>ch_…</c>, <c>txn_…</c>, …).</summary>
    public static SourceReference StripeObject(string objectId) => Of("stripe-object", objectId);

    /// <summary>A statement (<c>stm_…</c>).</summary>
    public static SourceReference Statement(string statementId) => Of("statement", statementId);

    /// <summary>A dispute of ours.</summary>
    public static SourceReference Dispute(string disputeId) => Of("dispute", disputeId);

    /// <summary>A reference from trusted code; malformed kind or value is a bug and throws.</summary>
    public static SourceReference Of(string kind, string value)
    {
        var parsed = Parse(kind, value, "reference");
        return parsed.IsValid ? parsed.Value : throw new ArgumentException(parsed.Refusals[0].Message, nameof(value));
    }

    /// <summary>A reference from a request; refuses with <see cref="LedgerRule.ReferenceInvalid"/> naming the field.</summary>
    public static Validated<SourceReference> Parse(string? kind, string? value, string field)
    {
        if (!LedgerText.IsName(kind, LedgerLimits.MaxReferenceKindLength))
        {
            return Validated.Refused<SourceReference>(new Refusal(
                LedgerRule.ReferenceInvalid,
                field + ".kind",
                $"{LedgerText.Quote(kind)} is not a reference kind: expected 1 to {LedgerLimits.MaxReferenceKindLength} of [a-z0-9-], e.g. 'stripe-object'."));
        }

        if (!LedgerText.IsKey(value, LedgerLimits.MaxReferenceValueLength))
        {
            return Validated.Refused<SourceReference>(new Refusal(
                LedgerRule.ReferenceInvalid,
                field + ".value",
                $"{LedgerText.Quote(value)} is not a reference id: expected 1 to {LedgerLimits.MaxReferenceValueLength} of [A-Za-z0-9_-:.]."));
        }

        return Validated.Valid(new SourceReference(kind!, value!));
    }

    /// <summary>Orders by kind, then value (ordinal): the canonical order of an entry's references.</summary>
    public int CompareTo(SourceReference other)
    {
        var byKind = string.CompareOrdinal(Kind, other.Kind);
        return byKind != 0 ? byKind : string.CompareOrdinal(Value, other.Value);
    }

    /// <summary>Orders by kind, then value.</summary>
    public static bool operator <(SourceReference left, SourceReference right) => left.CompareTo(right) < 0;

    /// <summary>Orders by kind, then value.</summary>
    public static bool operator >(SourceReference left, SourceReference right) => left.CompareTo(right) > 0;

    /// <summary>Orders by kind, then value.</summary>
    public static bool operator <=(SourceReference left, SourceReference right) => left.CompareTo(right) <= 0;

    /// <summary>Orders by kind, then value.</summary>
    public static bool operator >=(SourceReference left, SourceReference right) => left.CompareTo(right) >= 0;

    /// <summary>For example <c>stripe-object:ch_3Nx</c>.</summary>
    public override string ToString() => IsDefault ? "(no reference)" : $"{Kind}:{Value}";
}
