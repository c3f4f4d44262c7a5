using NodaTime;
using ServiceLedger.Domain.Money;
using ServiceLedger.Domain.Parties;
using static ServiceLedger.Domain.Tests.Parties.PartyTestData;

namespace ServiceLedger.Domain.Tests.Parties;

public sealed class MerchantTest
{
    private static Refusal RefusedOnce(MerchantSignUp form)
    {
        var result = Merchant.SignUp(AMerchantId, form, MerchantUser, Now);
        Assert.False(result.IsValid);
        return Assert.Single(result.Refusals);
    }

    [Fact]
    public void A_complete_sign_up_keeps_chinese_names_normalises_the_phone_and_defaults_to_shanghai()
    {
        var merchant = Merchant.SignUp(AMerchantId, SignUp, MerchantUser, Now).Value;

        Assert.Equal("杭州好物电子商务有限公司", merchant.LegalName);
        Assert.Equal("+8613800138000", merchant.Contact.Phone);
        Assert.Equal(["Tmall:58203911", "Douyin:dy-77120"], merchant.Shops.Select(shop => shop.ToString()));
        Assert.Equal(Currency.Cny, merchant.BillingCurrency);
        Assert.Equal("Asia/Shanghai", merchant.TimeZone.Id);
        Assert.Equal(MerchantUser, merchant.SignedUpBy);
        Assert.Equal(Now, merchant.SignedUpAt);
    }

    [Fact]
    public void A_stated_time_zone_is_kept_and_the_form_round_trips()
    {
        var merchant = Merchant.SignUp(AMerchantId, SignUp with { TimeZone = "Asia/Hong_Kong", BillingCurrency = "HKD" }, MerchantUser, Now).Value;

        var again = Merchant.Restore(AMerchantId, merchant.ToForm(), MerchantUser, Now);

        Assert.Equal("Asia/Hong_Kong", again.TimeZone.Id);
        Assert.True(merchant.SameDetailsAs(again));
        Assert.False(merchant.SameDetailsAs(Merchant.SignUp(AMerchantId, SignUp, MerchantUser, Now).Value));
    }

    [Theory]
    [InlineData(null, PartyRule.FieldRequired)]
    [InlineData("   ", PartyRule.FieldRequired)]
    [InlineData("有限公司\u0007", PartyRule.TextMustBePlain)]
    public void Legal_name_must_be_present_and_plain(string? legalName, string code)
    {
        var refusal = RefusedOnce(SignUp with { LegalName = legalName });

        Assert.Equal(code, refusal.Code);
        Assert.Equal("legalName", refusal.Field);
    }

    [Fact]
    public void Legal_name_is_bounded_at_200_characters_after_trimming()
    {
        Assert.True(Merchant.SignUp(AMerchantId, SignUp with { LegalName = $"  {new string('商', 200)}  " }, MerchantUser, Now).IsValid);
        Assert.Equal(PartyRule.TextTooLong, RefusedOnce(SignUp with { LegalName = new string('商', 201) }).Code);
    }

    [Theory]
    [InlineData("plainaddress")]
    [InlineData("@example.com")]
    [InlineData("a@b@example.com")]
    [InlineData("a b@example.com")]
    [InlineData("ops@localhost")]
    [InlineData("ops@-example.com")]
    [InlineData("ops@example.c0m")]
    [InlineData("客服@example.cn")]
    public void Malformed_email_is_refused_naming_contact_email(string email)
    {
        var refusal = RefusedOnce(SignUp with { Contact = AContact with { Email = email } });

        Assert.Equal(PartyRule.EmailInvalid, refusal.Code);
        Assert.Equal("contact.email", refusal.Field);
    }

    [Fact]
    public void Email_local_part_is_bounded_at_64_characters()
    {
        Assert.True(Merchant.SignUp(AMerchantId, SignUp with { Contact = AContact with { Email = new string('a', 64) + "@example.com" } }, MerchantUser, Now).IsValid);
        Assert.Equal(PartyRule.EmailInvalid, RefusedOnce(SignUp with { Contact = AContact with { Email = new string('a', 65) + "@example.com" } }).Code);
    }

    [Theory]
    [InlineData("13800138000", true)]
    [InlineData("+86 138 0013 8000", true)]
    [InlineData("123456", true)]
    [InlineData("12345", false)]
    [InlineData("+1234567890123456", false)]
    [InlineData("138OO138000", false)]
    [InlineData("++8613800138000", false)]
    public void Phone_is_an_optional_plus_and_6_to_15_digits(string phone, bool valid)
    {
        var result = Merchant.SignUp(AMerchantId, SignUp with { Contact = AContact with { Phone = phone } }, MerchantUser, Now);

        Assert.Equal(valid, result.IsValid);
        if (!valid)
        {
            Assert.Equal(("contact.phone", PartyRule.PhoneInvalid), (result.Refusals[0].Field, result.Refusals[0].Code));
        }
    }

