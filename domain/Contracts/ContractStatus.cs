namespace ServiceLedger.Domain.Contracts;

/// <summary>
/// Where a contract is in its life: <c>Draft → PendingApproval → Approved → Signed → Active</c>, then <c>Suspended</c>
/// (and back to <c>Active</c>), <c>Terminated</c> or <c>Expired</c>. The last two are final.
/// </summary>
public enum ContractStatus
{
    /// <summary>Being written; terms may still be replaced.</summary>
    Draft = 1,

    /// <summary>Submitted; waiting for the approvals its annual value needs.</summary>
    PendingApproval = 2,

    /// <summary>Every needed approval given; waiting for both parties' signatures.</summary>
    Approved = 3,

    /// <summary>Signed by merchant and vendor; waiting for the deposit.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "Signed is the DESIGN.md word for the state, not a type name.")]
    Signed = 4,

    /// <summary>Deposit paid: service runs and periods settle.</summary>
    Active = 5,

    /// <summary>Service paused (e.g. unpaid statements); may resume.</summary>
    Suspended = 6,

    /// <summary>Ended early, with a reason. Final.</summary>
    Terminated = 7,

    /// <summary>Ended at the end of its term. Final.</summary>
    Expired = 8,
}

/// <summary>Where one version of the terms (the original or an amendment) is on its way to taking effect.</summary>
public enum VersionStatus
{
    /// <summary>The original terms before submission.</summary>
    Draft = 1,

    /// <summary>Waiting for approvals.</summary>
    PendingApproval = 2,

    /// <summary>Approved; waiting for signatures.</summary>
    Approved = 3,

    /// <summary>Signed by both parties: in force from its effective date.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "Signed is the DESIGN.md word for the state, not a type name.")]
    Signed = 4,

    /// <summary>An amendment abandoned because the contract ended before it was signed.</summary>
    Withdrawn = 5,
}

/// <summary>
/// An approval a version may need. Every version needs the platform's approval of the outsourcing plan; above the first
/// threshold also a finance approval, above the second also an executive approval (DESIGN.md sections 1 and 7).
/// </summary>
public enum ApprovalKind
{
    /// <summary>The platform approves the plan: an <c>approver</c>.</summary>
    Platform = 1,

    /// <summary>Finance approves a large contract: a <c>finance</c> user.</summary>
    Finance = 2,

    /// <summary>An executive approves a very large contract: an <c>approver</c> other than the one who gave the platform approval.</summary>
    Executive = 3,
}
