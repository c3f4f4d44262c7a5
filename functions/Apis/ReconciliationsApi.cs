using System.Text;
using Microsoft.AspNetCore.Mvc;
using NodaTime.Text;
using ServiceLedger.Domain.Reconciliation;
using ServiceLedger.Functions.Auth;
using ServiceLedger.Functions.Errors;
using ServiceLedger.Functions.Reconciliation;

namespace ServiceLedger.Functions.Apis;

/// <summary>
/// Reconciliation runs over HTTP (finance only): start a run (202 with its URL), upload Stripe's CSV to a csv run, read the
/// run's progress and its exceptions (JSON or CSV), resolve an exception, and close the period (409 while any exception is
/// unresolved). Endpoints parse, authorise, call <see cref="ReconcilePeriod"/> and map the result.
/// </summary>
public static class ReconciliationsApi
{
    /// <summary>Maps the endpoints under /api/reconciliations.</summary>
    public static IEndpointRouteBuilder MapReconciliationsApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var group = app.MapGroup("/api/reconciliations").WithTags("Reconciliations").RequireRoles(CallerRole.Finance);
        group.MapPost("/", StartAsync)
            .WithName("ReconciliationsStart")
            .WithSummary("Start a reconciliation run for a month, quarter or year, from Stripe's API or an uploaded CSV; 202 with the run.");
        group.MapPost("/{runId}/stripe-csv", UploadCsvAsync)
            .WithName("ReconciliationsStripeCsv")
            .WithSummary("Upload Stripe's balance transactions CSV export (text/csv) to a csv run; the run is then enqueued.")
            .WithMetadata(new RequestSizeLimitAttribute(StripeItems.MaxCsvBytes));
        group.MapGet("/{runId}", GetAsync)
            .WithName("ReconciliationsGet")
            .WithSummary("A run: status, progress counts, report hash, who closed it and when.");
        group.MapGet("/{runId}/exceptions", ListExceptionsAsync)
            .WithName("ReconciliationsExceptions")
            .WithSummary("A run's exceptions with their resolutions, in report order; ?format=csv downloads CSV.");
        group.MapPost("/{runId}/exceptions/{exceptionId}/resolution", ResolveAsync)
            .WithName("ReconciliationsResolve")
            .WithSummary("Resolve an exception: acceptTiming, adjust (posts an adjusting entry) or openDispute, with a comment. Appended, never replaced.");
        group.MapPost("/{runId}/close", CloseAsync)
            .WithName("ReconciliationsClose")
            .WithSummary("Close the run's period; 409 while any exception is unresolved.");
        return app;
    }

    private static async Task<IResult> StartAsync(StartRunBody body, CallerContext caller, ReconcilePeriod reconcile, CancellationToken cancellationToken) =>
        await reconcile.StartAsync(body?.Period, body?.StripeSource, Who(caller), cancellationToken).ConfigureAwait(false) switch
        {
            StartRunResult.Started started => TypedResults.Accepted($"/api/reconciliations/{started.Run.RunId}", RunView.From(started.Run)),
            StartRunResult.Refused refused => ApiProblems.Refused(refused.Refusals),
            var other => throw new InvalidOperationException($"Unknown outcome {other}."),
        };

    private static async Task<IResult> UploadCsvAsync(string runId, HttpRequest request, ReconciliationStore store, ReconcilePeriod reconcile, CancellationToken cancellationToken)
    {
        var run = await store.GetRunAsync(runId, cancellationToken).ConfigureAwait(false);
        if (run is null)
        {
            return ApiProblems.NotFound("reconciliation run");
        }

        if (run.Status != RunStatus.AwaitingCsv)
        {
            return ApiProblems.Refused(
                new Domain.Refusal(ReconciliationRule.StripeCsvInvalid, "runId", $"Run {runId} is {run.Status}; only a csv run waiting for its file takes an upload."),
                StatusCodes.Status409Conflict);
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        var parsed = StripeItems.ParseCsv(buffer.ToArray());
        if (!parsed.IsValid)
        {
            return ApiProblems.Refused(parsed.Refusals);
        }

        var queued = await reconcile.AcceptCsvAsync(runId, parsed.Value, cancellationToken).ConfigureAwait(false);
        return queued is null ? ApiProblems.NotFound("reconciliation run") : TypedResults.Accepted($"/api/reconciliations/{runId}", RunView.From(queued));
    }

    private static async Task<IResult> GetAsync(string runId, ReconciliationStore store, CancellationToken cancellationToken) =>
        await store.GetRunAsync(runId, cancellationToken).ConfigureAwait(false) is { } run
            ? TypedResults.Ok(RunView.From(run))
            : ApiProblems.NotFound("reconciliation run");

    private static async Task<IResult> ListExceptionsAsync(string runId, string? format, ReconciliationStore store, CancellationToken cancellationToken)
    {
        if (await store.GetRunAsync(runId, cancellationToken).ConfigureAwait(false) is null)
        {
            return ApiProblems.NotFound("reconciliation run");
        }

        var exceptions = (await store.ListExceptionsAsync(runId, cancellationToken).ConfigureAwait(false)).Select(ExceptionView.From).ToArray();
        return format switch
        {
            null or "json" => TypedResults.Ok(exceptions),
            "csv" => TypedResults.File(Encoding.UTF8.GetBytes(ExceptionView.ToCsv(exceptions)), "text/csv", $"{runId}-exceptions.csv"),
            _ => ApiProblems.Refused(new Domain.Refusal(ReconciliationRule.ResolutionInvalid, "format", $"'{format}' is not a format: give json or csv.")),
        };
    }

    private static async Task<IResult> ResolveAsync(
        string runId, string exceptionId, ResolutionBody body, CallerContext caller, ReconcilePeriod reconcile, CancellationToken cancellationToken)
    {
        var request = ResolutionRequest.Parse(
            body?.Action,
            body?.Comment,
            body?.Adjustment?.Postings?.Select(posting => (posting?.Account, posting?.Side, posting?.Amount?.Amount, posting?.Amount?.Currency)).ToArray());
        if (!request.IsValid)
        {
            return ApiProblems.Refused(request.Refusals);
        }

        return await reconcile.ResolveAsync(runId, exceptionId, request.Value, Who(caller), cancellationToken).ConfigureAwait(false) switch
        {
            ResolveResult.Resolved resolved => TypedResults.Ok(ExceptionView.From(resolved.Exception)),
            ResolveResult.NotFound => ApiProblems.NotFound("reconciliation exception"),
            ResolveResult.Refused refused => ApiProblems.Refused(refused.Refusals),
            ResolveResult.Conflict conflict => ApiProblems.Refused(conflict.Refusal, StatusCodes.Status409Conflict),
            var other => throw new InvalidOperationException($"Unknown outcome {other}."),
        };
    }

    private static async Task<IResult> CloseAsync(string runId, CallerContext caller, ReconcilePeriod reconcile, CancellationToken cancellationToken) =>
        await reconcile.CloseAsync(runId, Who(caller), cancellationToken).ConfigureAwait(false) switch
        {
            CloseRunResult.Closed closed => TypedResults.Ok(RunView.From(closed.Run)),
            CloseRunResult.NotFound => ApiProblems.NotFound("reconciliation run"),
            CloseRunResult.Refused refused => ApiProblems.Refused(refused.Refusals, StatusCodes.Status409Conflict),
            var other => throw new InvalidOperationException($"Unknown outcome {other}."),
        };

    private static string Who(CallerContext caller) => caller.Subject.Length > 0 ? caller.Subject : "finance";

    /// <summary>POST /api/reconciliations body.</summary>
    /// <param name="Period"><c>2027-03</c>, <c>2027-Q1</c> or <c>2027</c>.</param>
    /// <param name="StripeSource"><c>api</c> or <c>csv</c>.</param>
    public sealed record StartRunBody(string? Period, string? StripeSource);

    /// <summary>Money on the wire.</summary>
    /// <param name="Amount">Decimal string.</param>
    /// <param name="Currency">ISO 4217 code.</param>
    public sealed record MoneyBody(string? Amount, string? Currency);

    /// <summary>One posting of an adjustment.</summary>
    /// <param name="Account">Account id, e.g. <c>platform:processing-fees</c>.</param>
    /// <param name="Side"><c>debit</c> or <c>credit</c>.</param>
    /// <param name="Amount">The amount.</param>
    public sealed record PostingBody(string? Account, string? Side, MoneyBody? Amount);

    /// <summary>An adjusting entry's postings.</summary>
    /// <param name="Postings">Two or more, balanced.</param>
    public sealed record AdjustmentBody(IReadOnlyList<PostingBody?>? Postings);

    /// <summary>POST …/resolution body.</summary>
    /// <param name="Action"><c>acceptTiming</c>, <c>adjust</c> or <c>openDispute</c>.</param>
    /// <param name="Comment">Why.</param>
    /// <param name="Adjustment">For adjust only.</param>
    public sealed record ResolutionBody(string? Action, string? Comment, AdjustmentBody? Adjustment);

    /// <summary>A run on the wire.</summary>
    public sealed record RunView(
        string RunId, string Period, string StripeSource, string Status, string RequestedBy, string RequestedAt, int StripeItems, int LedgerItems,
        int MatchedById, int MatchedByRule, int Exceptions, string? ReportHash, string? CompletedAt, string? Failure, string? ClosedBy, string? ClosedAt)
    {
        /// <summary>The view of a run.</summary>
        public static RunView From(ReconciliationRun run)
        {
            ArgumentNullException.ThrowIfNull(run);
            return new RunView(
                run.RunId,
                run.Period,
                run.StripeSource == Reconciliation.StripeSource.Csv ? "csv" : "api",
                char.ToLowerInvariant(run.Status.ToString()[0]) + run.Status.ToString()[1..],
                run.RequestedBy,
                InstantPattern.ExtendedIso.Format(run.RequestedAt),
                run.StripeItems,
                run.LedgerItems,
                run.MatchedById,
                run.MatchedByRule,
                run.Exceptions,
                run.ReportHash,
                run.CompletedAt is { } completed ? InstantPattern.ExtendedIso.Format(completed) : null,
                run.Failure,
                run.ClosedBy,
                run.ClosedAt is { } closed ? InstantPattern.ExtendedIso.Format(closed) : null);
        }
    }

    /// <summary>A resolution on the wire.</summary>
    public sealed record ResolutionView(string Action, string Comment, string ResolvedBy, string ResolvedAt, string? AdjustmentEntry);

    /// <summary>An exception on the wire.</summary>
    public sealed record ExceptionView(
        string ExceptionId, string Kind, string Subject, string Currency, ExceptionSide Left, ExceptionSide Right, string Detail, string SuggestedAction,
        bool Resolved, IReadOnlyList<ResolutionView> Resolutions)
    {
        private static readonly string[] CsvHeader =
            ["exceptionId", "kind", "subject", "currency", "leftSource", "leftFigure", "leftRefs", "rightSource", "rightFigure", "rightRefs", "suggestedAction", "resolved", "lastAction", "lastComment"];

        /// <summary>The view of a stored exception.</summary>
        public static ExceptionView From(ExceptionRecord stored)
        {
            ArgumentNullException.ThrowIfNull(stored);
            var line = stored.Line;
            return new ExceptionView(
                line.ExceptionId,
                line.Kind.ToString(),
                line.Subject,
                line.Currency,
                line.Left,
                line.Right,
                line.Detail,
                line.SuggestedAction,
                stored.IsResolved,
                [.. stored.Resolutions.Select(resolution => new ResolutionView(
                    resolution.Action, resolution.Comment, resolution.ResolvedBy, InstantPattern.ExtendedIso.Format(resolution.ResolvedAt), resolution.AdjustmentEntry))]);
        }

        /// <summary>The exceptions as CSV (RFC 4180, a header row, one row per exception).</summary>
        public static string ToCsv(IEnumerable<ExceptionView> exceptions)
        {
            var csv = new StringBuilder();
            csv.AppendJoin(',', CsvHeader).Append("\r\n");
            foreach (var view in exceptions)
            {
                var last = view.Resolutions.Count > 0 ? view.Resolutions[^1] : null;
                string[] fields =
                [
                    view.ExceptionId, view.Kind, view.Subject, view.Currency, view.Left.Source, view.Left.Figure, string.Join(' ', view.Left.Refs),
                    view.Right.Source, view.Right.Figure, string.Join(' ', view.Right.Refs), view.SuggestedAction,
                    view.Resolved ? "true" : "false", last?.Action ?? string.Empty, last?.Comment ?? string.Empty,
                ];
                csv.AppendJoin(',', fields.Select(Quote)).Append("\r\n");
            }

            return csv.ToString();
        }

        // Quotes every field and neutralises spreadsheet formulas (a leading =, +, - or @ is prefixed with ').
        private static string Quote(string field)
        {
            var safe = field.Length > 0 && field[0] is '=' or '+' or '-' or '@' ? "'" + field : field;
            return "\"" + safe.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        }
    }
}
