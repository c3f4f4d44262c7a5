namespace ServiceLedger.Domain.Parties;

/// <summary>
/// The parties' refusal codes (merchants, vendors, actors): rule-shaped names that clients may switch on. A code is never
/// renamed or reused for another rule; the refusal's field says which input it concerns.
/// </summary>
public static class PartyRule
{
    /// <summary>A merchant id is not <c>mer_</c> followed by 12 to 26 of <c>[a-z0-9]</c>.</summary>
    public const string MerchantIdInvalid = nameof(MerchantIdInvalid);

    /// <summary>A vendor id is not <c>ven_</c> followed by 12 to 26 of <c>[a-z0-9]</c>.</summary>
    public const string VendorIdInvalid = nameof(VendorIdInvalid);

    /// <summary>An actor has no role the product knows, or a subject that is empty, too long or not plain text.</summary>
    public const string ActorInvalid = nameof(ActorInvalid);

    /// <summary>A required field is missing or blank.</summary>
    public const string FieldRequired = nameof(FieldRequired);

    /// <summary>A text is longer than its limit (counted in UTF-16 code units after trimming).</summary>
    public const string TextTooLong = nameof(TextTooLong);

    /// <summary>A text has control characters or broken UTF-16, which cannot be stored and shown faithfully.</summary>
    public const string TextMustBePlain = nameof(TextMustBePlain);

    /// <summary>An e-mail address is not <c>local@domain.tld</c> in ASCII.</summary>
    public const string EmailInvalid = nameof(EmailInvalid);

    /// <summary>A phone number is not an optional <c>+</c> then 6 to 15 digits (spaces and hyphens ignored).</summary>
    public const string PhoneInvalid = nameof(PhoneInvalid);

    /// <summary>A merchant signs up with no shop.</summary>
    public const string ShopsRequired = nameof(ShopsRequired);

    /// <summary>A merchant signs up with more shops than <see cref="PartyLimits.MaxShopsPerMerchant"/>.</summary>
    public const string TooManyShops = nameof(TooManyShops);

    /// <summary>A shop names a platform that is not one of Taobao, Tmall, JD, Pinduoduo, Douyin, Kuaishou, Other.</summary>
    public const string ShopPlatformUnknown = nameof(ShopPlatformUnknown);

    /// <summary>A shop id is not 1 to 64 of <c>[A-Za-z0-9_.-]</c>.</summary>
    public const string ShopIdInvalid = nameof(ShopIdInvalid);

    /// <summary>The same shop (platform and shop id, ignoring case) appears twice in one sign-up.</summary>
    public const string ShopDuplicated = nameof(ShopDuplicated);

    /// <summary>A shop already belongs to a signed-up merchant (answered 409).</summary>
    public const string ShopAlreadySignedUp = nameof(ShopAlreadySignedUp);

    /// <summary>A currency code is not an ISO 4217 code the product bills in.</summary>
    public const string CurrencyUnknown = nameof(CurrencyUnknown);

    /// <summary>A time zone is not an IANA (tzdb) zone id, e.g. <c>Asia/Shanghai</c>.</summary>
    public const string TimeZoneUnknown = nameof(TimeZoneUnknown);

    /// <summary>A business licence number is not a valid 18-character unified social credit code (GB 32100-2015).</summary>
    public const string LicenceNumberInvalid = nameof(LicenceNumberInvalid);

    /// <summary>A vendor applies with no service category.</summary>
    public const string ServiceCategoriesRequired = nameof(ServiceCategoriesRequired);

    /// <summary>A service category is not one the product knows.</summary>
    public const string ServiceCategoryUnknown = nameof(ServiceCategoryUnknown);

    /// <summary>The same service category appears twice.</summary>
    public const string ServiceCategoryDuplicated = nameof(ServiceCategoryDuplicated);

    /// <summary>A staff count is missing or outside 1..<see cref="PartyLimits.MaxStaffCount"/>.</summary>
    public const string StaffCountOutOfRange = nameof(StaffCountOutOfRange);

    /// <summary>A vendor applies with no certification.</summary>
    public const string CertificationsRequired = nameof(CertificationsRequired);

    /// <summary>A vendor applies with more than <see cref="PartyLimits.MaxCertificationsPerVendor"/> certifications.</summary>
    public const string TooManyCertifications = nameof(TooManyCertifications);

    /// <summary>A certification's expiry date is not an ISO date <c>yyyy-MM-dd</c>.</summary>
    public const string DateInvalid = nameof(DateInvalid);

    /// <summary>The same certification (name and number) appears twice.</summary>
    public const string CertificationDuplicated = nameof(CertificationDuplicated);

    /// <summary>A certification has expired on the date that matters (application, certifying, contracting).</summary>
    public const string CertificationExpired = nameof(CertificationExpired);

    /// <summary>A merchant sign-up reuses an Idempotency-Key that signed up a merchant with other details (answered 409).</summary>
    public const string IdempotencyKeyReused = nameof(IdempotencyKeyReused);

    /// <summary>A vendor with this business licence has already applied (answered 409).</summary>
    public const string VendorAlreadyApplied = nameof(VendorAlreadyApplied);

    /// <summary>A certification change is asked of someone who is not an approver.</summary>
    public const string ActorMustBeApprover = nameof(ActorMustBeApprover);

    /// <summary>The vendor's current status does not allow the asked change; the message names the status.</summary>
    public const string TransitionNotAllowed = nameof(TransitionNotAllowed);

    /// <summary>The vendor's history holds <see cref="PartyLimits.MaxHistoryEntries"/> changes and takes no more.</summary>
    public const string HistoryFull = nameof(HistoryFull);

    /// <summary>The vendor is not certified, so it cannot be party to a new contract or amendment.</summary>
    public const string VendorNotCertified = nameof(VendorNotCertified);
}
