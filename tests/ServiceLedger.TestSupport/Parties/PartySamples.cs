using System.Globalization;
using ServiceLedger.Domain.Parties;

namespace ServiceLedger.TestSupport.Parties;

/// <summary>
/// Valid merchant sign-ups and vendor applications for tests (Chinese names on purpose: storage must carry them), and
/// unique valid licence numbers. Other capabilities' tests (contracts, settlement) build their parties here.
/// </summary>
public static class PartySamples
{
    // Starts somewhere random so that two test processes sharing one Azurite table are unlikely to meet.
    private static int licenceCounter = Random.Shared.Next(0, 500_000_000);

    /// <summary>The published example unified social credit code.</summary>
    public const string ExampleLicence = "91350100M000100Y43";

    /// <summary>An approver actor.</summary>
    public static Actor Approver { get; } = Actor.Create(ActorRole.Approver, "approver-1", "actor").Value;

    /// <summary>A vendor-to-be applying.</summary>
    public static Actor Applicant { get; } = Actor.Create(ActorRole.Vendor, "applicant-1", "actor").Value;

    /// <summary>A merchant-to-be signing up.</summary>
    public static Actor MerchantUser { get; } = Actor.Create(ActorRole.Merchant, "user-1", "actor").Value;

    /// <summary>A contact with a Chinese name.</summary>
    public static ContactForm Contact { get; } = new("王小明", "ops@example.cn", "+8613800138000");

    /// <summary>A sign-up with the given shops (platform, shop id), or one Tmall shop with a unique id.</summary>
    public static MerchantSignUp SignUp(params (string Platform, string ShopId)[] shops) => new(
        "杭州好物电子商务有限公司",
        Contact,
        shops.Length == 0
            ? [new ShopForm("Tmall", UniqueShopId())]
            : shops.Select(shop => (ShopForm?)new ShopForm(shop.Platform, shop.ShopId)).ToArray(),
        "CNY",
        null);

    /// <summary>A shop id no other test uses.</summary>
    public static string UniqueShopId() => "s" + Guid.NewGuid().ToString("N")[..20];

    /// <summary>An application with a unique licence (or the one given), certifications valid through 2030-12-31.</summary>
    public static VendorApplication Application(string? licence = null) => new(
        "福州客服外包服务有限公司",
        Contact,
        licence ?? UniqueLicence(),
        ["PreSales", "AfterSales"],
        120,
        [new CertificationForm("ISO 9001", "CN-9001-0001", "2030-12-31"), new CertificationForm("增值电信业务经营许可证", "B2-20240001", "2030-12-31")]);

    /// <summary>A valid unified social credit code no other call in this process returns (counted organisation code, correct check character).</summary>
    public static string UniqueLicence()
    {
        var digits = (Interlocked.Increment(ref licenceCounter) % 1_000_000_000).ToString("D9", CultureInfo.InvariantCulture);
        var first17 = "91440300" + digits;
        return first17 + UnifiedSocialCreditCode.CheckCharacter(first17);
    }

    /// <summary>The vendor suspended and certified in turn (at its last change's instant) until its history is full.</summary>
    public static Vendor WithFullHistory(Vendor vendor, Actor approver, string reason)
    {
        ArgumentNullException.ThrowIfNull(vendor);
        while (vendor.History.Count < PartyLimits.MaxHistoryEntries)
        {
            var at = vendor.History[^1].At;
            vendor = (vendor.Status == CertificationStatus.Certified ? vendor.Suspend(approver, at, reason) : vendor.Certify(approver, at, reason)).Value;
        }

        return vendor;
    }
}
