namespace ServiceLedger.Functions.Apis;

using Microsoft.AspNetCore.Http.HttpResults;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Domain.Money;
using ServiceLedger.Functions.Auth;
using ServiceLedger.Functions.Contracts;
using ServiceLedger.Functions.Deposits;
using ServiceLedger.Functions.Errors;

/// <summary>
/// /api/contracts/{contractId}/deposit: the merchant starts the Stripe Checkout of a signed contract's deposit, finance
/// refunds (part of) it, both read the deposit register (预付款台账). Thin: parse, pick the acting role, call one use case
/// (<see cref="DepositCheckout"/>, <see cref="DepositRefunds"/>), map: 200/201/202; 400 naming the field; 404 for a
/// contract the caller may not see; 409 naming the state that stops it; 502 when Stripe cannot be reached.
/// </summary>
public static class DepositsApi
{
    private static readonly CallerRole[] Merchants = [CallerRole.Merchant];
    private static readonly CallerRole[] Finance = [CallerRole.Finance];
    private static readonly CallerRole[] Readers = [CallerRole.Merchant, CallerRole.Finance];

    private const string Base = "/api/contracts/{contractId}/deposit";

    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapDepositsApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost(Base + "/checkout", CheckoutAsync)
            .WithName("DepositCheckout")
            .WithSummary("Creates, or returns the still-open, Stripe Checkout Session for a signed contract's deposit (merchant, own contract). Paid only when Stripe's webhook says so.")
            .RequireRoles(Merchants);
        app.MapPost(Base + "/refunds", RefundAsync)
            .WithName("DepositRefunds")
            .WithSummary("Refunds all or part of the unused deposit through Stripe (finance); idempotent per requestId; the ledger moves when Stripe confirms.")
            .RequireRoles(Finance);
        app.MapGet(Base, RegisterAsync)
            .WithName("DepositRegister")
            .WithSummary("The deposit register (预付款台账): paid, applied, refunded and pending lines with their ledger entries and Stripe objects, and the balance.")
            .RequireRoles(Readers);
        return app;
    }

    private static async Task<IResult> CheckoutAsync(string contractId, CallerContext caller, DepositCheckout checkout, CancellationToken cancellationToken)
    {
        var who = ContractsApi.CallerFor(caller, Merchants);
        if (who is null)
        {
            return TypedResults.Forbid();
        }

        return await checkout.StartAsync(who, contractId, cancellationToken).ConfigureAwait(false) switch
        {
            DepositOutcome<CheckoutAttempt>.Done { Created: true } done => TypedResults.Created($"/api/contracts/{contractId}/deposit", CheckoutView.Of(done.Value)),
            DepositOutcome<CheckoutAttempt>.Done done => TypedResults.Ok(CheckoutView.Of(done.Value)),
            var other => Problem(other),
        };
    }

    private static async Task<IResult> RefundAsync(
        string contractId, DepositRefundRequest? body, CallerContext caller, DepositRefunds refunds, CancellationToken cancellationToken)
    {
        var who = ContractsApi.CallerFor(caller, Finance);
        if (who is null)
        {
            return TypedResults.Forbid();
        }

        return await refunds.RefundAsync(who, contractId, body ?? new DepositRefundRequest(null, null, null), cancellationToken).ConfigureAwait(false) switch
        {
            DepositOutcome<DepositRefundRecord>.Done done => TypedResults.Accepted($"/api/contracts/{contractId}/deposit", RefundView.Of(done.Value)),
            var other => Problem(other),
        };
    }

    private static async Task<IResult> RegisterAsync(string contractId, CallerContext caller, DepositRefunds refunds, CancellationToken cancellationToken)
    {
        var who = ContractsApi.CallerFor(caller, Readers);
        if (who is null)
        {
            return TypedResults.Forbid();
        }

        var report = await refunds.ReadAsync(who, contractId, cancellationToken).ConfigureAwait(false);
        return report is null ? ApiProblems.NotFound("contract") : TypedResults.Ok(DepositRegisterView.Of(report));
    }

    private static ProblemHttpResult Problem<T>(DepositOutcome<T> outcome) => outcome switch
    {
        DepositOutcome<T>.NotFound => ApiProblems.NotFound("contract"),
        DepositOutcome<T>.Refused refused => ApiProblems.Refused(refused.Refusals, refused.Status),
        _ => throw new InvalidOperationException($"Unexpected deposit outcome {outcome.GetType().Name}."),
    };
}

/// <summary>A checkout attempt as JSON.</summary>
/// <param name="Attempt">1 for the first.</param>
/// <param name="SessionId">The Checkout Session id.</param>
/// <param name="Url">The payment page while the session is open; null otherwise.</param>
/// <param name="Status">creating, open, processing, paid, expired or failed.</param>
/// <param name="ExpiresAt">When the session expires (UTC ISO 8601).</param>
/// <param name="Amount">The deposit.</param>
public sealed record CheckoutView(int Attempt, string? SessionId, string? Url, string Status, string ExpiresAt, MoneyView Amount)
{
    /// <summary>The wire form of <paramref name="attempt"/>.</summary>
    public static CheckoutView Of(CheckoutAttempt attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return new CheckoutView(
            attempt.Number, attempt.SessionId, attempt.Status == CheckoutStatus.Open ? attempt.Url : null, attempt.Status,
            NodaTime.Text.InstantPattern.ExtendedIso.Format(attempt.ExpiresAt), MoneyView.Of(Money.FromMinorUnits(attempt.AmountMinor, Currency.FromCode(attempt.Currency))));
    }
}

