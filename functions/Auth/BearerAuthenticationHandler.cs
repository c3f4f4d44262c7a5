using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace ServiceLedger.Functions.Auth;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;jwt&gt;</c> through <see cref="BearerTokenValidator"/> (the JwtBearer
/// package is not available here). No header: no result (endpoints needing a role then challenge with 401). A refused
/// token: 401 with <c>WWW-Authenticate: Bearer error="invalid_token"</c> (RFC 6750) and a problem details body.
/// </summary>
public sealed class BearerAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    BearerTokenValidator validator,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The scheme name (also the <c>WWW-Authenticate</c> challenge and the OpenAPI security scheme).</summary>
    public const string SchemeName = "Bearer";

    private const string FailureItem = "ServiceLedger.Auth.Failure";

    /// <inheritdoc />
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }

        if (!header.StartsWith(SchemeName + " ", StringComparison.OrdinalIgnoreCase))
        {
            return Fail("The Authorization header is not 'Bearer <token>'.");
        }

        var (identity, failure) = await validator.ValidateAsync(header[(SchemeName.Length + 1)..].Trim(), Context.RequestAborted);
        if (identity is null)
        {
            return Fail(failure ?? "The token is not valid.");
        }

        var principal = new ClaimsPrincipal(identity);
        if (CallerContext.FromClaims(principal, out var refusal) is null)
        {
            return Fail(refusal!);
        }

        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    /// <inheritdoc />
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = Context.Items[FailureItem] as string;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = failure is null
            ? SchemeName
            : $"{SchemeName} error=\"invalid_token\", error_description=\"{failure.Replace("\"", "'", StringComparison.Ordinal)}\"";
        await WriteProblemAsync(
            StatusCodes.Status401Unauthorized,
            "Authentication required",
            failure ?? "Send 'Authorization: Bearer <token>' with a token for this API (docs/auth.md).");
    }

    /// <inheritdoc />
    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await WriteProblemAsync(StatusCodes.Status403Forbidden, "Forbidden", "The token's roles do not allow this operation.");
    }

    private AuthenticateResult Fail(string reason)
    {
        // Logged at debug only: a stream of bad tokens is normal internet noise, and the token itself is never logged.
        Logger.LogDebug("Bearer token refused on {Method} {Path}: {Reason}", Request.Method, Request.Path, reason);
        Context.Items[FailureItem] = reason;
        return AuthenticateResult.Fail(reason);
    }

    private async Task WriteProblemAsync(int status, string title, string detail)
    {
        await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }
}
