namespace ServiceLedger.Functions.Apis;

using System.Globalization;
using ServiceLedger.Domain;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Parties;
using ServiceLedger.Functions.Auth;
using ServiceLedger.Functions.Contracts;
using ServiceLedger.Functions.Errors;

/// <summary>
/// /api/contracts: draw up, read, list, submit, approve, sign, suspend, resume, terminate and amend contracts. Thin: each
/// endpoint reads the request, picks the role the caller acts in, calls one <see cref="ContractLifecycle"/> use case and
/// maps its outcome: 200/201 with the contract and its <c>ETag</c> (<c>"{revision}"</c>); 400 naming the field; 403 for an
/// action the role may not take; 404 for a contract the caller may not see; 409 for an illegal transition or for a
/// concurrent change (then with the current contract in <c>current</c>). <c>If-Match: "{revision}"</c> is optional on every
/// action; a stale one answers 409 with the current version.
/// </summary>
public static class ContractsApi
{
    // Each group of roles both admits the caller (RequireRoles) and names the role it acts in, so it is written once.
    private static readonly CallerRole[] AllRoles = [CallerRole.Merchant, CallerRole.Vendor, CallerRole.Finance, CallerRole.Approver];
    private static readonly CallerRole[] Editors = [CallerRole.Merchant, CallerRole.Finance];
    private static readonly CallerRole[] Approvers = [CallerRole.Approver, CallerRole.Finance];
    private static readonly CallerRole[] Signers = [CallerRole.Merchant, CallerRole.Vendor];
    private static readonly CallerRole[] Staff = [CallerRole.Finance, CallerRole.Approver];

    /// <summary>The problem extension member that carries the current contract on a 409.</summary>
    public const string CurrentMember = "current";

