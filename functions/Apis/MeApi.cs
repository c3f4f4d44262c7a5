using ServiceLedger.Functions.Auth;

namespace ServiceLedger.Functions.Apis;

/// <summary>GET /api/me: who the token says the caller is, so a newcomer can check a token before calling anything else.</summary>
public static class MeApi
{
    /// <summary>Maps the endpoint; any of the four roles may call it.</summary>
    public static IEndpointRouteBuilder MapMeApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/api/me", (CallerContext caller) => TypedResults.Ok(Describe(caller)))
            .WithName("Me")
            .WithSummary("The caller's roles and party id, as read from the bearer token.")
            .RequireRoles([.. CallerRoles.All]);
        return app;
    }

    /// <summary>The wire form of <paramref name="caller"/>: roles in a stable order.</summary>
    public static MeResponse Describe(CallerContext caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return new MeResponse(
            caller.Subject,
            [.. CallerRoles.All.Where(caller.Has).Select(CallerRoles.Name)],
            caller.PartyId?.Value);
    }
}

/// <summary>What GET /api/me answers: the token's subject, its roles (wire names) and the tenant party id (null for staff).</summary>
public sealed record MeResponse(string Subject, IReadOnlyList<string> Roles, string? PartyId);