    [Fact]
    public void A_missing_contact_is_refused_and_every_missing_contact_field_is_named()
    {
        Assert.Equal("contact", RefusedOnce(SignUp with { Contact = null }).Field);

        var result = Merchant.SignUp(AMerchantId, SignUp with { Contact = new ContactForm(null, null, null) }, MerchantUser, Now);

        Assert.Equal(["contact.name", "contact.email", "contact.phone"], result.Refusals.Select(refusal => refusal.Field));
    }

    [Fact]
    public void At_least_one_and_at_most_20_shops()
    {
        Assert.Equal(PartyRule.ShopsRequired, RefusedOnce(SignUp with { Shops = [] }).Code);
        Assert.Equal(PartyRule.ShopsRequired, RefusedOnce(SignUp with { Shops = null }).Code);

        var twenty = Enumerable.Range(1, 20).Select(n => (ShopForm?)new ShopForm("Taobao", $"shop{n}")).ToArray();
        Assert.True(Merchant.SignUp(AMerchantId, SignUp with { Shops = twenty }, MerchantUser, Now).IsValid);

        var refusal = RefusedOnce(SignUp with { Shops = [.. twenty, new ShopForm("Taobao", "shop21")] });
        Assert.Equal((PartyRule.TooManyShops, "shops"), (refusal.Code, refusal.Field));
    }

    [Theory]
    [InlineData("tmall")]
    [InlineData("Amazon")]
    [InlineData("None")]
    [InlineData("1")]
    [InlineData(null)]
    public void Unknown_platforms_are_refused_naming_the_shop(string? platform)
    {
        var refusal = RefusedOnce(SignUp with { Shops = [new ShopForm("Tmall", "1"), new ShopForm(platform, "2")] });

        Assert.Equal((PartyRule.ShopPlatformUnknown, "shops[1].platform"), (refusal.Code, refusal.Field));
    }

    [Theory]
    [InlineData("")]
    [InlineData("shop/1")]
    [InlineData("shop 1")]
    [InlineData("店铺")]
    public void Shop_ids_must_be_safe_ascii(string shopId)
    {
        var refusal = RefusedOnce(SignUp with { Shops = [new ShopForm("JD", shopId)] });

        Assert.Equal((PartyRule.ShopIdInvalid, "shops[0].shopId"), (refusal.Code, refusal.Field));
    }

    [Fact]
    public void Shop_ids_are_bounded_at_64_characters()
    {
        Assert.True(Merchant.SignUp(AMerchantId, SignUp with { Shops = [new ShopForm("Other", new string('x', 64))] }, MerchantUser, Now).IsValid);
        Assert.Equal(PartyRule.ShopIdInvalid, RefusedOnce(SignUp with { Shops = [new ShopForm("Other", new string('x', 65))] }).Code);
    }

    [Fact]
    public void The_same_shop_twice_is_refused_ignoring_case_but_the_same_id_on_two_platforms_is_two_shops()
    {
        var refusal = RefusedOnce(SignUp with { Shops = [new ShopForm("Other", "MyShop"), new ShopForm("Other", "myshop")] });
        Assert.Equal((PartyRule.ShopDuplicated, "shops[1]"), (refusal.Code, refusal.Field));

        Assert.True(Merchant.SignUp(AMerchantId, SignUp with { Shops = [new ShopForm("Taobao", "1"), new ShopForm("Tmall", "1")] }, MerchantUser, Now).IsValid);
    }

    [Theory]
    [InlineData("cny")]
    [InlineData("XXX")]
    [InlineData(null)]
    public void Billing_currency_must_be_a_supported_iso_code(string? currency)
    {
        var refusal = RefusedOnce(SignUp with { BillingCurrency = currency });

        Assert.Equal((PartyRule.CurrencyUnknown, "billingCurrency"), (refusal.Code, refusal.Field));
    }

    [Theory]
    [InlineData("Asia/Beijing")]
    [InlineData("asia/shanghai")]
    [InlineData("+08:00")]
    public void Time_zone_must_be_a_tzdb_id(string zone)
    {
        var refusal = RefusedOnce(SignUp with { TimeZone = zone });

        Assert.Equal((PartyRule.TimeZoneUnknown, "timeZone"), (refusal.Code, refusal.Field));
    }

    [Fact]
    public void Every_broken_rule_is_reported_at_once_in_form_order()
    {
        var result = Merchant.SignUp(AMerchantId, new MerchantSignUp(null, null, null, null, "Nowhere/City"), MerchantUser, Now);

        Assert.Equal(["legalName", "contact", "shops", "billingCurrency", "timeZone"], result.Refusals.Select(refusal => refusal.Field));
    }

    [Fact]
    public void Restoring_a_form_that_breaks_a_rule_is_a_bug()
    {
        Assert.Throws<InvalidOperationException>(() => Merchant.Restore(AMerchantId, SignUp with { Shops = [] }, MerchantUser, Now));
        Assert.Throws<ArgumentException>(() => Merchant.SignUp(default, SignUp, MerchantUser, Now));
        Assert.Equal(Instant.FromUtc(2027, 3, 15, 2, 0), Merchant.Restore(AMerchantId, SignUp, MerchantUser, Now).SignedUpAt);
    }
}
