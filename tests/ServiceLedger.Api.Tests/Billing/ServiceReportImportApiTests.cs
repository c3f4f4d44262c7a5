namespace ServiceLedger.Api.Tests.Billing;

using System.Net;
using System.Net.Http.Json;
using System.Text;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Functions.Billing;
using ServiceLedger.TestSupport.Contracts;
using static BillingApiFixture;

public sealed class ServiceReportImportApiTests(ContractsApiFactory api) : IClassFixture<ContractsApiFactory>
{
    private const string Header = "contractId,period,currency,inquiries,convertedInquiries,attributedSales,firstResponseSeconds,answerRate,satisfaction\r\n";

    [Fact]
    public async Task A_file_with_three_contracts_stores_one_version_each_and_sending_it_again_stores_nothing()
    {
        var contracts = await ThreeContractsOfOneVendorAsync();
        using var vendor = api.VendorClient(contracts[0].Vendor);
        var csv = Header + string.Concat(contracts.Select((contract, index) => $"{contract.Id},2026-10,CNY,{1000 + index},{100 + index},50000.{index}0,30,0.98,95%\r\n"));

        var first = await ImportAsync(vendor, csv);
        var again = await ImportAsync(vendor, csv);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var imported = (await first.Content.ReadFromJsonAsync<ServiceReportImportView>(Json))!;
        Assert.Equal((3, 0), (imported.Created, imported.Unchanged));
        Assert.Equal(contracts.Select(contract => contract.Id.Value), imported.Reports.Select(report => report.ContractId));
        var reimported = (await again.Content.ReadFromJsonAsync<ServiceReportImportView>(Json))!;
        Assert.Equal((0, 3), (reimported.Created, reimported.Unchanged));
        var third = await ReadAsync(await vendor.GetAsync(ReportPath(contracts[2])));
        Assert.Equal((1, 1002L, "50000.20"), (third.Versions.Count, third.Latest!.Inquiries, third.Latest.AttributedSales.Amount));
    }

