namespace ServiceLedger.Domain.Disputes;

using NodaTime;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Domain.Money;
using ServiceLedger.Domain.Parties;

/// <summary>
/// A dispute: a merchant or vendor contesting a statement line (or a whole statement), or a card payment disputed with the
/// issuer (a Stripe chargeback). Lifecycle <c>Open → UnderReview → Resolved → Closed</c>, with <c>Escalated</c> from Open
/// or UnderReview (by finance, or by the timer once a response deadline in working days has passed). Immutable and
/// append-only: every action returns a new dispute with <see cref="Revision"/> one higher and the action appended to
/// <see cref="Actions"/>, or the refusals that stopped it. While unresolved, a fee dispute holds <see cref="Contested"/>
/// (<see cref="OnHold"/>): the vendor cannot be paid it and the merchant accrues no late penalty on it.
/// </summary>
public sealed record Dispute
{
    private Dispute()
    {
    }

    /// <summary>The dispute's id.</summary>
    public required DisputeId Id { get; init; }

    /// <summary>The contract the statement (or the deposit payment) belongs to.</summary>
    public required ContractId Contract { get; init; }

    /// <summary>The contract's merchant.</summary>
    public required MerchantId Merchant { get; init; }

    /// <summary>The contract's vendor.</summary>
    public required VendorId Vendor { get; init; }

    /// <summary>The contested statement line, or null for a chargeback.</summary>
    public required DisputeSubject? Subject { get; init; }

    /// <summary>The reason category.</summary>
    public required DisputeReason Reason { get; init; }

    /// <summary>The amount contested: positive, in the contract's currency.</summary>
    public required Money Contested { get; init; }

    /// <summary>Where the dispute is.</summary>
    public required DisputeState State { get; init; }

    /// <summary>The day the dispute entered <see cref="State"/>, in the contract's time zone.</summary>
    public required LocalDate StateSince { get; init; }

    /// <summary>The last day for a response in this state; null when the state has none or the calendar cannot count that far yet.</summary>
    public LocalDate? ResponseDueOn { get; init; }

    /// <summary>The decision, once resolved.</summary>
    public DisputeOutcome? Outcome { get; init; }

    /// <summary>The amount credited by the decision (zero when rejected); null before.</summary>
    public Money? ResolvedAmount { get; init; }

    /// <summary>The chargeback's Stripe facts; null for a fee dispute.</summary>
    public ChargebackFacts? Chargeback { get; init; }

    /// <summary>When Stripe's newest applied observation was made; older ones are ignored (events arrive out of order).</summary>
    public Instant? StripeObservedAt { get; init; }

    /// <summary>Every action, oldest first.</summary>
    public required IReadOnlyList<DisputeAction> Actions { get; init; }

    /// <summary>Counts the actions: 1 once opened. Clients see it as the dispute's version for concurrency.</summary>
    public required int Revision { get; init; }

    /// <summary>
    /// When the outcome was decided (the move into Resolved); null while unresolved or when no action recorded it (a
    /// chargeback follows Stripe's status). Unlike <see cref="StateSince"/>, closing the dispute does not move it.
    /// </summary>
    public Instant? ResolvedAt => Actions.LastOrDefault(action => action.To == DisputeState.Resolved && action.From != DisputeState.Resolved)?.At;

    /// <summary>True until an outcome is decided.</summary>
    public bool IsUnresolved => State is DisputeState.Open or DisputeState.UnderReview or DisputeState.Escalated;

    /// <summary>The amount on hold: the contested amount of an unresolved fee dispute; zero otherwise (a chargeback's money is Stripe's to move).</summary>
    public Money OnHold => IsUnresolved && Chargeback is null ? Contested : Money.Zero(Contested.Currency);

    /// <summary>The day the dispute was opened.</summary>
    public Instant OpenedAt => Actions[0].At;

    /// <summary>Who opened it.</summary>
    public Actor OpenedBy => Actions[0].By;

