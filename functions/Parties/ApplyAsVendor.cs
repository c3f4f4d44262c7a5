using NodaTime;
using ServiceLedger.Domain;
using ServiceLedger.Domain.Parties;

namespace ServiceLedger.Functions.Parties;

/// <summary>Records a vendor's application: checks it, then stores the vendor in status Applied (one vendor per licence).</summary>
public sealed class ApplyAsVendor(IVendorStore store, IClock clock)
{
    /// <summary>Runs the application.</summary>
    public async Task<ApplicationOutcome> RunAsync(VendorApplication form, Actor by, CancellationToken cancellationToken)
    {
        var vendor = Vendor.Apply(form, by, clock.GetCurrentInstant());
        if (!vendor.IsValid)
        {
            return new ApplicationOutcome.Refused(vendor.Refusals);
        }

        return await store.AddAsync(vendor.Value, cancellationToken).ConfigureAwait(false) switch
        {
            AddVendorResult.Added added => new ApplicationOutcome.Applied(added.Vendor),
            AddVendorResult.AlreadyApplied existing => new ApplicationOutcome.Conflict(new Refusal(
                PartyRule.VendorAlreadyApplied,
                "licenceNumber",
                $"A vendor with licence {vendor.Value.LicenceNumber} has already applied as {existing.Existing.Vendor.Id} (status {existing.Existing.Vendor.Status}).")),
            var other => throw new InvalidOperationException($"Unknown result {other}."),
        };
    }
}
