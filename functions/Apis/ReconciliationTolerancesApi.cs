using NodaTime.Text;
using ServiceLedger.Functions.Auth;
using ServiceLedger.Functions.Errors;
using ServiceLedger.Functions.Reconciliation;

namespace ServiceLedger.Functions.Apis;

/// <summary>
/// A contract's reconciliation tolerance over HTTP (finance only): read it (the default 1% until finance sets one) and set
/// it. The tolerance is a fraction on the wire like every rate (<c>"0.02"</c> for 2%). Endpoints parse, authorise, call
/// <see cref="ReconciliationTolerances"/> and map the result.
/// </summary>
public static class ReconciliationTolerancesApi
{
    /// <summary>Maps GET and PUT /api/contracts/{contractId}/reconciliation-tolerance.</summary>
    public static IEndpointRouteBuilder MapReconciliationTolerancesApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var group = app.MapGroup("/api/contracts/{contractId}/reconciliation-tolerance").WithTags("Reconciliations").RequireRoles(CallerRole.Finance);
        group.MapGet("/", GetAsync)
            .WithName("ReconciliationToleranceGet")
            .WithSummary("The contract's tolerance for vendor vs merchant figures: its own, or the default 1% (isDefault).");
        group.MapPut("/", SetAsync)
            .WithName("ReconciliationToleranceSet")
            .WithSummary("Set the contract's tolerance: { rate: \"0.02\", requestId? }, a fraction 0 to 1. The same requestId with another rate is 409.");
        return app;
    }

    private static async Task<IResult> GetAsync(string contractId, ReconciliationTolerances tolerances, CancellationToken cancellationToken) =>
        await tolerances.GetAsync(contractId, cancellationToken).ConfigureAwait(false) is { } tolerance
            ? TypedResults.Ok(ToleranceView.From(tolerance))
            : ApiProblems.NotFound("contract");

    private static async Task<IResult> SetAsync(string contractId, ToleranceBody? body, CallerContext caller, ReconciliationTolerances tolerances, CancellationToken cancellationToken) =>
        await tolerances.SetAsync(contractId, body?.Rate, body?.RequestId, caller.Subject.Length > 0 ? caller.Subject : "finance", cancellationToken).ConfigureAwait(false) switch
        {
            SetToleranceResult.Stored stored => TypedResults.Ok(ToleranceView.From(stored.Tolerance)),
            SetToleranceResult.NotFound => ApiProblems.NotFound("contract"),
            SetToleranceResult.Refused refused => ApiProblems.Refused(refused.Refusals, refused.Status),
            var other => throw new InvalidOperationException($"Unknown outcome {other}."),
        };

    /// <summary>PUT body.</summary>
    /// <param name="Rate">The tolerance as a fraction, <c>"0.02"</c> for 2%.</param>
    /// <param name="RequestId">Optional: repeat it to retry safely.</param>
    public sealed record ToleranceBody(string? Rate, string? RequestId);

    /// <summary>A tolerance on the wire.</summary>
    /// <param name="ContractId">The contract.</param>
    /// <param name="Rate">The fraction, e.g. <c>"0.01"</c>.</param>
    /// <param name="Percent">The same as a percentage, e.g. <c>"1%"</c>, for people.</param>
    /// <param name="IsDefault">True while finance has not set one.</param>
    /// <param name="SetBy">Who set it.</param>
    /// <param name="SetAt">When (UTC ISO 8601).</param>
    /// <param name="RequestId">The request id it was set with.</param>
    public sealed record ToleranceView(string ContractId, string Rate, string Percent, bool IsDefault, string? SetBy, string? SetAt, string? RequestId)
    {
        /// <summary>The view of a tolerance.</summary>
        public static ToleranceView From(ContractTolerance tolerance)
        {
            ArgumentNullException.ThrowIfNull(tolerance);
            return new ToleranceView(
                tolerance.ContractId,
                tolerance.Tolerance.ToString(),
                tolerance.Tolerance.ToPercentString(),
                tolerance.IsDefault,
                tolerance.SetBy,
                tolerance.SetAt is { } at ? InstantPattern.ExtendedIso.Format(at) : null,
                tolerance.RequestId);
        }
    }
}
