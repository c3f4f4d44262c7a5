namespace ServiceLedger.Api.Tests.Billing;

using System.Net;
using System.Text;
using ServiceLedger.Functions.Auth;
using ServiceLedger.Functions.Statements;
using ServiceLedger.TestSupport.Contracts;
using static BillingApiFixture;

public sealed class StatementDocumentsApiTests(ContractsApiFactory api) : IClassFixture<ContractsApiFactory>
{
    [Fact]
    public async Task The_statement_downloads_as_csv_and_pdf_for_its_parties_and_404_for_others()
    {
        var statement = await StoredStatementAsync();
        using var merchant = api.MerchantClient(statement.Merchant);
        using var vendor = api.VendorClient(statement.Vendor);
        using var otherMerchant = api.MerchantClient(ContractsApiFactory.NewMerchant());

        using var csv = await merchant.GetAsync($"/api/statements/{statement.Id}.csv");
        using var pdf = await vendor.GetAsync($"/api/statements/{statement.Id}.pdf");
        using var foreign = await otherMerchant.GetAsync($"/api/statements/{statement.Id}.csv");

        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var rows = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1 + statement.Lines.Count + 3, rows.Length);
        Assert.Contains(rows, row => row.EndsWith($",CNY,summary,Total,,{statement.Total.FormatAmount()},", StringComparison.Ordinal));
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType!.MediaType);
        var pdfText = Encoding.Latin1.GetString(await pdf.Content.ReadAsByteArrayAsync());
        Assert.StartsWith("%PDF-", pdfText, StringComparison.Ordinal);
        Assert.Contains(statement.Total.FormatAmount(), pdfText, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
    }

    [Fact]
    public async Task The_commission_statement_downloads_for_its_vendor_and_finance_only()
    {
        var statement = await StoredStatementAsync();
        using var vendor = api.VendorClient(statement.Vendor);
        using var finance = api.CreateClientAs(CallerRole.Finance);
        using var otherVendor = api.VendorClient(ContractsApiFactory.NewVendor());
        var path = $"/api/vendors/{statement.Vendor}/commission-statements/2026-10";

        using var csv = await vendor.GetAsync(path + ".csv");
        using var pdf = await finance.GetAsync(path + ".pdf");
        using var foreign = await otherVendor.GetAsync(path + ".csv");

        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        var rows = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("vendorId,period,contractId,statementId,", rows[0], StringComparison.Ordinal);
        Assert.Contains(rows, row => row.StartsWith($"{statement.Vendor},2026-10,{statement.Contract},{statement.Id},", StringComparison.Ordinal));
        Assert.Contains(rows, row => row.StartsWith($"{statement.Vendor},2026-10,TOTAL,", StringComparison.Ordinal));
        Assert.StartsWith("%PDF-", Encoding.Latin1.GetString(await pdf.Content.ReadAsByteArrayAsync()), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
    }

    private Task<StatementRecord> StoredStatementAsync() => StoredOctoberStatementAsync(api);
}
