namespace ServiceLedger.Functions.Apis;

using ServiceLedger.Functions.Auth;
using ServiceLedger.Functions.Statements;

/// <summary>Receivables over HTTP (finance): ageing of unpaid statement balances.</summary>
public static class ReceivablesApi
{
    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapReceivablesApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/api/receivables/ageing", async (StatementQueries statements, CancellationToken cancellationToken) =>
                TypedResults.Ok(await statements.AgeingAsync(cancellationToken).ConfigureAwait(false)))
            .WithTags("Statements").WithName("ReceivablesAgeing")
            .WithSummary("Unpaid statement balances by days overdue (current, 1-30, 31-60, 61-90, 90+) as of today in each contract's time zone; a payment recorded for a statement settles that statement, other credits to the merchant's receivable settle the oldest first.")
            .RequireRoles(CallerRole.Finance);
        return app;
    }
}