    [Fact]
    public async Task One_bad_row_refuses_the_whole_file_naming_the_row_and_nothing_is_written()
    {
        var contracts = await ThreeContractsOfOneVendorAsync();
        using var vendor = api.VendorClient(contracts[0].Vendor);
        var csv = Header
            + $"{contracts[0].Id},2026-10,CNY,1000,100,50000.00,30,0.98,95%\r\n"
            + $"{contracts[1].Id},2026-10,CNY,1000,1001,50000.00,30,1.5,95%\r\n"
            + $"{contracts[2].Id},2026-10,USD,1000,100,50000.00,30,0.98,95%\r\n";

        using var response = await ImportAsync(vendor, csv);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["rows[2].answerRate", "rows[2].convertedInquiries", "rows[3].currency"], ErrorFields(await ProblemAsync(response)).Order(StringComparer.Ordinal));
        foreach (var contract in contracts)
        {
            Assert.Empty((await ReadAsync(await vendor.GetAsync(ReportPath(contract)))).Versions);
        }
    }

    [Fact]
    public async Task A_contract_of_another_vendor_is_named_as_not_found_in_its_row()
    {
        var mine = await ActiveContractAsync(api);
        var theirs = await ActiveContractAsync(api);
        using var vendor = api.VendorClient(mine.Vendor);

        using var response = await ImportAsync(vendor, Header + $"{mine.Id},2026-10,CNY,10,1,100.00,,,\r\n{theirs.Id},2026-10,CNY,10,1,100.00,,,\r\n");

        var problem = await ProblemAsync(response);
        Assert.Equal(["rows[2].contractId"], ErrorFields(problem));
        Assert.Empty((await ReadAsync(await vendor.GetAsync(ReportPath(mine)))).Versions);
    }

    [Fact]
    public async Task A_byte_order_mark_quoted_fields_LF_endings_and_columns_in_any_order_are_read()
    {
        var contract = await ActiveContractAsync(api);
        using var vendor = api.VendorClient(contract.Vendor);
        var csv = "\uFEFFperiod,\"contractId\",inquiries,convertedInquiries,attributedSales,currency,qaPassRate\n"
            + $"\"2026-10\",{contract.Id},\"1200\",240,\"12345.60\",CNY,\"0.9\"\n";

        using var response = await ImportAsync(vendor, csv);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var latest = (await ReadAsync(await vendor.GetAsync(ReportPath(contract)))).Latest!;
        Assert.Equal((1200L, 240L, "12345.60", "0.9", null), (latest.Inquiries, latest.ConvertedInquiries, latest.AttributedSales.Amount, latest.QaPassRate, latest.AnswerRate));
    }

    [Theory]
    [InlineData("contractId,period,currency,inquiries,convertedInquiries\r\n", "header")]
    [InlineData("contractId,period,currency,inquiries,convertedInquiries,attributedSales,colour\r\n", "header[7]")]
    [InlineData("contractId,period,currency,inquiries,convertedInquiries,attributedSales\r\n\"ctr_x,2026-10\r\n", "$")]
    public async Task A_malformed_header_or_file_is_refused_naming_where(string csv, string field)
    {
        using var vendor = api.VendorClient(ContractsApiFactory.NewVendor());

        using var response = await ImportAsync(vendor, csv);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, ErrorFields(await ProblemAsync(response)));
    }

    [Fact]
    public async Task A_row_with_a_different_number_of_fields_than_the_header_is_named()
    {
        var contract = await ActiveContractAsync(api);
        using var vendor = api.VendorClient(contract.Vendor);

        using var response = await ImportAsync(vendor, Header + $"{contract.Id},2026-10,CNY,10,1\r\n");

        Assert.Equal(["rows[1]"], ErrorFields(await ProblemAsync(response)));
    }

    [Fact]
    public async Task The_same_contract_and_period_twice_in_one_file_is_refused()
    {
        var contract = await ActiveContractAsync(api);
        using var vendor = api.VendorClient(contract.Vendor);
        var row = $"{contract.Id},2026-10,CNY,10,1,100.00,,,\r\n";

        using var response = await ImportAsync(vendor, Header + row + row);

        Assert.Equal(["rows[2].period"], ErrorFields(await ProblemAsync(response)));
    }

    [Fact]
    public async Task More_rows_than_the_limit_answer_400_and_a_body_over_the_size_limit_413()
    {
        using var vendor = api.VendorClient(ContractsApiFactory.NewVendor());
        var tooMany = Header + string.Concat(Enumerable.Repeat("ctr_aaaaaaaaaaaa,2026-10,CNY,1,1,1.00,,,\r\n", ServiceReportImport.MaxRows + 1));
        var tooLarge = Header + new string('x', (int)ServiceReportImport.MaxBytes);

        using var rows = await ImportAsync(vendor, tooMany);
        using var bytes = await ImportAsync(vendor, tooLarge);

        Assert.Equal(HttpStatusCode.BadRequest, rows.StatusCode);
        Assert.Equal("TooManyRows", (await ProblemAsync(rows)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, bytes.StatusCode);
    }

    private async Task<Contract[]> ThreeContractsOfOneVendorAsync()
    {
        var first = await ActiveContractAsync(api);
        var store = api.Services.GetRequiredService<IContractStore>();
        var others = new List<Contract> { first };
        for (var index = 0; index < 2; index++)
        {
            var sibling = first with { Id = ContractId.Derive("billing-" + Guid.NewGuid().ToString("N")), Merchant = ContractsApiFactory.NewMerchant() };
            Assert.IsType<ContractWrite.Written>(await store.InsertAsync(sibling, CancellationToken.None));
            others.Add(sibling);
        }

        return [.. others];
    }

    private static Task<HttpResponseMessage> ImportAsync(HttpClient client, string csv) =>
        client.PostAsync("/api/service-reports/import", new StringContent(csv, new UTF8Encoding(false), "text/csv"));
}
