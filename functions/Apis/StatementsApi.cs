namespace ServiceLedger.Functions.Apis;

using Microsoft.AspNetCore.Http.HttpResults;
using ServiceLedger.Functions.Auth;
using ServiceLedger.Functions.Errors;
using ServiceLedger.Functions.Payments;
using ServiceLedger.Functions.Statements;

/// <summary>
/// Statements over HTTP: merchants read theirs, vendors theirs and their commission statements, finance everything. A
/// statement or vendor the caller may not see answers 404, like one that does not exist.
/// </summary>
public static class StatementsApi
{
    private static readonly CallerRole[] Readers = [CallerRole.Merchant, CallerRole.Vendor, CallerRole.Finance];

    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapStatementsApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/api/statements", ListAsync)
            .WithTags("Statements").WithName("ListStatements")
            .WithSummary("Statements the caller may see (merchants and vendors their own, finance all), filtered by contractId and period, paged.")
            .RequireRoles(Readers);
        app.MapGet("/api/statements/{statementId}", GetAsync)
            .WithTags("Statements").WithName("GetStatement")
            .WithSummary("One statement with every line and how it was computed, its memo lines (credit notes), and what is paid and credited of it (paid, credited, outstanding, payments); or a recomputed statement a correction names (recomputedFor, carriedBy; not payable); a correction-only statement names the final statement it follows (correctionOnlyAfter).")
            .RequireRoles(Readers);
        app.MapGet("/api/vendors/{vendorId}/commission-statements/{period}", CommissionAsync)
            .WithTags("Statements").WithName("GetCommissionStatement")
            .WithSummary("A vendor's commission statement for a period: per contract sales, conversion, tier rate, commission, fees, credits, holds, net payable; and payments made.")
            .RequireRoles(CallerRole.Vendor, CallerRole.Finance);
        return app;
    }

    private static async Task<Results<Ok<StatementListView>, ProblemHttpResult>> ListAsync(
        string? contractId, string? period, int? pageSize, string? continuationToken, CallerContext caller, StatementQueries statements, CancellationToken cancellationToken)
    {
        var page = await statements.ListAsync(caller, contractId, period, pageSize, continuationToken, cancellationToken).ConfigureAwait(false);
        return page.IsValid
            ? TypedResults.Ok(new StatementListView(page.Value.Statements.Select(StatementView.Of).ToArray(), page.Value.ContinuationToken))
            : ApiProblems.Refused(page.Refusals);
    }

    private static async Task<Results<Ok<StatementView>, ProblemHttpResult>> GetAsync(
        string statementId, CallerContext caller, StatementQueries statements, StatementPaymentStore payments, CreditNoteStore creditNotes, CancellationToken cancellationToken)
    {
        var statement = await statements.GetAsync(caller, statementId, cancellationToken).ConfigureAwait(false);
        if (statement is null)
        {
            return ApiProblems.NotFound("statement");
        }

        // A recomputed statement is not payable: no payments, no credit notes, nothing outstanding.
        return statement.IsRecomputed
            ? TypedResults.Ok(StatementView.Of(statement))
            : TypedResults.Ok(StatementView.Of(statement)
                .WithPayments(statement, await payments.ReadAsync(statement, cancellationToken).ConfigureAwait(false))
                .WithCreditNotes(await creditNotes.ReadAsync(statement, cancellationToken).ConfigureAwait(false)));
    }

    private static async Task<Results<Ok<CommissionStatementView>, ProblemHttpResult>> CommissionAsync(
        string vendorId, string period, CallerContext caller, StatementQueries statements, CancellationToken cancellationToken)
    {
        var commission = await statements.CommissionAsync(caller, vendorId, period, cancellationToken).ConfigureAwait(false);
        return commission switch
        {
            null => ApiProblems.NotFound("vendor"),
            { IsValid: false } => ApiProblems.Refused(commission.Refusals),
            _ => TypedResults.Ok(commission.Value),
        };
    }
}
