using NodaTime;
using ServiceLedger.Domain;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Deposits;
using ServiceLedger.Functions.Adapters.Stripe;
using ServiceLedger.Functions.Contracts;

namespace ServiceLedger.Functions.Deposits;

/// <summary>
/// Starts (or returns) the Stripe Checkout Session through which a merchant pays a signed contract's deposit
/// (docs/deposits.md). One attempt at a time: an open session with time left is answered again; after it expired or its
/// delayed payment failed, attempt n+1 starts. Each attempt is stored before Stripe is called, with the expiry fixed,
/// and Stripe is called with idempotency key <c>deposit:{contractId}:attempt:{n}</c>, so a retry after a crash or
/// timeout gets the same session. Nothing here marks the deposit paid: only the webhook does.
/// </summary>
public sealed class DepositCheckout(ContractLifecycle contracts, DepositStore store, StripeClient stripe, DepositSettings settings, IClock clock, ILogger<DepositCheckout> logger)
{
    /// <summary>How long a session stays open (Stripe accepts 30 minutes to 24 hours).</summary>
    public static readonly Duration SessionLifetime = Duration.FromHours(2);

    /// <summary>An open session with less time left than this is not handed out again; a new attempt starts.</summary>
    public static readonly Duration MinTimeLeft = Duration.FromMinutes(10);

    /// <summary>Most attempts per contract: a bound on sessions created for one deposit.</summary>
    public const int MaxAttempts = 100;

    /// <summary>Creates or returns the deposit session for <paramref name="contractId"/>, which the caller must be allowed to see.</summary>
    public async Task<DepositOutcome<CheckoutAttempt>> StartAsync(ContractCaller caller, string? contractId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (await contracts.GetAsync(caller, contractId, cancellationToken).ConfigureAwait(false) is not ContractOutcome.Done { Stored.Contract: var contract })
        {
            return new DepositOutcome<CheckoutAttempt>.NotFound();
        }

        if (contract.Status != ContractStatus.Signed)
        {
            return Refused(409, DepositFlowRule.ContractNotAwaitingDeposit, "status",
                $"The contract is {contract.Status}; a deposit is paid once both parties have signed (status Signed), and only once.");
        }

        var amount = contract.CurrentVersion.Terms.DepositAmount;
        if (amount.IsZero)
        {
            return Refused(409, DepositFlowRule.NoDepositDue, "terms.deposit", "The contract's terms ask for no deposit; there is nothing to pay.");
        }

        // Bounded: each round either answers or finds a row another request inserted first.
        for (var round = 0; round < 3; round++)
        {
            var attempts = await store.ReadAttemptsAsync(contract.Id, cancellationToken).ConfigureAwait(false);
            var now = clock.GetCurrentInstant();
            var latest = attempts.Count == 0 ? null : attempts[^1];
            if (latest is not null && Reusable(latest, now))
            {
                return latest.Status == CheckoutStatus.Creating
                    ? await CreateSessionAsync(contract, latest, cancellationToken).ConfigureAwait(false)
                    : new DepositOutcome<CheckoutAttempt>.Done(latest, Created: false);
            }

            var number = (latest?.Number ?? 0) + 1;
            if (number > MaxAttempts)
            {
                return Refused(409, DepositFlowRule.ContractNotAwaitingDeposit, "status", $"This deposit has had {MaxAttempts} checkout attempts; ask finance.");
            }

            var attempt = new CheckoutAttempt(number, CheckoutStatus.Creating, amount.ToMinorUnits(), amount.Currency.Code, now + SessionLifetime, now, null, null, null);
            if (await store.TryInsertAttemptAsync(contract.Id, attempt, cancellationToken).ConfigureAwait(false))
            {
                return await CreateSessionAsync(contract, attempt, cancellationToken).ConfigureAwait(false);
            }
        }

        throw new InvalidOperationException($"Contract {contract.Id}: checkout attempts kept changing under us.");
    }

    // Paid or processing attempts are answered as they are (no second payment); open ones while time is left; a
    // "creating" one is finished with the parameters it stored, so Stripe's idempotency replays the same session.
    private static bool Reusable(CheckoutAttempt attempt, Instant now) => attempt.Status switch
    {
        CheckoutStatus.Paid or CheckoutStatus.Processing => true,
        CheckoutStatus.Open => attempt.ExpiresAt - now >= MinTimeLeft,
        CheckoutStatus.Creating => attempt.ExpiresAt - now >= Duration.FromMinutes(30) + MinTimeLeft,
        _ => false,
    };

    private async Task<DepositOutcome<CheckoutAttempt>> CreateSessionAsync(Contract contract, CheckoutAttempt attempt, CancellationToken cancellationToken)
    {
        var request = CheckoutSessionRequest.ForDeposit(
            contract.Id.Value,
            contract.Merchant.Value,
            new StripeAmount(attempt.AmountMinor, attempt.Currency.ToLowerInvariant()),
            $"Deposit for contract {contract.Id}",
            settings.SuccessUrl,
            settings.CancelUrl,
            attempt.ExpiresAt);
        StripeCheckoutSession session;
        try
        {
            session = await stripe.CreateCheckoutSessionAsync(request, KeyFor(contract.Id, attempt.Number), cancellationToken).ConfigureAwait(false);
        }
        catch (StripeException exception)
        {
            logger.LogError(exception, "Stripe refused the deposit session of contract {ContractId}, attempt {Attempt}: {Kind}", contract.Id, attempt.Number, exception.Kind);
            return Refused(502, "StripeUnavailable", "$", "Stripe could not create the payment page just now; try again in a minute.");
        }

        var open = attempt with { Status = CheckoutStatus.Open, SessionId = session.Id, Url = session.Url };
        await store.SaveAttemptAsync(contract.Id, open, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Deposit session {SessionId} for contract {ContractId} (attempt {Attempt})", session.Id, contract.Id, attempt.Number);
        return new DepositOutcome<CheckoutAttempt>.Done(open, Created: true);
    }

    /// <summary>The Stripe idempotency key of attempt <paramref name="number"/>: <c>deposit:{contractId}:attempt:{n}</c>.</summary>
    public static StripeIdempotencyKey KeyFor(ContractId contract, int number) =>
        StripeIdempotencyKey.From($"deposit:{contract.Value}:attempt:{number.ToString(System.Globalization.CultureInfo.InvariantCulture)}");

    private static DepositOutcome<CheckoutAttempt>.Refused Refused(int status, string code, string field, string message) =>
        new([new Refusal(code, field, message)], status);
}
