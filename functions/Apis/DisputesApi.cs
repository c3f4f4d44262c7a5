namespace ServiceLedger.Functions.Apis;

using ServiceLedger.Domain;
using ServiceLedger.Domain.Disputes;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Functions.Auth;
using ServiceLedger.Functions.Contracts;
using ServiceLedger.Functions.Disputes;
using ServiceLedger.Functions.Errors;

/// <summary>
/// /api/disputes: open a dispute on a statement line, read and list them, comment, add evidence, and (finance) note,
/// review, escalate, resolve, close and submit chargeback evidence to Stripe. Thin: each endpoint picks the role the
/// caller acts in, calls one <see cref="DisputeDesk"/> use case and maps its result: 200/201 with the dispute (actions
/// filtered for the reader) and its <c>ETag</c>; 400 naming the field; 403 for a role that may not act; 404 for a dispute
/// the caller may not see; 409 for an illegal transition, a line already disputed, or a stale <c>If-Match</c>.
/// </summary>
public static class DisputesApi
{
    private static readonly CallerRole[] Parties = [CallerRole.Merchant, CallerRole.Vendor];
    private static readonly CallerRole[] Readers = [CallerRole.Finance, CallerRole.Merchant, CallerRole.Vendor];
    private static readonly CallerRole[] Finance = [CallerRole.Finance];

