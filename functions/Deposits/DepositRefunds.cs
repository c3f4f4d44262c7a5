using System.Text.RegularExpressions;
using NodaTime;
using ServiceLedger.Domain;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Deposits;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Functions.Adapters.Stripe;
using ServiceLedger.Functions.Contracts;
using ServiceLedger.Functions.Ledger;
using ServiceLedger.Functions.Stripe;

namespace ServiceLedger.Functions.Deposits;

using ServiceLedger.Domain.Money;

/// <summary>A refund of (part of) a contract's deposit as finance asks for it.</summary>
/// <param name="Amount">How much; leave it out to refund all of the unused deposit.</param>
/// <param name="Reason">Why (1 to 500 plain characters), kept with the request.</param>
/// <param name="RequestId">Finance's id for this request (1 to 64 of <c>[A-Za-z0-9_-]</c>): repeating it repeats nothing.</param>
public sealed record DepositRefundRequest(MoneyInput? Amount, string? Reason, string? RequestId);

/// <summary>The deposit register of one contract with what is not in the ledger yet: refunds pending at Stripe and the checkout attempts.</summary>
/// <param name="Contract">The contract.</param>
/// <param name="Register">The ledger's lines and totals.</param>
/// <param name="PendingRefunds">Refunds asked of Stripe and not yet confirmed.</param>
/// <param name="PendingTotal">Their total.</param>
/// <param name="Unused">What a new refund may take: balance less pending refunds.</param>
/// <param name="Attempts">The checkout attempts, oldest first.</param>
/// <param name="Disputes">Disputes of the deposit payment, with the status Stripe last reported.</param>
public sealed record DepositRegisterReport(
    Contract Contract,
    DepositRegister Register,
    IReadOnlyList<DepositRefundRecord> PendingRefunds,
    Money PendingTotal,
    Money Unused,
    IReadOnlyList<CheckoutAttempt> Attempts,
    IReadOnlyList<(string DisputeId, string Status)> Disputes);

/// <summary>
/// Deposit refunds and the deposit register (docs/deposits.md). A refund is checked against the unused deposit (the
/// ledger's balance of <c>merchant:{id}:deposit</c> in the contract's book, less refunds still pending), stored as a
/// request, then asked of Stripe with idempotency key <c>deposit-refund:{contractId}:{requestId}</c> and our ids in its
/// metadata. The ledger moves only when the refund's event says succeeded (<see cref="ApplyStripeEvent"/>).
/// </summary>
public sealed partial class DepositRefunds(ContractLifecycle contracts, DepositStore store, LedgerService ledger, StripeClient stripe, IClock clock, ILogger<DepositRefunds> logger)
{
    /// <summary>Longest refund reason.</summary>
    public const int MaxReasonLength = 500;

    /// <summary>Most entries of one contract's book read for its register.</summary>
    public const int MaxEntriesRead = 10_000;

