namespace ServiceLedger.Functions.Apis;

using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Functions.Auth;
using ServiceLedger.Functions.Errors;
using ServiceLedger.Functions.Settlement;

/// <summary>
/// Settlement runs over HTTP (finance): POST /api/settlement-runs <c>{"period": "2027-03"}</c> starts a run and answers 202
/// with the run's URL; GET /api/settlement-runs/{runId} shows its progress (due, queued, settled, held, failed) while it runs,
/// with the held and failed contracts and their reasons.
/// </summary>
public static class SettlementRunsApi
{
    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapSettlementRunsApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var runs = app.MapGroup("/api/settlement-runs").WithTags("Settlement");
        runs.MapPost("/", StartAsync)
            .WithName("StartSettlementRun")
            .WithSummary("Starts a settlement run for a period: every active contract whose period has ended in its own time zone is settled once.")
            .RequireRoles(CallerRole.Finance);
        runs.MapGet("/{runId}", ReadAsync)
            .WithName("GetSettlementRun")
            .WithSummary("A run's progress: due, queued, settled, held and failed contracts, with the reasons of held and failed ones.")
            .RequireRoles(CallerRole.Finance);
        return app;
    }

    private static async Task<Results<Accepted<SettlementRunView>, ProblemHttpResult>> StartAsync(
        StartSettlementRunRequest? body, CallerContext caller, SettlementRuns runs, SettlementRunStore store, CancellationToken cancellationToken)
    {
        var period = SettlementPeriod.Parse(body?.Period, "period");
        if (!period.IsValid)
        {
            return ApiProblems.Refused(period.Refusals);
        }

        var run = await runs.StartAsync(period.Value, SettlementRuns.HttpTrigger, caller.Subject.Length == 0 ? "finance" : caller.Subject, null, cancellationToken).ConfigureAwait(false);
        var status = await store.ReadStatusAsync(run.Id, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Run {run.Id} was just stored and cannot be read.");
        return TypedResults.Accepted("/api/settlement-runs/" + run.Id.Value, SettlementRunView.Of(status));
    }

    private static async Task<Results<Ok<SettlementRunView>, ProblemHttpResult>> ReadAsync(string runId, SettlementRunStore store, CancellationToken cancellationToken)
    {
        var status = SettlementRunId.TryParse(runId, out var id) ? await store.ReadStatusAsync(id, cancellationToken).ConfigureAwait(false) : null;
        return status is null ? ApiProblems.NotFound("settlement run") : TypedResults.Ok(SettlementRunView.Of(status));
    }
}

/// <summary>The body of POST /api/settlement-runs.</summary>
/// <param name="Period">The period to settle: <c>2027-03</c> (monthly contracts) or <c>2027-Q1</c> (quarterly contracts).</param>
public sealed record StartSettlementRunRequest(string? Period);

/// <summary>A run's counts.</summary>
/// <param name="Due">Contracts enqueued so far (final once <c>enumerationComplete</c>).</param>
/// <param name="Queued">Not finished yet.</param>
/// <param name="Settled">Settled (now or before, with the same inputs).</param>
/// <param name="Held">Held, e.g. waiting for a service report.</param>
/// <param name="Failed">Failed after retries or refused.</param>
public sealed record SettlementRunCounts(int Due, int Queued, int Settled, int Held, int Failed);

/// <summary>A held or failed contract in a run.</summary>
/// <param name="ContractId">The contract.</param>
/// <param name="Outcome"><c>Held</c> or <c>Failed</c>.</param>
/// <param name="Reason">Why.</param>
public sealed record SettlementRunContractView(string ContractId, string Outcome, string? Reason);

/// <summary>A settlement run on the wire.</summary>
/// <param name="RunId">The run id.</param>
/// <param name="Period">The period.</param>
/// <param name="Trigger"><c>http</c> or <c>timer</c>.</param>
/// <param name="StartedAt">UTC instant.</param>
/// <param name="StartedBy">Who or what started it.</param>
/// <param name="EnumerationComplete">True once every due contract is enqueued.</param>
/// <param name="Counts">Progress.</param>
/// <param name="NeedingAttention">Held and failed contracts (at most 100 listed).</param>
public sealed record SettlementRunView(
    string RunId,
    string Period,
    string Trigger,
    string StartedAt,
    string StartedBy,
    bool EnumerationComplete,
    SettlementRunCounts Counts,
    IReadOnlyList<SettlementRunContractView> NeedingAttention)
{
    /// <summary>The wire form of <paramref name="status"/>.</summary>
    public static SettlementRunView Of(SettlementRunStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var run = status.Run;
        return new(
            run.Id.Value,
            run.Id.Period.ToString(),
            run.Trigger,
            run.StartedAt.ToString("uuuu-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            run.StartedBy,
            run.EnumerationComplete,
            new SettlementRunCounts(status.Due, status.Queued, status.Settled, status.Held, status.Failed),
            status.NeedingAttention.Select(outcome => new SettlementRunContractView(outcome.Contract.Value, outcome.Outcome.ToString(), outcome.Reason)).ToArray());
    }
}
