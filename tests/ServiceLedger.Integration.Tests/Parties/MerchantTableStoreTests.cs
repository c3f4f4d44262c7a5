using NodaTime;
using ServiceLedger.Domain.Parties;
using ServiceLedger.Functions.Adapters.Parties;
using ServiceLedger.TestSupport.Parties;
using static ServiceLedger.Integration.Tests.Parties.PartyStores;

namespace ServiceLedger.Integration.Tests.Parties;

public sealed class MerchantTableStoreTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static Merchant NewMerchant(string seed, MerchantSignUp form, Instant? at = null) =>
        Merchant.SignUp(MerchantId.Derive(seed), form, PartySamples.MerchantUser, at ?? Start).Value;

    [Fact]
    public async Task A_merchant_with_a_chinese_name_reads_back_equal()
    {
        var (store, _, _) = await MerchantsAsync();
        var merchant = NewMerchant("a", PartySamples.SignUp(("Tmall", "58203911"), ("Douyin", "dy-1")) with { TimeZone = "Asia/Hong_Kong" });

        Assert.IsType<AddMerchantResult.Added>(await store.AddAsync(merchant, None));
        var read = await store.GetAsync(merchant.Id, None);

        Assert.NotNull(read);
        Assert.True(read.SameDetailsAs(merchant));
        Assert.Equal("杭州好物电子商务有限公司", read.LegalName);
        Assert.Equal((merchant.SignedUpBy, merchant.SignedUpAt), (read.SignedUpBy, read.SignedUpAt));
        Assert.Null(await store.GetAsync(MerchantId.Derive("nobody"), None));
    }

    [Fact]
    public async Task A_second_merchant_with_a_taken_shop_is_refused_naming_that_shop_and_leaves_no_claim_behind()
    {
        var (store, shops, _) = await MerchantsAsync();
        await store.AddAsync(NewMerchant("first", PartySamples.SignUp(("Tmall", "58203911"))), None);

        var second = NewMerchant("second", PartySamples.SignUp(("JD", "free-1"), ("Tmall", "58203911")));
        var result = Assert.IsType<AddMerchantResult.Conflict>(await store.AddAsync(second, None));

        Assert.Equal((PartyRule.ShopAlreadySignedUp, "shops[1]"), (result.Refusal.Code, result.Refusal.Field));
        Assert.Contains("58203911 on Tmall", result.Refusal.Message, StringComparison.Ordinal);
        Assert.Null(await store.GetAsync(second.Id, None));
        Assert.Null(await shops.GetAsync("JD", "free-1", null, None));
        Assert.IsType<AddMerchantResult.Added>(await store.AddAsync(NewMerchant("third", PartySamples.SignUp(("JD", "free-1"))), None));
    }

    [Fact]
    public async Task Shop_ids_differing_only_in_case_are_the_same_shop()
    {
        var (store, _, _) = await MerchantsAsync();
        await store.AddAsync(NewMerchant("first", PartySamples.SignUp(("Other", "MyShop"))), None);

        Assert.IsType<AddMerchantResult.Conflict>(await store.AddAsync(NewMerchant("second", PartySamples.SignUp(("Other", "myshop"))), None));
    }

    [Fact]
    public async Task Of_concurrent_sign_ups_with_the_same_shop_exactly_one_wins()
    {
        var (store, _, _) = await MerchantsAsync();
        var contenders = Enumerable.Range(0, 8)
            .Select(n => NewMerchant($"racer-{n}", PartySamples.SignUp(("Pinduoduo", $"own-{n}"), ("Pinduoduo", "contested"))))
            .ToArray();

        var results = await Task.WhenAll(contenders.Select(merchant => Task.Run(() => store.AddAsync(merchant, None))));

        var winner = Assert.Single(results.OfType<AddMerchantResult.Added>());
        Assert.Equal(7, results.OfType<AddMerchantResult.Conflict>().Count());
        var stored = await Task.WhenAll(contenders.Select(merchant => store.GetAsync(merchant.Id, None)));
        Assert.Equal([winner.Merchant.Id], stored.Where(merchant => merchant is not null).Select(merchant => merchant!.Id));
    }

    [Fact]
    public async Task A_retried_sign_up_answers_the_first_merchant_and_writes_nothing_new()
    {
        var (store, _, _) = await MerchantsAsync();
        var merchant = NewMerchant("retry", PartySamples.SignUp(("Kuaishou", "ks-1")));
        await store.AddAsync(merchant, None);

        var again = await store.AddAsync(NewMerchant("retry", PartySamples.SignUp(("Kuaishou", "ks-1")), Start + Duration.FromSeconds(3)), None);

        Assert.Equal(Start, Assert.IsType<AddMerchantResult.AlreadyAdded>(again).Merchant.SignedUpAt);
    }

    [Fact]
    public async Task The_same_id_with_other_details_is_refused_and_its_new_shop_claims_are_released()
    {
        var (store, shops, _) = await MerchantsAsync();
        await store.AddAsync(NewMerchant("key", PartySamples.SignUp(("Taobao", "tb-1"))), None);

        var result = await store.AddAsync(NewMerchant("key", PartySamples.SignUp(("Taobao", "tb-1"), ("Taobao", "tb-2"))), None);

        Assert.Equal(PartyRule.IdempotencyKeyReused, Assert.IsType<AddMerchantResult.Conflict>(result).Refusal.Code);
        Assert.Null(await shops.GetAsync("Taobao", "tb-2", null, None));
        Assert.NotNull(await shops.GetAsync("Taobao", "tb-1", null, None));
    }

    [Fact]
    public async Task A_claim_whose_merchant_never_appeared_is_honoured_for_five_minutes_then_taken_over()
    {
        var (store, shops, clock) = await MerchantsAsync();
        await shops.InsertAsync(new Functions.Adapters.Tables.TableEntity("Douyin", "orphan",
        [
            new("MerchantId", MerchantId.Derive("crashed").Value),
            new("ShopId", "orphan"),
            new("ClaimedAt", Start.ToDateTimeOffset()),
        ]), None);

        clock.Set(Start + MerchantTableStore.AbandonedClaimAfter);
        Assert.IsType<AddMerchantResult.Conflict>(await store.AddAsync(NewMerchant("early", PartySamples.SignUp(("Douyin", "orphan"))), None));

        clock.Advance(Duration.FromSeconds(1));
        var late = NewMerchant("late", PartySamples.SignUp(("Douyin", "orphan")));
        Assert.IsType<AddMerchantResult.Added>(await store.AddAsync(late, None));
        Assert.Equal(late.Id.Value, (await shops.GetAsync("Douyin", "orphan", null, None))!.Get("MerchantId").AsString());
    }
}
