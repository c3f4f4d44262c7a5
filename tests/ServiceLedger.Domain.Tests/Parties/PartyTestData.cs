using NodaTime;
using ServiceLedger.Domain.Parties;

namespace ServiceLedger.Domain.Tests.Parties;

/// <summary>Valid forms to start from; each test breaks one thing.</summary>
internal static class PartyTestData
{
    /// <summary>The example code printed in most descriptions of GB 32100-2015.</summary>
    public const string Licence = "91350100M000100Y43";

    public static readonly Instant Now = Instant.FromUtc(2027, 3, 15, 2, 0);

    public static readonly LocalDate Today = new(2027, 3, 15);

    public static Actor Approver { get; } = Actor.Create(ActorRole.Approver, "approver-1", "actor").Value;

    public static Actor Applicant { get; } = Actor.Create(ActorRole.Vendor, "applicant-1", "actor").Value;

    public static Actor MerchantUser { get; } = Actor.Create(ActorRole.Merchant, "user-1", "actor").Value;

    public static MerchantId AMerchantId { get; } = MerchantId.Derive("test");

    public static ContactForm AContact { get; } = new("王小明", "ops@example.cn", "+86 138-0013-8000");

    public static MerchantSignUp SignUp { get; } = new(
        "杭州好物电子商务有限公司",
        AContact,
        [new ShopForm("Tmall", "58203911"), new ShopForm("Douyin", "dy-77120")],
        "CNY",
        null);

    public static VendorApplication Application { get; } = new(
        "福州客服外包服务有限公司",
        AContact,
        Licence,
        ["AfterSales", "PreSales"],
        120,
        [new CertificationForm("ISO 9001", "CN-9001-0001", "2028-12-31"), new CertificationForm("增值电信业务经营许可证", "B2-20240001", "2027-06-30")]);

    /// <summary>A licence code with a correct check character, built from 17 characters.</summary>
    public static string LicenceWithCheck(string first17) => first17 + UnifiedSocialCreditCode.CheckCharacter(first17);

    public static Vendor Applied() => Vendor.Apply(Application, Applicant, Now).Value;

    public static Vendor Certified() => Applied().Certify(Approver, Now, "Licence and ISO certificate checked").Value;
}
