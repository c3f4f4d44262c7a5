namespace ServiceLedger.Functions.Auth;

/// <summary>The roles a caller may hold (DESIGN.md section 7); a token names them in its <c>roles</c> claim.</summary>
public enum CallerRole
{
    /// <summary>A merchant, confined to its own merchant id (the token's <c>party_id</c>).</summary>
    Merchant,

    /// <summary>A vendor, confined to its own vendor id (the token's <c>party_id</c>).</summary>
    Vendor,

    /// <summary>Finance staff: sees every tenant.</summary>
    Finance,

    /// <summary>An approver: sees every tenant.</summary>
    Approver,
}

/// <summary>The wire names of <see cref="CallerRole"/> (claim values, policy names, JSON) and their parsing.</summary>
public static class CallerRoles
{
    /// <summary>Every role, in declaration order.</summary>
    public static readonly IReadOnlyList<CallerRole> All = [CallerRole.Merchant, CallerRole.Vendor, CallerRole.Finance, CallerRole.Approver];

    /// <summary>The lower-case wire name of <paramref name="role"/>, e.g. <c>merchant</c>; the same string is the policy name.</summary>
    public static string Name(CallerRole role) => role switch
    {
        CallerRole.Merchant => "merchant",
        CallerRole.Vendor => "vendor",
        CallerRole.Finance => "finance",
        CallerRole.Approver => "approver",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Not a caller role."),
    };

    /// <summary>Parses an exact, lower-case wire name; anything else (including other casings) is not a role.</summary>
    public static bool TryParse(string? name, out CallerRole role)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(Name(candidate), name, StringComparison.Ordinal))
            {
                role = candidate;
                return true;
            }
        }

        role = default;
        return false;
    }

    /// <summary>True for roles confined to one tenant (merchant, vendor), which therefore need a party id.</summary>
    public static bool IsTenantRole(CallerRole role) => role is CallerRole.Merchant or CallerRole.Vendor;
}
