namespace ServiceLedger.Functions.Disputes;

using System.Text.Json;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Text;
using ServiceLedger.Domain;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Disputes;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Domain.Money;
using ServiceLedger.Domain.Parties;
using ServiceLedger.Domain.Settlement;
using ServiceLedger.Functions.Adapters.Queues;
using ServiceLedger.Functions.Adapters.Stripe;
using ServiceLedger.Functions.Configuration;
using ServiceLedger.Functions.Contracts;
using ServiceLedger.Functions.Ledger;
using ServiceLedger.Functions.Payments;
using ServiceLedger.Functions.Statements;

/// <summary>What a dispute use case came to.</summary>
public abstract record DisputeResult
{
    private DisputeResult()
    {
    }

    /// <summary>Done: the dispute as stored now.</summary>
    /// <param name="Stored">The stored dispute.</param>
    /// <param name="Created">True when this call opened it.</param>
    public sealed record Done(StoredDispute Stored, bool Created = false) : DisputeResult;

    /// <summary>Refused; nothing written.</summary>
    /// <param name="Refusals">Why.</param>
    public sealed record Refused(IReadOnlyList<Refusal> Refusals) : DisputeResult;

    /// <summary>No such dispute, or not the caller's to see.</summary>
    public sealed record NotFound : DisputeResult;

    /// <summary>Someone changed the dispute first (or the quoted revision is stale); nothing written.</summary>
    /// <param name="Current">The dispute as stored now.</param>
    public sealed record Conflict(StoredDispute Current) : DisputeResult;
}

/// <summary>A contested line as the statement store knows it: what may be contested at most.</summary>
/// <param name="Contestable">The line's amount (or the statement's total for a whole-statement dispute), absolute.</param>
public sealed record StatementLineFacts(Money Contestable);

/// <summary>Finds statement lines for disputes (port; the statements capability answers).</summary>
public interface IStatementLines
{
    /// <summary>The line <paramref name="line"/> (1-based) of the contract's statement, or the whole statement when null; null when there is none.</summary>
    Task<StatementLineFacts?> FindAsync(ContractId contract, string statementId, int? line, CancellationToken cancellationToken);
}

/// <summary>
/// Marks the contracts that have unresolved disputes where a settlement run looks anyway (port; the statements capability
/// answers), so that a run reads a contract's disputes only when it has some.
/// </summary>
public interface IDisputeMarkers
{
    /// <summary>Marks <paramref name="dispute"/> of <paramref name="contract"/> as possibly unresolved; repeating it writes nothing.</summary>
    Task MarkAsync(ContractId contract, DisputeId dispute, CancellationToken cancellationToken);

    /// <summary>Removes the mark of <paramref name="dispute"/> (resolved, or never stored); repeating it changes nothing.</summary>
    Task ReleaseAsync(ContractId contract, DisputeId dispute, CancellationToken cancellationToken);
}

/// <summary>Takes a resolution's credit note into its statement's payments and records it beside the statement (port; the statements and payments capabilities answer).</summary>
public interface IStatementCreditNotes
{
    /// <summary>
    /// Takes <paramref name="note"/> into its statement's payment tally before it is posted, so that no payment is admitted on
    /// what it credits; never refused: what it credits beyond what is still owed is the merchant's credit balance
    /// (<see cref="CreditAdmission.Excess"/>). Repeating it changes nothing.
    /// </summary>
    Task<CreditAdmission> AdmitAsync(CreditNote note, CancellationToken cancellationToken);

    /// <summary>
    /// Records <paramref name="note"/> of dispute <paramref name="disputeId"/>, booked by ledger entry <paramref name="ledgerEntryId"/>,
    /// in <paramref name="contract"/>'s statements; repeating it writes nothing.
    /// </summary>
    Task RecordAsync(ContractId contract, string disputeId, CreditNote note, string ledgerEntryId, Instant recordedAt, CancellationToken cancellationToken);
}

