namespace ServiceLedger.Functions.Apis;

using Microsoft.AspNetCore.Http.HttpResults;
using ServiceLedger.Functions.Auth;
using ServiceLedger.Functions.Errors;
using ServiceLedger.Functions.Payments;

/// <summary>
/// Statement payments over HTTP (finance): record a merchant's bank transfer against the statement it pays. 201 with the
/// payment and the statement's balance; 200 with the same for a retry (same requestId and body); 400 naming the field;
/// 404 for an unknown statement; 409 for a requestId reused with another body.
/// </summary>
public static class StatementPaymentsApi
{
    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapStatementPaymentsApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost("/api/statements/{statementId}/payments", RecordAsync)
            .WithTags("Statements").WithName("RecordStatementPayment")
            .WithSummary("Records a merchant's payment of a statement {amount, receivedOn, reference, requestId}: posted once (payment:{statementId}:{requestId}) as Dr platform:bank / Cr merchant receivable; not beyond what is outstanding, not received in the future.")
            .RequireRoles(CallerRole.Finance);
        return app;
    }

    private static async Task<Results<Created<StatementPaymentRecordedView>, Ok<StatementPaymentRecordedView>, ProblemHttpResult>> RecordAsync(
        string statementId, RecordStatementPaymentRequest? body, RecordStatementPayment payments, CancellationToken cancellationToken) =>
        await payments.RecordAsync(statementId, body, cancellationToken).ConfigureAwait(false) switch
        {
            PaymentResult.Recorded { Created: true } recorded => TypedResults.Created($"/api/statements/{statementId}", StatementPaymentRecordedView.Of(recorded)),
            PaymentResult.Recorded recorded => TypedResults.Ok(StatementPaymentRecordedView.Of(recorded)),
            PaymentResult.Refused refused => ApiProblems.Refused(refused.Refusals),
            PaymentResult.Conflict conflict => ApiProblems.Refused(conflict.Refusal, StatusCodes.Status409Conflict),
            _ => ApiProblems.NotFound("statement"),
        };
}