/// <summary>A refund request as JSON.</summary>
/// <param name="RequestId">Finance's request id.</param>
/// <param name="RefundId">Stripe's refund id, once asked.</param>
/// <param name="Amount">The amount.</param>
/// <param name="Status">requested, pending, succeeded or failed.</param>
/// <param name="Reason">Why.</param>
/// <param name="RequestedBy">Who asked.</param>
/// <param name="RequestedAt">When (UTC ISO 8601).</param>
public sealed record RefundView(string RequestId, string? RefundId, MoneyView Amount, string Status, string Reason, string RequestedBy, string RequestedAt)
{
    /// <summary>The wire form of <paramref name="refund"/>.</summary>
    public static RefundView Of(DepositRefundRecord refund)
    {
        ArgumentNullException.ThrowIfNull(refund);
        return new RefundView(
            refund.RequestId, refund.RefundId, MoneyView.Of(Money.FromMinorUnits(refund.AmountMinor, Currency.FromCode(refund.Currency))), refund.Status,
            refund.Reason, refund.RequestedBy, NodaTime.Text.InstantPattern.ExtendedIso.Format(refund.RequestedAt));
    }
}

/// <summary>The ledger entry a register line comes from.</summary>
/// <param name="Book">The book, e.g. <c>contract:ctr_…</c>.</param>
/// <param name="Sequence">The entry's sequence in the book.</param>
/// <param name="Key">Its idempotency key, e.g. <c>stripe:cs_…:paid</c>.</param>
public sealed record EntryLinkView(string Book, long Sequence, string Key);

/// <summary>One register line as JSON.</summary>
/// <param name="Kind">Paid, Applied, Refunded, RefundFailed or Adjusted.</param>
/// <param name="Side">credit (adds to the deposit) or debit (takes from it).</param>
/// <param name="Amount">The amount.</param>
/// <param name="EffectiveDate">yyyy-MM-dd.</param>
/// <param name="Entry">The ledger entry.</param>
/// <param name="StripeObjectId">The Stripe object, if any.</param>
/// <param name="Description">The entry's description.</param>
public sealed record DepositLineView(string Kind, string Side, MoneyView Amount, string EffectiveDate, EntryLinkView Entry, string? StripeObjectId, string Description);

/// <summary>The deposit register as JSON.</summary>
/// <param name="ContractId">The contract.</param>
/// <param name="MerchantId">Its merchant.</param>
/// <param name="ContractStatus">The contract's status.</param>
/// <param name="DepositDue">The deposit its terms ask for.</param>
/// <param name="Paid">Total paid.</param>
/// <param name="Applied">Total applied to statements.</param>
/// <param name="Refunded">Total refunded (confirmed).</param>
/// <param name="PendingRefunds">Total asked of Stripe, not yet confirmed.</param>
/// <param name="Balance">What the ledger holds for the merchant.</param>
/// <param name="Unused">What a new refund may take (balance less pending refunds).</param>
/// <param name="Lines">The ledger's lines.</param>
/// <param name="Pending">The pending refunds.</param>
/// <param name="Checkouts">The checkout attempts.</param>
/// <param name="Disputes">Disputes of the deposit payment, with Stripe's last reported status.</param>
public sealed record DepositRegisterView(
    string ContractId,
    string MerchantId,
    string ContractStatus,
    MoneyView DepositDue,
    MoneyView Paid,
    MoneyView Applied,
    MoneyView Refunded,
    MoneyView PendingRefunds,
    MoneyView Balance,
    MoneyView Unused,
    IReadOnlyList<DepositLineView> Lines,
    IReadOnlyList<RefundView> Pending,
    IReadOnlyList<CheckoutView> Checkouts,
    IReadOnlyList<DisputeStatusView> Disputes)
{
    /// <summary>The wire form of <paramref name="report"/>.</summary>
    public static DepositRegisterView Of(DepositRegisterReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var register = report.Register;
        return new DepositRegisterView(
            report.Contract.Id.Value,
            report.Contract.Merchant.Value,
            report.Contract.Status.ToString(),
            MoneyView.Of(report.Contract.CurrentVersion.Terms.DepositAmount),
            MoneyView.Of(register.Paid),
            MoneyView.Of(register.Applied),
            MoneyView.Of(register.Refunded),
            MoneyView.Of(report.PendingTotal),
            MoneyView.Of(register.Balance),
            MoneyView.Of(report.Unused),
            [.. register.Lines.Select(line => new DepositLineView(
                line.Kind.ToString(),
                line.Side == PostingSide.Credit ? "credit" : "debit",
                MoneyView.Of(line.Amount),
                NodaTime.Text.LocalDatePattern.Iso.Format(line.EffectiveDate),
                new EntryLinkView(line.Entry.Book.Value, line.Entry.Sequence, line.Key.Value),
                line.StripeObjectId,
                line.Description))],
            [.. report.PendingRefunds.Select(RefundView.Of)],
            [.. report.Attempts.Select(CheckoutView.Of)],
            [.. report.Disputes.Select(d => new DisputeStatusView(d.DisputeId, d.Status))]);
    }
}

/// <summary>A dispute of the deposit payment.</summary>
/// <param name="DisputeId">The <c>dp_…</c>.</param>
/// <param name="Status">Stripe's status as last reported.</param>
public sealed record DisputeStatusView(string DisputeId, string Status);
