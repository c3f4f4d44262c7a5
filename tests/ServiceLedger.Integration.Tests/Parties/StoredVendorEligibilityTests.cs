using NodaTime;
using ServiceLedger.Domain.Parties;
using ServiceLedger.Functions.Parties;
using ServiceLedger.TestSupport.Parties;
using static ServiceLedger.Integration.Tests.Parties.PartyStores;

namespace ServiceLedger.Integration.Tests.Parties;

public sealed class StoredVendorEligibilityTests
{
    private static readonly LocalDate Day = new(2027, 3, 16);

    [Fact]
    public async Task Contracts_hear_unknown_then_not_certified_then_eligible_then_expired()
    {
        var store = await VendorsAsync();
        var eligibility = new StoredVendorEligibility(store);
        var vendor = Vendor.Apply(PartySamples.Application(), PartySamples.Applicant, Start).Value;

        Assert.Equal(Domain.Contracts.ContractRule.VendorNotEligible, (await eligibility.CheckAsync(vendor.Id, Day, CancellationToken.None))?.Code);

        var added = Assert.IsType<AddVendorResult.Added>(await store.AddAsync(vendor, CancellationToken.None)).Vendor;
        Assert.Equal(PartyRule.VendorNotCertified, (await eligibility.CheckAsync(vendor.Id, Day, CancellationToken.None))?.Code);

        await store.ReplaceAsync(vendor.Certify(PartySamples.Approver, Start, "Checked").Value, added.Version, CancellationToken.None);
        Assert.Null(await eligibility.CheckAsync(vendor.Id, Day, CancellationToken.None));
        Assert.Equal(PartyRule.CertificationExpired, (await eligibility.CheckAsync(vendor.Id, new LocalDate(2031, 1, 1), CancellationToken.None))?.Code);
    }
}