/// <summary>Body of POST /api/disputes.</summary>
/// <param name="ContractId">The contract.</param>
/// <param name="StatementId">The statement contested.</param>
/// <param name="Line">The line (1-based); leave out to contest the whole statement.</param>
/// <param name="Amount">The amount contested.</param>
/// <param name="Reason">commissionBase, conversionFigures, slaCredit, baseFeeProration, latePenalty or other.</param>
/// <param name="Evidence">Text and document references.</param>
/// <param name="RequestId">The client's id for this request: a retry with the same id answers the dispute it opened.</param>
public sealed record OpenDisputeRequest(string? ContractId, string? StatementId, int? Line, MoneyView? Amount, string? Reason, EvidenceRequest? Evidence, string? RequestId);

/// <summary>Evidence: text and/or document references.</summary>
/// <param name="Text">Free text.</param>
/// <param name="Documents">Uploaded documents by name, type, size and SHA-256.</param>
public sealed record EvidenceRequest(string? Text, IReadOnlyList<DocumentView>? Documents);

/// <summary>The filters of GET /api/disputes, as given.</summary>
/// <param name="State">A state name.</param>
/// <param name="ContractId">A contract id.</param>
/// <param name="MerchantId">A merchant id (finance).</param>
/// <param name="VendorId">A vendor id (finance).</param>
/// <param name="MinAmount">Least contested amount, e.g. <c>100.00</c>.</param>
/// <param name="MinAgeDays">Least age in days since opening.</param>
public sealed record DisputeQuery(string? State, string? ContractId, string? MerchantId, string? VendorId, string? MinAmount, int? MinAgeDays);

/// <summary>One dispute in a list, with its age.</summary>
/// <param name="Dispute">The dispute as the caller may see it.</param>
/// <param name="AgeDays">Whole days since it was opened.</param>
public sealed record DisputeListItem(DisputeView Dispute, int AgeDays);

/// <summary>A list of disputes and the totals on hold per currency.</summary>
/// <param name="Items">The disputes, oldest first.</param>
/// <param name="OnHold">Totals on hold, one per currency.</param>
/// <param name="Count">How many.</param>
public sealed record DisputeList(IReadOnlyList<DisputeListItem> Items, IReadOnlyList<MoneyView> OnHold, int Count);

