namespace ServiceLedger.Domain.Billing;

/// <summary>
/// Where one version of a service report is in its review: <c>Submitted → Confirmed | Contested</c>, by the merchant.
/// Both reviews are final for that version; a correction is a new version, which starts again at <c>Submitted</c>.
/// The numbering starts at 1 so that <c>default</c> names no status.
/// </summary>
public enum ServiceReportStatus
{
    /// <summary>Sent by the vendor; the merchant has not reviewed it.</summary>
    Submitted = 1,

    /// <summary>The merchant agrees with the figures.</summary>
    Confirmed = 2,

    /// <summary>The merchant disagrees, with a reason; the vendor may send a corrected version.</summary>
    Contested = 3,
}
