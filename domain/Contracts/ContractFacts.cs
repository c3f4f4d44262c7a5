namespace ServiceLedger.Domain.Contracts;

using NodaTime;
using ServiceLedger.Domain.Parties;


/// <summary>One approval given to one version: which kind, by whom, when.</summary>
/// <param name="Kind">The approval given.</param>
/// <param name="By">Who gave it.</param>
/// <param name="At">When.</param>
public sealed record Approval(ApprovalKind Kind, Actor By, Instant At);

/// <summary>One party's signature on one version: by whom, when, and the signing day in the contract's time zone.</summary>
/// <param name="By">Who signed (a merchant or vendor actor).</param>
/// <param name="At">When.</param>
/// <param name="SignedOn">The day of <paramref name="At"/> in the terms' time zone.</param>
public sealed record Signature(Actor By, Instant At, LocalDate SignedOn);

/// <summary>
/// One recorded transition or action on a contract: what was done (<see cref="ContractActions"/>), the contract status
/// before and after, the version it concerned, who, when and why. The history is append-only.
/// </summary>
/// <param name="Action">What was done, one of <see cref="ContractActions"/>.</param>
/// <param name="From">Contract status before.</param>
/// <param name="To">Contract status after (equal to <paramref name="From"/> for actions on an amendment).</param>
/// <param name="Version">The version number acted on.</param>
/// <param name="By">Who acted.</param>
/// <param name="At">When.</param>
/// <param name="Reason">Why, for suspensions and terminations; null otherwise.</param>
public sealed record ContractEvent(string Action, ContractStatus From, ContractStatus To, int Version, Actor By, Instant At, string? Reason);

/// <summary>The names of recorded actions; stable, because they are stored and shown.</summary>
public static class ContractActions
{
    /// <summary>A draft was created.</summary>
    public const string Drafted = "drafted";

    /// <summary>The draft's terms were replaced.</summary>
    public const string TermsReplaced = "terms-replaced";

    /// <summary>The draft was submitted for approval.</summary>
    public const string Submitted = "submitted";

    /// <summary>An approval was given (the event names the version; the approval kind is on the version).</summary>
    public const string Approved = "approved";

    /// <summary>A party signed.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "Signed is the DESIGN.md word for the state, not a type name.")]
    public const string Signed = "signed";

    /// <summary>The deposit was paid and service started.</summary>
    public const string Activated = "activated";

    /// <summary>Service was paused.</summary>
    public const string Suspended = "suspended";

    /// <summary>Service resumed.</summary>
    public const string Resumed = "resumed";

    /// <summary>The contract was ended early.</summary>
    public const string Terminated = "terminated";

    /// <summary>The contract reached the end of its term.</summary>
    public const string Expired = "expired";

    /// <summary>An amendment was proposed.</summary>
    public const string AmendmentProposed = "amendment-proposed";
}

/// <summary>
/// One version of a contract's terms: the original (number 1, effective from the term's start) or an amendment, effective
/// from its stated date once approved and signed by both parties.
/// </summary>
/// <param name="Number">1 for the original, then 2, 3, … for amendments.</param>
/// <param name="Terms">The terms of this version.</param>
/// <param name="EffectiveFrom">First day these terms apply.</param>
/// <param name="Status">Where the version is on its way to taking effect.</param>
/// <param name="RequiredApprovals">Approvals it needs (fixed at submission); empty while a draft.</param>
/// <param name="Approvals">Approvals given, in order.</param>
/// <param name="MerchantSignature">The merchant's signature, once given.</param>
/// <param name="VendorSignature">The vendor's signature, once given.</param>
public sealed record ContractVersion(
    int Number,
    Terms Terms,
    LocalDate EffectiveFrom,
    VersionStatus Status,
    IReadOnlyList<ApprovalKind> RequiredApprovals,
    IReadOnlyList<Approval> Approvals,
    Signature? MerchantSignature,
    Signature? VendorSignature)
{
    /// <summary>True while the version is on its way (draft, pending approval or approved), not yet in force or withdrawn.</summary>
    public bool IsPending => Status is VersionStatus.Draft or VersionStatus.PendingApproval or VersionStatus.Approved;

    /// <summary>The approvals still needed, in order.</summary>
    public IReadOnlyList<ApprovalKind> MissingApprovals =>
        RequiredApprovals.Where(kind => Approvals.All(approval => approval.Kind != kind)).ToArray();
}
