using Microsoft.AspNetCore.Http.HttpResults;
using ServiceLedger.Functions.Errors;
using ServiceLedger.Functions.Stripe;

namespace ServiceLedger.Functions.Apis;

/// <summary>POST /api/stripe/webhook: Stripe's deliveries, authenticated by their signature alone (DESIGN.md §7).</summary>
public static class StripeWebhookApi
{
    /// <summary>
    /// Maps the webhook: reads the raw body (at most <see cref="ReceiveStripeEvent.MaxBodyBytes"/>), hands it to
    /// <see cref="ReceiveStripeEvent"/>, and answers 200 once the event is stored and enqueued (also for a repeated
    /// delivery), 400 problem details naming <c>Stripe-Signature</c> or the body when it cannot be verified or read,
    /// 413 when too large. Anonymous: a bearer token means nothing here, the signature is the authentication.
    /// </summary>
    public static IEndpointRouteBuilder MapStripeWebhookApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost("/api/stripe/webhook", ReceiveAsync)
            .WithName("StripeWebhook")
            .WithSummary("Receives a signed Stripe event: stored once by event id, enqueued for the ledger, answered fast.")
            .Accepts<object>("application/json")
            .AllowAnonymous();
        return app;
    }

    private static async Task<Results<Ok<StripeWebhookAnswer>, ProblemHttpResult>> ReceiveAsync(
        HttpRequest request, ReceiveStripeEvent receive, CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync(request, ReceiveStripeEvent.MaxBodyBytes, cancellationToken);
        var receipt = await receive.ReceiveAsync(
            request.Headers[Adapters.Stripe.StripeWebhookSignature.HeaderName].FirstOrDefault(), body, cancellationToken);
        return receipt.Refusal is { } refusal
            ? ApiProblems.Refused(refusal, receipt.Status)
            : TypedResults.Ok(new StripeWebhookAnswer(receipt.EventId!, receipt.Outcome == StripeEventReceiptOutcome.AlreadyStored));
    }

    // Reads at most limit + 1 bytes, so that an oversized body is recognised without buffering all of it.
    private static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return new byte[limit + 1];
        }

        var buffer = new byte[limit + 1];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await request.Body.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
        {
            total += read;
        }

        return buffer.AsMemory(0, total);
    }
}

/// <summary>What the webhook answers Stripe (Stripe only reads the status; the body helps people reading delivery logs).</summary>
/// <param name="EventId">The event id received.</param>
/// <param name="Duplicate">True when this event had been received before.</param>
public sealed record StripeWebhookAnswer(string EventId, bool Duplicate);
