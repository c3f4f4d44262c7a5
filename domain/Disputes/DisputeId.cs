namespace ServiceLedger.Domain.Disputes;

using ServiceLedger.Domain.Ledger;
using ServiceLedger.Domain.Parties;

/// <summary>
/// A dispute's id: <c>dsp_</c> then 12 to 26 of <c>[a-z0-9]</c>, the shape of party and contract ids, so it fits a Table
/// key, a URL segment and the ledger key <c>dispute:{id}:resolution</c>. <c>default(DisputeId)</c> names no dispute.
/// </summary>
public readonly record struct DisputeId
{
    /// <summary>The type prefix every dispute id starts with.</summary>
    public const string Prefix = "dsp_";

    private DisputeId(string value) => Value = value;

    /// <summary>The id text, prefix included.</summary>
    public string Value { get; }

    /// <summary>True for <c>default(DisputeId)</c>.</summary>
    public bool IsDefault => Value is null;

    /// <summary>The id derived from a seed (a random token, or the cause: a Stripe dispute id): same seed, same id.</summary>
    public static DisputeId Derive(string seed) => new(PartyIdText.Derive(Prefix, seed));

    /// <summary>Parses an id; false when the text is not <c>dsp_</c> then 12 to 26 of <c>[a-z0-9]</c>.</summary>
    public static bool TryParse(string? text, out DisputeId disputeId)
    {
        disputeId = PartyIdText.IsValid(text, Prefix) ? new DisputeId(text!) : default;
        return !disputeId.IsDefault;
    }

    /// <summary>Parses an id from a request; refuses with <see cref="DisputeRule.DisputeIdInvalid"/> naming the field.</summary>
    public static Validated<DisputeId> Parse(string? text, string field) =>
        TryParse(text, out var disputeId)
            ? Validated.Valid(disputeId)
            : Validated.Refused<DisputeId>(PartyIdText.Refusal(DisputeRule.DisputeIdInvalid, "dispute", Prefix, text, field));

    /// <summary>Equal when the texts are equal (ordinal).</summary>
    public bool Equals(DisputeId other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() => Value is null ? 0 : StringComparer.Ordinal.GetHashCode(Value);

    /// <summary>The id text.</summary>
    public override string ToString() => Value ?? "(no dispute)";
}
