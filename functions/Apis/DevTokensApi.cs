using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using ServiceLedger.Domain;
using ServiceLedger.Functions.Auth;
using ServiceLedger.Functions.Errors;

namespace ServiceLedger.Functions.Apis;

/// <summary>
/// POST /api/dev/tokens: mints a development token for a role (Development only; the route does not exist elsewhere).
/// Anonymous by design: it is how a newcomer gets a first token on a local run (docs/auth.md).
/// </summary>
public static class DevTokensApi
{
    /// <summary>The longest lifetime a request may ask for, in minutes (the issuer's <see cref="DevTokenIssuer.MaxLifetime"/>).</summary>
    public static readonly int MaxLifetimeMinutes = (int)DevTokenIssuer.MaxLifetime.TotalMinutes;

    /// <summary>Maps the endpoint when the app runs in Development; elsewhere maps nothing.</summary>
    public static IEndpointRouteBuilder MapDevTokensApi(this IEndpointRouteBuilder app, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(environment);
        if (!environment.IsDevelopment())
        {
            return app;
        }

        app.MapPost("/api/dev/tokens", Mint)
            .WithName("DevTokens")
            .WithSummary("Development only: mint a bearer token for a role (and a party id for merchant or vendor).")
            .AllowAnonymous();
        return app;
    }

    /// <summary>Validates the request and mints; 404 when the development issuer was switched off by configuration.</summary>
    public static Results<Ok<DevTokenResponse>, ProblemHttpResult> Mint(DevTokenRequest request, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(services);
        if (services.GetService<DevTokenIssuer>() is not { } issuer)
        {
            return ApiProblems.NotFound("development token issuer");
        }

        var refusals = new List<Refusal>();
        var hasRole = CallerRoles.TryParse(request.Role, out var role);
        if (!hasRole)
        {
            refusals.Add(new Refusal("RoleMustBeKnown", "role", "role must be one of: " + string.Join(", ", CallerRoles.All.Select(CallerRoles.Name)) + "."));
        }

        PartyId? partyId = null;
        if (request.PartyId is not null)
        {
            if (PartyId.TryParse(request.PartyId, out var parsed))
            {
                partyId = parsed;
            }
            else
            {
                refusals.Add(new Refusal("PartyIdMustBeWellFormed", "partyId", $"partyId must be 1-{PartyId.MaxLength} of A-Z a-z 0-9 _ -, e.g. mer_acme."));
            }
        }

        if (hasRole && CallerRoles.IsTenantRole(role) && request.PartyId is null)
        {
            refusals.Add(new Refusal("PartyIdRequiredForTenantRole", "partyId", $"A {CallerRoles.Name(role)} token needs the partyId of its tenant, e.g. mer_acme."));
        }

        if (hasRole && !CallerRoles.IsTenantRole(role) && request.PartyId is not null)
        {
            refusals.Add(new Refusal("PartyIdOnlyForTenantRole", "partyId", $"A {CallerRoles.Name(role)} sees every tenant; leave partyId out."));
        }

        if (request.LifetimeMinutes is { } minutes && (minutes < 1 || minutes > MaxLifetimeMinutes))
        {
            refusals.Add(new Refusal(
                "LifetimeMinutesOutOfRange",
                "lifetimeMinutes",
                string.Create(CultureInfo.InvariantCulture, $"lifetimeMinutes must be 1 to {MaxLifetimeMinutes}; leave it out for {DevTokenIssuer.DefaultLifetime.TotalMinutes}.")));
        }

        if (refusals.Count > 0)
        {
            return ApiProblems.Refused(refusals);
        }

        var token = issuer.Mint([role], partyId, request.LifetimeMinutes is { } m ? TimeSpan.FromMinutes(m) : null);
        return TypedResults.Ok(new DevTokenResponse(token.AccessToken, BearerAuthenticationHandler.SchemeName, token.ExpiresAt));
    }
}

/// <summary>POST /api/dev/tokens body: a role name, the party id for merchant/vendor, an optional lifetime in minutes.</summary>
public sealed record DevTokenRequest(string? Role, string? PartyId, int? LifetimeMinutes);

/// <summary>A minted development token: send it as <c>Authorization: Bearer &lt;accessToken&gt;</c> until <c>expiresAt</c>.</summary>
public sealed record DevTokenResponse(string AccessToken, string TokenType, DateTimeOffset ExpiresAt);
