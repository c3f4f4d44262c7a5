namespace ServiceLedger.Domain.Contracts;

using NodaTime;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Domain.Parties;


/// <summary>
/// A contract between one merchant and one vendor, versioned by effective-dated amendments, with its lifecycle:
/// <c>Draft → PendingApproval → Approved → Signed → Active</c>, then <c>Suspended</c> (and back), <c>Terminated</c> or
/// <c>Expired</c>. Immutable: every action returns a new contract with <see cref="Revision"/> one higher and the action
/// appended to <see cref="History"/>, or the refusals that stopped it (an illegal transition names the current state).
/// Who may act for which merchant or vendor is the hosting layer's scope check; this type checks the role.
/// </summary>
public sealed record Contract
{
    private Contract()
    {
    }

    /// <summary>The contract's id.</summary>
    public required ContractId Id { get; init; }

    /// <summary>The merchant (甲方).</summary>
    public required MerchantId Merchant { get; init; }

    /// <summary>The vendor (乙方).</summary>
    public required VendorId Vendor { get; init; }

    /// <summary>Where the contract is in its life.</summary>
    public required ContractStatus Status { get; init; }

    /// <summary>The versions, oldest first; number 1 is the original.</summary>
    public required IReadOnlyList<ContractVersion> Versions { get; init; }

    /// <summary>Every action taken, oldest first.</summary>
    public required IReadOnlyList<ContractEvent> History { get; init; }

    /// <summary>Counts the actions taken: 1 for a new draft, one more per action. Clients see it as the contract's version for concurrency.</summary>
    public required int Revision { get; init; }

    /// <summary>The day both parties had signed the original, in the contract's time zone; null before.</summary>
    public LocalDate? SignedOn { get; init; }

    /// <summary>When the first base fee is due: <see cref="Terms.FirstBaseFeeDueWorkingDays"/> working days after <see cref="SignedOn"/>.</summary>
    public LocalDate? FirstBaseFeeDueOn { get; init; }

    /// <summary>The ledger entry that recorded the deposit, set on activation; null before.</summary>
    public string? DepositEntryRef { get; init; }

    /// <summary>Why the contract is suspended or was terminated; null otherwise.</summary>
    public string? Reason { get; init; }

    /// <summary>The version on its way to taking effect (a draft, or an amendment awaiting approval or signature); null when none.</summary>
    public ContractVersion? PendingVersion => Versions.LastOrDefault(version => version.IsPending);

    /// <summary>The newest signed version, or the original while nothing is signed yet.</summary>
    public ContractVersion CurrentVersion => Versions.LastOrDefault(version => version.Status == VersionStatus.Signed) ?? Versions[0];

    /// <summary>True when the contract can no longer change state.</summary>
    public bool IsFinal => Status is ContractStatus.Terminated or ContractStatus.Expired;

    /// <summary>The signed terms in force on <paramref name="date"/>: the newest signed version effective on or before it; null when none.</summary>
    public Terms? TermsOn(LocalDate date) =>
        Versions.LastOrDefault(version => version.Status == VersionStatus.Signed && version.EffectiveFrom <= date)?.Terms;

    /// <summary>
    /// A new draft by a merchant or finance. The vendor's eligibility is checked by the caller beforehand (it needs the
    /// vendor's record); the original's effective date is the term's start.
    /// </summary>
    public static Validated<Contract> Draft(ContractId id, MerchantId merchant, VendorId vendor, Terms terms, Actor by, Instant at)
    {
        ArgumentNullException.ThrowIfNull(terms);
        if (id.IsDefault || merchant.IsDefault || vendor.IsDefault || by.IsDefault)
        {
            throw new ArgumentException("A draft needs a contract id, a merchant, a vendor and an actor.");
        }

        if (RoleRefusal(by, "draft a contract", ActorRole.Merchant, ActorRole.Finance) is { } refused)
        {
            return Validated.Refused<Contract>(refused);
        }

        var original = new ContractVersion(1, terms, terms.Term.StartOn, VersionStatus.Draft, [], [], null, null);
        return Validated.Valid(new Contract
        {
            Id = id,
            Merchant = merchant,
            Vendor = vendor,
            Status = ContractStatus.Draft,
            Versions = [original],
            History = [new ContractEvent(ContractActions.Drafted, ContractStatus.Draft, ContractStatus.Draft, 1, by, at, null)],
            Revision = 1,
        });
    }