/// <summary>
/// The dispute use cases behind /api/disputes, the escalation timer and the Stripe chargeback intake (docs/disputes.md):
/// loads the contract and the dispute, builds the <see cref="DisputeClock"/> (actor, now, today in the contract's time
/// zone, configured deadlines, working-day calendar), applies the domain action and writes it with If-Match. A
/// resolution is taken into the disputed statement's payment tally (so no payment is admitted on what it credits) and booked
/// to the ledger under <c>dispute:{id}:resolution</c> after the dispute is stored; a retried resolution finds the dispute
/// resolved the same way, finds the credit note in the tally already, and posts the (same) entry again, which the ledger
/// answers with "already appended", so the credit note is counted and booked once; then the credit note row is written
/// beside the disputed statement (insert only), so a retry after a crash between the writes writes what the first attempt
/// missed. Opening writes the contract's dispute marker before the dispute; resolving removes it (docs/disputes.md, "Holds").
/// </summary>
public sealed class DisputeDesk(
    IDisputeStore disputes,
    IContractStore contracts,
    IStatementLines statements,
    IStatementCreditNotes creditNotes,
    IDisputeMarkers markers,
    LedgerService ledger,
    IServiceProvider services,
    QueueServiceClient queues,
    IWorkingDayCalendar calendar,
    IOptions<DisputeOptions> options,
    IClock clock)
{
    /// <summary>Most characters of a request id.</summary>
    public const int MaxRequestIdLength = 100;

    /// <summary>Opens a fee dispute for the merchant or vendor of the contract.</summary>
    public async Task<DisputeResult> OpenAsync(ContractCaller caller, OpenDisputeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        var refusals = new List<Refusal>();
        var contractId = Collect(ContractId.Parse(request.ContractId, "contractId"), refusals);
        var subject = Collect(DisputeSubject.Create(request.StatementId, request.Line, "subject"), refusals);
        var amount = request.Amount is null
            ? Refuse<Money>(refusals, new Refusal(DisputeRule.ContestedAmountOutOfRange, "amount", "Give the amount contested, e.g. {\"amount\":\"120.00\",\"currency\":\"CNY\"}."))
            : Collect(Money.Parse(request.Amount.Amount, request.Amount.Currency, "amount"), refusals);
        var reason = ParseReason(request.Reason, refusals);
        var documents = ReadDocuments(request.Evidence?.Documents, "evidence.documents", refusals);
        if (request.RequestId is { } requestId && (requestId.Length is 0 or > MaxRequestIdLength || requestId.Any(char.IsControl)))
        {
            refusals.Add(new Refusal(DisputeRule.TextInvalid, "requestId", $"A request id is 1 to {MaxRequestIdLength} characters."));
        }

        if (refusals.Count > 0)
        {
            return new DisputeResult.Refused(refusals);
        }

        var contract = (await contracts.GetAsync(contractId, cancellationToken).ConfigureAwait(false))?.Contract;
        if (contract is null || !caller.CanSee(contract))
        {
            return new DisputeResult.NotFound();
        }

        var line = await statements.FindAsync(contract.Id, subject.StatementId, subject.Line, cancellationToken).ConfigureAwait(false);
        if (line is null)
        {
            return new DisputeResult.Refused([new Refusal(
                DisputeRule.SubjectInvalid,
                subject.Line is null ? "statementId" : "line",
                $"Contract {contract.Id} has no statement {subject.StatementId}{(subject.Line is { } number ? $" with a line {number}" : string.Empty)}.")]);
        }

        var id = DisputeId.Derive(request.RequestId is { } key ? $"{caller.Actor}:{key}" : Guid.NewGuid().ToString("N"));
        var onStatement = await disputes.ListOnStatementAsync(contract.Id, subject.StatementId, cancellationToken).ConfigureAwait(false);
        if (onStatement.FirstOrDefault(dispute => dispute.Id == id) is { } retried)
        {
            return await DoneAsync(retried, cancellationToken).ConfigureAwait(false);
        }

        var opened = Dispute.Open(id, contract.Id, contract.Merchant, contract.Vendor, subject, reason, amount, line.Contestable, request.Evidence?.Text, documents, onStatement, ClockFor(caller.Actor, contract));
        if (!opened.IsValid)
        {
            return new DisputeResult.Refused(opened.Refusals);
        }

        // The marker before the dispute: a crash between them leaves a marker without a dispute (one needless read of the
        // contract's disputes per settlement), never a dispute that settlement runs do not look for (a missed hold).
        await markers.MarkAsync(contract.Id, id, cancellationToken).ConfigureAwait(false);
        switch (await disputes.InsertAsync(opened.Value, cancellationToken).ConfigureAwait(false))
        {
            case DisputeWrite.Written written:
                return new DisputeResult.Done(written.Stored, Created: true);
            case DisputeWrite.Conflict conflict:
                return new DisputeResult.Done(conflict.Current);
            case DisputeWrite.SubjectTaken taken:
                // Nothing was stored under this id (a retry of it was answered above), so its marker marks nothing.
                await markers.ReleaseAsync(contract.Id, id, cancellationToken).ConfigureAwait(false);
                return new DisputeResult.Refused([new Refusal(
                    DisputeRule.AlreadyDisputed,
                    subject.Line is null ? "statementId" : "line",
                    taken.Holder is { } holder
                        ? $"Dispute {holder.Id} on {holder.Subject!.Key} is still {holder.State}; add evidence to it instead."
                        : $"Dispute {taken.HolderId} on {subject.Key} is being opened at this moment; add evidence to it once it is open.")]);
            default:
                throw new InvalidOperationException("Unknown dispute write.");
        }
    }

    /// <summary>One dispute, if the caller may see it.</summary>
    public async Task<DisputeResult> GetAsync(ContractCaller caller, string? disputeId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var stored = await FindVisibleAsync(caller, disputeId, cancellationToken).ConfigureAwait(false);
        return stored is null ? new DisputeResult.NotFound() : new DisputeResult.Done(stored);
    }

    /// <summary>Disputes the caller may see matching <paramref name="query"/>, with ages and totals on hold; refusals name the bad filter.</summary>
    public async Task<(DisputeList? List, IReadOnlyList<Refusal> Refusals)> ListAsync(ContractCaller caller, DisputeQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(query);
        var refusals = new List<Refusal>();
        DisputeState? state = query.State is null ? null : Enum.TryParse<DisputeState>(query.State, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
            ? parsed
            : Refuse<DisputeState?>(refusals, new Refusal(DisputeRule.TextInvalid, "state", "Give one of open, underReview, escalated, resolved, closed."));
        ContractId? contract = query.ContractId is null ? null : Collect(ContractId.Parse(query.ContractId, "contractId"), refusals);
        MerchantId? merchant = caller.Merchant ?? (query.MerchantId is null ? null : Collect(MerchantId.Parse(query.MerchantId, "merchantId"), refusals));
        VendorId? vendor = caller.Vendor ?? (query.VendorId is null ? null : Collect(VendorId.Parse(query.VendorId, "vendorId"), refusals));
        decimal? minAmount = null;
        if (query.MinAmount is { } text)
        {
            minAmount = decimal.TryParse(text, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var least) && least >= 0
                ? least
                : Refuse<decimal?>(refusals, new Refusal(DisputeRule.TextInvalid, "minAmount", "Give a non-negative amount such as 100.00."));
        }

        if (query.MinAgeDays is < 0)
        {
            refusals.Add(new Refusal(DisputeRule.TextInvalid, "minAgeDays", "Give a whole number of days, 0 or more."));
        }

        if (refusals.Count > 0)
        {
            return (null, refusals);
        }

        if (caller.Actor.Role is not ActorRole.Finance && caller.Merchant is null && caller.Vendor is null)
        {
            return (new DisputeList([], [], 0), []);
        }

        var now = clock.GetCurrentInstant();
        var found = await disputes.ListAsync(new DisputeFilter(state, contract, merchant, vendor), cancellationToken).ConfigureAwait(false);
        var items = found
            .Select(stored => stored.Dispute)
            .Select(dispute => (Dispute: dispute, Age: (int)Math.Floor((now - dispute.OpenedAt).TotalDays)))
            .Where(item => (minAmount is null || item.Dispute.Contested.Amount >= minAmount) && (query.MinAgeDays is null || item.Age >= query.MinAgeDays))
            .ToArray();
        var onHold = items
            .GroupBy(item => item.Dispute.Contested.Currency)
            .OrderBy(group => group.Key.Code, StringComparer.Ordinal)
            .Select(group => MoneyView.Of(Money.Sum(group.Select(item => item.Dispute.OnHold), group.Key)))
            .ToArray();
        return (new DisputeList([.. items.Select(item => new DisputeListItem(DisputeJson.ToView(item.Dispute, caller.Actor.Role), item.Age))], onHold, items.Length), []);
    }

    /// <summary>Applies one domain action to a dispute the caller may see, with optional revision check (If-Match).</summary>
    public async Task<DisputeResult> ActAsync(
        ContractCaller caller, string? disputeId, int? expectedRevision, Func<Dispute, DisputeClock, Validated<Dispute>> action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(action);
        var stored = await FindVisibleAsync(caller, disputeId, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return new DisputeResult.NotFound();
        }

        if (expectedRevision is { } revision && revision != stored.Dispute.Revision)
        {
            return new DisputeResult.Conflict(stored);
        }

        var contract = await ContractOfAsync(stored.Dispute, cancellationToken).ConfigureAwait(false);
        var acted = action(stored.Dispute, ClockFor(caller.Actor, contract));
        return acted.IsValid
            ? await ReplaceAsync(acted.Value, stored, cancellationToken).ConfigureAwait(false)
            : new DisputeResult.Refused(acted.Refusals);
    }

    /// <summary>
    /// Resolves a dispute (finance) and books an accepted amount as a credit note. Idempotent: a retry of the same decision
    /// on an already resolved dispute books nothing new and answers the dispute.
    /// </summary>
    public async Task<DisputeResult> ResolveAsync(
        ContractCaller caller, string? disputeId, string? outcomeText, MoneyView? amountView, string? text, int? expectedRevision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var refusals = new List<Refusal>();
        var outcome = Enum.TryParse<DisputeOutcome>(outcomeText, ignoreCase: true, out var parsedOutcome) && Enum.IsDefined(parsedOutcome)
            ? parsedOutcome
            : Refuse<DisputeOutcome>(refusals, new Refusal(DisputeRule.ResolvedAmountInvalid, "outcome", "Give accepted, partiallyAccepted or rejected."));
        Money? amount = amountView is null ? null : Collect(Money.Parse(amountView.Amount, amountView.Currency, "amount"), refusals);
        if (refusals.Count > 0)
        {
            return new DisputeResult.Refused(refusals);
        }

        var stored = await FindVisibleAsync(caller, disputeId, cancellationToken).ConfigureAwait(false);
        if (stored?.Dispute is { State: DisputeState.Resolved or DisputeState.Closed } decided
            && decided.Outcome == outcome && (amount is null || decided.ResolvedAmount == amount) && decided.Chargeback is null)
        {
            return await BookAsync(stored, cancellationToken).ConfigureAwait(false);
        }

        var result = await ActAsync(caller, disputeId, expectedRevision, (dispute, at) => dispute.Resolve(outcome, amount, text, at), cancellationToken).ConfigureAwait(false);
        return result is DisputeResult.Done done ? await BookAsync(done.Stored, cancellationToken).ConfigureAwait(false) : result;
    }

    /// <summary>Submits evidence text to Stripe for a chargeback before its due date (finance), and records it.</summary>
    public async Task<DisputeResult> SubmitStripeEvidenceAsync(ContractCaller caller, string? disputeId, string? text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var stored = await FindVisibleAsync(caller, disputeId, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return new DisputeResult.NotFound();
        }

        var dispute = stored.Dispute;
        if (dispute.Chargeback is not { } facts)
        {
            return new DisputeResult.Refused([new Refusal(DisputeRule.IllegalTransition, "disputeId", $"Dispute {dispute.Id} is not a card chargeback; evidence for fee disputes is added with POST …/evidence.")]);
        }

        if (facts.EvidenceDueBy is { } dueBy && clock.GetCurrentInstant() > dueBy)
        {
            return new DisputeResult.Refused([new Refusal(DisputeRule.IllegalTransition, "state", $"Stripe's evidence deadline {InstantPattern.ExtendedIso.Format(dueBy)} has passed.")]);
        }

        var contract = await ContractOfAsync(dispute, cancellationToken).ConfigureAwait(false);
        var recorded = dispute.RecordStripeEvidenceSubmitted(text ?? string.Empty, ClockFor(caller.Actor, contract));
        if (!recorded.IsValid)
        {
            return new DisputeResult.Refused(recorded.Refusals);
        }

        if (text!.Length > DisputeEvidence.MaxTextLength)
        {
            return new DisputeResult.Refused([new Refusal(DisputeRule.TextInvalid, "text", $"Stripe accepts at most {DisputeEvidence.MaxTextLength} characters.")]);
        }

        // Keyed by the revision the evidence was added to: a retry of this request sends the same key, so Stripe applies it once.
        // Resolved here, not injected: only chargeback evidence needs Stripe, and the rest works without a Stripe key.
        await services.GetRequiredService<StripeClient>().UpdateDisputeEvidenceAsync(
            facts.StripeDisputeId,
            new DisputeEvidence(text, Submit: true),
            StripeIdempotencyKey.From($"dispute-evidence:{dispute.Id}:r{dispute.Revision}"),
            cancellationToken).ConfigureAwait(false);
        return await ReplaceAsync(recorded.Value, stored, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Records a chargeback status Stripe reported (from the webhook's <c>charge.dispute.*</c> events): opens the dispute on
    /// first sight (its id derives from Stripe's), then follows Stripe's status; older observations are ignored. Retried
    /// on a concurrent write, so redelivered and out-of-order events end in Stripe's latest status.
    /// </summary>
    public async Task<Dispute> RecordChargebackAsync(
        ContractId contractId, ChargebackFacts facts, Money amount, Instant observedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var contract = (await contracts.GetAsync(contractId, cancellationToken).ConfigureAwait(false))?.Contract
            ?? throw new InvalidOperationException($"Chargeback {facts.StripeDisputeId} names contract {contractId}, which does not exist.");
        var stripeActor = Actor.Create(ActorRole.Finance, "stripe", "by").Value;
        var id = Dispute.ChargebackId(facts.StripeDisputeId);
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var stored = await disputes.GetAsync(contract.Id, id, cancellationToken).ConfigureAwait(false);
            var at = ClockFor(stripeActor, contract);
            var write = stored is null
                ? await disputes.InsertAsync(Dispute.OpenChargeback(contract.Id, contract.Merchant, contract.Vendor, amount, facts, observedAt, at), cancellationToken).ConfigureAwait(false)
                : stored.Dispute.RecordStripeStatus(facts, observedAt, at) is var next && ReferenceEquals(next, stored.Dispute)
                    ? new DisputeWrite.Written(stored)
                    : await disputes.ReplaceAsync(next, stored.ConcurrencyToken, cancellationToken).ConfigureAwait(false);
            if (write is DisputeWrite.Written written)
            {
                return written.Stored.Dispute;
            }
        }

        throw new InvalidOperationException($"Chargeback {facts.StripeDisputeId} kept changing under five attempts; the queue retries it.");
    }

    /// <summary>
    /// The timer's pass: escalates every Open or UnderReview fee dispute past its deadline (today in its contract's time
    /// zone) and sends the parties a notice on <see cref="StorageNames.DisputeNotificationsQueue"/> (at least once: the
    /// notice goes before the write, so a crash can repeat it but never lose it; consumers dedupe by dispute and revision).
    /// Returns how many were escalated; a dispute changed concurrently is left for the next pass.
    /// </summary>
    public async Task<int> EscalateOverdueAsync(CancellationToken cancellationToken)
    {
        var system = Actor.Create(ActorRole.Finance, "deadline-timer", "by").Value;
        var notices = queues.GetQueueClient(StorageNames.DisputeNotificationsQueue);
        var escalated = 0;
        foreach (var state in new[] { DisputeState.Open, DisputeState.UnderReview })
        {
            foreach (var stored in await disputes.ListAsync(new DisputeFilter(state, null, null, null), cancellationToken).ConfigureAwait(false))
            {
                // Without a deadline nothing is overdue: skip before reading the contract (its time zone decides "today").
                var dispute = stored.Dispute;
                if (dispute.ResponseDueOn is null)
                {
                    continue;
                }

                var contract = await ContractOfAsync(dispute, cancellationToken).ConfigureAwait(false);
                if (dispute.EscalateIfOverdue(ClockFor(system, contract)) is not { } next)
                {
                    continue;
                }

                var notice = new DisputeNotice(next.Id.Value, next.Contract.Value, next.Merchant.Value, next.Vendor.Value, next.State.ToString(), next.Revision,
                    dispute.ResponseDueOn is { } due ? LocalDatePattern.Iso.Format(due) : null, "The response deadline passed; the dispute is escalated to mediation.");
                await notices.SendBase64MessageAsync(JsonSerializer.Serialize(notice, DisputeJson.Options), 0, cancellationToken).ConfigureAwait(false);
                if (await disputes.ReplaceAsync(next, stored.ConcurrencyToken, cancellationToken).ConfigureAwait(false) is DisputeWrite.Written)
                {
                    escalated++;
                }
            }
        }

        return escalated;
    }

    // After a resolution is stored (and on its retries): removes the dispute's marker (it holds nothing now), then books an
    // accepted amount: takes the credit note into its statement's tally, posts it, records its row, each step repeatable.
    private async Task<DisputeResult> BookAsync(StoredDispute stored, CancellationToken cancellationToken)
    {
        var dispute = stored.Dispute;
        await markers.ReleaseAsync(dispute.Contract, dispute.Id, cancellationToken).ConfigureAwait(false);
        var contract = await ContractOfAsync(dispute, cancellationToken).ConfigureAwait(false);

        // The day of the decision, not StateSince: closing the dispute moves StateSince, and a retry after the close must
        // book the same entry (same date) and record the same credit note.
        var resolvedOn = dispute.ResolvedAt is { } at ? at.InZone(contract.CurrentVersion.Terms.TimeZone).Date : dispute.StateSince;
        var terms = contract.TermsOn(resolvedOn) ?? contract.CurrentVersion.Terms;
        var periods = await ledger.ReadPeriodsAsync(cancellationToken).ConfigureAwait(false);
        var entry = dispute.ResolutionEntry(terms.PlatformFeeRate, periods.FirstOpenDateOnOrAfter(resolvedOn));
        if (entry is null)
        {
            return new DisputeResult.Done(stored);
        }

        if (!entry.IsValid)
        {
            return new DisputeResult.Refused(entry.Refusals);
        }

        // Taken into the statement's tally before it is posted, so no payment is admitted on what it credits; a payment
        // admitted first stays, and what the credit note gives beyond what was owed is the merchant's credit balance.
        var note = CreditNoteOf(dispute, resolvedOn);
        await creditNotes.AdmitAsync(note, cancellationToken).ConfigureAwait(false);
        var posted = await ledger.AppendAsync(entry.Value, cancellationToken).ConfigureAwait(false);
        var booked = posted switch
        {
            AppendResult.Appended appended => appended.Entry,
            AppendResult.AlreadyAppended already => already.Entry,
            AppendResult.Refused => null,
            _ => throw new InvalidOperationException("Unknown append result."),
        };
        if (booked is null)
        {
            return new DisputeResult.Refused(((AppendResult.Refused)posted).Refusals);
        }

        await creditNotes.RecordAsync(contract.Id, dispute.Id.Value, note, booked.Id.ToString(), clock.GetCurrentInstant(), cancellationToken).ConfigureAwait(false);
        return new DisputeResult.Done(stored);
    }

    // The statement id was checked when the dispute was opened (IStatementLines found it), so it parses.
    private static CreditNote CreditNoteOf(Dispute dispute, LocalDate resolvedOn) =>
        new(
            StatementRecord.TryParseId(dispute.Subject!.StatementId, out var contract, out var period, out var version)
                ? StatementId.For(contract, period, version)
                : throw new InvalidOperationException($"Dispute {dispute.Id} names '{dispute.Subject.StatementId}', which is not a statement id."),
            dispute.ResolvedAmount!.Value,
            $"dispute:{dispute.Id}",
            resolvedOn);

    private async Task<DisputeResult> ReplaceAsync(Dispute next, StoredDispute stored, CancellationToken cancellationToken) =>
        await disputes.ReplaceAsync(next, stored.ConcurrencyToken, cancellationToken).ConfigureAwait(false) switch
        {
            DisputeWrite.Written written => new DisputeResult.Done(written.Stored),
            DisputeWrite.Conflict conflict => new DisputeResult.Conflict(conflict.Current),
            _ => throw new InvalidOperationException("A replace cannot take a subject."),
        };

    private async Task<DisputeResult> DoneAsync(Dispute dispute, CancellationToken cancellationToken) =>
        await disputes.GetAsync(dispute.Contract, dispute.Id, cancellationToken).ConfigureAwait(false) is { } stored
            ? new DisputeResult.Done(stored)
            : new DisputeResult.NotFound();

    private async Task<StoredDispute?> FindVisibleAsync(ContractCaller caller, string? disputeId, CancellationToken cancellationToken)
    {
        if (!DisputeId.TryParse(disputeId, out var id))
        {
            return null;
        }

        var stored = await disputes.FindAsync(id, cancellationToken).ConfigureAwait(false);
        return stored is not null && CanSee(caller, stored.Dispute) ? stored : null;
    }

    private static bool CanSee(ContractCaller caller, Dispute dispute) => caller.Actor.Role switch
    {
        ActorRole.Finance => true,
        ActorRole.Merchant => caller.Merchant == dispute.Merchant,
        ActorRole.Vendor => caller.Vendor == dispute.Vendor,
        _ => false,
    };

    private async Task<Contract> ContractOfAsync(Dispute dispute, CancellationToken cancellationToken) =>
        (await contracts.GetAsync(dispute.Contract, cancellationToken).ConfigureAwait(false))?.Contract
        ?? throw new InvalidOperationException($"Dispute {dispute.Id} names contract {dispute.Contract}, which does not exist; contracts are never deleted.");

    private DisputeClock ClockFor(Actor actor, Contract contract)
    {
        var now = clock.GetCurrentInstant();
        var zone = contract.CurrentVersion.Terms.TimeZone;
        return new DisputeClock(actor, now, now.InZone(zone).Date, options.Value.Deadlines, calendar);
    }

    private static DisputeReason ParseReason(string? text, List<Refusal> refusals) =>
        Enum.TryParse<DisputeReason>(text, ignoreCase: true, out var reason) && Enum.IsDefined(reason) && reason != DisputeReason.Chargeback
            ? reason
            : Refuse<DisputeReason>(refusals, new Refusal(DisputeRule.SubjectInvalid, "reason", "Give one of commissionBase, conversionFigures, slaCredit, baseFeeProration, latePenalty, other."));

    /// <summary>Reads document references from a request, naming <c>{field}[i].…</c> in refusals.</summary>
    internal static IReadOnlyList<EvidenceDocument> ReadDocuments(IReadOnlyList<DocumentView>? documents, string field, List<Refusal> refusals)
    {
        if (documents is null)
        {
            return [];
        }

        if (documents.Count > DisputeLimits.MaxDocumentsPerAction)
        {
            refusals.Add(new Refusal(DisputeRule.DocumentInvalid, field, $"At most {DisputeLimits.MaxDocumentsPerAction} documents per action."));
            return [];
        }

        return [.. documents.Select((document, index) => document is null
            ? Refuse<EvidenceDocument>(refusals, new Refusal(DisputeRule.DocumentInvalid, $"{field}[{index}]", "Give the document's name, contentType, sizeBytes and sha256."))
            : Collect(EvidenceDocument.Create(document.Name, document.ContentType, document.SizeBytes, document.Sha256, $"{field}[{index}]"), refusals))];
    }

    private static T Collect<T>(Validated<T> validated, List<Refusal> refusals)
    {
        if (validated.IsValid)
        {
            return validated.Value;
        }

        refusals.AddRange(validated.Refusals);
        return default!;
    }

    private static T Refuse<T>(List<Refusal> refusals, Refusal refusal)
    {
        refusals.Add(refusal);
        return default!;
    }
}

/// <summary>A notice to the parties about a dispute (the message on <see cref="StorageNames.DisputeNotificationsQueue"/>).</summary>
/// <param name="DisputeId">The dispute.</param>
/// <param name="ContractId">Its contract.</param>
/// <param name="MerchantId">The merchant to notify.</param>
/// <param name="VendorId">The vendor to notify.</param>
/// <param name="State">The dispute's state now.</param>
/// <param name="Revision">The dispute's revision now: with the id, the notice's identity for deduplication.</param>
/// <param name="MissedDeadline">The deadline that passed, when that is the cause.</param>
/// <param name="Message">What happened, for people.</param>
public sealed record DisputeNotice(string DisputeId, string ContractId, string MerchantId, string VendorId, string State, int Revision, string? MissedDeadline, string Message);

/// <summary>Configuration of disputes (section <c>Disputes</c>): response deadlines in working days per state.</summary>
public sealed class DisputeOptions
{
    /// <summary>Working days finance has to start a review of an open dispute (default 5).</summary>
    public int OpenWorkingDays { get; set; } = DisputeDeadlines.Default.OpenWorkingDays;

    /// <summary>Working days finance has to resolve a dispute under review (default 10).</summary>
    public int UnderReviewWorkingDays { get; set; } = DisputeDeadlines.Default.UnderReviewWorkingDays;

    /// <summary>Working days mediation has for an escalated dispute (default 20).</summary>
    public int EscalatedWorkingDays { get; set; } = DisputeDeadlines.Default.EscalatedWorkingDays;

    /// <summary>The deadlines as the domain takes them.</summary>
    public DisputeDeadlines Deadlines => new(OpenWorkingDays, UnderReviewWorkingDays, EscalatedWorkingDays);
}
