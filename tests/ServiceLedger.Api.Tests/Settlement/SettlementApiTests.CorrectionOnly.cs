using System.Net;
using System.Net.Http.Json;
using NodaTime;
using ServiceLedger.Domain.Money;
using ServiceLedger.Domain.Settlement;
using ServiceLedger.Functions.Auth;
using ServiceLedger.Functions.Statements;

namespace ServiceLedger.Api.Tests.Settlement;

/// <summary>
/// A correction-only statement (a correction after the contract's final statement, docs/settlement-runs.md) reads like any
/// statement: JSON, CSV, PDF, lists, the vendor's commission statement, ageing and payments.
/// </summary>
public sealed partial class SettlementApiTests
{
    [Fact]
    public async Task A_correction_only_statement_reads_and_is_paid_like_any_statement_beside_the_final_one_it_follows()
    {
        var final = await StoreStatementAsync(dueOn: new LocalDate(2026, 11, 9));
        var correctionOnly = await StoreCorrectionOnlyAsync(final);
        using var merchant = app.CreateClientAs(CallerRole.Merchant, final.Merchant.Value);
        using var vendor = app.CreateClientAs(CallerRole.Vendor, final.Vendor.Value);
        using var finance = app.CreateClientAs(CallerRole.Finance);
        var path = "/api/statements/" + correctionOnly.Id;

        var read = await ReadJsonAsync(await merchant.GetAsync(new Uri(path, UriKind.Relative)));
        var csv = await merchant.GetStringAsync(new Uri(path + ".csv", UriKind.Relative));
        using var pdf = await merchant.GetAsync(new Uri(path + ".pdf", UriKind.Relative));
        var list = await ReadJsonAsync(await merchant.GetAsync(new Uri("/api/statements?contractId=" + final.Contract.Value, UriKind.Relative)));
        var commission = await ReadJsonAsync(await vendor.GetAsync(new Uri($"/api/vendors/{final.Vendor.Value}/commission-statements/2026-10", UriKind.Relative)));
        var ageing = await ReadJsonAsync(await finance.GetAsync(new Uri("/api/receivables/ageing", UriKind.Relative)));

        Assert.Equal((correctionOnly.Id, final.Id, "2026-11-09"), (read.GetProperty("statementId").GetString(), read.GetProperty("correctionOnlyAfter").GetString(), read.GetProperty("dueOn").GetString()));
        var line = Assert.Single(read.GetProperty("lines").EnumerateArray());
        Assert.Equal(("Correction", "2250.00", final.Id), (line.GetProperty("kind").GetString(), line.GetProperty("amount").GetProperty("amount").GetString(), line.GetProperty("reference").GetString()));
        Assert.Equal("2250.00", read.GetProperty("outstanding").GetProperty("amount").GetString());
        Assert.Contains($"memo: correction-only statement issued after the final statement {final.Id}", csv, StringComparison.Ordinal);
        Assert.Contains(",line,Correction,", csv, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.OK, "application/pdf"), (pdf.StatusCode, pdf.Content.Headers.ContentType?.MediaType));
        Assert.Equal([final.Id, correctionOnly.Id], list.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("statementId").GetString()));
        Assert.Equal([final.Id, correctionOnly.Id], commission.GetProperty("contracts").EnumerateArray().Select(row => row.GetProperty("statementId").GetString()));
        Assert.Equal("90487.50", Assert.Single(commission.GetProperty("totals").EnumerateArray()).GetProperty("netPayable").GetProperty("amount").GetString());

        // The correction is in the adjustments column, so the row's columns add up: 0 + 0 + 0 + 2,250.00 = 112.50 + 2,137.50.
        var carried = commission.GetProperty("contracts").EnumerateArray().Single(row => row.GetProperty("statementId").GetString() == correctionOnly.Id);
        Assert.Equal(
            ("0.00", "2250.00", "112.50", "2137.50", "2137.50"),
            (carried.GetProperty("commission").GetProperty("amount").GetString(), carried.GetProperty("adjustments").GetProperty("amount").GetString(),
             carried.GetProperty("platformFee").GetProperty("amount").GetString(), carried.GetProperty("vendorShare").GetProperty("amount").GetString(),
             carried.GetProperty("netPayable").GetProperty("amount").GetString()));
        var commissionCsv = await vendor.GetStringAsync(new Uri($"/api/vendors/{final.Vendor.Value}/commission-statements/2026-10.csv", UriKind.Relative));
        Assert.StartsWith("vendorId,period,contractId,statementId,merchantId,currency,attributedSales,conversion,tierRate,commission,baseFee,slaCredits,adjustments,platformFee,vendorShare,disputedOnHold,netPayable,paymentsMade", commissionCsv, StringComparison.Ordinal);
        Assert.Contains($"{correctionOnly.Id},{final.Merchant.Value},CNY,0.00,0,,0.00,0.00,0.00,2250.00,112.50,2137.50,0.00,2137.50,", commissionCsv, StringComparison.Ordinal);
        var owed = ageing.GetProperty("merchants").EnumerateArray().Single(item => item.GetProperty("merchantId").GetString() == final.Merchant.Value);
        Assert.Equal("95250.00", owed.GetProperty("buckets").GetProperty("total").GetProperty("amount").GetString());

        using var paid = await finance.PostAsJsonAsync(
            path + "/payments",
            new { amount = new { amount = "2250.00", currency = "CNY" }, receivedOn = "2026-11-02", reference = "CMB 90001", requestId = "correction-only-1" });
        var afterPayment = await ReadJsonAsync(await merchant.GetAsync(new Uri(path, UriKind.Relative)));

        Assert.Equal(HttpStatusCode.Created, paid.StatusCode);
        Assert.Equal("0.00", afterPayment.GetProperty("outstanding").GetProperty("amount").GetString());
    }

    // The correction-only statement after <paramref name="final"/>: October's commission recomputed 2,250.00 higher; 5% of it
    // is the platform's (112.50), the rest the vendor's (2,137.50). Issued on the clock's day, due a week later.
    private async Task<StatementRecord> StoreCorrectionOnlyAsync(StatementRecord final)
    {
        var cny = Currency.Cny;
        var correction = new StatementLine(StatementLineKind.Correction, new Money(2250m, cny), "2026-10 Commission: recomputed 5250.00 CNY - issued 3000.00 CNY = 2250.00 CNY")
        {
            Reference = final.Id,
            Corrects = StatementLineKind.Commission,
            IssuedStatement = StatementId.For(final.Contract, October, 1),
            RecomputedStatement = StatementId.For(final.Contract, October, 2),
        };
        var record = final with
        {
            Id = StatementRecord.IdFor(final.Contract, October, StatementVersions.FirstCorrectionOnly),
            Version = StatementVersions.FirstCorrectionOnly,
            IssuedOn = new LocalDate(2026, 11, 2),
            DueOn = new LocalDate(2026, 11, 9),
            Total = new Money(2250m, cny),
            VendorShare = new Money(2137.50m, cny),
            PlatformFee = new Money(112.50m, cny),
            Lines = [correction],
            Commission = new CommissionFigures(0, 0, Money.Zero(cny), null, Money.Zero(cny), Money.Zero(cny), Money.Zero(cny), Money.Zero(cny)),
            LedgerEntryId = string.Empty,
        };
        Assert.True(await app.Services.GetRequiredService<StatementStore>().InsertAsync(record, CancellationToken.None));
        return record;
    }
}
