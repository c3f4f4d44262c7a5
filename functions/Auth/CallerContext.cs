using System.Reflection;
using System.Security.Claims;

namespace ServiceLedger.Functions.Auth;

/// <summary>
/// Who is calling, as an endpoint needs it: the caller's roles and, for a merchant or vendor, the party it is confined
/// to. Endpoints take it as a parameter (bound from the authenticated user) and ask <see cref="CanSee"/> before
/// answering with a tenant's resource; a resource the caller may not see is answered 404, never 403, so that a caller
/// cannot learn which ids exist.
/// </summary>
public sealed record CallerContext
{
    /// <summary>The claim that carries a tenant caller's party id (see docs/auth.md for how Entra ID supplies it).</summary>
    public const string PartyIdClaim = "party_id";

    /// <summary>The claim that carries app roles (Entra ID's name for it).</summary>
    public const string RolesClaim = "roles";

    /// <summary>The subject claim (who the token was issued to).</summary>
    public const string SubjectClaim = "sub";

    private CallerContext(string subject, IReadOnlySet<CallerRole> roles, PartyId? partyId)
    {
        Subject = subject;
        Roles = roles;
        PartyId = partyId;
    }

    /// <summary>The token's subject (empty when the token has none); for logs, never for authorisation.</summary>
    public string Subject { get; }

    /// <summary>The known roles the token grants; unknown role names are ignored.</summary>
    public IReadOnlySet<CallerRole> Roles { get; }

    /// <summary>The tenant a merchant or vendor is confined to; null for staff (finance, approver).</summary>
    public PartyId? PartyId { get; }

    /// <summary>True when the caller holds <paramref name="role"/>.</summary>
    public bool Has(CallerRole role) => Roles.Contains(role);

    /// <summary>True for finance and approvers, who see every tenant.</summary>
    public bool IsStaff => Has(CallerRole.Finance) || Has(CallerRole.Approver);

    /// <summary>
    /// True when the caller may see a resource owned by <paramref name="owner"/>: staff always, a merchant or vendor
    /// only its own. Answer 404 when false.
    /// </summary>
    public bool CanSee(PartyId owner) => IsStaff || PartyId == owner;

    /// <summary>
    /// Reads the caller from validated claims. Refuses (returns null with a reason) a token that grants both merchant
    /// and vendor, or a tenant role without a well-formed <see cref="PartyIdClaim"/>: such a caller could not be confined.
    /// </summary>
    public static CallerContext? FromClaims(ClaimsPrincipal user, out string? refusal)
    {
        ArgumentNullException.ThrowIfNull(user);
        var roles = new HashSet<CallerRole>();
        foreach (var claim in user.FindAll(RolesClaim))
        {
            if (CallerRoles.TryParse(claim.Value, out var role))
            {
                roles.Add(role);
            }
        }

        var partyText = user.FindFirst(PartyIdClaim)?.Value;
        PartyId? partyId = null;
        if (partyText is not null)
        {
            if (!Auth.PartyId.TryParse(partyText, out var parsed))
            {
                refusal = $"The '{PartyIdClaim}' claim is not a party id (1-{Auth.PartyId.MaxLength} of A-Z a-z 0-9 _ -).";
                return null;
            }

            partyId = parsed;
        }

        if (roles.Contains(CallerRole.Merchant) && roles.Contains(CallerRole.Vendor))
        {
            refusal = "A token may grant merchant or vendor, not both: one token acts for one tenant.";
            return null;
        }

        if (roles.Any(CallerRoles.IsTenantRole) && partyId is null)
        {
            refusal = $"A merchant or vendor token must carry its party id in the '{PartyIdClaim}' claim.";
            return null;
        }

        refusal = null;
        return new CallerContext(user.FindFirst(SubjectClaim)?.Value ?? string.Empty, roles, partyId);
    }

    /// <summary>
    /// Minimal-API binding: an endpoint declares a <see cref="CallerContext"/> parameter and gets the authenticated
    /// caller. Only used behind an authorization requirement, so an unauthenticated request never reaches it.
    /// </summary>
    public static ValueTask<CallerContext?> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.User.Identity?.IsAuthenticated != true)
        {
            throw new InvalidOperationException(
                $"Endpoint parameter '{parameter?.Name}' needs an authenticated caller; require a role on the endpoint.");
        }

        var caller = FromClaims(context.User, out var refusal)
            ?? throw new InvalidOperationException(
                $"Endpoint parameter '{parameter?.Name}' needs an authenticated caller ({refusal}); require a role on the endpoint.");
        return ValueTask.FromResult<CallerContext?>(caller);
    }
}