    /// <summary>Replaces the draft's terms (merchant or finance, while <see cref="ContractStatus.Draft"/>).</summary>
    public Validated<Contract> ReplaceTerms(Terms terms, Actor by, Instant at)
    {
        ArgumentNullException.ThrowIfNull(terms);
        if (Refuse("replace the terms", by, [ContractStatus.Draft], [ActorRole.Merchant, ActorRole.Finance]) is { } refusal)
        {
            return Validated.Refused<Contract>(refusal);
        }

        var draft = Versions[0] with { Terms = terms, EffectiveFrom = terms.Term.StartOn };
        return Validated.Valid(Record(ContractActions.TermsReplaced, Status, 1, by, at) with { Versions = [draft] });
    }

    /// <summary>Submits the draft for approval (merchant or finance); fixes the approvals it needs under <paramref name="policy"/>.</summary>
    public Validated<Contract> Submit(ApprovalPolicy policy, Actor by, Instant at)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (Refuse("submit", by, [ContractStatus.Draft], [ActorRole.Merchant, ActorRole.Finance]) is { } refusal)
        {
            return Validated.Refused<Contract>(refusal);
        }

        var submitted = Versions[0] with { Status = VersionStatus.PendingApproval, RequiredApprovals = policy.Required(Versions[0].Terms) };
        return Validated.Valid(Record(ContractActions.Submitted, ContractStatus.PendingApproval, 1, by, at) with { Versions = [submitted] });
    }

    /// <summary>
    /// Gives the caller's approval to the version awaiting approval (the original or an amendment). The role decides the
    /// kind: <c>finance</c> gives <see cref="ApprovalKind.Finance"/>; <c>approver</c> gives <see cref="ApprovalKind.Platform"/>,
    /// or <see cref="ApprovalKind.Executive"/> once the platform approval is in. One person gives at most one approval per
    /// version. When <paramref name="version"/> is given it must be the version awaiting approval.
    /// </summary>
    public Validated<Contract> Approve(Actor by, Instant at, int? version = null)
    {
        var pending = PendingVersion;
        if (Refuse("approve", by, [ContractStatus.PendingApproval, ContractStatus.Signed, ContractStatus.Active, ContractStatus.Suspended], [ActorRole.Approver, ActorRole.Finance]) is { } refusal)
        {
            return Validated.Refused<Contract>(refusal);
        }

        if (pending is not { Status: VersionStatus.PendingApproval })
        {
            return Validated.Refused<Contract>(NothingAwaits("approval", pending));
        }

        if (VersionRefusal(pending, version) is { } mismatch)
        {
            return Validated.Refused<Contract>(mismatch);
        }

        var kind = by.Role == ActorRole.Finance
            ? ApprovalKind.Finance
            : pending.Approvals.Any(approval => approval.Kind == ApprovalKind.Platform) ? ApprovalKind.Executive : ApprovalKind.Platform;
        if (!pending.MissingApprovals.Contains(kind))
        {
            return Validated.Refused<Contract>(new Refusal(
                ContractRule.ApprovalNotNeeded,
                "role",
                $"Version {pending.Number} needs {Describe(pending.RequiredApprovals)} and has {Describe(pending.Approvals.Select(approval => approval.Kind))}; "
                + $"a {by.Role.ToString().ToLowerInvariant()} approval ({kind}) is not needed."));
        }

        if (pending.Approvals.Any(approval => string.Equals(approval.By.Subject, by.Subject, StringComparison.Ordinal)))
        {
            return Validated.Refused<Contract>(new Refusal(
                ContractRule.ApproverAlreadyApproved,
                "role",
                $"{by.Subject} already approved version {pending.Number}; each of its approvals ({Describe(pending.RequiredApprovals)}) must come from a different person."));
        }

        var approvals = pending.Approvals.Append(new Approval(kind, by, at)).ToArray();
        var complete = pending.RequiredApprovals.All(required => approvals.Any(approval => approval.Kind == required));
        var approved = pending with { Approvals = approvals, Status = complete ? VersionStatus.Approved : VersionStatus.PendingApproval };
        var status = complete && approved.Number == 1 ? ContractStatus.Approved : Status;
        return Validated.Valid(Record(ContractActions.Approved, status, approved.Number, by, at) with { Versions = Replace(approved) });
    }

    /// <summary>
    /// Signs the approved version for the caller's party (<c>merchant</c> or <c>vendor</c>). When both have signed the version
    /// is in force: the original makes the contract <see cref="ContractStatus.Signed"/> and sets the first base fee's due date
    /// (<see cref="Terms.FirstBaseFeeDueWorkingDays"/> working days after the signing day, in the terms' time zone); an
    /// amendment takes effect on its date, which must still be in an open accounting period.
    /// </summary>
    public Validated<Contract> Sign(Actor by, Instant at, IWorkingDayCalendar calendar, AccountingPeriods periods, int? version = null)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentNullException.ThrowIfNull(periods);
        var pending = PendingVersion;
        if (Refuse("sign", by, [ContractStatus.Approved, ContractStatus.Signed, ContractStatus.Active, ContractStatus.Suspended], [ActorRole.Merchant, ActorRole.Vendor]) is { } refusal)
        {
            return Validated.Refused<Contract>(refusal);
        }

        if (pending is not { Status: VersionStatus.Approved })
        {
            return Validated.Refused<Contract>(NothingAwaits("signature", pending));
        }

        if (VersionRefusal(pending, version) is { } mismatch)
        {
            return Validated.Refused<Contract>(mismatch);
        }

        var isMerchant = by.Role == ActorRole.Merchant;
        if ((isMerchant ? pending.MerchantSignature : pending.VendorSignature) is { } earlier)
        {
            return Validated.Refused<Contract>(new Refusal(
                ContractRule.AlreadySigned,
                "role",
                $"The {(isMerchant ? "merchant" : "vendor")} already signed version {pending.Number} on {earlier.SignedOn:yyyy-MM-dd}."));
        }

        var signature = new Signature(by, at, at.InZone(pending.Terms.TimeZone).Date);
        var signed = isMerchant ? pending with { MerchantSignature = signature } : pending with { VendorSignature = signature };
        if (signed.MerchantSignature is null || signed.VendorSignature is null)
        {
            return Validated.Valid(Record(ContractActions.Signed, Status, signed.Number, by, at) with { Versions = Replace(signed) });
        }

        signed = signed with { Status = VersionStatus.Signed };
        if (signed.Number > 1)
        {
            return periods.CheckEffectiveDate(signed.EffectiveFrom, "effectiveFrom") is { } closed
                ? Validated.Refused<Contract>(closed)
                : Validated.Valid(Record(ContractActions.Signed, Status, signed.Number, by, at) with { Versions = Replace(signed) });
        }

        var signedOn = signature.SignedOn;
        var due = DueDates.FirstBaseFee(signedOn, signed.Terms, calendar);
        if (!due.IsValid)
        {
            return Validated.Refused<Contract>(due.Refusals);
        }

        return Validated.Valid(Record(ContractActions.Signed, ContractStatus.Signed, 1, by, at) with
        {
            Versions = Replace(signed),
            SignedOn = signedOn,
            FirstBaseFeeDueOn = due.Value,
        });
    }

    /// <summary>
    /// Starts service once the deposit is paid (the deposit flow calls this with the ledger entry that recorded it).
    /// Repeating it with the same entry returns the contract unchanged, so a retried deposit event changes nothing twice.
    /// </summary>
    public Validated<Contract> Activate(string depositEntryRef, Actor by, Instant at)
    {
        if (string.IsNullOrWhiteSpace(depositEntryRef) || depositEntryRef.Length > ContractLimits.MaxDepositEntryRefLength)
        {
            throw new ArgumentException($"A deposit entry reference is 1 to {ContractLimits.MaxDepositEntryRefLength} characters.", nameof(depositEntryRef));
        }

        if (Status == ContractStatus.Active && string.Equals(DepositEntryRef, depositEntryRef, StringComparison.Ordinal))
        {
            return Validated.Valid(this);
        }

        if (Refuse("activate", by, [ContractStatus.Signed], [ActorRole.Finance]) is { } refusal)
        {
            return Validated.Refused<Contract>(refusal);
        }

        return Validated.Valid(Record(ContractActions.Activated, ContractStatus.Active, CurrentVersion.Number, by, at) with { DepositEntryRef = depositEntryRef });
    }

    /// <summary>Pauses service with a reason (finance or approver, while <see cref="ContractStatus.Active"/>).</summary>
    public Validated<Contract> Suspend(string? reason, Actor by, Instant at) =>
        WithReason(reason, "suspend", ContractActions.Suspended, ContractStatus.Suspended, [ContractStatus.Active], by, at);

    /// <summary>Resumes a suspended contract (finance or approver).</summary>
    public Validated<Contract> Resume(Actor by, Instant at)
    {
        if (Refuse("resume", by, [ContractStatus.Suspended], [ActorRole.Finance, ActorRole.Approver]) is { } refusal)
        {
            return Validated.Refused<Contract>(refusal);
        }

        return Validated.Valid(Record(ContractActions.Resumed, ContractStatus.Active, CurrentVersion.Number, by, at) with { Reason = null });
    }

    /// <summary>
    /// Ends the contract early with a reason, e.g. material breach (finance or approver, from any state that is not final).
    /// A pending amendment is withdrawn with it.
    /// </summary>
    public Validated<Contract> Terminate(string? reason, Actor by, Instant at)
    {
        var result = WithReason(
            reason,
            "terminate",
            ContractActions.Terminated,
            ContractStatus.Terminated,
            [ContractStatus.Draft, ContractStatus.PendingApproval, ContractStatus.Approved, ContractStatus.Signed, ContractStatus.Active, ContractStatus.Suspended],
            by,
            at);
        return result.IsValid ? Validated.Valid(result.Value.WithdrawPending()) : result;
    }

    /// <summary>
    /// Ends the contract at the end of its term (finance or approver, or the timer acting as finance): only after the
    /// current terms' last day, and not when the term renews automatically.
    /// </summary>
    public Validated<Contract> Expire(LocalDate today, Actor by, Instant at)
    {
        if (Refuse("expire", by, [ContractStatus.Signed, ContractStatus.Active, ContractStatus.Suspended], [ActorRole.Finance, ActorRole.Approver]) is { } refusal)
        {
            return Validated.Refused<Contract>(refusal);
        }

        var term = CurrentVersion.Terms.Term;
        if (term.AutoRenew || today <= term.EndOn)
        {
            return Validated.Refused<Contract>(new Refusal(
                ContractRule.TermNotEnded,
                "status",
                term.AutoRenew
                    ? "The term renews automatically; terminate the contract instead of expiring it."
                    : $"The term runs to {term.EndOn:yyyy-MM-dd}; the contract can expire from {term.EndOn.PlusDays(1):yyyy-MM-dd}."));
        }

        return Validated.Valid(Record(ContractActions.Expired, ContractStatus.Expired, CurrentVersion.Number, by, at).WithdrawPending());
    }

    /// <summary>
    /// Proposes an amendment (merchant or finance, once signed and while not final): new terms effective from
    /// <paramref name="effectiveFrom"/>, submitted at once for the approvals <paramref name="policy"/> requires, then signed by
    /// both parties. The date must be after the current version's, within the new term, and in an open accounting period;
    /// the currency cannot change; one amendment may be pending at a time. The vendor's eligibility is checked by the caller.
    /// </summary>
    public Validated<Contract> ProposeAmendment(Terms terms, LocalDate effectiveFrom, ApprovalPolicy policy, AccountingPeriods periods, Actor by, Instant at)
    {
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(periods);
        if (Refuse("amend", by, [ContractStatus.Signed, ContractStatus.Active, ContractStatus.Suspended], [ActorRole.Merchant, ActorRole.Finance]) is { } refusal)
        {
            return Validated.Refused<Contract>(refusal);
        }

        if (PendingVersion is { } pending)
        {
            return Validated.Refused<Contract>(new Refusal(
                ContractRule.AmendmentAlreadyPending,
                "terms",
                $"Version {pending.Number} is still {pending.Status}; finish or terminate it before proposing another amendment."));
        }

        if (Versions.Count >= ContractLimits.MaxVersions)
        {
            return Validated.Refused<Contract>(new Refusal(ContractRule.TooManyVersions, "terms", $"A contract holds at most {ContractLimits.MaxVersions} versions; draw up a new contract."));
        }

        var refusals = new List<Refusal>();
        var current = CurrentVersion;
        if (terms.Currency != current.Terms.Currency)
        {
            refusals.Add(new Refusal(ContractRule.AmendmentCannotChangeCurrency, "terms.currency", $"The contract is kept in {current.Terms.Currency}; an amendment cannot move it to {terms.Currency}."));
        }

        if (effectiveFrom <= current.EffectiveFrom || !terms.Term.Contains(effectiveFrom))
        {
            refusals.Add(new Refusal(
                ContractRule.AmendmentEffectiveDateInvalid,
                "effectiveFrom",
                $"{effectiveFrom:yyyy-MM-dd} must be after {current.EffectiveFrom:yyyy-MM-dd} (when version {current.Number} took effect) and within the amended term "
                + $"{terms.Term.StartOn:yyyy-MM-dd} to {terms.Term.EndOn:yyyy-MM-dd}."));
        }

        if (periods.CheckEffectiveDate(effectiveFrom, "effectiveFrom") is { } closed)
        {
            refusals.Add(closed);
        }

        if (refusals.Count > 0)
        {
            return Validated.Refused<Contract>(refusals);
        }

        var amendment = new ContractVersion(Versions.Count + 1, terms, effectiveFrom, VersionStatus.PendingApproval, policy.Required(terms), [], null, null);
        return Validated.Valid(Record(ContractActions.AmendmentProposed, Status, amendment.Number, by, at) with { Versions = [.. Versions, amendment] });
    }

    /// <summary>
    /// Rebuilds a contract read from storage. Checks the invariants that make a stored contract trustworthy (versions
    /// numbered 1.. in order, at most one pending, history within limits); a broken one throws, because storage was altered.
    /// </summary>
    public static Contract Restore(
        ContractId id,
        MerchantId merchant,
        VendorId vendor,
        ContractStatus status,
        IReadOnlyList<ContractVersion> versions,
        IReadOnlyList<ContractEvent> history,
        int revision,
        LocalDate? signedOn,
        LocalDate? firstBaseFeeDueOn,
        string? depositEntryRef,
        string? reason)
    {
        ArgumentNullException.ThrowIfNull(versions);
        ArgumentNullException.ThrowIfNull(history);
        var numbered = versions.Select((version, index) => version.Number == index + 1).All(ok => ok);
        if (id.IsDefault || merchant.IsDefault || vendor.IsDefault || !Enum.IsDefined(status) || versions.Count is 0 or > ContractLimits.MaxVersions
            || !numbered || versions.Count(version => version.IsPending) > 1 || history.Count is 0 or > ContractLimits.MaxHistoryEntries || revision < history.Count)
        {
            throw new InvalidOperationException($"The stored contract {id} breaks its invariants (ids, status, numbered versions, one pending, bounded history).");
        }

        return new Contract
        {
            Id = id,
            Merchant = merchant,
            Vendor = vendor,
            Status = status,
            Versions = versions,
            History = history,
            Revision = revision,
            SignedOn = signedOn,
            FirstBaseFeeDueOn = firstBaseFeeDueOn,
            DepositEntryRef = depositEntryRef,
            Reason = reason,
        };
    }

    private Validated<Contract> WithReason(string? reason, string verb, string action, ContractStatus to, ContractStatus[] from, Actor by, Instant at)
    {
        if (Refuse(verb, by, from, [ActorRole.Finance, ActorRole.Approver]) is { } refusal)
        {
            return Validated.Refused<Contract>(refusal);
        }

        if (string.IsNullOrWhiteSpace(reason) || reason.Length > ContractLimits.MaxReasonLength || !LedgerText.IsPlainText(reason))
        {
            return Validated.Refused<Contract>(new Refusal(ContractRule.TextInvalid, "reason", $"Say why: 1 to {ContractLimits.MaxReasonLength} characters without control characters."));
        }

        return Validated.Valid(Record(action, to, CurrentVersion.Number, by, at, reason) with { Reason = reason });
    }

    private Contract WithdrawPending() =>
        PendingVersion is { } pending ? this with { Versions = Replace(pending with { Status = VersionStatus.Withdrawn }) } : this;

    // The next contract: status moved, revision bumped, the action recorded. Callers add what else changes with `with`.
    private Contract Record(string action, ContractStatus to, int version, Actor by, Instant at, string? reason = null) =>
        this with
        {
            Status = to,
            Revision = Revision + 1,
            History = [.. History, new ContractEvent(action, Status, to, version, by, at, reason)],
        };

    private ContractVersion[] Replace(ContractVersion changed) =>
        Versions.Select(version => version.Number == changed.Number ? changed : version).ToArray();

    private Refusal? Refuse(string verb, Actor by, ContractStatus[] allowedStates, ActorRole[] allowedRoles)
    {
        if (by.IsDefault)
        {
            throw new ArgumentException("Every action needs an actor.", nameof(by));
        }

        if (History.Count >= ContractLimits.MaxHistoryEntries)
        {
            return new Refusal(ContractRule.HistoryFull, "status", $"Contract {Id} has recorded {History.Count} actions, the most it can hold; draw up a new contract.");
        }

        return RoleRefusal(by, verb, allowedRoles)
            ?? (allowedStates.Contains(Status)
                ? null
                : new Refusal(
                    ContractRule.IllegalTransition,
                    "status",
                    $"Contract {Id} is {Status}; to {verb} it must be {string.Join(" or ", allowedStates)}."));
    }

    private static Refusal? RoleRefusal(Actor by, string verb, params ActorRole[] allowedRoles) =>
        allowedRoles.Contains(by.Role)
            ? null
            : new Refusal(
                ContractRule.ActorNotAllowed,
                "role",
                $"A {by.Role.ToString().ToLowerInvariant()} may not {verb} a contract; that takes {string.Join(" or ", allowedRoles.Select(role => role.ToString().ToLowerInvariant()))}.");

    private Refusal NothingAwaits(string what, ContractVersion? pending) =>
        new(
            ContractRule.IllegalTransition,
            "status",
            pending is null
                ? $"Contract {Id} is {Status} and no version awaits {what}."
                : $"Contract {Id} is {Status}; version {pending.Number} is {pending.Status}, not awaiting {what}.");

    private static Refusal? VersionRefusal(ContractVersion pending, int? version) =>
        version is { } named && named != pending.Number
            ? new Refusal(ContractRule.VersionMismatch, "version", $"Version {pending.Number} is the one awaiting action, not {named}.")
            : null;

    private static string Describe(IEnumerable<ApprovalKind> kinds)
    {
        var names = kinds.Select(kind => kind.ToString()).ToArray();
        return names.Length == 0 ? "none" : string.Join(", ", names);
    }
}
