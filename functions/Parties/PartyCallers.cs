using Microsoft.AspNetCore.Authorization;
using ServiceLedger.Domain.Parties;
using ServiceLedger.Functions.Auth;
using ServiceLedger.Functions.Errors;

namespace ServiceLedger.Functions.Parties;

/// <summary>Who may sign up or apply, and as which actor: the rules both party endpoints share.</summary>
internal static class PartyCallers
{
    /// <summary>Any caller with a valid token, roles or not.</summary>
    internal static AuthorizationPolicy SignedIn { get; } =
        new AuthorizationPolicyBuilder(BearerAuthenticationHandler.SchemeName).RequireAuthenticatedUser().Build();

    /// <summary>
    /// The actor a sign-up or application is recorded under: staff (finance, approver) as themselves, acting on the
    /// newcomer's behalf; a caller without any tenant role as <paramref name="newcomer"/>, the tenant-to-be; null for a
    /// caller who already is a merchant or vendor.
    /// </summary>
    internal static Actor? Newcomer(CallerContext caller, ActorRole newcomer)
    {
        if (caller.Roles.Any(CallerRoles.IsTenantRole))
        {
            return null;
        }

        var role = caller.Has(CallerRole.Finance) ? ActorRole.Finance : caller.Has(CallerRole.Approver) ? ActorRole.Approver : newcomer;
        return As(caller, role);
    }

    /// <summary>The actor of a staff caller acting as <paramref name="role"/>.</summary>
    internal static Actor Staff(CallerContext caller, CallerRole role) => As(caller, ToActorRole(role));

    /// <summary>403 for a merchant or vendor trying to sign up or apply again.</summary>
    internal static IResult AlreadyATenant() => TypedResults.Problem(
        statusCode: StatusCodes.Status403Forbidden,
        title: "Already a tenant",
        detail: "This token already acts for a merchant or vendor; sign-up and applications are for callers without a tenant role (or for staff on their behalf).",
        type: ApiProblems.TypePrefix + "AlreadyATenant");

    private static Actor As(CallerContext caller, ActorRole role)
    {
        // A token without a subject is still one person; record it as such rather than refuse what it asks.
        var actor = Actor.Create(role, string.IsNullOrWhiteSpace(caller.Subject) ? "(no subject)" : caller.Subject, "actor");
        return actor.IsValid ? actor.Value : throw new InvalidOperationException($"The caller's subject cannot be recorded: {actor}.");
    }

    private static ActorRole ToActorRole(CallerRole role) => role switch
    {
        CallerRole.Merchant => ActorRole.Merchant,
        CallerRole.Vendor => ActorRole.Vendor,
        CallerRole.Finance => ActorRole.Finance,
        CallerRole.Approver => ActorRole.Approver,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Not a caller role."),
    };
}
