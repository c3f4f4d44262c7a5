namespace ServiceLedger.Functions.Billing;

using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Parties;
using ServiceLedger.Functions.Auth;

/// <summary>
/// Who is calling, as the billing capability needs it: the actor to record and the party a merchant or vendor acts for.
/// A contract belongs to its merchant and its vendor; finance and approvers see every contract.
/// </summary>
/// <param name="Actor">The role the caller acts in and its subject.</param>
/// <param name="PartyId">The merchant or vendor id a tenant caller acts for; null for staff.</param>
public sealed record BillingCaller(Actor Actor, string? PartyId)
{
    /// <summary>True when the caller is the contract's vendor.</summary>
    public bool IsVendorOf(Contract contract) =>
        Actor.Role == ActorRole.Vendor && string.Equals(PartyId, contract?.Vendor.Value, StringComparison.Ordinal);

    /// <summary>True when the caller is the contract's merchant.</summary>
    public bool IsMerchantOf(Contract contract) =>
        Actor.Role == ActorRole.Merchant && string.Equals(PartyId, contract?.Merchant.Value, StringComparison.Ordinal);

    /// <summary>True when the caller may read the contract's figures: its merchant, its vendor, or staff.</summary>
    public bool CanRead(Contract contract) =>
        Actor.Role is ActorRole.Finance or ActorRole.Approver || IsVendorOf(contract) || IsMerchantOf(contract);

    /// <summary>
    /// The caller acting in the first of <paramref name="actingAs"/> it holds; null when it holds none of them. A token
    /// without a subject is recorded under its party id (or "(no subject)"), never refused for it.
    /// </summary>
    public static BillingCaller? From(CallerContext caller, IReadOnlyList<CallerRole> actingAs)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(actingAs);
        foreach (var role in actingAs)
        {
            if (!caller.Has(role))
            {
                continue;
            }

            var subject = caller.Subject.Length > 0 ? caller.Subject : caller.PartyId?.Value ?? "(no subject)";
            var actor = Actor.Create(ToActorRole(role), subject, "sub");
            return actor.IsValid ? new BillingCaller(actor.Value, caller.PartyId?.Value) : null;
        }

        return null;
    }

    // The two enums name the same four roles of DESIGN.md section 7 (the hosting one adds token parsing); map by name.
    private static ActorRole ToActorRole(CallerRole role) => Enum.Parse<ActorRole>(role.ToString());
}