    /// <summary>
    /// Opens a fee dispute by the merchant or the vendor of the contract (the hosting layer checks the party). Refused when
    /// the amount is not positive or exceeds <paramref name="contestable"/> (the line's or the statement's amount), when
    /// an unresolved dispute in <paramref name="others"/> contests the same line — or, for a whole-statement dispute, any
    /// line of the same statement, and the other way round — or when the text or documents are invalid.
    /// </summary>
    public static Validated<Dispute> Open(
        DisputeId id,
        ContractId contract,
        MerchantId merchant,
        VendorId vendor,
        DisputeSubject subject,
        DisputeReason reason,
        Money contested,
        Money contestable,
        string? text,
        IReadOnlyList<EvidenceDocument> documents,
        IEnumerable<Dispute> others,
        DisputeClock clock)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(others);
        ArgumentNullException.ThrowIfNull(clock);
        if (id.IsDefault || contract.IsDefault || merchant.IsDefault || vendor.IsDefault)
        {
            throw new ArgumentException("A dispute needs an id, a contract, a merchant and a vendor.");
        }

        var refusals = new List<Refusal>();
        if (clock.By.Role is not (ActorRole.Merchant or ActorRole.Vendor))
        {
            refusals.Add(RoleRefusal("open a dispute", clock.By, "merchant or vendor"));
        }

        if (reason == DisputeReason.Chargeback || !Enum.IsDefined(reason))
        {
            refusals.Add(new Refusal(DisputeRule.SubjectInvalid, "reason", "Give one of commissionBase, conversionFigures, slaCredit, baseFeeProration, latePenalty, other."));
        }

        if (contested.Currency != contestable.Currency || contested.Amount <= 0 || contested > contestable || contested.RoundToMinorUnit() != contested)
        {
            refusals.Add(new Refusal(
                DisputeRule.ContestedAmountOutOfRange,
                "amount",
                $"The contested amount must be positive, in whole minor units of {contestable.Currency}, and at most {contestable}."));
        }

        if (text is not null && !DisputeText.IsPlain(text, DisputeLimits.MaxTextLength))
        {
            refusals.Add(new Refusal(DisputeRule.TextInvalid, "evidence.text", $"Evidence text is 1 to {DisputeLimits.MaxTextLength} characters."));
        }

        if (documents.Count > DisputeLimits.MaxDocumentsPerAction)
        {
            refusals.Add(new Refusal(DisputeRule.DocumentInvalid, "evidence.documents", $"At most {DisputeLimits.MaxDocumentsPerAction} documents per action."));
        }

        if (others.FirstOrDefault(other => other.IsUnresolved && other.Subject is { } taken && Overlaps(taken, subject)) is { } open)
        {
            refusals.Add(new Refusal(
                DisputeRule.AlreadyDisputed,
                subject.Line is null ? "statementId" : "line",
                $"Dispute {open.Id} on {open.Subject!.Key} is still {open.State}; add evidence to it instead of opening another."));
        }

        if (refusals.Count > 0)
        {
            return Validated.Refused<Dispute>(refusals);
        }

