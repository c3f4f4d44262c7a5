using NodaTime;
using ServiceLedger.Domain;
using ServiceLedger.Domain.Parties;

namespace ServiceLedger.Functions.Parties;

/// <summary>
/// Signs a merchant up: checks the form, then stores the merchant and claims its shops. The merchant id derives from the
/// caller and the request's Idempotency-Key when there is one, so a retried request lands on the same merchant and
/// answers it again instead of creating a second; without a key every request gets a fresh id.
/// </summary>
public sealed class SignUpMerchant(IMerchantStore store, IClock clock)
{
    /// <summary>Longest Idempotency-Key accepted.</summary>
    public const int MaxIdempotencyKeyLength = 200;

    /// <summary>Runs the sign-up.</summary>
    public async Task<SignUpOutcome> RunAsync(MerchantSignUp form, Actor by, string? idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        if (idempotencyKey is not null
            && (idempotencyKey.Length is 0 or > MaxIdempotencyKeyLength || !idempotencyKey.All(c => c is >= '!' and <= '~')))
        {
            return new SignUpOutcome.Refused([new Refusal(
                PartyRule.FieldRequired,
                "Idempotency-Key",
                $"The Idempotency-Key header must be 1 to {MaxIdempotencyKeyLength} printable ASCII characters without spaces.")]);
        }

        // The seed joins subject and key so that two callers who pick the same key never share a merchant.
        var id = MerchantId.Derive(idempotencyKey is null ? Guid.NewGuid().ToString("N") : $"{by.Subject}\n{idempotencyKey}");
        var merchant = Merchant.SignUp(id, form, by, clock.GetCurrentInstant());
        if (!merchant.IsValid)
        {
            return new SignUpOutcome.Refused(merchant.Refusals);
        }

        return await store.AddAsync(merchant.Value, cancellationToken).ConfigureAwait(false) switch
        {
            AddMerchantResult.Added added => new SignUpOutcome.SignedUp(added.Merchant, Created: true),
            AddMerchantResult.AlreadyAdded again => new SignUpOutcome.SignedUp(again.Merchant, Created: false),
            AddMerchantResult.Conflict conflict => new SignUpOutcome.Conflict(conflict.Refusal),
            var other => throw new InvalidOperationException($"Unknown result {other}."),
        };
    }
}
