using NodaTime;
using ServiceLedger.Domain.Parties;
using ServiceLedger.TestSupport.Parties;
using static ServiceLedger.Integration.Tests.Parties.PartyStores;

namespace ServiceLedger.Integration.Tests.Parties;

public sealed class VendorTableStoreTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static Vendor NewVendor(string? licence = null) => Vendor.Apply(PartySamples.Application(licence), PartySamples.Applicant, Start).Value;

    [Fact]
    public async Task A_vendor_reads_back_equal_with_its_version()
    {
        var store = await VendorsAsync();
        var vendor = NewVendor();

        var added = Assert.IsType<AddVendorResult.Added>(await store.AddAsync(vendor, None));
        var read = await store.GetAsync(vendor.Id, None);

        Assert.NotNull(read);
        Assert.Equal(added.Vendor.Version, read.Version);
        Assert.Equal(vendor.ToApplication().Certifications, read.Vendor.ToApplication().Certifications);
        Assert.Equal(vendor.History, read.Vendor.History);
        Assert.Equal(vendor.ServiceCategories, read.Vendor.ServiceCategories);
        Assert.Equal("福州客服外包服务有限公司", read.Vendor.LegalName);
    }

    [Fact]
    public async Task A_second_application_with_the_same_licence_answers_the_first_vendor()
    {
        var store = await VendorsAsync();
        var licence = PartySamples.UniqueLicence();
        await store.AddAsync(NewVendor(licence), None);

        var again = await store.AddAsync(Vendor.Apply(PartySamples.Application(licence) with { LegalName = "另一家公司" }, PartySamples.Applicant, Start).Value, None);

        Assert.Equal("福州客服外包服务有限公司", Assert.IsType<AddVendorResult.AlreadyApplied>(again).Existing.Vendor.LegalName);
    }

    [Fact]
    public async Task Of_two_approvers_acting_on_one_version_one_wins_and_the_other_gets_the_current_vendor()
    {
        var store = await VendorsAsync();
        var added = Assert.IsType<AddVendorResult.Added>(await store.AddAsync(NewVendor(), None)).Vendor;
        var certified = added.Vendor.Certify(PartySamples.Approver, Start, "Checked").Value;
        var revoked = added.Vendor.Revoke(PartySamples.Approver, Start, "Forged licence").Value;

        var results = await Task.WhenAll(
            Task.Run(() => store.ReplaceAsync(certified, added.Version, None)),
            Task.Run(() => store.ReplaceAsync(revoked, added.Version, None)));

        var winner = Assert.Single(results.OfType<ReplaceVendorResult.Replaced>());
        var loser = Assert.Single(results.OfType<ReplaceVendorResult.Conflict>());
        Assert.Equal(winner.Vendor.Vendor.Status, loser.Current.Vendor.Status);
        Assert.Equal(winner.Vendor.Version, loser.Current.Version);
        Assert.NotEqual(added.Version, winner.Vendor.Version);
    }

    [Fact]
    public async Task A_full_history_of_long_chinese_reasons_is_stored_over_several_properties_and_reads_back()
    {
        var store = await VendorsAsync();
        var stored = Assert.IsType<AddVendorResult.Added>(await store.AddAsync(NewVendor(), None)).Vendor;
        var vendor = PartySamples.WithFullHistory(stored.Vendor, PartySamples.Approver, new string('审', PartyLimits.MaxReasonLength));

        var replaced = Assert.IsType<ReplaceVendorResult.Replaced>(await store.ReplaceAsync(vendor, stored.Version, None));
        var read = await store.GetAsync(vendor.Id, None);

        Assert.Equal(PartyLimits.MaxHistoryEntries, read!.Vendor.History.Count);
        Assert.Equal(vendor.History, read.Vendor.History);
        Assert.Equal(replaced.Vendor.Version, read.Version);
    }

    [Fact]
    public async Task Lists_page_through_vendors_and_filter_by_status()
    {
        var store = await VendorsAsync();
        var vendors = Enumerable.Range(0, 5).Select(_ => NewVendor()).ToArray();
        foreach (var vendor in vendors)
        {
            await store.AddAsync(vendor, None);
        }

        var first = await store.GetAsync(vendors[0].Id, None);
        await store.ReplaceAsync(first!.Vendor.Certify(PartySamples.Approver, Start + Duration.FromHours(1), "OK").Value, first.Version, None);

        var seen = new List<VendorId>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await store.ListAsync(null, 2, token, None);
            Assert.True(page.Items.Count <= 2);
            seen.AddRange(page.Items.Select(item => item.Vendor.Id));
            token = page.ContinuationToken;
            pages++;
        }
        while (token is not null && pages < 10);

        Assert.Equal(vendors.Select(vendor => vendor.Id).Order(), seen);
        var certified = await store.ListAsync(CertificationStatus.Certified, 100, null, None);
        Assert.Equal([vendors[0].Id], certified.Items.Select(item => item.Vendor.Id));
    }
}
