namespace ServiceLedger.Domain.Parties;

/// <summary>
/// The parties' refusal codes (merchants, vendors, actors): rule-shaped names that clients may switch on. A code is never
/// renamed or reused for another rule.
/// </summary>
public static class PartyRule
{
    /// <summary>A merchant id is not <c>mer_</c> followed by 12 to 26 of <c>[a-z0-9]</c>.</summary>
    public const string MerchantIdInvalid = nameof(MerchantIdInvalid);

    /// <summary>A vendor id is not <c>ven_</c> followed by 12 to 26 of <c>[a-z0-9]</c>.</summary>
    public const string VendorIdInvalid = nameof(VendorIdInvalid);

    /// <summary>An actor has no role the product knows, or a subject that is empty, too long or not plain text.</summary>
    public const string ActorInvalid = nameof(ActorInvalid);
}
