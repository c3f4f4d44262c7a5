using ServiceLedger.Domain.Parties;
using ServiceLedger.Functions.Adapters.Parties;
using ServiceLedger.TestSupport.Parties;
using static ServiceLedger.Integration.Tests.Parties.PartyStores;

namespace ServiceLedger.Integration.Tests.Parties;

public sealed class PartyStoreLimitsTest
{
    /// <summary>Azure Table Storage: an entity holds at most 1 MiB, strings counted as UTF-16 (azure.md 2.5).</summary>
    private const int EntityMaxBytes = 1_048_576;

    [Fact]
    public async Task The_largest_vendor_the_rules_allow_fits_one_entity_and_reads_back_intact()
    {
        var store = await VendorsAsync();
        var approver = Actor.Create(ActorRole.Approver, new string('批', Actor.MaxSubjectLength), "actor").Value;
        var certifications = Enumerable.Range(0, PartyLimits.MaxCertificationsPerVendor)
            .Select(n => (CertificationForm?)new CertificationForm(new string('证', PartyLimits.MaxCertificationNameLength - 2) + n.ToString("00", System.Globalization.CultureInfo.InvariantCulture), new string('号', PartyLimits.MaxCertificationNumberLength), "2030-12-31"))
            .ToArray();
        var application = PartySamples.Application() with
        {
            LegalName = new string('商', PartyLimits.MaxLegalNameLength),
            Contact = new ContactForm(new string('王', PartyLimits.MaxContactNameLength), new string('a', 64) + "@" + new string('b', 60) + "." + new string('c', 60) + "." + new string('d', 55) + ".cn", "+123456789012345"),
            ServiceCategories = Enum.GetNames<ServiceCategory>().Where(name => name != "None").ToArray(),
            Certifications = certifications,
        };
        var vendor = Vendor.Apply(application, approver, Start).Value;
        var added = Assert.IsType<AddVendorResult.Added>(await store.AddAsync(vendor, CancellationToken.None)).Vendor;
        vendor = PartySamples.WithFullHistory(vendor, approver, new string('审', PartyLimits.MaxReasonLength));

        Assert.IsType<ReplaceVendorResult.Replaced>(await store.ReplaceAsync(vendor, added.Version, CancellationToken.None));
        var entity = await store.Table.GetAsync(vendor.Id.Value, "vendor", null, CancellationToken.None);
        var read = await store.GetAsync(vendor.Id, CancellationToken.None);

        Assert.Equal(vendor.History, read!.Vendor.History);
        Assert.Equal(vendor.LegalName, read.Vendor.LegalName);
        Assert.Equal(vendor.Certifications, read.Vendor.Certifications);
        var bytes = entity!.Properties.Sum(property => (property.Key.Length * 2) + (property.Value.Kind == Functions.Adapters.Tables.TableValueKind.String ? property.Value.AsString().Length * 2 : 8));
        Assert.True(bytes < EntityMaxBytes * 0.9, $"The largest vendor takes {bytes} bytes; an entity holds {EntityMaxBytes}.");
        Assert.True(entity.Get("HistoryChunks").AsInt32() <= PartyEntities.MaxChunks);
    }
}
