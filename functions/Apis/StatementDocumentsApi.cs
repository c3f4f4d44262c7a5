namespace ServiceLedger.Functions.Apis;

using System.Text;
using ServiceLedger.Functions.Auth;
using ServiceLedger.Functions.Errors;
using ServiceLedger.Functions.Statements;
using ServiceLedger.Functions.Statements.Rendering;

/// <summary>
/// Statements and commission statements as CSV and PDF downloads: the same content, readers and 404s as the JSON of
/// <see cref="StatementsApi"/> (which owns the queries), rendered by <see cref="StatementCsv"/> and <see cref="StatementPdf"/>.
/// </summary>
public static class StatementDocumentsApi
{
    private static readonly CallerRole[] StatementReaders = [CallerRole.Merchant, CallerRole.Vendor, CallerRole.Finance];
    private static readonly CallerRole[] CommissionReaders = [CallerRole.Vendor, CallerRole.Finance];

    /// <summary>Maps the four downloads.</summary>
    public static IEndpointRouteBuilder MapStatementDocumentsApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/api/statements/{statementId}.csv", (string statementId, CallerContext caller, StatementQueries statements, CancellationToken cancellationToken) =>
                StatementAsync(statementId, caller, statements, csv: true, cancellationToken))
            .WithTags("Statements").WithName("GetStatementCsv").WithSummary("One statement as CSV (RFC 4180): a row per line, then the summary.")
            .Produces(StatusCodes.Status200OK, contentType: StatementCsv.MediaType)
            .RequireRoles(StatementReaders);
        app.MapGet("/api/statements/{statementId}.pdf", (string statementId, CallerContext caller, StatementQueries statements, CancellationToken cancellationToken) =>
                StatementAsync(statementId, caller, statements, csv: false, cancellationToken))
            .WithTags("Statements").WithName("GetStatementPdf").WithSummary("One statement as PDF.")
            .Produces(StatusCodes.Status200OK, contentType: StatementPdf.MediaType)
            .RequireRoles(StatementReaders);
        app.MapGet("/api/vendors/{vendorId}/commission-statements/{period}.csv", (string vendorId, string period, CallerContext caller, StatementQueries statements, CancellationToken cancellationToken) =>
                CommissionAsync(vendorId, period, caller, statements, csv: true, cancellationToken))
            .WithTags("Statements").WithName("GetCommissionStatementCsv").WithSummary("A vendor's commission statement for a period as CSV: a row per contract, then totals per currency.")
            .Produces(StatusCodes.Status200OK, contentType: StatementCsv.MediaType)
            .RequireRoles(CommissionReaders);
        app.MapGet("/api/vendors/{vendorId}/commission-statements/{period}.pdf", (string vendorId, string period, CallerContext caller, StatementQueries statements, CancellationToken cancellationToken) =>
                CommissionAsync(vendorId, period, caller, statements, csv: false, cancellationToken))
            .WithTags("Statements").WithName("GetCommissionStatementPdf").WithSummary("A vendor's commission statement for a period as PDF.")
            .Produces(StatusCodes.Status200OK, contentType: StatementPdf.MediaType)
            .RequireRoles(CommissionReaders);
        return app;
    }

    private static async Task<IResult> StatementAsync(string statementId, CallerContext caller, StatementQueries statements, bool csv, CancellationToken cancellationToken)
    {
        var statement = await statements.GetAsync(caller, statementId, cancellationToken).ConfigureAwait(false);
        if (statement is null)
        {
            return ApiProblems.NotFound("statement");
        }

        var sheet = StatementSheet.Of(StatementView.Of(statement));
        return csv
            ? TypedResults.File(Encoding.UTF8.GetBytes(StatementCsv.Render(sheet)), StatementCsv.MediaType, statement.Id + ".csv")
            : TypedResults.File(StatementPdf.Render(sheet), StatementPdf.MediaType, statement.Id + ".pdf");
    }

    private static async Task<IResult> CommissionAsync(string vendorId, string period, CallerContext caller, StatementQueries statements, bool csv, CancellationToken cancellationToken)
    {
        var commission = await statements.CommissionAsync(caller, vendorId, period, cancellationToken).ConfigureAwait(false);
        if (commission is null)
        {
            return ApiProblems.NotFound("vendor");
        }

        if (!commission.IsValid)
        {
            return ApiProblems.Refused(commission.Refusals);
        }

        var sheet = CommissionSheet.Of(commission.Value);
        var name = $"commission-{sheet.Vendor}-{sheet.Period}";
        return csv
            ? TypedResults.File(Encoding.UTF8.GetBytes(StatementCsv.Render(sheet)), StatementCsv.MediaType, name + ".csv")
            : TypedResults.File(StatementPdf.Render(sheet), StatementPdf.MediaType, name + ".pdf");
    }
}
