using NodaTime;
using ServiceLedger.Domain.Ledger;

namespace ServiceLedger.Domain.Parties;

/// <summary>
/// Whether a vendor may be party to a new contract or amendment on a date: it must be
/// <see cref="CertificationStatus.Certified"/> and none of its certifications may have expired on that date (a
/// certification is valid through its <c>expiresOn</c> day). The contracts capability calls this before drafting,
/// approving or signing.
/// </summary>
public static class VendorEligibility
{
    /// <summary>
    /// The vendor when it may contract on <paramref name="onDate"/>; otherwise refusals naming why: not certified (with the
    /// current status) first, then each certification expired on that date (with its name, number and expiry).
    /// </summary>
    public static Validated<Vendor> CanContract(Vendor vendor, LocalDate onDate)
    {
        ArgumentNullException.ThrowIfNull(vendor);
        var refusals = new List<Refusal>();
        if (vendor.Status != CertificationStatus.Certified)
        {
            refusals.Add(new Refusal(
                PartyRule.VendorNotCertified,
                "vendorId",
                $"Vendor {vendor.Id} is {vendor.Status}, not Certified; only a certified vendor can be party to a new contract or amendment."));
        }

        foreach (var certification in vendor.Certifications.Where(certification => certification.IsExpiredOn(onDate)))
        {
            refusals.Add(vendor.ExpiredRefusal(certification, onDate, "contract", "vendorId"));
        }

        return refusals.Count == 0 ? Validated.Valid(vendor) : Validated.Refused<Vendor>(refusals);
    }
}
