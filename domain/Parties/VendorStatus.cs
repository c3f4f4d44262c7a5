using NodaTime;

namespace ServiceLedger.Domain.Parties;

/// <summary>
/// Where a vendor stands with the platform. <c>Applied → Certified ⇄ Suspended</c>, and any of them <c>→ Revoked</c>,
/// which is final. Only <see cref="Certified"/> may be party to a new contract. The names are the wire and storage form.
/// </summary>
public enum CertificationStatus
{
    /// <summary>No status: <c>default</c>, never stored.</summary>
    None = 0,

    /// <summary>Applied, waiting for an approver.</summary>
    Applied,

    /// <summary>Certified by an approver: may contract while its certifications are valid.</summary>
    Certified,

    /// <summary>Suspended by an approver: may not contract until certified again.</summary>
    Suspended,

    /// <summary>Revoked by an approver (or the application rejected): final.</summary>
    Revoked,
}

/// <summary>What a vendor's customer-service team does; the names are the wire and storage form.</summary>
public enum ServiceCategory
{
    /// <summary>None: <c>default</c>, never valid.</summary>
    None = 0,

    /// <summary>Pre-sales (售前): answering shoppers before they buy.</summary>
    PreSales,

    /// <summary>After-sales (售后): returns, refunds, complaints after purchase.</summary>
    AfterSales,

    /// <summary>Night shift (夜间): service outside daytime hours.</summary>
    NightShift,

    /// <summary>Live-stream support (直播): answering during live-commerce sessions.</summary>
    LiveStream,

    /// <summary>Complaints and disputes handling (投诉).</summary>
    Complaints,

    /// <summary>Quality assurance of conversations (质检).</summary>
    QualityAssurance,
}

/// <summary>
/// One entry of a vendor's history: the status the vendor moved to, who moved it, when, and why. The first entry is the
/// application itself (status <see cref="CertificationStatus.Applied"/>). Entries are only ever appended.
/// </summary>
/// <param name="Status">The status after the change.</param>
/// <param name="By">Who made the change.</param>
/// <param name="At">When it was made.</param>
/// <param name="Reason">Why, as the actor wrote it (1 to <see cref="PartyLimits.MaxReasonLength"/> plain characters).</param>
public sealed record VendorStatusChange(CertificationStatus Status, Actor By, Instant At, string Reason);
