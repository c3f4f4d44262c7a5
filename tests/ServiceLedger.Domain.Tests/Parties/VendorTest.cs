using NodaTime;
using ServiceLedger.Domain.Parties;
using static ServiceLedger.Domain.Tests.Parties.PartyTestData;

namespace ServiceLedger.Domain.Tests.Parties;

public sealed class VendorTest
{
    private static Refusal RefusedOnce(VendorApplication form)
    {
        var result = Vendor.Apply(form, Applicant, Now);
        Assert.False(result.IsValid);
        return Assert.Single(result.Refusals);
    }

    [Fact]
    public void An_application_starts_applied_with_its_id_from_the_licence_and_categories_in_order()
    {
        var vendor = Applied();

        Assert.Equal(CertificationStatus.Applied, vendor.Status);
        Assert.Equal(Vendor.IdFor(vendor.LicenceNumber), vendor.Id);
        Assert.Equal(vendor.Id, Vendor.Apply(Application with { LegalName = "Another name" }, Applicant, Now).Value.Id);
        Assert.Equal([ServiceCategory.PreSales, ServiceCategory.AfterSales], vendor.ServiceCategories);
        var application = Assert.Single(vendor.History);
        Assert.Equal((CertificationStatus.Applied, Applicant, Now), (application.Status, application.By, application.At));
    }

    [Fact]
    public void A_stored_vendor_restores_equal_from_its_application_and_history()
    {
        var vendor = Certified();

        var restored = Vendor.Restore(vendor.ToApplication(), vendor.History);

        Assert.Equal(vendor.Id, restored.Id);
        Assert.Equal(vendor.History, restored.History);
        Assert.Equal(vendor.Certifications, restored.Certifications);
        Assert.Throws<InvalidOperationException>(() => Vendor.Restore(vendor.ToApplication(), []));
        Assert.Throws<InvalidOperationException>(() => Vendor.Restore(vendor.ToApplication(), [vendor.History[1]]));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(100_000, true)]
    [InlineData(100_001, false)]
    [InlineData(null, false)]
    public void Staff_count_is_1_to_100000(int? staff, bool valid)
    {
        var result = Vendor.Apply(Application with { StaffCount = staff }, Applicant, Now);

        Assert.Equal(valid, result.IsValid);
        if (!valid)
        {
            Assert.Equal((PartyRule.StaffCountOutOfRange, "staffCount"), (result.Refusals[0].Code, result.Refusals[0].Field));
        }
    }

    [Fact]
    public void Service_categories_are_required_known_exactly_and_listed_once()
    {
        Assert.Equal(PartyRule.ServiceCategoriesRequired, RefusedOnce(Application with { ServiceCategories = [] }).Code);
        Assert.Equal(
            (PartyRule.ServiceCategoryUnknown, "serviceCategories[1]"),
            (RefusedOnce(Application with { ServiceCategories = ["PreSales", "presales"] }) is var unknown ? (unknown.Code, unknown.Field) : default));
        Assert.Equal(PartyRule.ServiceCategoryUnknown, RefusedOnce(Application with { ServiceCategories = ["None"] }).Code);
        Assert.Equal(
            (PartyRule.ServiceCategoryDuplicated, "serviceCategories[2]"),
            (RefusedOnce(Application with { ServiceCategories = ["PreSales", "NightShift", "PreSales"] }) is var twice ? (twice.Code, twice.Field) : default));
    }

    [Fact]
    public void Certifications_are_required_and_at_most_20()
    {
        Assert.Equal(PartyRule.CertificationsRequired, RefusedOnce(Application with { Certifications = null }).Code);

        var twenty = Enumerable.Range(1, 20).Select(n => (CertificationForm?)new CertificationForm("ISO 9001", $"N{n}", "2030-01-01")).ToArray();
        Assert.True(Vendor.Apply(Application with { Certifications = twenty }, Applicant, Now).IsValid);
        Assert.Equal(PartyRule.TooManyCertifications, RefusedOnce(Application with { Certifications = [.. twenty, new CertificationForm("X", "Y", "2030-01-01")] }).Code);
    }

    [Theory]
    [InlineData("2027/06/30")]
    [InlineData("2027-6-30")]
    [InlineData("2027-02-30")]
    [InlineData("")]
    [InlineData(null)]
    public void Certification_expiry_must_be_an_iso_date(string? expiresOn)
    {
        var refusal = RefusedOnce(Application with { Certifications = [new CertificationForm("ISO 9001", "1", expiresOn)] });

        Assert.Equal((PartyRule.DateInvalid, "certifications[0].expiresOn"), (refusal.Code, refusal.Field));
    }

    [Fact]
    public void Certification_names_and_numbers_are_required_and_bounded()
    {
        var result = Vendor.Apply(Application with { Certifications = [new CertificationForm(" ", new string('9', 65), "2030-01-01")] }, Applicant, Now);

        Assert.Equal(
            [(PartyRule.FieldRequired, "certifications[0].name"), (PartyRule.TextTooLong, "certifications[0].number")],
            result.Refusals.Select(refusal => (refusal.Code, refusal.Field)));
        Assert.Equal("certifications[0]", RefusedOnce(Application with { Certifications = [null] }).Field);
    }

    [Fact]
    public void The_same_certification_twice_is_refused()
    {
        var refusal = RefusedOnce(Application with { Certifications = [new CertificationForm("ISO 9001", "1", "2030-01-01"), new CertificationForm("ISO 9001", "1", "2031-01-01")] });

        Assert.Equal((PartyRule.CertificationDuplicated, "certifications[1]"), (refusal.Code, refusal.Field));
    }

    [Fact]
    public void A_certification_valid_through_the_application_day_is_accepted_and_one_expired_the_day_before_is_not()
    {
        Assert.True(Vendor.Apply(Application with { Certifications = [new CertificationForm("ISO 9001", "1", "2027-03-15")] }, Applicant, Now).IsValid);

        var refusal = RefusedOnce(Application with { Certifications = [new CertificationForm("ISO 9001", "1", "2027-03-14")] });
        Assert.Equal((PartyRule.CertificationExpired, "certifications[0].expiresOn"), (refusal.Code, refusal.Field));
    }

    [Fact]
    public void The_application_day_is_the_day_in_shanghai_not_in_utc()
    {
        // 2027-03-14T16:30Z is already 2027-03-15 00:30 in Shanghai: a certification valid through the 14th has expired.
        var lateUtc = Instant.FromUtc(2027, 3, 14, 16, 30);

        Assert.False(Vendor.Apply(Application with { Certifications = [new CertificationForm("ISO 9001", "1", "2027-03-14")] }, Applicant, lateUtc).IsValid);
        Assert.Equal(new LocalDate(2027, 3, 15), Vendor.PlatformDate(lateUtc));
    }

    [Fact]
    public void A_bad_licence_is_refused_with_the_other_fields_checked_too()
    {
        var result = Vendor.Apply(Application with { LicenceNumber = "91350100M000100Y44", StaffCount = 0 }, Applicant, Now);

        Assert.Equal(["licenceNumber", "staffCount"], result.Refusals.Select(refusal => refusal.Field));
    }
}
