using ServiceLedger.Domain;
using ServiceLedger.Domain.Parties;

namespace ServiceLedger.Functions.Parties;

/// <summary>The outcome of a merchant sign-up, for the endpoint to map.</summary>
public abstract record SignUpOutcome
{
    private SignUpOutcome()
    {
    }

    /// <summary>The form broke rules (400); nothing was written.</summary>
    /// <param name="Refusals">Every broken rule, with its field.</param>
    public sealed record Refused(IReadOnlyList<Refusal> Refusals) : SignUpOutcome;

    /// <summary>The merchant is signed up; <paramref name="Created"/> is false for a retried sign-up answered again.</summary>
    /// <param name="Merchant">The merchant.</param>
    /// <param name="Created">True when this request wrote it.</param>
    public sealed record SignedUp(Merchant Merchant, bool Created) : SignUpOutcome;

    /// <summary>A shop belongs to another merchant, or the idempotency key was used for other details (409).</summary>
    /// <param name="Refusal">Which shop or key.</param>
    public sealed record Conflict(Refusal Refusal) : SignUpOutcome;
}

/// <summary>The outcome of a vendor application.</summary>
public abstract record ApplicationOutcome
{
    private ApplicationOutcome()
    {
    }

    /// <summary>The application broke rules (400); nothing was written.</summary>
    /// <param name="Refusals">Every broken rule, with its field.</param>
    public sealed record Refused(IReadOnlyList<Refusal> Refusals) : ApplicationOutcome;

    /// <summary>The vendor is stored in status Applied.</summary>
    /// <param name="Vendor">The vendor and its version.</param>
    public sealed record Applied(StoredVendor Vendor) : ApplicationOutcome;

    /// <summary>A vendor with this licence exists (409).</summary>
    /// <param name="Refusal">Names the licence and the existing vendor id.</param>
    public sealed record Conflict(Refusal Refusal) : ApplicationOutcome;
}

/// <summary>The outcome of certifying, suspending or revoking a vendor.</summary>
public abstract record CertificationOutcome
{
    private CertificationOutcome()
    {
    }

    /// <summary>No such vendor (404).</summary>
    public sealed record NotFound : CertificationOutcome;

    /// <summary>The change is not allowed or the request broke a rule (400 or 409 for a state refusal); nothing was written.</summary>
    /// <param name="Refusals">Why.</param>
    public sealed record Refused(IReadOnlyList<Refusal> Refusals) : CertificationOutcome;

    /// <summary>The change is recorded.</summary>
    /// <param name="Vendor">The vendor as stored now.</param>
    public sealed record Changed(StoredVendor Vendor) : CertificationOutcome;

    /// <summary>The vendor changed since the version the caller acted on (409); nothing was written.</summary>
    /// <param name="Current">The vendor as stored now.</param>
    public sealed record Conflict(StoredVendor Current) : CertificationOutcome;
}

/// <summary>The three changes an approver makes to a vendor's certification.</summary>
public enum CertificationAction
{
    /// <summary>Certify (from Applied or Suspended).</summary>
    Certify = 1,

    /// <summary>Suspend (from Certified).</summary>
    Suspend,

    /// <summary>Revoke (from any status but Revoked).</summary>
    Revoke,
}
