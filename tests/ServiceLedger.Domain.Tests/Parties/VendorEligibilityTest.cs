using NodaTime;
using ServiceLedger.Domain.Parties;
using static ServiceLedger.Domain.Tests.Parties.PartyTestData;

namespace ServiceLedger.Domain.Tests.Parties;

public sealed class VendorEligibilityTest
{
    [Fact]
    public void A_certified_vendor_with_valid_certifications_can_contract_through_the_last_valid_day()
    {
        Assert.True(VendorEligibility.CanContract(Certified(), Today).IsValid);
        Assert.True(VendorEligibility.CanContract(Certified(), new LocalDate(2027, 6, 30)).IsValid);
    }

    [Fact]
    public void The_day_after_a_certification_expires_the_vendor_cannot_contract_and_the_refusal_names_it()
    {
        var refusal = Assert.Single(VendorEligibility.CanContract(Certified(), new LocalDate(2027, 7, 1)).Refusals);

        Assert.Equal((PartyRule.CertificationExpired, "vendorId"), (refusal.Code, refusal.Field));
        Assert.Contains("增值电信业务经营许可证 B2-20240001", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("2027-06-30", refusal.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Applied")]
    [InlineData("Suspended")]
    [InlineData("Revoked")]
    public void A_vendor_that_is_not_certified_cannot_contract_and_the_refusal_names_its_status(string status)
    {
        var vendor = status switch
        {
            "Applied" => Applied(),
            "Suspended" => Certified().Suspend(Approver, Now, "Audit").Value,
            _ => Applied().Revoke(Approver, Now, "Rejected").Value,
        };

        var refusal = Assert.Single(VendorEligibility.CanContract(vendor, Today).Refusals);

        Assert.Equal(PartyRule.VendorNotCertified, refusal.Code);
        Assert.Contains($"is {status}, not Certified", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Both_reasons_are_given_when_both_apply_status_first()
    {
        var suspended = Certified().Suspend(Approver, Now, "Audit").Value;

        var refusals = VendorEligibility.CanContract(suspended, new LocalDate(2029, 1, 1)).Refusals;

        Assert.Equal([PartyRule.VendorNotCertified, PartyRule.CertificationExpired, PartyRule.CertificationExpired], refusals.Select(refusal => refusal.Code));
    }
}