        var opened = new DisputeAction(DisputeActions.Opened, DisputeState.Open, DisputeState.Open, clock.By, clock.At, text, documents, DisputeVisibility.Parties);
        return Validated.Valid(new Dispute
        {
            Id = id,
            Contract = contract,
            Merchant = merchant,
            Vendor = vendor,
            Subject = subject,
            Reason = reason,
            Contested = contested,
            State = DisputeState.Open,
            StateSince = clock.Today,
            ResponseDueOn = clock.DueOn(DisputeState.Open),
            Actions = [opened],
            Revision = 1,
        });
    }

    /// <summary>
    /// Rebuilds a dispute read from storage. Checks the invariants that make it trustworthy (ids, a first "opened" action,
    /// bounded actions, an outcome exactly when resolved or closed, a subject exactly when not a chargeback); a broken one
    /// throws, because storage was altered.
    /// </summary>
    public static Dispute Restore(
        DisputeId id,
        ContractId contract,
        MerchantId merchant,
        VendorId vendor,
        DisputeSubject? subject,
        DisputeReason reason,
        Money contested,
        DisputeState state,
        LocalDate stateSince,
        LocalDate? responseDueOn,
        DisputeOutcome? outcome,
        Money? resolvedAmount,
        ChargebackFacts? chargeback,
        Instant? stripeObservedAt,
        IReadOnlyList<DisputeAction> actions,
        int revision)
    {
        ArgumentNullException.ThrowIfNull(actions);
        var decided = state is DisputeState.Resolved or DisputeState.Closed;
        if (id.IsDefault || contract.IsDefault || merchant.IsDefault || vendor.IsDefault || !Enum.IsDefined(state) || !Enum.IsDefined(reason)
            || actions.Count is 0 or > DisputeLimits.MaxActions || actions[0].Action != DisputeActions.Opened || revision < actions.Count
            || (subject is null) != (chargeback is not null) || decided != (outcome is not null) || decided != (resolvedAmount is not null))
        {
            throw new InvalidOperationException($"The stored dispute {id} breaks its invariants (ids, first action, bounded actions, outcome when decided, subject or chargeback).");
        }

        return new Dispute
        {
            Id = id,
            Contract = contract,
            Merchant = merchant,
            Vendor = vendor,
            Subject = subject,
            Reason = reason,
            Contested = contested,
            State = state,
            StateSince = stateSince,
            ResponseDueOn = responseDueOn,
            Outcome = outcome,
            ResolvedAmount = resolvedAmount,
            Chargeback = chargeback,
            StripeObservedAt = stripeObservedAt,
            Actions = actions,
            Revision = revision,
        };
    }

    /// <summary>
    /// Opens a dispute for a Stripe chargeback from the webhook (acting as <paramref name="clock"/>'s actor, finance-side).
    /// The state follows Stripe's status (<see cref="StateFor"/>); the id is derived from Stripe's dispute id, so a
    /// redelivered event finds the same dispute.
    /// </summary>
    public static Dispute OpenChargeback(ContractId contract, MerchantId merchant, VendorId vendor, Money amount, ChargebackFacts facts, Instant observedAt, DisputeClock clock)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(clock);
        var opened = new DisputeAction(DisputeActions.Opened, DisputeState.Open, DisputeState.Open, clock.By, clock.At, $"Stripe {facts.StripeDisputeId}: {facts.Status}", [], DisputeVisibility.Parties);
        var dispute = new Dispute
        {
            Id = ChargebackId(facts.StripeDisputeId),
            Contract = contract,
            Merchant = merchant,
            Vendor = vendor,
            Subject = null,
            Reason = DisputeReason.Chargeback,
            Contested = amount,
            State = DisputeState.Open,
            StateSince = clock.Today,
            ResponseDueOn = null,
            Chargeback = facts,
            StripeObservedAt = observedAt,
            Actions = [opened],
            Revision = 1,
        };
        return dispute.ApplyStripeState(facts, clock);
    }

    /// <summary>The dispute id for a Stripe dispute: the same Stripe id always gives the same id.</summary>
    public static DisputeId ChargebackId(string stripeDisputeId) => DisputeId.Derive($"stripe:{stripeDisputeId}");

    /// <summary>
    /// Our state for a Stripe status: <c>warning_needs_response</c>/<c>needs_response</c> → Open, <c>*under_review</c> →
    /// UnderReview, <c>won</c>/<c>lost</c>/<c>warning_closed</c> → Resolved; anything newer Stripe adds → UnderReview.
    /// </summary>
    public static DisputeState StateFor(string stripeStatus) => stripeStatus switch
    {
        "warning_needs_response" or "needs_response" => DisputeState.Open,
        "won" or "lost" or "warning_closed" => DisputeState.Resolved,
        _ => DisputeState.UnderReview,
    };

    /// <summary>
    /// Records a status Stripe reported at <paramref name="observedAt"/> (the event's creation time). Older observations
    /// than the newest applied are ignored (returns this dispute unchanged), so out-of-order events end in Stripe's latest status.
    /// A won chargeback resolves as <see cref="DisputeOutcome.Rejected"/> (the cardholder's claim failed), a lost one as
    /// <see cref="DisputeOutcome.Accepted"/>; the money itself moves with Stripe's funds_withdrawn / funds_reinstated events.
    /// </summary>
    public Dispute RecordStripeStatus(ChargebackFacts facts, Instant observedAt, DisputeClock clock)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(clock);
        if (Chargeback is null)
        {
            throw new InvalidOperationException($"Dispute {Id} is not a chargeback.");
        }

        if (StripeObservedAt is { } seen && observedAt <= seen && facts == Chargeback)
        {
            return this;
        }

        if (StripeObservedAt is { } newest && observedAt < newest)
        {
            return this;
        }

        var noted = Record(DisputeActions.StripeStatus, State, clock, $"Stripe {facts.StripeDisputeId}: {facts.Status}", [], DisputeVisibility.Parties)
            with { Chargeback = facts, StripeObservedAt = observedAt };
        return noted.ApplyStripeState(facts, clock);
    }

    /// <summary>Records that evidence was submitted to Stripe (finance), with the text sent.</summary>
    public Validated<Dispute> RecordStripeEvidenceSubmitted(string text, DisputeClock clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        if (Chargeback is null || !IsUnresolved)
        {
            return Validated.Refused<Dispute>(Illegal("submit evidence to Stripe"));
        }

        return clock.By.Role != ActorRole.Finance
            ? Validated.Refused<Dispute>(RoleRefusal("submit evidence to Stripe", clock.By, "finance"))
            : CheckText(text, "text") ?? Validated.Valid(Record(DisputeActions.StripeEvidenceSubmitted, State, clock, text, [], DisputeVisibility.Parties));
    }

    /// <summary>A comment by the merchant, the vendor or finance, readable by all; any state but Closed.</summary>
    public Validated<Dispute> Comment(string? text, DisputeClock clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        if (Refuse("comment", clock.By, [DisputeState.Open, DisputeState.UnderReview, DisputeState.Escalated, DisputeState.Resolved], ActorRole.Merchant, ActorRole.Vendor, ActorRole.Finance) is { } refusal)
        {
            return Validated.Refused<Dispute>(refusal);
        }

        return CheckText(text, "text") ?? Validated.Valid(Record(DisputeActions.Commented, State, clock, text, [], DisputeVisibility.Parties));
    }

    /// <summary>Evidence (text and/or documents) by the merchant, the vendor or finance, while unresolved.</summary>
    public Validated<Dispute> AddEvidence(string? text, IReadOnlyList<EvidenceDocument> documents, DisputeClock clock)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(clock);
        if (Refuse("add evidence", clock.By, [DisputeState.Open, DisputeState.UnderReview, DisputeState.Escalated], ActorRole.Merchant, ActorRole.Vendor, ActorRole.Finance) is { } refusal)
        {
            return Validated.Refused<Dispute>(refusal);
        }

        if (documents.Count == 0 && text is null)
        {
            return Validated.Refused<Dispute>(new Refusal(DisputeRule.TextInvalid, "text", "Give evidence text, documents, or both."));
        }

        if (documents.Count > DisputeLimits.MaxDocumentsPerAction)
        {
            return Validated.Refused<Dispute>(new Refusal(DisputeRule.DocumentInvalid, "documents", $"At most {DisputeLimits.MaxDocumentsPerAction} documents per action."));
        }

        return (text is null ? null : CheckText(text, "text"))
            ?? Validated.Valid(Record(DisputeActions.EvidenceAdded, State, clock, text, documents, DisputeVisibility.Parties));
    }

    /// <summary>An internal note by finance, visible to finance only; any state.</summary>
    public Validated<Dispute> AddInternalNote(string? text, DisputeClock clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        if (clock.By.Role != ActorRole.Finance)
        {
            return Validated.Refused<Dispute>(RoleRefusal("add an internal note", clock.By, "finance"));
        }

        return CheckText(text, "text") ?? Validated.Valid(Record(DisputeActions.InternalNote, State, clock, text, [], DisputeVisibility.FinanceOnly));
    }

    /// <summary>Finance takes the dispute up: Open → UnderReview, with the review's deadline.</summary>
    public Validated<Dispute> StartReview(string? text, DisputeClock clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        if (Refuse("start a review", clock.By, [DisputeState.Open], ActorRole.Finance) is { } refusal)
        {
            return Validated.Refused<Dispute>(refusal);
        }

        return (text is null ? null : CheckText(text, "text"))
            ?? Validated.Valid(Move(DisputeActions.ReviewStarted, DisputeState.UnderReview, clock, text));
    }

    /// <summary>Finance sends the dispute to mediation: Open or UnderReview → Escalated.</summary>
    public Validated<Dispute> Escalate(string? text, DisputeClock clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        if (Refuse("escalate", clock.By, [DisputeState.Open, DisputeState.UnderReview], ActorRole.Finance) is { } refusal)
        {
            return Validated.Refused<Dispute>(refusal);
        }

        return CheckText(text, "text") ?? Validated.Valid(Move(DisputeActions.Escalated, DisputeState.Escalated, clock, text));
    }

    /// <summary>True when the dispute is Open or UnderReview and <paramref name="today"/> is after its response deadline.</summary>
    public bool IsOverdue(LocalDate today) =>
        Chargeback is null && State is DisputeState.Open or DisputeState.UnderReview && ResponseDueOn is { } due && today > due;

    /// <summary>
    /// The timer's escalation: Open or UnderReview past its deadline → Escalated, recorded as the clock's (system) actor;
    /// null when the dispute is not overdue, so running the timer twice escalates once.
    /// </summary>
    public Dispute? EscalateIfOverdue(DisputeClock clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return IsOverdue(clock.Today)
            ? Move(DisputeActions.DeadlineEscalated, DisputeState.Escalated, clock, $"No response by {ResponseDueOn:uuuu-MM-dd} in {State}.")
            : null;
    }

    /// <summary>
    /// Finance decides (from UnderReview or Escalated): Accepted credits the whole contested amount (an amount, when
    /// given, must equal it); PartiallyAccepted credits more than zero and less than it; Rejected credits nothing and
    /// releases the hold. The reason text is required.
    /// </summary>
    public Validated<Dispute> Resolve(DisputeOutcome outcome, Money? amount, string? text, DisputeClock clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        if (Chargeback is not null)
        {
            return Validated.Refused<Dispute>(new Refusal(DisputeRule.IllegalTransition, "outcome", "A chargeback is decided by the card issuer; its outcome comes from Stripe."));
        }

        if (Refuse("resolve", clock.By, [DisputeState.UnderReview, DisputeState.Escalated], ActorRole.Finance) is { } refusal)
        {
            return Validated.Refused<Dispute>(refusal);
        }

        if (CheckText(text, "text") is { } badText)
        {
            return badText;
        }

        var zero = Money.Zero(Contested.Currency);
        Money? credited = outcome switch
        {
            DisputeOutcome.Accepted when amount is null || amount == Contested => Contested,
            DisputeOutcome.PartiallyAccepted when amount is { } part && part.Currency == Contested.Currency && part > zero && part < Contested && part.RoundToMinorUnit() == part => part,
            DisputeOutcome.Rejected when amount is null || amount == zero => zero,
            _ => null,
        };
        if (credited is null)
        {
            return Validated.Refused<Dispute>(new Refusal(
                DisputeRule.ResolvedAmountInvalid,
                "amount",
                $"Accepted credits the contested {Contested} (leave the amount out); partiallyAccepted needs an amount above zero and below {Contested}; rejected credits nothing."));
        }

        return Validated.Valid(Move(DisputeActions.Resolved, DisputeState.Resolved, clock, text) with { Outcome = outcome, ResolvedAmount = credited });
    }

    /// <summary>Finance closes a resolved dispute: Resolved → Closed (final).</summary>
    public Validated<Dispute> Close(string? text, DisputeClock clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        if (Refuse("close", clock.By, [DisputeState.Resolved], ActorRole.Finance) is { } refusal)
        {
            return Validated.Refused<Dispute>(refusal);
        }

        return (text is null ? null : CheckText(text, "text")) ?? Validated.Valid(Move(DisputeActions.Closed, DisputeState.Closed, clock, text));
    }

    /// <summary>The actions <paramref name="role"/> may read: finance reads all; the parties read all but finance-only notes.</summary>
    public IReadOnlyList<DisputeAction> ActionsVisibleTo(ActorRole role) =>
        role == ActorRole.Finance ? Actions : [.. Actions.Where(action => action.Visibility == DisputeVisibility.Parties)];

    /// <summary>
    /// The booking of an accepted or partially accepted fee dispute (a credit note), in the contract's book with key
    /// <c>dispute:{id}:resolution</c>: Cr merchant receivable by the credited amount; Dr platform revenue by its platform
    /// fee share (<paramref name="platformFeeRate"/>, rounded half away from zero) and Dr vendor payable by the rest, so
    /// the parts add up exactly. Null when nothing is to be booked (rejected, unresolved, or a chargeback, whose money
    /// Stripe moves).
    /// </summary>
    public Validated<ProposedEntry>? ResolutionEntry(Rate platformFeeRate, LocalDate effectiveDate)
    {
        if (Chargeback is not null || ResolvedAmount is not { IsZero: false } credited)
        {
            return null;
        }

        var platformPart = credited.MultiplyBy(platformFeeRate);
        var vendorPart = credited - platformPart;
        var postings = new List<Posting> { Posting.Credit(AccountId.MerchantReceivable(Merchant.Value), credited) };
        if (!platformPart.IsZero)
        {
            postings.Add(Posting.Debit(AccountId.PlatformRevenue, platformPart));
        }

        if (!vendorPart.IsZero)
        {
            postings.Add(Posting.Debit(AccountId.VendorPayable(Vendor.Value), vendorPart));
        }

        return ProposedEntry.Create(
            Contract.Book,
            IdempotencyKey.ForDisputeResolution(Id.Value),
            effectiveDate,
            $"Dispute {Id} resolved {Outcome}: credit note on {Subject!.Key}",
            postings,
            [SourceReference.Dispute(Id.Value), SourceReference.Statement(Subject.StatementId)]);
    }

    private static bool Overlaps(DisputeSubject taken, DisputeSubject wanted) =>
        string.Equals(taken.StatementId, wanted.StatementId, StringComparison.Ordinal)
        && (taken.Line is null || wanted.Line is null || taken.Line == wanted.Line);

    private static Refusal RoleRefusal(string what, Actor by, string allowed) =>
        new(DisputeRule.RoleNotAllowed, "role", $"Only {allowed} may {what}; the caller acts as {by.Role.ToString().ToLowerInvariant()}.");

    private static Validated<Dispute>? CheckText(string? text, string field) =>
        DisputeText.IsPlain(text, DisputeLimits.MaxTextLength)
            ? null
            : Validated.Refused<Dispute>(new Refusal(DisputeRule.TextInvalid, field, $"Give 1 to {DisputeLimits.MaxTextLength} characters of text."));

    private Refusal Illegal(string what) =>
        new(DisputeRule.IllegalTransition, "state", $"Cannot {what} while the dispute is {State}.");

    private Refusal? Refuse(string what, Actor by, DisputeState[] allowedStates, params ActorRole[] roles)
    {
        if (!roles.Contains(by.Role))
        {
            return RoleRefusal(what, by, string.Join(" or ", roles.Select(role => role.ToString().ToLowerInvariant())));
        }

        if (Actions.Count >= DisputeLimits.MaxActions)
        {
            return new Refusal(DisputeRule.IllegalTransition, "state", $"Dispute {Id} has {DisputeLimits.MaxActions} actions, the most one dispute keeps.");
        }

        return allowedStates.Contains(State) ? null : Illegal(what);
    }

    private Dispute Record(string action, DisputeState to, DisputeClock clock, string? text, IReadOnlyList<EvidenceDocument> documents, DisputeVisibility visibility) =>
        this with
        {
            Actions = [.. Actions, new DisputeAction(action, State, to, clock.By, clock.At, text, documents, visibility)],
            Revision = Revision + 1,
        };

    private Dispute Move(string action, DisputeState to, DisputeClock clock, string? text) =>
        Record(action, to, clock, text, [], DisputeVisibility.Parties) with
        {
            State = to,
            StateSince = clock.Today,
            ResponseDueOn = Chargeback is null ? clock.DueOn(to) : null,
        };

    private Dispute ApplyStripeState(ChargebackFacts facts, DisputeClock clock)
    {
        var to = StateFor(facts.Status);
        if (to == State || State == DisputeState.Closed)
        {
            return this;
        }

        var moved = this with { State = to, StateSince = clock.Today, ResponseDueOn = null };
        return to == DisputeState.Resolved
            ? moved with
            {
                Outcome = facts.IsWon ? DisputeOutcome.Rejected : DisputeOutcome.Accepted,
                ResolvedAmount = facts.IsWon ? Money.Zero(Contested.Currency) : Contested,
            }
            : moved with { Outcome = null, ResolvedAmount = null };
    }
}

/// <summary>
/// Who acts and when, for one dispute action: the actor, the instant, the day in the contract's time zone, and how response
/// deadlines are counted (working days of <see cref="Calendar"/> under <see cref="Deadlines"/>). A deadline the calendar
/// cannot count yet (no holiday schedule for the year) is left unset rather than guessed.
/// </summary>
/// <param name="By">Who acts.</param>
/// <param name="At">When.</param>
/// <param name="Today">The day of <paramref name="At"/> in the contract's time zone.</param>
/// <param name="Deadlines">Working days per state.</param>
/// <param name="Calendar">The contract's working-day calendar.</param>
public sealed record DisputeClock(Actor By, Instant At, LocalDate Today, DisputeDeadlines Deadlines, IWorkingDayCalendar Calendar)
{
    /// <summary>The response deadline for a dispute entering <paramref name="state"/> today; null when none or not countable.</summary>
    public LocalDate? DueOn(DisputeState state)
    {
        if (Deadlines.For(state) is not { } days)
        {
            return null;
        }

        var due = Calendar.AddWorkingDays(Today, days, "deadline");
        return due.IsValid ? due.Value : null;
    }
}