    private const string ById = "/api/contracts/{contractId}";

    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapContractsApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost("/api/contracts", DraftAsync)
            .WithName("DraftContract").WithSummary("Draws up a draft contract (merchant for itself, or finance). Accepts Idempotency-Key.")
            .RequireRoles(Editors);
        app.MapGet("/api/contracts", ListAsync)
            .WithName("ListContracts").WithSummary("Contracts the caller may see: merchants and vendors their own, staff all; filter by merchantId, vendorId, status.")
            .RequireRoles(AllRoles);
        app.MapGet(ById, GetAsync)
            .WithName("GetContract").WithSummary("One contract with all its versions and history.")
            .RequireRoles(AllRoles);
        app.MapPut(ById + "/terms", (string contractId, TermsInput? terms, HttpRequest request, CallerContext caller, ContractLifecycle contracts, CancellationToken cancellationToken) =>
                Act(request, caller, Editors, (who, revision) => contracts.ReplaceTermsAsync(who, contractId, terms, revision, cancellationToken)))
            .WithName("ReplaceContractTerms").WithSummary("Replaces a draft's terms.")
            .RequireRoles(Editors);
        app.MapPost(ById + "/submit", (string contractId, HttpRequest request, CallerContext caller, ContractLifecycle contracts, CancellationToken cancellationToken) =>
                Act(request, caller, Editors, (who, revision) => contracts.SubmitAsync(who, contractId, revision, cancellationToken)))
            .WithName("SubmitContract").WithSummary("Submits a draft for the approvals its annual value needs.")
            .RequireRoles(Editors);
        app.MapPost(ById + "/approvals", (string contractId, ApprovalRequest? body, HttpRequest request, CallerContext caller, ContractLifecycle contracts, CancellationToken cancellationToken) =>
                Act(request, caller, ActingRoles(body?.Role, Approvers), (who, revision) => contracts.ApproveAsync(who, contractId, body?.Version, revision, cancellationToken)))
            .WithName("ApproveContract").WithSummary("Gives the caller's approval (approver: platform, then executive; finance: finance) to the version awaiting it.")
            .RequireRoles(Approvers);
        app.MapPost(ById + "/signatures", (string contractId, SignatureRequest? body, HttpRequest request, CallerContext caller, ContractLifecycle contracts, CancellationToken cancellationToken) =>
                Act(request, caller, Signers, (who, revision) => contracts.SignAsync(who, contractId, body?.Version, revision, cancellationToken)))
            .WithName("SignContract").WithSummary("Signs the approved version for the caller's party; both signatures make it binding.")
            .RequireRoles(Signers);
        app.MapPost(ById + "/suspend", (string contractId, ReasonRequest? body, HttpRequest request, CallerContext caller, ContractLifecycle contracts, CancellationToken cancellationToken) =>
                Act(request, caller, Staff, (who, revision) => contracts.SuspendAsync(who, contractId, body?.Reason, revision, cancellationToken)))
            .WithName("SuspendContract").WithSummary("Pauses an active contract, with a reason.")
            .RequireRoles(Staff);
        app.MapPost(ById + "/resume", (string contractId, HttpRequest request, CallerContext caller, ContractLifecycle contracts, CancellationToken cancellationToken) =>
                Act(request, caller, Staff, (who, revision) => contracts.ResumeAsync(who, contractId, revision, cancellationToken)))
            .WithName("ResumeContract").WithSummary("Resumes a suspended contract.")
            .RequireRoles(Staff);
        app.MapPost(ById + "/terminate", (string contractId, ReasonRequest? body, HttpRequest request, CallerContext caller, ContractLifecycle contracts, CancellationToken cancellationToken) =>
                Act(request, caller, Staff, (who, revision) => contracts.TerminateAsync(who, contractId, body?.Reason, revision, cancellationToken)))
            .WithName("TerminateContract").WithSummary("Ends a contract early, with a reason (e.g. material breach).")
            .RequireRoles(Staff);
        app.MapPost(ById + "/amendments", (string contractId, AmendmentRequest? body, HttpRequest request, CallerContext caller, ContractLifecycle contracts, CancellationToken cancellationToken) =>
                Act(request, caller, Editors, (who, revision) => contracts.ProposeAmendmentAsync(who, contractId, body ?? new AmendmentRequest(null, null), revision, cancellationToken)))
            .WithName("AmendContract").WithSummary("Proposes new terms from a date; they need the same approvals and both signatures.")
            .RequireRoles(Editors);
        return app;
    }

    private static async Task<IResult> DraftAsync(
        DraftContractRequest? body, HttpRequest request, CallerContext caller, ContractLifecycle contracts, CancellationToken cancellationToken)
    {
        var who = CallerFor(caller, Editors);
        if (who is null)
        {
            return TypedResults.Forbid();
        }

        var key = request.Headers["Idempotency-Key"].ToString();
        var outcome = await contracts.DraftAsync(who, body ?? new DraftContractRequest(null, null, null), key.Length == 0 ? null : key, cancellationToken).ConfigureAwait(false);
        return Map(outcome, request.HttpContext.Response);
    }

    private static async Task<IResult> GetAsync(string contractId, HttpRequest request, CallerContext caller, ContractLifecycle contracts, CancellationToken cancellationToken)
    {
        var who = CallerFor(caller, AllRoles);
        return who is null
            ? TypedResults.Forbid()
            : Map(await contracts.GetAsync(who, contractId, cancellationToken).ConfigureAwait(false), request.HttpContext.Response);
    }

    private static async Task<IResult> ListAsync(
        string? merchantId,
        string? vendorId,
        string? status,
        int? pageSize,
        string? continuationToken,
        CallerContext caller,
        ContractLifecycle contracts,
        CancellationToken cancellationToken)
    {
        var who = CallerFor(caller, AllRoles);
        if (who is null)
        {
            return TypedResults.Forbid();
        }

        var (page, refusals) = await contracts.ListAsync(who, merchantId, vendorId, status, pageSize, continuationToken, cancellationToken).ConfigureAwait(false);
        return page is null
            ? ApiProblems.Refused(refusals)
            : TypedResults.Ok(new ContractListResponse(page.Contracts.Select(stored => ContractJson.ToView(stored.Contract)).ToArray(), page.ContinuationToken));
    }

    private static async Task<IResult> Act(HttpRequest request, CallerContext caller, CallerRole[] actingAs, Func<ContractCaller, int?, Task<ContractOutcome>> action)
    {
        var who = CallerFor(caller, actingAs);
        if (who is null)
        {
            return TypedResults.Forbid();
        }

        if (!TryReadIfMatch(request, out var revision))
        {
            return ApiProblems.Refused(new Refusal(ContractRule.ValueNotRecognised, "If-Match", "Quote the contract's ETag, e.g. If-Match: \"3\", or leave the header out."));
        }

        return Map(await action(who, revision).ConfigureAwait(false), request.HttpContext.Response);
    }

    private static IResult Map(ContractOutcome outcome, HttpResponse response)
    {
        switch (outcome)
        {
            case ContractOutcome.Done done:
                var view = ContractJson.ToView(done.Stored.Contract);
                response.Headers.ETag = ContractJson.ETagOf(view.Revision);
                return done.Created
                    ? TypedResults.Created($"/api/contracts/{view.Id}", view)
                    : TypedResults.Ok(view);
            case ContractOutcome.Refused refused:
                return ApiProblems.Refused(refused.Refusals, StatusFor(refused.Refusals[0].Code));
            case ContractOutcome.NotFound:
                return ApiProblems.NotFound("contract");
            case ContractOutcome.Conflict conflict:
                var current = ContractJson.ToView(conflict.Current.Contract);
                response.Headers.ETag = ContractJson.ETagOf(current.Revision);
                var problem = ApiProblems.ToProblemDetails(
                    [new Refusal("ConcurrentChange", "If-Match", $"Contract {current.Id} is at revision {current.Revision} ({current.Status}); someone changed it first. Read the current version in '{CurrentMember}' and decide again.")],
                    StatusCodes.Status409Conflict);
                problem.Extensions[CurrentMember] = current;
                return TypedResults.Problem(problem);
            default:
                throw new InvalidOperationException($"Unknown contract outcome {outcome.GetType().Name}.");
        }
    }

    // An illegal transition is a conflict with the contract's state; a role acting outside its remit is forbidden.
    private static int StatusFor(string code) => code switch
    {
        ContractRule.IllegalTransition or ContractRule.AlreadySigned or ContractRule.AmendmentAlreadyPending or ContractRule.ApprovalNotNeeded
            or ContractRule.ApproverAlreadyApproved or ContractRule.VersionMismatch => StatusCodes.Status409Conflict,
        ContractRule.ActorNotAllowed => StatusCodes.Status403Forbidden,
        _ => StatusCodes.Status400BadRequest,
    };

    internal static bool TryReadIfMatch(HttpRequest request, out int? revision)
    {
        revision = null;
        var text = request.Headers.IfMatch.ToString();
        if (text.Length == 0)
        {
            return true;
        }

        var unquoted = text.StartsWith("W/", StringComparison.Ordinal) ? text[2..] : text;
        if (unquoted.Length > 2 && unquoted[0] == '"' && unquoted[^1] == '"'
            && int.TryParse(unquoted[1..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            revision = parsed;
            return true;
        }

        return false;
    }

    private static CallerRole[] ActingRoles(string? requested, CallerRole[] allowed) =>
        requested is null ? allowed : CallerRoles.TryParse(requested, out var role) && allowed.Contains(role) ? [role] : [];

    // The first of the roles this action may be taken in that the caller holds: a caller with both finance and approver
    // roles approves as an approver unless the request names "role": "finance".
    internal static ContractCaller? CallerFor(CallerContext caller, CallerRole[] actingAs)
    {
        foreach (var role in actingAs)
        {
            if (!caller.Has(role))
            {
                continue;
            }

            var subject = caller.Subject.Length > 0 ? caller.Subject : caller.PartyId?.Value ?? "unknown";
            var actor = Actor.Create(ToActorRole(role), subject, "sub");
            if (!actor.IsValid)
            {
                return null;
            }

            var party = caller.PartyId?.Value;
            return new ContractCaller(
                actor.Value,
                role == CallerRole.Merchant && MerchantId.TryParse(party, out var merchant) ? merchant : null,
                role == CallerRole.Vendor && VendorId.TryParse(party, out var vendor) ? vendor : null);
        }

        return null;
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

/// <summary>Optional body of POST approvals.</summary>
/// <param name="Version">The version the approver saw; refused if another awaits approval.</param>
/// <param name="Role">For a caller holding both: <c>approver</c> or <c>finance</c>.</param>
public sealed record ApprovalRequest(int? Version, string? Role);

/// <summary>Optional body of POST signatures.</summary>
/// <param name="Version">The version the signer saw; refused if another awaits signature.</param>
public sealed record SignatureRequest(int? Version);

/// <summary>Body of suspend and terminate.</summary>
/// <param name="Reason">Why: 1 to 500 characters.</param>
public sealed record ReasonRequest(string? Reason);

/// <summary>A page of contracts.</summary>
/// <param name="Items">The contracts.</param>
/// <param name="ContinuationToken">Pass back as <c>continuationToken</c> for the next page; null on the last.</param>
public sealed record ContractListResponse(IReadOnlyList<ContractView> Items, string? ContinuationToken);
