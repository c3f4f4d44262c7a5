namespace ServiceLedger.Api.Tests.Billing;

using System.Net;
using System.Net.Http.Json;
using ServiceLedger.Functions.Auth;
using ServiceLedger.TestSupport.Contracts;
using static BillingApiFixture;

public sealed class ServiceReportsApiTests(ContractsApiFactory api) : IClassFixture<ContractsApiFactory>
{
    [Fact]
    public async Task Vendor_reports_then_a_retry_answers_200_and_a_correction_is_version_2()
    {
        var contract = await ActiveContractAsync(api);
        using var vendor = api.VendorClient(contract.Vendor);

        using var first = await vendor.PutAsJsonAsync(ReportPath(contract), Figures());
        using var retry = await vendor.PutAsJsonAsync(ReportPath(contract), Figures());
        using var corrected = await vendor.PutAsJsonAsync(ReportPath(contract), Figures(converted: 130));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(ReportPath(contract), first.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(1, (await ReadAsync(retry)).Latest!.Version);
        Assert.Equal(HttpStatusCode.Created, corrected.StatusCode);
        var history = await ReadAsync(corrected);
        Assert.Equal([(1, true, 120L), (2, false, 130L)], history.Versions.Select(version => (version.Version, version.Superseded, version.ConvertedInquiries)));
        Assert.Equal(("50000.00", "CNY", "0.13", "0.95"), (history.Latest!.AttributedSales.Amount, history.Latest.AttributedSales.Currency, history.Latest.Conversion, history.Latest.Satisfaction));
    }

    [Fact]
    public async Task Merchant_and_finance_read_every_version_and_other_tenants_get_404()
    {
        var contract = await ActiveContractAsync(api);
        using var vendor = api.VendorClient(contract.Vendor);
        (await vendor.PutAsJsonAsync(ReportPath(contract), Figures())).EnsureSuccessStatusCode();
        using var merchant = api.MerchantClient(contract.Merchant);
        using var finance = api.CreateClientAs(CallerRole.Finance);
        using var otherVendor = api.VendorClient(ContractsApiFactory.NewVendor());
        using var otherMerchant = api.MerchantClient(ContractsApiFactory.NewMerchant());

        Assert.Single((await ReadAsync(await merchant.GetAsync(ReportPath(contract)))).Versions);
        Assert.Single((await ReadAsync(await finance.GetAsync(ReportPath(contract)))).Versions);
        Assert.Equal(HttpStatusCode.NotFound, (await otherVendor.GetAsync(ReportPath(contract))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherMerchant.GetAsync(ReportPath(contract))).StatusCode);
    }

    [Fact]
    public async Task A_foreign_vendor_cannot_report_and_a_merchant_may_not_report_at_all()
    {
        var contract = await ActiveContractAsync(api);
        using var otherVendor = api.VendorClient(ContractsApiFactory.NewVendor());
        using var merchant = api.MerchantClient(contract.Merchant);

        Assert.Equal(HttpStatusCode.NotFound, (await otherVendor.PutAsJsonAsync(ReportPath(contract), Figures())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await merchant.PutAsJsonAsync(ReportPath(contract), Figures())).StatusCode);
        Assert.Empty((await ReadAsync(await merchant.GetAsync(ReportPath(contract)))).Versions);
    }

    [Fact]
    public async Task Impossible_figures_are_refused_naming_each_field_and_nothing_is_written()
    {
        var contract = await ActiveContractAsync(api);
        using var vendor = api.VendorClient(contract.Vendor);

        using var response = await vendor.PutAsJsonAsync(ReportPath(contract), Figures(inquiries: 100, converted: 101, sales: "-1.00"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["attributedSales", "convertedInquiries"], ErrorFields(await ProblemAsync(response)).Order());
        Assert.Empty((await ReadAsync(await vendor.GetAsync(ReportPath(contract)))).Versions);
    }

    [Theory]
    [InlineData("2026-11", "PeriodNotEnded")]
    [InlineData("2026-09", "PeriodOutsideTerm")]
    [InlineData("2026-Q4", "PeriodNotOfContractCycle")]
    [InlineData("2026-13", "PeriodInvalid")]
    public async Task Periods_that_cannot_be_reported_are_refused_naming_the_period(string period, string code)
    {
        var contract = await ActiveContractAsync(api);
        using var vendor = api.VendorClient(contract.Vendor);

        using var response = await vendor.PutAsJsonAsync(ReportPath(contract, period), Figures());

        var problem = await ProblemAsync(response);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.Equal(["period"], ErrorFields(problem));
    }

    [Fact]
    public async Task Sales_in_another_currency_than_the_contract_are_refused()
    {
        var contract = await ActiveContractAsync(api);
        using var vendor = api.VendorClient(contract.Vendor);

        using var response = await vendor.PutAsJsonAsync(ReportPath(contract), Figures(currency: "USD"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["attributedSales.currency"], ErrorFields(await ProblemAsync(response)));
    }

    [Fact]
    public async Task Merchant_confirms_the_latest_version_once_and_cannot_then_contest_it()
    {
        var contract = await ActiveContractAsync(api);
        using var vendor = api.VendorClient(contract.Vendor);
        (await vendor.PutAsJsonAsync(ReportPath(contract), Figures())).EnsureSuccessStatusCode();
        using var merchant = api.MerchantClient(contract.Merchant);

        using var confirmed = await merchant.PostAsJsonAsync(ReportPath(contract) + "/confirmation", new { version = 1 });
        using var repeated = await merchant.PostAsJsonAsync(ReportPath(contract) + "/confirmation", new { version = 1 });
        using var contested = await merchant.PostAsJsonAsync(ReportPath(contract) + "/contest", new { version = 1, reason = "Too high" });
        using var byVendor = await vendor.PostAsJsonAsync(ReportPath(contract) + "/confirmation", new { version = 1 });

        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        var review = (await ReadAsync(repeated)).Latest!;
        Assert.Equal(("Confirmed", "Confirmed"), (review.Status, review.Review!.Outcome));
        Assert.Equal(HttpStatusCode.Conflict, contested.StatusCode);
        Assert.Equal("AlreadyReviewed", (await ProblemAsync(contested)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, byVendor.StatusCode);
    }

    [Fact]
    public async Task Merchant_contests_with_a_reason_only_the_latest_version()
    {
        var contract = await ActiveContractAsync(api);
        using var vendor = api.VendorClient(contract.Vendor);
        (await vendor.PutAsJsonAsync(ReportPath(contract), Figures())).EnsureSuccessStatusCode();
        (await vendor.PutAsJsonAsync(ReportPath(contract), Figures(sales: "40000.00"))).EnsureSuccessStatusCode();
        using var merchant = api.MerchantClient(contract.Merchant);
        using var otherMerchant = api.MerchantClient(ContractsApiFactory.NewMerchant());

        using var superseded = await merchant.PostAsJsonAsync(ReportPath(contract) + "/contest", new { version = 1, reason = "Too high" });
        using var noReason = await merchant.PostAsJsonAsync(ReportPath(contract) + "/contest", new { version = 2 });
        using var foreign = await otherMerchant.PostAsJsonAsync(ReportPath(contract) + "/contest", new { version = 2, reason = "Not mine" });
        using var contested = await merchant.PostAsJsonAsync(ReportPath(contract) + "/contest", new { version = 2, reason = "Our export shows 38,000.00" });

        Assert.Equal(HttpStatusCode.Conflict, superseded.StatusCode);
        Assert.Equal(["reason"], ErrorFields(await ProblemAsync(noReason)));
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        var latest = (await ReadAsync(contested)).Latest!;
        Assert.Equal(("Contested", "Our export shows 38,000.00"), (latest.Status, latest.Review!.Reason));
    }
}
