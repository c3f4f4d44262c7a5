namespace ServiceLedger.Api.Tests.Billing;

using System.Net;
using System.Net.Http.Json;
using ServiceLedger.Functions.Auth;
using ServiceLedger.Functions.Billing;
using ServiceLedger.TestSupport.Contracts;
using static BillingApiFixture;

public sealed class ShopExportsApiTests(ContractsApiFactory api) : IClassFixture<ContractsApiFactory>
{
    private static object Export(long orders = 900, long converted = 110, string sales = "48000.00") =>
        new { ordersHandledByCustomerService = orders, convertedOrders = converted, sales = new { amount = sales, currency = "CNY" } };

    [Fact]
    public async Task Merchant_sends_its_export_a_retry_changes_nothing_and_finance_reads_it()
    {
        var contract = await ActiveContractAsync(api);
        var path = $"/api/contracts/{contract.Id}/shop-exports/2026-10";
        using var merchant = api.MerchantClient(contract.Merchant);
        using var finance = api.CreateClientAs(CallerRole.Finance);

        using var first = await merchant.PutAsJsonAsync(path, Export());
        using var retry = await merchant.PutAsJsonAsync(path, Export());
        using var corrected = await merchant.PutAsJsonAsync(path, new { ordersHandledByCustomerService = 900, conversions = 111, sales = new { amount = "48000.00", currency = "CNY" } });

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.Created), (first.StatusCode, retry.StatusCode, corrected.StatusCode));
        var read = (await (await finance.GetAsync(path)).Content.ReadFromJsonAsync<ShopExportHistoryView>(Json))!;
        Assert.Equal([(1, true, 110L), (2, false, 111L)], read.Versions.Select(version => (version.Version, version.Superseded, version.ConvertedOrders)));
        Assert.Equal("48000.00", read.Latest!.Sales.Amount);
    }

    [Fact]
    public async Task Only_the_contract_merchant_sends_and_bad_figures_are_named()
    {
        var contract = await ActiveContractAsync(api);
        var path = $"/api/contracts/{contract.Id}/shop-exports/2026-10";
        using var otherMerchant = api.MerchantClient(ContractsApiFactory.NewMerchant());
        using var vendor = api.VendorClient(contract.Vendor);
        using var merchant = api.MerchantClient(contract.Merchant);

        Assert.Equal(HttpStatusCode.NotFound, (await otherMerchant.PutAsJsonAsync(path, Export())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await vendor.PutAsJsonAsync(path, Export())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await vendor.GetAsync(path)).StatusCode);
        using var bad = await merchant.PutAsJsonAsync(path, Export(orders: 10, converted: 11, sales: "-5.00"));
        Assert.Equal(["convertedOrders", "sales"], ErrorFields(await ProblemAsync(bad)).Order(StringComparer.Ordinal));
        Assert.Empty((await (await merchant.GetAsync(path)).Content.ReadFromJsonAsync<ShopExportHistoryView>(Json))!.Versions);
    }
}
