using Microsoft.AspNetCore.Mvc;
using ServiceLedger.Domain.Parties;
using ServiceLedger.Functions.Auth;
using ServiceLedger.Functions.Errors;
using ServiceLedger.Functions.Parties;

namespace ServiceLedger.Functions.Apis;

/// <summary>
/// POST /api/vendors (application), GET /api/vendors (finance, approver), GET /api/vendors/{vendorId} (the vendor itself,
/// finance, approver) and POST /api/vendors/{vendorId}/certify | suspend | revoke (approver, with a reason). Changes take an
/// optional If-Match with the vendor's version; a stale version, or a change that lost a race, answers 409 with the
/// current vendor in <c>current</c> and its ETag.
/// </summary>
public static class VendorsApi
{
    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapVendorsApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var group = app.MapGroup("/api/vendors").WithTags("Vendors");
        group.MapPost("/", ApplyAsync)
            .WithName("VendorsApply")
            .WithSummary("A vendor applies with its qualifications; 409 when a vendor with that licence exists.")
            .RequireAuthorization(PartyCallers.SignedIn);
        group.MapGet("/", ListAsync)
            .WithName("VendorsList")
            .WithSummary("Vendors by id, optionally of one status; paged.")
            .RequireRoles(CallerRole.Finance, CallerRole.Approver);
        group.MapGet("/{vendorId}", GetAsync)
            .WithName("VendorsGet")
            .WithSummary("One vendor with its certification history.")
            .RequireRoles(CallerRole.Vendor, CallerRole.Finance, CallerRole.Approver);
        foreach (var action in Enum.GetValues<CertificationAction>())
        {
            var name = action.ToString();
            group.MapPost($"/{{vendorId}}/{name.ToLowerInvariant()}", (string vendorId, [FromBody] CertificationChangeRequest body, [FromHeader(Name = "If-Match")] string? ifMatch, CallerContext caller, ChangeVendorCertification change, HttpContext http, CancellationToken cancellationToken) =>
                    ChangeAsync(action, vendorId, body, ifMatch, caller, change, http, cancellationToken))
                .WithName("Vendors" + name)
                .WithSummary($"{name} the vendor, with a reason (approver).")
                .RequireRoles(CallerRole.Approver);
        }

        return app;
    }

    private static async Task<IResult> ApplyAsync(
        [FromBody] VendorApplication form, CallerContext caller, ApplyAsVendor apply, HttpContext http, CancellationToken cancellationToken)
    {
        if (PartyCallers.Newcomer(caller, ActorRole.Vendor) is not { } actor)
        {
            return PartyCallers.AlreadyATenant();
        }

        return await apply.RunAsync(form, actor, cancellationToken).ConfigureAwait(false) switch
        {
            ApplicationOutcome.Applied applied => Tagged(http, applied.Vendor, TypedResults.Created($"/api/vendors/{applied.Vendor.Vendor.Id}", PartyJson.ToResponse(applied.Vendor))),
            ApplicationOutcome.Conflict conflict => ApiProblems.Refused(conflict.Refusal, StatusCodes.Status409Conflict),
            ApplicationOutcome.Refused refused => ApiProblems.Refused(refused.Refusals),
            var other => throw new InvalidOperationException($"Unknown outcome {other}."),
        };
    }

    private static async Task<IResult> ListAsync(
        string? status, int? pageSize, string? continuationToken, IVendorStore vendors, CancellationToken cancellationToken)
    {
        CertificationStatus? wanted = null;
        if (status is not null)
        {
            if (!Enum.TryParse<CertificationStatus>(status, ignoreCase: false, out var parsed) || parsed == CertificationStatus.None || !status.All(char.IsAsciiLetter))
            {
                return ApiProblems.Refused(new Domain.Refusal("StatusUnknown", "status", $"'{status}' is not a status: expected Applied, Certified, Suspended or Revoked."));
            }

            wanted = parsed;
        }

        var size = pageSize ?? PartyLimits.MaxPageSize;
        if (size is < 1 or > PartyLimits.MaxPageSize)
        {
            return ApiProblems.Refused(new Domain.Refusal("PageSizeOutOfRange", "pageSize", $"Page size {size} is outside 1..{PartyLimits.MaxPageSize}."));
        }

        try
        {
            var page = await vendors.ListAsync(wanted, size, continuationToken, cancellationToken).ConfigureAwait(false);
            return TypedResults.Ok(new VendorPageResponse([.. page.Items.Select(PartyJson.ToResponse)], page.ContinuationToken));
        }
        catch (ArgumentException)
        {
            return ApiProblems.Refused(new Domain.Refusal("ContinuationTokenInvalid", "continuationToken", "The continuation token is not one this list gave out; start again without it."));
        }
    }

    private static async Task<IResult> GetAsync(string vendorId, CallerContext caller, IVendorStore vendors, HttpContext http, CancellationToken cancellationToken)
    {
        if (!VendorId.TryParse(vendorId, out var id) || !PartyId.TryParse(id.Value, out var owner) || !caller.CanSee(owner))
        {
            return ApiProblems.NotFound("vendor");
        }

        var stored = await vendors.GetAsync(id, cancellationToken).ConfigureAwait(false);
        return stored is null ? ApiProblems.NotFound("vendor") : Tagged(http, stored, TypedResults.Ok(PartyJson.ToResponse(stored)));
    }

    private static async Task<IResult> ChangeAsync(
        CertificationAction action, string vendorId, CertificationChangeRequest body, string? ifMatch, CallerContext caller,
        ChangeVendorCertification change, HttpContext http, CancellationToken cancellationToken)
    {
        if (!VendorId.TryParse(vendorId, out var id))
        {
            return ApiProblems.NotFound("vendor");
        }

        var actor = PartyCallers.Staff(caller, CallerRole.Approver);
        return await change.RunAsync(id, action, body?.Reason, actor, ifMatch, cancellationToken).ConfigureAwait(false) switch
        {
            CertificationOutcome.Changed changed => Tagged(http, changed.Vendor, TypedResults.Ok(PartyJson.ToResponse(changed.Vendor))),
            CertificationOutcome.NotFound => ApiProblems.NotFound("vendor"),
            CertificationOutcome.Conflict conflict => Tagged(http, conflict.Current, VersionConflict(conflict.Current)),
            CertificationOutcome.Refused refused => ApiProblems.Refused(
                refused.Refusals,
                refused.Refusals[0].Code is PartyRule.TransitionNotAllowed or PartyRule.HistoryFull ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest),
            var other => throw new InvalidOperationException($"Unknown outcome {other}."),
        };
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult VersionConflict(StoredVendor current)
    {
        var problem = ApiProblems.ToProblemDetails(
            [new Domain.Refusal("VersionConflict", "If-Match", $"Vendor {current.Vendor.Id} changed; it is now {current.Vendor.Status} at version {current.Version}. Act again on the current version.")],
            StatusCodes.Status409Conflict);
        problem.Extensions["current"] = PartyJson.ToResponse(current);
        return TypedResults.Problem(problem);
    }

    private static IResult Tagged(HttpContext http, StoredVendor vendor, IResult result)
    {
        http.Response.Headers.ETag = vendor.Version;
        return result;
    }
}
