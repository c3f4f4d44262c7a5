namespace ServiceLedger.Functions.Apis;

using ServiceLedger.Domain.Billing;
using ServiceLedger.Functions.Auth;
using ServiceLedger.Functions.Billing;
using ServiceLedger.Functions.Errors;

/// <summary>
/// Merchants' shop exports (docs/service-reports.md): the contract's merchant PUTs its own figures for a period (orders
/// handled by customer service, converted orders, sales) for reconciliation against the vendor's report; 201 with a new
/// version, 200 when equal to the latest. The merchant and finance GET every version.
/// </summary>
public static class ShopExportsApi
{
    private const string ByPeriod = "/api/contracts/{contractId}/shop-exports/{period}";

    private static readonly CallerRole[] Merchants = [CallerRole.Merchant];
    private static readonly CallerRole[] Readers = [CallerRole.Merchant, CallerRole.Finance];

    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapShopExportsApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPut(ByPeriod, (string contractId, string period, ShopFiguresInput? body, CallerContext caller, ShopExporting exports, CancellationToken cancellationToken) =>
                Run(contractId, period, caller, Merchants, who => exports.SubmitAsync(who, contractId, period, body, cancellationToken)))
            .WithName("SubmitShopExport").WithSummary("The contract's merchant sends its shop's figures for a period: 201 with a new version, 200 when equal to the latest.")
            .RequireRoles(Merchants);
        app.MapGet(ByPeriod, (string contractId, string period, CallerContext caller, ShopExporting exports, CancellationToken cancellationToken) =>
                Run(contractId, period, caller, Readers, who => exports.ReadAsync(who, contractId, period, cancellationToken)))
            .WithName("GetShopExport").WithSummary("A period's shop export: the latest version and every version (merchant, finance).")
            .RequireRoles(Readers);
        return app;
    }

    private static async Task<IResult> Run(
        string contractId, string period, CallerContext caller, CallerRole[] actingAs, Func<BillingCaller, Task<BillingOutcome<IReadOnlyList<ShopExport>>>> action)
    {
        var who = BillingCaller.From(caller, actingAs);
        if (who is null)
        {
            return TypedResults.Forbid();
        }

        return await action(who).ConfigureAwait(false) switch
        {
            BillingOutcome<IReadOnlyList<ShopExport>>.Done { Created: true } done =>
                TypedResults.Created($"/api/contracts/{contractId}/shop-exports/{period}", BillingJson.ToView(contractId, period, done.Value)),
            BillingOutcome<IReadOnlyList<ShopExport>>.Done done => TypedResults.Ok(BillingJson.ToView(contractId, period, done.Value)),
            BillingOutcome<IReadOnlyList<ShopExport>>.Refused refused => ApiProblems.Refused(refused.Refusals, refused.Status),
            BillingOutcome<IReadOnlyList<ShopExport>>.NotFound => ApiProblems.NotFound("contract"),
            var other => throw new InvalidOperationException($"Unknown outcome {other.GetType().Name}."),
        };
    }
}