    /// <summary>Asks Stripe to refund (part of) the deposit; answers the stored request (created, or found again for a repeated request id).</summary>
    public async Task<DepositOutcome<DepositRefundRecord>> RefundAsync(ContractCaller caller, string? contractId, DepositRefundRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        var refusals = new List<Refusal>();
        if (request.RequestId is null || !RequestIdPattern().IsMatch(request.RequestId))
        {
            refusals.Add(new Refusal(DepositFlowRule.RequestIdInvalid, "requestId", "Give a requestId of 1 to 64 letters, digits, '-' or '_', unique per refund you mean."));
        }

        if (string.IsNullOrWhiteSpace(request.Reason) || request.Reason.Length > MaxReasonLength || request.Reason.Any(char.IsControl))
        {
            refusals.Add(new Refusal(DepositFlowRule.ReasonInvalid, "reason", $"Give a reason of 1 to {MaxReasonLength} characters without control characters."));
        }

        Money? requested = null;
        if (request.Amount is { } amountInput)
        {
            var parsed = Money.Parse(amountInput.Amount, amountInput.Currency, "amount");
            if (parsed.IsValid)
            {
                requested = parsed.Value;
            }
            else
            {
                refusals.AddRange(parsed.Refusals.Select(r => r with { Code = DepositFlowRule.RefundAmountInvalid }));
            }
        }

        if (refusals.Count > 0)
        {
            return new DepositOutcome<DepositRefundRecord>.Refused(refusals, 400);
        }

        var report = await ReadAsync(caller, contractId, cancellationToken).ConfigureAwait(false);
        if (report is null)
        {
            return new DepositOutcome<DepositRefundRecord>.NotFound();
        }

        var contract = report.Contract;
        if (await store.GetRefundAsync(contract.Id, request.RequestId!, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return await RepeatAsync(report, existing, requested, cancellationToken).ConfigureAwait(false);
        }

        var checkedAmount = report.Register.CheckRefund(requested, report.PendingTotal, "amount");
        if (!checkedAmount.IsValid)
        {
            var status = checkedAmount.Refusals.Any(r => r.Code == DepositFlowRule.RefundAmountInvalid) ? 400 : 409;
            return new DepositOutcome<DepositRefundRecord>.Refused(checkedAmount.Refusals, status);
        }

        var amount = checkedAmount.Value;
        var record = new DepositRefundRecord(
            request.RequestId!, RefundStatus.Requested, amount.ToMinorUnits(), amount.Currency.Code, request.Reason!.Trim(), caller.Actor.ToString(), clock.GetCurrentInstant(), null);
        if (!await store.TryInsertRefundAsync(contract.Id, record, cancellationToken).ConfigureAwait(false))
        {
            var raced = await store.GetRefundAsync(contract.Id, record.RequestId, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Refund request {record.RequestId} of {contract.Id} conflicted but cannot be read.");
            return await RepeatAsync(report, raced, requested, cancellationToken).ConfigureAwait(false);
        }

        return await AskStripeAsync(report, record, created: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The register of <paramref name="contractId"/> if the caller may see the contract; null otherwise.</summary>
    public async Task<DepositRegisterReport?> ReadAsync(ContractCaller caller, string? contractId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (await contracts.GetAsync(caller, contractId, cancellationToken).ConfigureAwait(false) is not ContractOutcome.Done { Stored.Contract: var contract })
        {
            return null;
        }

        var currency = contract.CurrentVersion.Terms.DepositAmount.Currency;
        var register = await ReadRegisterAsync(ledger, contract, cancellationToken).ConfigureAwait(false);
        var booked = register.Lines.Select(l => l.StripeObjectId).OfType<string>().ToHashSet(StringComparer.Ordinal);

        // A refund is pending until its entry is in the ledger (the event may be applied before our row is updated).
        var pending = (await store.ReadRefundsAsync(contract.Id, cancellationToken).ConfigureAwait(false))
            .Where(r => r.Status is RefundStatus.Requested or RefundStatus.Pending && (r.RefundId is null || !booked.Contains(r.RefundId)))
            .ToArray();
        var pendingTotal = Money.Sum(pending.Select(r => Money.FromMinorUnits(r.AmountMinor, currency)), currency);
        return new DepositRegisterReport(
            contract, register, pending, pendingTotal, register.Unused(pendingTotal),
            await store.ReadAttemptsAsync(contract.Id, cancellationToken).ConfigureAwait(false),
            await store.ReadDisputeStatusesAsync(contract.Id, cancellationToken).ConfigureAwait(false));
    }

    // The same request id again: the same amount (or none) answers the stored request, finishing it if Stripe was not
    // reached; another amount is a different refund under a reused id.
    private async Task<DepositOutcome<DepositRefundRecord>> RepeatAsync(DepositRegisterReport report, DepositRefundRecord existing, Money? requested, CancellationToken cancellationToken)
    {
        if (requested is { } amount && (amount.ToMinorUnits() != existing.AmountMinor || amount.Currency.Code != existing.Currency))
        {
            return new DepositOutcome<DepositRefundRecord>.Refused(
                [new Refusal(DepositFlowRule.RequestIdReused, "requestId", $"Request {existing.RequestId} was made for {Money.FromMinorUnits(existing.AmountMinor, amount.Currency)}; use a new requestId for another refund.")],
                409);
        }

        return existing.Status == RefundStatus.Requested
            ? await AskStripeAsync(report, existing, created: false, cancellationToken).ConfigureAwait(false)
            : new DepositOutcome<DepositRefundRecord>.Done(existing, Created: false);
    }

    private async Task<DepositOutcome<DepositRefundRecord>> AskStripeAsync(DepositRegisterReport report, DepositRefundRecord record, bool created, CancellationToken cancellationToken)
    {
        var contract = report.Contract;
        var paymentIntent = report.Attempts.LastOrDefault(a => a.Status == CheckoutStatus.Paid && a.PaymentIntentId is not null)?.PaymentIntentId;
        if (paymentIntent is null)
        {
            return new DepositOutcome<DepositRefundRecord>.Refused(
                [new Refusal(DepositFlowRule.DepositNotPaid, "amount", "No paid checkout with a Stripe payment is on record for this contract; it cannot be refunded through Stripe.")], 409);
        }

        KeyValuePair<string, string>[] metadata =
        [
            new(StripeMetadataKeys.ContractId, contract.Id.Value),
            new(StripeMetadataKeys.MerchantId, contract.Merchant.Value),
            new(StripeEventActions.RequestIdKey, record.RequestId),
        ];
        StripeRefund refund;
        try
        {
            refund = await stripe.CreateRefundAsync(new RefundRequest(paymentIntent, record.AmountMinor, metadata), KeyFor(contract.Id, record.RequestId), cancellationToken).ConfigureAwait(false);
        }
        catch (StripeException exception)
        {
            logger.LogError(exception, "Stripe refused refund {RequestId} of contract {ContractId}: {Kind}", record.RequestId, contract.Id, exception.Kind);
            return exception.Kind is StripeErrorKind.InvalidRequest or StripeErrorKind.Card
                ? new DepositOutcome<DepositRefundRecord>.Refused([new Refusal("StripeRefusedRefund", "amount", "Stripe refused the refund: " + exception.Message)], 409)
                : new DepositOutcome<DepositRefundRecord>.Refused([new Refusal("StripeUnavailable", "$", "Stripe could not be reached just now; repeat the same request later.")], 502);
        }

        var pending = record with { Status = RefundStatus.Pending, RefundId = refund.Id };
        await store.SaveRefundAsync(contract.Id, pending, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Refund {RefundId} ({RequestId}) of contract {ContractId} asked of Stripe: {Status}", refund.Id, record.RequestId, contract.Id, refund.Status);
        return new DepositOutcome<DepositRefundRecord>.Done(pending, created);
    }

    /// <summary>The Stripe idempotency key of a refund request: <c>deposit-refund:{contractId}:{requestId}</c>.</summary>
    public static StripeIdempotencyKey KeyFor(ContractId contract, string requestId) => StripeIdempotencyKey.From($"deposit-refund:{contract.Value}:{requestId}");

    /// <summary>The deposit register of <paramref name="contract"/> from its book (also read by reconciliation, which has no caller).</summary>
    public static async Task<DepositRegister> ReadRegisterAsync(LedgerService ledger, Contract contract, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(contract);
        var currency = contract.CurrentVersion.Terms.DepositAmount.Currency;
        return DepositRegister.Compute(contract.Merchant.Value, currency, await ReadBookAsync(ledger, contract.Id.Book, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<List<JournalEntry>> ReadBookAsync(LedgerService ledger, BookId book, CancellationToken cancellationToken)
    {
        var entries = new List<JournalEntry>();
        string? token = null;
        do
        {
            var page = await ledger.ReadEntriesAsync(book, SequenceRange.All, PageRequest.Create(LedgerLimits.MaxPageSize, token).Value, cancellationToken).ConfigureAwait(false);
            entries.AddRange(page.Items);
            if (entries.Count > MaxEntriesRead)
            {
                throw new InvalidOperationException($"Book {book} has more than {MaxEntriesRead} entries; the deposit register must be read in pages.");
            }

            token = page.ContinuationToken;
        }
        while (token is not null);

        return entries;
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex RequestIdPattern();
}