    private const string ById = "/api/disputes/{disputeId}";

    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapDisputesApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost("/api/disputes", async (OpenDisputeRequest? body, HttpRequest request, CallerContext caller, DisputeDesk desk, CancellationToken cancellationToken) =>
                ContractsApi.CallerFor(caller, Parties) is { } who
                    ? Map(await desk.OpenAsync(who, body ?? new OpenDisputeRequest(null, null, null, null, null, null, null), cancellationToken).ConfigureAwait(false), who, request.HttpContext.Response)
                    : TypedResults.Forbid())
            .WithName("OpenDispute").WithSummary("Opens a dispute on a statement line (or the whole statement) for the contract's merchant or vendor; the amount is held until resolved. A retry with the same requestId answers the same dispute.")
            .RequireRoles(Parties);
        app.MapGet("/api/disputes", ListAsync)
            .WithName("ListDisputes").WithSummary("Disputes the caller may see (parties their own, finance all), by state, contractId, merchantId, vendorId, minAmount, minAgeDays, with totals on hold.")
            .RequireRoles(Readers);
        app.MapGet(ById, async (string disputeId, HttpRequest request, CallerContext caller, DisputeDesk desk, CancellationToken cancellationToken) =>
                ContractsApi.CallerFor(caller, Readers) is { } who
                    ? Map(await desk.GetAsync(who, disputeId, cancellationToken).ConfigureAwait(false), who, request.HttpContext.Response)
                    : TypedResults.Forbid())
            .WithName("GetDispute").WithSummary("One dispute with every action the caller may read (internal notes are finance-only).")
            .RequireRoles(Readers);
        app.MapPost(ById + "/comments", (string disputeId, TextRequest? body, HttpRequest request, CallerContext caller, DisputeDesk desk, CancellationToken cancellationToken) =>
                Act(request, caller, Readers, desk, disputeId, (dispute, at) => dispute.Comment(body?.Text, at), cancellationToken))
            .WithName("CommentOnDispute").WithSummary("Adds a comment both parties and finance can read.")
            .RequireRoles(Readers);
        app.MapPost(ById + "/evidence", (string disputeId, EvidenceRequest? body, HttpRequest request, CallerContext caller, DisputeDesk desk, CancellationToken cancellationToken) =>
                ActWithDocuments(request, caller, desk, disputeId, body, cancellationToken))
            .WithName("AddDisputeEvidence").WithSummary("Adds evidence text and document references (name, contentType, sizeBytes, sha256) while unresolved.")
            .RequireRoles(Readers);
        app.MapPost(ById + "/notes", (string disputeId, TextRequest? body, HttpRequest request, CallerContext caller, DisputeDesk desk, CancellationToken cancellationToken) =>
                Act(request, caller, Finance, desk, disputeId, (dispute, at) => dispute.AddInternalNote(body?.Text, at), cancellationToken))
            .WithName("AddDisputeNote").WithSummary("Adds an internal note only finance can read.")
            .RequireRoles(Finance);
        app.MapPost(ById + "/review", (string disputeId, TextRequest? body, HttpRequest request, CallerContext caller, DisputeDesk desk, CancellationToken cancellationToken) =>
                Act(request, caller, Finance, desk, disputeId, (dispute, at) => dispute.StartReview(body?.Text, at), cancellationToken))
            .WithName("ReviewDispute").WithSummary("Takes an open dispute under review (Open → UnderReview), starting the review deadline.")
            .RequireRoles(Finance);
        app.MapPost(ById + "/escalation", (string disputeId, TextRequest? body, HttpRequest request, CallerContext caller, DisputeDesk desk, CancellationToken cancellationToken) =>
                Act(request, caller, Finance, desk, disputeId, (dispute, at) => dispute.Escalate(body?.Text, at), cancellationToken))
            .WithName("EscalateDispute").WithSummary("Sends a dispute to mediation (Open or UnderReview → Escalated), with a reason.")
            .RequireRoles(Finance);
        app.MapPost(ById + "/resolution", ResolveAsync)
            .WithName("ResolveDispute").WithSummary("Decides a dispute under review or escalated: accepted, partiallyAccepted (with amount) or rejected; an accepted amount is booked once as a credit note (dispute:{id}:resolution).")
            .RequireRoles(Finance);
        app.MapPost(ById + "/close", (string disputeId, TextRequest? body, HttpRequest request, CallerContext caller, DisputeDesk desk, CancellationToken cancellationToken) =>
                Act(request, caller, Finance, desk, disputeId, (dispute, at) => dispute.Close(body?.Text, at), cancellationToken))
            .WithName("CloseDispute").WithSummary("Closes a resolved dispute (final).")
            .RequireRoles(Finance);
        app.MapPost(ById + "/stripe-evidence", async (string disputeId, TextRequest? body, HttpRequest request, CallerContext caller, DisputeDesk desk, CancellationToken cancellationToken) =>
                ContractsApi.CallerFor(caller, Finance) is { } who
                    ? Map(await desk.SubmitStripeEvidenceAsync(who, disputeId, body?.Text, cancellationToken).ConfigureAwait(false), who, request.HttpContext.Response)
                    : TypedResults.Forbid())
            .WithName("SubmitChargebackEvidence").WithSummary("Submits evidence text for a card chargeback to Stripe before its due date, and records it.")
            .RequireRoles(Finance);
        return app;
    }

    private static async Task<IResult> ListAsync(
        string? state, string? contractId, string? merchantId, string? vendorId, string? minAmount, int? minAgeDays, CallerContext caller, DisputeDesk desk, CancellationToken cancellationToken)
    {
        if (ContractsApi.CallerFor(caller, Readers) is not { } who)
        {
            return TypedResults.Forbid();
        }

        var (list, refusals) = await desk.ListAsync(who, new DisputeQuery(state, contractId, merchantId, vendorId, minAmount, minAgeDays), cancellationToken).ConfigureAwait(false);
        return list is null ? ApiProblems.Refused(refusals) : TypedResults.Ok(list);
    }

    private static async Task<IResult> ResolveAsync(
        string disputeId, DisputeResolutionRequest? body, HttpRequest request, CallerContext caller, DisputeDesk desk, CancellationToken cancellationToken)
    {
        if (ContractsApi.CallerFor(caller, Finance) is not { } who)
        {
            return TypedResults.Forbid();
        }

        if (!ContractsApi.TryReadIfMatch(request, out var revision))
        {
            return IfMatchRefused();
        }

        var result = await desk.ResolveAsync(who, disputeId, body?.Outcome, body?.Amount, body?.Text, revision, cancellationToken).ConfigureAwait(false);
        return Map(result, who, request.HttpContext.Response);
    }

    private static Task<IResult> ActWithDocuments(HttpRequest request, CallerContext caller, DisputeDesk desk, string disputeId, EvidenceRequest? body, CancellationToken cancellationToken)
    {
        var refusals = new List<Refusal>();
        var documents = DisputeDesk.ReadDocuments(body?.Documents, "documents", refusals);
        return refusals.Count > 0
            ? Task.FromResult<IResult>(ApiProblems.Refused(refusals))
            : Act(request, caller, Readers, desk, disputeId, (dispute, at) => dispute.AddEvidence(body?.Text, documents, at), cancellationToken);
    }

    private static async Task<IResult> Act(
        HttpRequest request, CallerContext caller, CallerRole[] actingAs, DisputeDesk desk, string disputeId, Func<Dispute, DisputeClock, Validated<Dispute>> action, CancellationToken cancellationToken)
    {
        if (ContractsApi.CallerFor(caller, actingAs) is not { } who)
        {
            return TypedResults.Forbid();
        }

        if (!ContractsApi.TryReadIfMatch(request, out var revision))
        {
            return IfMatchRefused();
        }

        return Map(await desk.ActAsync(who, disputeId, revision, action, cancellationToken).ConfigureAwait(false), who, request.HttpContext.Response);
    }

    private static IResult Map(DisputeResult result, ContractCaller who, HttpResponse response)
    {
        switch (result)
        {
            case DisputeResult.Done done:
                var view = DisputeJson.ToView(done.Stored.Dispute, who.Actor.Role);
                response.Headers.ETag = ContractJson.ETagOf(view.Revision);
                return done.Created ? TypedResults.Created($"/api/disputes/{view.Id}", view) : TypedResults.Ok(view);
            case DisputeResult.Refused refused:
                return ApiProblems.Refused(refused.Refusals, StatusFor(refused.Refusals[0].Code));
            case DisputeResult.NotFound:
                return ApiProblems.NotFound("dispute");
            case DisputeResult.Conflict conflict:
                var current = DisputeJson.ToView(conflict.Current.Dispute, who.Actor.Role);
                response.Headers.ETag = ContractJson.ETagOf(current.Revision);
                var problem = ApiProblems.ToProblemDetails(
                    [new Refusal("ConcurrentChange", "If-Match", $"Dispute {current.Id} is at revision {current.Revision} ({current.State}); someone changed it first. Read the current version in 'current' and decide again.")],
                    StatusCodes.Status409Conflict);
                problem.Extensions["current"] = current;
                return TypedResults.Problem(problem);
            default:
                throw new InvalidOperationException($"Unknown dispute result {result.GetType().Name}.");
        }
    }

    private static int StatusFor(string code) => code switch
    {
        DisputeRule.IllegalTransition or DisputeRule.AlreadyDisputed => StatusCodes.Status409Conflict,
        DisputeRule.RoleNotAllowed => StatusCodes.Status403Forbidden,
        _ => StatusCodes.Status400BadRequest,
    };

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult IfMatchRefused() =>
        ApiProblems.Refused(new Refusal(DisputeRule.TextInvalid, "If-Match", "Quote the dispute's ETag, e.g. If-Match: \"3\", or leave the header out."));
}

/// <summary>A body with one text.</summary>
/// <param name="Text">The comment, note, reason or evidence text.</param>
public sealed record TextRequest(string? Text);

/// <summary>Body of POST resolution.</summary>
/// <param name="Outcome">accepted, partiallyAccepted or rejected.</param>
/// <param name="Amount">The amount credited, for partiallyAccepted (and optionally accepted, equal to the contested amount).</param>
/// <param name="Text">The reason for the decision.</param>
public sealed record DisputeResolutionRequest(string? Outcome, MoneyView? Amount, string? Text);
