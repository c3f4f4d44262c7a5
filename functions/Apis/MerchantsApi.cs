using Microsoft.AspNetCore.Mvc;
using ServiceLedger.Domain.Parties;
using ServiceLedger.Functions.Auth;
using ServiceLedger.Functions.Errors;
using ServiceLedger.Functions.Parties;

namespace ServiceLedger.Functions.Apis;

/// <summary>
/// POST /api/merchants (sign-up) and GET /api/merchants/{merchantId}. Sign-up is open to any signed-in caller who is not
/// yet a tenant (a token without the merchant or vendor role: the person exists in the directory, the merchant does not
/// yet), and to finance signing a merchant up on its behalf. The answer carries the new merchant id, which the directory
/// then puts in the person's <c>party_id</c> claim (docs/parties.md).
/// </summary>
public static class MerchantsApi
{
    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapMerchantsApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var group = app.MapGroup("/api/merchants").WithTags("Merchants");
        group.MapPost("/", SignUpAsync)
            .WithName("MerchantsSignUp")
            .WithSummary("Sign a merchant up: legal name, contact, shops, billing currency, time zone. 409 when a shop is taken.")
            .RequireAuthorization(PartyCallers.SignedIn);
        group.MapGet("/{merchantId}", GetAsync)
            .WithName("MerchantsGet")
            .WithSummary("One merchant: the merchant itself, finance or an approver.")
            .RequireRoles(CallerRole.Merchant, CallerRole.Finance, CallerRole.Approver);
        return app;
    }

    private static async Task<IResult> SignUpAsync(
        [FromBody] MerchantSignUp form,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        CallerContext caller,
        SignUpMerchant signUp,
        CancellationToken cancellationToken)
    {
        if (PartyCallers.Newcomer(caller, ActorRole.Merchant) is not { } actor)
        {
            return PartyCallers.AlreadyATenant();
        }

        return await signUp.RunAsync(form, actor, idempotencyKey, cancellationToken).ConfigureAwait(false) switch
        {
            SignUpOutcome.SignedUp { Created: true } done => TypedResults.Created($"/api/merchants/{done.Merchant.Id}", PartyJson.ToResponse(done.Merchant)),
            SignUpOutcome.SignedUp again => TypedResults.Ok(PartyJson.ToResponse(again.Merchant)),
            SignUpOutcome.Conflict conflict => ApiProblems.Refused(conflict.Refusal, StatusCodes.Status409Conflict),
            SignUpOutcome.Refused refused => ApiProblems.Refused(refused.Refusals),
            var other => throw new InvalidOperationException($"Unknown outcome {other}."),
        };
    }

    private static async Task<IResult> GetAsync(string merchantId, CallerContext caller, IMerchantStore merchants, CancellationToken cancellationToken)
    {
        if (!MerchantId.TryParse(merchantId, out var id) || !PartyId.TryParse(id.Value, out var owner) || !caller.CanSee(owner))
        {
            return ApiProblems.NotFound("merchant");
        }

        var merchant = await merchants.GetAsync(id, cancellationToken).ConfigureAwait(false);
        return merchant is null ? ApiProblems.NotFound("merchant") : TypedResults.Ok(PartyJson.ToResponse(merchant));
    }
}
