using ServiceLedger.Domain.Parties;

namespace ServiceLedger.Domain.Tests.Parties;

public sealed class PartyIdsTest
{
    [Theory]
    [InlineData("mer_7k2m9q4x8p3r")]
    [InlineData("mer_01234567890123456789abcdef")]
    public void Merchant_ids_of_12_to_26_lower_case_characters_parse_and_format_back(string text)
    {
        Assert.True(MerchantId.TryParse(text, out var merchantId));
        Assert.Equal(text, merchantId.ToString());
        Assert.True(MerchantId.TryParse(merchantId.ToString(), out var again));
        Assert.Equal(merchantId, again);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("mer_")]
    [InlineData("mer_7k2m9q4x8p3")] // 11 characters: one short
    [InlineData("mer_01234567890123456789abcdefg")] // 27 characters: one over
    [InlineData("mer_7K2M9Q4X8P3R")] // upper case
    [InlineData("mer_7k2m9q4x8p3-")]
    [InlineData("mer_7k2m9q4x8p3r ")]
    [InlineData("ven_7k2m9q4x8p3r")] // a vendor's id is not a merchant's
    [InlineData("MER_7k2m9q4x8p3r")]
    public void Malformed_merchant_ids_are_refused_naming_the_field(string? text)
    {
        Assert.False(MerchantId.TryParse(text, out var merchantId));
        Assert.True(merchantId.IsDefault);

        var parsed = MerchantId.Parse(text, "merchantId");
        var refusal = Assert.Single(parsed.Refusals);
        Assert.Equal(PartyRule.MerchantIdInvalid, refusal.Code);
        Assert.Equal("merchantId", refusal.Field);
        Assert.Contains("mer_", refusal.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ven_3kp9wd2m8q4x", true)]
    [InlineData("ven_3kp9wd2m8q4", false)]
    [InlineData("mer_3kp9wd2m8q4x", false)]
    public void Vendor_ids_follow_the_same_rule_with_their_own_prefix(string text, bool valid)
    {
        Assert.Equal(valid, VendorId.TryParse(text, out var vendorId));
        var parsed = VendorId.Parse(text, "vendorId");
        Assert.Equal(valid, parsed.IsValid);
        if (valid)
        {
            Assert.Equal(text, vendorId.ToString());
        }
        else
        {
            Assert.Equal(PartyRule.VendorIdInvalid, Assert.Single(parsed.Refusals).Code);
        }
    }

    [Fact]
    public void Derived_ids_are_valid_stable_per_seed_and_differ_between_seeds_and_kinds()
    {
        var first = MerchantId.Derive("seed-1");

        Assert.True(MerchantId.TryParse(first.ToString(), out _));
        Assert.Equal(first, MerchantId.Derive("seed-1"));
        Assert.NotEqual(first, MerchantId.Derive("seed-2"));
        Assert.True(VendorId.TryParse(VendorId.Derive("seed-1").ToString(), out var vendorId));
        Assert.NotEqual(first.Value[4..], vendorId.Value[4..]);
    }

    [Fact]
    public void Ids_are_ordered_ordinally_and_default_names_nobody()
    {
        var a = MerchantId.Parse("mer_aaaaaaaaaaaa", "a").Value;
        var b = MerchantId.Parse("mer_bbbbbbbbbbbb", "b").Value;

        Assert.True(a < b);
        Assert.True(b >= a);
        Assert.True(a.CompareTo(b) < 0);
        Assert.True(default(MerchantId).IsDefault);
        Assert.Equal("(no merchant)", default(MerchantId).ToString());
        Assert.Equal("(no vendor)", default(VendorId).ToString());
    }

    [Theory]
    [InlineData(ActorRole.Approver, "3f2a9c1e-0000-4000-8000-000000000001", true)]
    [InlineData(ActorRole.Merchant, "mer_7k2m9q4x8p3r", true)]
    [InlineData(ActorRole.None, "someone", false)]
    [InlineData((ActorRole)99, "someone", false)]
    [InlineData(ActorRole.Finance, "", false)]
    [InlineData(ActorRole.Finance, " ", false)]
    [InlineData(ActorRole.Finance, null, false)]
    [InlineData(ActorRole.Finance, "bad\u0001subject", false)]
    public void Actors_need_a_known_role_and_a_plain_subject(ActorRole role, string? subject, bool valid)
    {
        var actor = Actor.Create(role, subject, "actor");

        Assert.Equal(valid, actor.IsValid);
        if (!valid)
        {
            Assert.Equal(PartyRule.ActorInvalid, Assert.Single(actor.Refusals).Code);
        }
    }

    [Fact]
    public void Actor_subjects_are_bounded_at_128_characters()
    {
        Assert.True(Actor.Create(ActorRole.Finance, new string('a', Actor.MaxSubjectLength), "actor").IsValid);
        Assert.False(Actor.Create(ActorRole.Finance, new string('a', Actor.MaxSubjectLength + 1), "actor").IsValid);
        Assert.Equal("finance:abc", Actor.Create(ActorRole.Finance, "abc", "actor").Value.ToString());
    }
}
