using NodaTime;
using ServiceLedger.Domain;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Parties;

namespace ServiceLedger.Functions.Parties;

/// <summary>
/// Answers the contracts capability's <see cref="IVendorEligibility"/> from the vendor store: reads the vendor and asks
/// <see cref="VendorEligibility.CanContract"/>; an unknown vendor is refused as <see cref="ContractRule.VendorNotEligible"/>, the contracts' own code.
/// Only the first reason is returned (not certified before an expired certification), as the port asks for one.
/// </summary>
public sealed class StoredVendorEligibility(IVendorStore vendors) : IVendorEligibility
{
    /// <inheritdoc />
    public async Task<Refusal?> CheckAsync(VendorId vendor, LocalDate onDate, CancellationToken cancellationToken)
    {
        var stored = await vendors.GetAsync(vendor, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return new Refusal(ContractRule.VendorNotEligible, "vendorId", $"There is no vendor {vendor}; a vendor applies with POST /api/vendors first.");
        }

        var eligible = VendorEligibility.CanContract(stored.Vendor, onDate);
        return eligible.IsValid ? null : eligible.Refusals[0];
    }
}
