using System.Text.Json;
using Azure;
using NodaTime;
using ServiceLedger.Domain;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Deposits;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Domain.Money;
using ServiceLedger.Domain.Parties;
using ServiceLedger.Domain.Settlement;
using ServiceLedger.Functions.Adapters.Stripe;
using ServiceLedger.Functions.Adapters.Tables;
using ServiceLedger.Functions.Configuration;
using ServiceLedger.Functions.Contracts;
using ServiceLedger.Functions.Deposits;
using ServiceLedger.Functions.Hosting;
using ServiceLedger.Functions.Ledger;

namespace ServiceLedger.Functions.Stripe;

/// <summary>What applying one event did, as stored on the event's entity (<c>Outcome</c>, <c>Detail</c>).</summary>
public static class StripeEventOutcome
{
    /// <summary>At least one ledger entry or record was written (or found written by an earlier delivery).</summary>
    public const string Applied = "applied";

    /// <summary>Nothing to do for this event (unknown type, or nothing in it for us).</summary>
    public const string Ignored = "ignored";
}

/// <summary>
/// The queue function on <see cref="StorageNames.StripeEventsQueue"/> (<c>ApplyStripeEvent</c>): reads the raw event
/// the webhook stored, decides what it asks (<see cref="StripeEventActions"/>) and carries it out idempotently —
/// ledger entries keyed by the Stripe object and movement (<c>stripe:{objectId}:{movement}</c>), records upserted,
/// the contract activated once. A redelivered message, a repeated event, or two events about one movement write
/// nothing twice. A refund or dispute that cannot be joined to its contract yet (its payment not seen) fails the
/// invocation, so the queue retries it (5 attempts, then <c>stripe-events-poison</c>); see docs/deposits.md.
/// </summary>
public sealed class ApplyStripeEvent(
    TableServiceClient tables,
    LedgerService ledger,
    ContractLifecycle contracts,
    DepositStore deposits,
    IStripeDisputeEvents disputes,
    IContractBookWrites books,
    IClock clock,
    ILogger<ApplyStripeEvent> logger,
    IServiceProvider services) : IQueueTriggerHandler
{
    /// <summary>The function name (its function.json folder).</summary>
    public const string FunctionName = "ApplyStripeEvent";

    /// <summary>The subject recorded when the deposit flow activates a contract.</summary>
    public const string ActorSubject = "stripe-webhook";

    private static readonly JsonSerializerOptions MessageJson = new(JsonSerializerDefaults.Web);

    /// <inheritdoc />
    public async Task HandleAsync(QueueTrigger trigger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        var message = JsonSerializer.Deserialize<StripeEventMessage>(trigger.MessageText, MessageJson);
        if (message?.EventId is not { Length: > 0 } eventId)
        {
            throw new InvalidOperationException($"Message {trigger.MessageId} on {StorageNames.StripeEventsQueue} names no eventId.");
        }

        var table = tables.GetTableClient(StorageNames.StripeEventsTable);
        var stored = await table.GetAsync(eventId, ReceiveStripeEvent.EventRowKey, null, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Stripe event {eventId} is on the queue but not stored; the webhook stores before it enqueues.");
        var reading = StripeEventActions.Read(ReceiveStripeEvent.BodyOf(stored));
        var details = new List<string>();
        await ApplyAsync(reading, reading.Action, details, cancellationToken).ConfigureAwait(false);
        var outcome = reading.Action is StripeEventAction.Ignore ? StripeEventOutcome.Ignored : StripeEventOutcome.Applied;
        var detail = string.Join("; ", details);
        await table.MergeAsync(
            new TableEntity(eventId, ReceiveStripeEvent.EventRowKey,
            [
                new("Outcome", outcome), new("Detail", detail.Length > 4_000 ? detail[..4_000] : detail),
                new("AppliedAt", clock.GetCurrentInstant().ToDateTimeOffset()),
            ]),
            ETag.All,
            cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Stripe event {EventId} ({EventType}) {Outcome}: {Detail}", eventId, reading.Type, outcome, detail);
    }

    private async Task ApplyAsync(StripeEventReading reading, StripeEventAction action, List<string> details, CancellationToken cancellationToken)
    {
        switch (action)
        {
            case StripeEventAction.PayDeposit pay:
                await PayDepositAsync(reading, pay, details, cancellationToken).ConfigureAwait(false);
                break;
            case StripeEventAction.AwaitAsyncPayment waiting:
                await MoveAttemptAsync(waiting.Contract, waiting.SessionId, CheckoutStatus.Processing, null, cancellationToken).ConfigureAwait(false);
                details.Add($"session {waiting.SessionId} awaits its delayed payment");
                break;
            case StripeEventAction.CloseCheckout closed:
                await MoveAttemptAsync(closed.Contract, closed.SessionId, closed.Status, null, cancellationToken).ConfigureAwait(false);
                details.Add($"session {closed.SessionId} {closed.Status}");
                break;
            case StripeEventAction.ChangeRefund refund:
                await ChangeRefundAsync(reading, refund, details, cancellationToken).ConfigureAwait(false);
                break;
            case StripeEventAction.ChargeFee fee:
                details.Add(await BookAsync(reading, StripeLedgerEntries.ProcessingFee(fee.BalanceTransactionId, ToMoney(fee.Fee, reading), fee.EffectiveDate, fee.SourceId), cancellationToken).ConfigureAwait(false));
                break;
            case StripeEventAction.PayOut payout:
                var amount = ToMoney(payout.Amount, reading);

                // A failed payout books its paid entry too (idempotent), so the pair nets to zero whether payout.paid came first or not at all.
                details.Add(await BookAsync(reading, StripeLedgerEntries.PayoutPaid(payout.PayoutId, amount, payout.ArrivalOn), cancellationToken).ConfigureAwait(false));
                if (payout.Failed)
                {
                    details.Add(await BookAsync(reading, StripeLedgerEntries.PayoutFailed(payout.PayoutId, amount, payout.EventOn), cancellationToken).ConfigureAwait(false));
                }

                break;
            case StripeEventAction.ReportDispute dispute:
                await ReportDisputeAsync(reading, dispute, details, cancellationToken).ConfigureAwait(false);
                break;
            case StripeEventAction.Several several:
                foreach (var each in several.Actions)
                {
                    await ApplyAsync(reading, each, details, cancellationToken).ConfigureAwait(false);
                }

                break;
            case StripeEventAction.Ignore ignore:
                details.Add(ignore.Reason);
                break;
            default:
                throw new InvalidOperationException($"No handling for {action.GetType().Name}.");
        }
    }

    private async Task PayDepositAsync(StripeEventReading reading, StripeEventAction.PayDeposit pay, List<string> details, CancellationToken cancellationToken)
    {
        // The link first: a refund or dispute event for this payment may be waiting (retrying) for it.
        if (pay.PaymentIntentId is { } paymentIntent)
        {
            await deposits.SaveLinkAsync(new DepositPaymentLink(paymentIntent, pay.Contract.Value, pay.Merchant.Value, pay.SessionId), cancellationToken).ConfigureAwait(false);
        }

        var charge = pay.PaymentIntentId is { } intent ? await ChargeOfAsync(intent, pay.SessionId, cancellationToken).ConfigureAwait(false) : null;
        var entry = StripeLedgerEntries.DepositPaid(pay.SessionId, pay.Contract.Value, pay.Merchant.Value, ToMoney(pay.Amount, reading), pay.EffectiveDate, charge);
        details.Add(await BookAsync(reading, entry, cancellationToken).ConfigureAwait(false));
        await MoveAttemptAsync(pay.Contract, pay.SessionId, CheckoutStatus.Paid, pay.PaymentIntentId, cancellationToken).ConfigureAwait(false);

        // The entry is referred to by book and key: the key is the same whichever event booked it.
        var reference = EntryReference(entry.Value);
        var outcome = await contracts.ActivateAsync(SystemCaller, pay.Contract.Value, reference, cancellationToken).ConfigureAwait(false);
        switch (outcome)
        {
            case ContractOutcome.Done done:
                details.Add($"contract {pay.Contract} {done.Stored.Contract.Status}");
                await OpenStatementAccountsAsync(done.Stored.Contract, details, cancellationToken).ConfigureAwait(false);
                break;
            case ContractOutcome.Refused refused:
                // Already Active from another payment, or ended meanwhile: the money is booked; finance refunds any surplus.
                logger.LogWarning(
                    "Deposit {Reference} of contract {ContractId} is booked but the contract was not activated: {Refusal}",
                    reference, pay.Contract, refused.Refusals[0].Message);
                details.Add($"contract {pay.Contract} not activated: {refused.Refusals[0].Code}");
                break;
            case ContractOutcome.Conflict:
                throw new InvalidOperationException($"Contract {pay.Contract} changed while activating; the event is retried.");
            default:
                logger.LogError("Deposit {Reference} is booked for contract {ContractId}, which does not exist", reference, pay.Contract);
                details.Add($"contract {pay.Contract} not found");
                break;
        }
    }

    // The accounts the contract's statements will post are opened now, once (docs/ledger-store.md, "Opening a contract's
    // accounts"), so its first statement's append sends only its transaction. Best effort: a first statement opens whatever
    // is not open, as every append does.
    private async Task OpenStatementAccountsAsync(Contract contract, List<string> details, CancellationToken cancellationToken)
    {
        var accounts = StatementLedgerEntry.AccountsPosted(contract.Merchant, contract.Vendor, contract.CurrentVersion.Terms.Currency);
        if (await books.OpenAccountsAsync(contract.Id.Book, accounts, cancellationToken).ConfigureAwait(false))
        {
            details.Add($"statement accounts of {contract.Id} opened");
        }
    }

    private async Task ChangeRefundAsync(StripeEventReading reading, StripeEventAction.ChangeRefund refund, List<string> details, CancellationToken cancellationToken)
    {
        var (contract, merchant) = await JoinAsync(refund.Contract, refund.Merchant, refund.PaymentIntentId, $"refund {refund.RefundId}", cancellationToken).ConfigureAwait(false);
        var amount = ToMoney(refund.Amount, reading);
        string? ourStatus = refund.Status switch
        {
            "succeeded" => RefundStatus.Succeeded,
            "failed" or "canceled" => RefundStatus.Failed,
            _ => null,
        };
        if (ourStatus is null)
        {
            details.Add($"refund {refund.RefundId} is {refund.Status}; the ledger waits for succeeded");
            return;
        }

        // Booked from the refund's own creation date, so every event about it proposes the same entry.
        details.Add(await BookAsync(reading, StripeLedgerEntries.DepositRefunded(refund.RefundId, contract.Value, merchant.Value, amount, refund.CreatedOn), cancellationToken).ConfigureAwait(false));
        if (ourStatus == RefundStatus.Failed)
        {
            details.Add(await BookAsync(reading, StripeLedgerEntries.DepositRefundFailed(refund.RefundId, contract.Value, merchant.Value, amount, refund.EventOn), cancellationToken).ConfigureAwait(false));
        }

        if (refund.RequestId is { } requestId && await deposits.GetRefundAsync(contract, requestId, cancellationToken).ConfigureAwait(false) is { } record
            && record.Status != ourStatus && record.Status != RefundStatus.Failed)
        {
            await deposits.SaveRefundAsync(contract, record with { Status = ourStatus, RefundId = refund.RefundId }, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ReportDisputeAsync(StripeEventReading reading, StripeEventAction.ReportDispute report, List<string> details, CancellationToken cancellationToken)
    {
        var dispute = report.Dispute;
        ContractId? fromMetadata = ContractId.TryParse(dispute.Metadata.GetValueOrDefault(StripeMetadataKeys.ContractId), out var c) ? c : null;
        MerchantId? merchantFromMetadata = MerchantId.TryParse(dispute.Metadata.GetValueOrDefault(StripeMetadataKeys.MerchantId), out var m) ? m : null;
        var (contract, merchant) = await JoinAsync(fromMetadata, merchantFromMetadata, dispute.PaymentIntent, $"dispute {dispute.Id}", cancellationToken).ConfigureAwait(false);
        if (report.Movement is { } movement)
        {
            var amount = ToMoney(new StripeAmount(dispute.Amount, dispute.Currency ?? string.Empty), reading);
            var fee = ToMoney(new StripeAmount(report.Fee, dispute.Currency ?? string.Empty), reading);
            var entry = movement == StripeLedgerEntries.FundsWithdrawn
                ? StripeLedgerEntries.DisputeFundsWithdrawn(dispute.Id, contract.Value, amount, fee, report.EffectiveDate)
                : StripeLedgerEntries.DisputeFundsReinstated(dispute.Id, contract.Value, amount, fee, report.EffectiveDate);
            details.Add(await BookAsync(reading, entry, cancellationToken).ConfigureAwait(false));
        }

        await disputes.OnDisputeEventAsync(new StripeDisputeNotice(reading.EventId, reading.Type, report.EventCreated, contract, merchant, dispute), cancellationToken).ConfigureAwait(false);
        details.Add($"dispute {dispute.Id} reported {dispute.Status}");
    }

    // The contract a refund or dispute belongs to: from our metadata, else through the PaymentIntent that paid the deposit.
    private async Task<(ContractId Contract, MerchantId Merchant)> JoinAsync(
        ContractId? contract, MerchantId? merchant, string? paymentIntentId, string what, CancellationToken cancellationToken)
    {
        if (contract is { } knownContract && merchant is { } knownMerchant)
        {
            return (knownContract, knownMerchant);
        }

        if (paymentIntentId is not null && await deposits.GetLinkAsync(paymentIntentId, cancellationToken).ConfigureAwait(false) is { } link
            && ContractId.TryParse(link.ContractId, out var linkedContract) && MerchantId.TryParse(link.MerchantId, out var linkedMerchant))
        {
            return (linkedContract, linkedMerchant);
        }

        // Its payment has not been applied yet (events arrive in any order): fail, so the queue retries it later.
        throw new StripeEventNotJoinedException(
            $"The contract of {what} is not known yet: no contract_id/merchant_id metadata and PaymentIntent {paymentIntentId ?? "(none)"} has no paid deposit on record. The message is retried; after 5 attempts it waits on {StorageNames.PoisonQueueOf(StorageNames.StripeEventsQueue)}.");
    }

    private async Task MoveAttemptAsync(ContractId contract, string sessionId, string status, string? paymentIntentId, CancellationToken cancellationToken)
    {
        var attempt = (await deposits.ReadAttemptsAsync(contract, cancellationToken).ConfigureAwait(false)).FirstOrDefault(a => a.SessionId == sessionId);

        // A paid attempt stays paid whatever arrives later (an expiry event can trail the payment).
        if (attempt is null || attempt.Status == CheckoutStatus.Paid || attempt.Status == status)
        {
            return;
        }

        await deposits.SaveAttemptAsync(contract, attempt with { Status = status, PaymentIntentId = paymentIntentId ?? attempt.PaymentIntentId, Url = status == CheckoutStatus.Open ? attempt.Url : null }, cancellationToken).ConfigureAwait(false);
    }

    // The charge that paid a session's PaymentIntent, which the deposit entry names so that reconciliation joins it to
    // Stripe's balance transaction by id. Best effort: without it the entry is booked as before and reconciliation pairs it
    // by rule, so a Stripe outage (or a host without Stripe's key) must not hold the deposit back. Resolved here, not
    // injected: the typed client needs Stripe's secret key.
    private async Task<string?> ChargeOfAsync(string paymentIntentId, string sessionId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(services.GetRequiredService<IConfiguration>()[AppSettings.StripeSecretKey]))
        {
            return null;
        }

        try
        {
            return (await services.GetRequiredService<StripeClient>().GetPaymentIntentAsync(paymentIntentId, cancellationToken).ConfigureAwait(false)).LatestCharge;
        }
        catch (StripeException exception)
        {
            logger.LogWarning(exception, "Deposit session {SessionId}: the charge of PaymentIntent {PaymentIntentId} could not be read ({Kind}); booked without it.", sessionId, paymentIntentId, exception.Kind);
            return null;
        }
    }

    private async Task<string> BookAsync(StripeEventReading reading, Validated<ProposedEntry> proposed, CancellationToken cancellationToken)
    {
        if (!proposed.IsValid)
        {
            throw new InvalidOperationException($"Stripe event {reading.EventId} ({reading.Type}) proposes an invalid entry: {Describe(proposed.Refusals)}");
        }

        var entry = proposed.Value;
        switch (await ledger.AppendAsync(entry, cancellationToken).ConfigureAwait(false))
        {
            case AppendResult.Appended appended:
                return $"booked {appended.Entry.Id} {entry.IdempotencyKey}";
            case AppendResult.AlreadyAppended already:
                return $"already booked {already.Entry.Id} {entry.IdempotencyKey}";
            case AppendResult.Refused refused when refused.Refusals.All(r => r.Code == LedgerRule.ExistsWithDifferentContent):
                // Another event about the same movement (e.g. completed and async_payment_succeeded) booked it first.
                return $"already booked by another event about the same movement: {entry.Book} {entry.IdempotencyKey}";
            case AppendResult.Refused refused:
                // E.g. its date is in a closed period: finance must decide, so the message ends in the poison queue.
                logger.LogError(
                    "Stripe event {EventId} ({EventType}): the ledger refused {Key} in {Book}: {Refusals}",
                    reading.EventId, reading.Type, entry.IdempotencyKey, entry.Book, Describe(refused.Refusals));
                throw new InvalidOperationException($"The ledger refused {entry.IdempotencyKey} of Stripe event {reading.EventId}: {Describe(refused.Refusals)}");
            default:
                throw new InvalidOperationException("Unknown append result.");
        }
    }

    private static Money ToMoney(StripeAmount amount, StripeEventReading reading) =>
        amount.TryToMoney(out var money)
            ? money
            : throw new InvalidOperationException($"Stripe event {reading.EventId} ({reading.Type}) is in currency '{amount.Currency}', which the product does not know.");

    /// <summary>How the contract refers to the entry that booked its deposit: <c>{book}#{key}</c>.</summary>
    public static string EntryReference(ProposedEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return $"{entry.Book}#{entry.IdempotencyKey}";
    }

    private static string Describe(IReadOnlyList<Refusal> refusals) => string.Join("; ", refusals.Select(r => $"{r.Code} ({r.Field}): {r.Message}"));

    private static ContractCaller SystemCaller { get; } = new(Actor.Create(ActorRole.Finance, ActorSubject, "sub").Value, null, null);
}

/// <summary>A refund or dispute event arrived before the payment that tells us its contract; the queue retries it.</summary>
public sealed class StripeEventNotJoinedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StripeEventNotJoinedException()
    {
    }

    /// <summary>Creates the exception with a message naming the Stripe object.</summary>
    public StripeEventNotJoinedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a cause.</summary>
    public StripeEventNotJoinedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
