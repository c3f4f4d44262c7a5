namespace ServiceLedger.Functions.Apis;

using System.Text;
using Microsoft.AspNetCore.Mvc;
using ServiceLedger.Domain.Billing;
using ServiceLedger.Functions.Auth;
using ServiceLedger.Functions.Billing;
using ServiceLedger.Functions.Errors;

/// <summary>
/// Service reports (docs/service-reports.md): the vendor PUTs a contract's figures for a period (201 with the new version,
/// 200 when they equal the latest: a retry), or imports many in one CSV file; the contract's parties and finance GET every
/// version; the merchant confirms or contests the latest. 404 for a contract the caller is not party to in that role.
/// </summary>
public static class ServiceReportsApi
{
    private const string ByPeriod = "/api/contracts/{contractId}/service-reports/{period}";

    private static readonly CallerRole[] Vendors = [CallerRole.Vendor];
    private static readonly CallerRole[] Merchants = [CallerRole.Merchant];
    private static readonly CallerRole[] Readers = [CallerRole.Vendor, CallerRole.Merchant, CallerRole.Finance];

    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapServiceReportsApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPut(ByPeriod, (string contractId, string period, ServiceFiguresInput? body, CallerContext caller, ServiceReporting reports, CancellationToken cancellationToken) =>
                Run(caller, Vendors, who => reports.SubmitAsync(who, contractId, period, body, cancellationToken), created: true))
            .WithName("SubmitServiceReport").WithSummary("The contract's vendor reports a period's figures: 201 with a new version, 200 when equal to the latest.")
            .RequireRoles(Vendors);
        app.MapGet(ByPeriod, (string contractId, string period, CallerContext caller, ServiceReporting reports, CancellationToken cancellationToken) =>
                Run(caller, Readers, who => reports.ReadAsync(who, contractId, period, cancellationToken), created: false))
            .WithName("GetServiceReport").WithSummary("A period's service report: the latest version and every version (vendor, merchant, finance).")
            .RequireRoles(Readers);
        app.MapPost(ByPeriod + "/confirmation", (string contractId, string period, ConfirmServiceReportRequest? body, CallerContext caller, ServiceReporting reports, CancellationToken cancellationToken) =>
                Run(caller, Merchants, who => reports.ReviewAsync(who, contractId, period, body?.Version, contest: false, reason: null, cancellationToken), created: false))
            .WithName("ConfirmServiceReport").WithSummary("The contract's merchant confirms the latest version.")
            .RequireRoles(Merchants);
        app.MapPost(ByPeriod + "/contest", (string contractId, string period, ContestServiceReportRequest? body, CallerContext caller, ServiceReporting reports, CancellationToken cancellationToken) =>
                Run(caller, Merchants, who => reports.ReviewAsync(who, contractId, period, body?.Version, contest: true, body?.Reason, cancellationToken), created: false))
            .WithName("ContestServiceReport").WithSummary("The contract's merchant contests the latest version, with a reason.")
            .RequireRoles(Merchants);
        app.MapPost("/api/service-reports/import", ImportAsync)
            .WithName("ImportServiceReports").WithSummary("The vendor imports many service reports from one CSV file: every row is checked first; one bad row and nothing is stored.")
            .Accepts<string>("text/csv")
            .WithMetadata(new RequestSizeLimitAttribute(ServiceReportImport.MaxBytes))
            .RequireRoles(Vendors);
        return app;
    }

    private static async Task<IResult> Run(
        CallerContext caller, CallerRole[] actingAs, Func<BillingCaller, Task<BillingOutcome<ServiceReportHistory>>> action, bool created)
    {
        var who = BillingCaller.From(caller, actingAs);
        if (who is null)
        {
            return TypedResults.Forbid();
        }

        return await action(who).ConfigureAwait(false) switch
        {
            BillingOutcome<ServiceReportHistory>.Done { Created: true } done when created =>
                TypedResults.Created($"/api/contracts/{done.Value.Contract}/service-reports/{done.Value.Period}", BillingJson.ToView(done.Value)),
            BillingOutcome<ServiceReportHistory>.Done done => TypedResults.Ok(BillingJson.ToView(done.Value)),
            BillingOutcome<ServiceReportHistory>.Refused refused => ApiProblems.Refused(refused.Refusals, refused.Status),
            BillingOutcome<ServiceReportHistory>.NotFound => ApiProblems.NotFound("contract"),
            var other => throw new InvalidOperationException($"Unknown outcome {other.GetType().Name}."),
        };
    }

    private static async Task<IResult> ImportAsync(HttpRequest request, CallerContext caller, ServiceReportImport import, CancellationToken cancellationToken)
    {
        var who = BillingCaller.From(caller, Vendors);
        if (who is null)
        {
            return TypedResults.Forbid();
        }

        // The body is bounded by the endpoint's RequestSizeLimit (RequestBodyLimit answers 413 above it); a UTF-8 BOM is dropped here.
        using var reader = new StreamReader(request.Body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false), detectEncodingFromByteOrderMarks: true);
        var text = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        return await import.ImportAsync(who, text, cancellationToken).ConfigureAwait(false) switch
        {
            BillingOutcome<IReadOnlyList<ImportedReport>>.Done done => TypedResults.Ok(new ServiceReportImportView(
                done.Value.Count(row => row.Created), done.Value.Count(row => !row.Created), done.Value)),
            BillingOutcome<IReadOnlyList<ImportedReport>>.Refused refused => ApiProblems.Refused(refused.Refusals, refused.Status),
            var other => throw new InvalidOperationException($"Unknown outcome {other.GetType().Name}."),
        };
    }
}
