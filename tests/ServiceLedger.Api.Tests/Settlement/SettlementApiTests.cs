using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NodaTime;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Money;
using ServiceLedger.Domain.Parties;
using ServiceLedger.Domain.Settlement;
using ServiceLedger.Functions.Auth;
using ServiceLedger.Functions.Statements;
using ServiceLedger.TestSupport.Api;

namespace ServiceLedger.Api.Tests.Settlement;

/// <summary>
/// Settlement runs, statements, commission statements and receivables ageing over HTTP: who may do what, problem details
/// naming the field, and another tenant's statement answered like one that does not exist.
/// </summary>
public sealed partial class SettlementApiTests(ApiFactory app) : IClassFixture<ApiFactory>
{
    private static readonly SettlementPeriod October = SettlementPeriod.Month(2026, 10);

    [Fact]
    public async Task Finance_starts_a_run_and_gets_202_with_the_runs_url_which_shows_its_progress()
    {
        using var finance = app.CreateClientAs(CallerRole.Finance);

        using var started = await finance.PostAsJsonAsync("/api/settlement-runs", new { period = "2026-10" });
        var body = await ReadJsonAsync(started);
        using var read = await finance.GetAsync(started.Headers.Location);
        var status = await ReadJsonAsync(read);

        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var runId = body.GetProperty("runId").GetString()!;
        Assert.StartsWith("run_2026-10_", runId, StringComparison.Ordinal);
        Assert.Equal("/api/settlement-runs/" + runId, started.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(runId, status.GetProperty("runId").GetString());
        Assert.Equal("2026-10", status.GetProperty("period").GetString());
        Assert.Equal("http", status.GetProperty("trigger").GetString());
        Assert.Equal(0, status.GetProperty("counts").GetProperty("settled").GetInt32());
    }

    [Fact]
    public async Task A_run_for_a_period_that_is_not_one_is_refused_naming_the_field_and_starts_nothing()
    {
        using var finance = app.CreateClientAs(CallerRole.Finance);

        using var response = await finance.PostAsJsonAsync("/api/settlement-runs", new { period = "2026-13" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True((await ReadJsonAsync(response)).GetProperty("errors").TryGetProperty("period", out _));
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task Only_finance_starts_or_reads_runs_and_an_unknown_run_is_404()
    {
        using var merchant = app.CreateClientAs(CallerRole.Merchant, "mer_someone");
        using var finance = app.CreateClientAs(CallerRole.Finance);

        using var forbidden = await merchant.PostAsJsonAsync("/api/settlement-runs", new { period = "2026-10" });
        using var unknown = await finance.GetAsync(new Uri("/api/settlement-runs/run_2026-10_20261101T000000Z", UriKind.Relative));
        using var nonsense = await finance.GetAsync(new Uri("/api/settlement-runs/whatever", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, nonsense.StatusCode);
    }

    [Fact]
    public async Task A_merchant_and_a_vendor_read_their_own_statement_with_every_line_saying_how_and_anyone_else_gets_404()
    {
        var statement = await StoreStatementAsync(dueOn: new LocalDate(2026, 11, 9));
        using var merchant = app.CreateClientAs(CallerRole.Merchant, statement.Merchant.Value);
        using var vendor = app.CreateClientAs(CallerRole.Vendor, statement.Vendor.Value);
        using var stranger = app.CreateClientAs(CallerRole.Merchant, MerchantId.Derive(Guid.NewGuid().ToString("N")).Value);
        var path = new Uri("/api/statements/" + statement.Id, UriKind.Relative);

        var mine = await ReadJsonAsync(await merchant.GetAsync(path));
        var theirs = await ReadJsonAsync(await vendor.GetAsync(path));
        using var hidden = await stranger.GetAsync(path);

        Assert.Equal(statement.Id, mine.GetProperty("statementId").GetString());
        Assert.Equal("2026-10", mine.GetProperty("period").GetString());
        Assert.Equal("2026-11-09", mine.GetProperty("dueOn").GetString());
        Assert.Equal("93000.00", mine.GetProperty("total").GetProperty("amount").GetString());
        var lines = mine.GetProperty("lines");
        Assert.Equal(["BaseFee", "Commission"], lines.EnumerateArray().Select(line => line.GetProperty("kind").GetString()));
        Assert.All(lines.EnumerateArray(), line => Assert.False(string.IsNullOrWhiteSpace(line.GetProperty("how").GetString())));
        Assert.Equal(statement.Id, theirs.GetProperty("statementId").GetString());
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
    }

    [Fact]
    public async Task A_recomputed_statement_a_correction_names_reads_by_its_id_as_not_payable_and_stays_out_of_lists()
    {
        var issued = await StoreStatementAsync(dueOn: new LocalDate(2026, 11, 9));
        var november = SettlementPeriod.Month(2026, 11);
        var carrying = issued with { Id = StatementRecord.IdFor(issued.Contract, november, 1), Period = november, IssuedOn = new LocalDate(2026, 12, 1) };
        var recomputed = issued with { Id = StatementRecord.IdFor(issued.Contract, October, 2), Version = 2, LedgerEntryId = string.Empty, RecomputedFor = issued.Id, CarriedBy = carrying.Id };
        var store = app.Services.GetRequiredService<StatementStore>();
        Assert.True(await store.InsertAsync(carrying, [recomputed], CancellationToken.None));
        using var merchant = app.CreateClientAs(CallerRole.Merchant, issued.Merchant.Value);
        using var stranger = app.CreateClientAs(CallerRole.Merchant, MerchantId.Derive(Guid.NewGuid().ToString("N")).Value);
        var path = new Uri("/api/statements/" + recomputed.Id, UriKind.Relative);

        using var response = await merchant.GetAsync(path);
        var read = await ReadJsonAsync(response);
        var list = await ReadJsonAsync(await merchant.GetAsync(new Uri("/api/statements?contractId=" + issued.Contract.Value, UriKind.Relative)));
        using var hidden = await stranger.GetAsync(path);
        var csv = await merchant.GetStringAsync(new Uri("/api/statements/" + recomputed.Id + ".csv", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((recomputed.Id, issued.Id, carrying.Id), (read.GetProperty("statementId").GetString(), read.GetProperty("recomputedFor").GetString(), read.GetProperty("carriedBy").GetString()));
        Assert.Equal(JsonValueKind.Null, read.GetProperty("dueOn").ValueKind);
        Assert.False(read.TryGetProperty("outstanding", out _));
        Assert.Equal(["BaseFee", "Commission"], read.GetProperty("lines").EnumerateArray().Select(line => line.GetProperty("kind").GetString()));
        Assert.Equal([issued.Id, carrying.Id], list.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("statementId").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        Assert.Contains($"memo: recomputed statement of {issued.Id}, not payable; its difference is carried by {carrying.Id}", csv, StringComparison.Ordinal);
        Assert.False(await store.InsertAsync(carrying, [recomputed], CancellationToken.None));
    }

    [Fact]
    public async Task A_merchants_list_holds_only_its_own_statements_and_a_bad_filter_names_the_field()
    {
        var statement = await StoreStatementAsync(dueOn: new LocalDate(2026, 11, 9));
        await StoreStatementAsync(dueOn: new LocalDate(2026, 11, 9));
        using var merchant = app.CreateClientAs(CallerRole.Merchant, statement.Merchant.Value);

        var list = await ReadJsonAsync(await merchant.GetAsync(new Uri("/api/statements?period=2026-10", UriKind.Relative)));
        using var bad = await merchant.GetAsync(new Uri("/api/statements?contractId=nope&period=2026-1", UriKind.Relative));

        Assert.Equal([statement.Id], list.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("statementId").GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await ReadJsonAsync(bad)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("contractId", out _));
        Assert.True(errors.TryGetProperty("period", out _));
    }

    [Fact]
    public async Task A_vendors_commission_statement_shows_per_contract_sales_conversion_tier_rate_fees_and_net_payable()
    {
        var statement = await StoreStatementAsync(dueOn: new LocalDate(2026, 11, 9));
        using var vendor = app.CreateClientAs(CallerRole.Vendor, statement.Vendor.Value);
        using var otherVendor = app.CreateClientAs(CallerRole.Vendor, VendorId.Derive(Guid.NewGuid().ToString("N")).Value);

        var commission = await ReadJsonAsync(await vendor.GetAsync(new Uri($"/api/vendors/{statement.Vendor.Value}/commission-statements/2026-10", UriKind.Relative)));
        using var hidden = await otherVendor.GetAsync(new Uri($"/api/vendors/{statement.Vendor.Value}/commission-statements/2026-10", UriKind.Relative));
        using var badPeriod = await vendor.GetAsync(new Uri($"/api/vendors/{statement.Vendor.Value}/commission-statements/October", UriKind.Relative));

        var row = Assert.Single(commission.GetProperty("contracts").EnumerateArray());
        Assert.Equal(statement.Contract.Value, row.GetProperty("contractId").GetString());
        Assert.Equal("200000.00", row.GetProperty("attributedSales").GetProperty("amount").GetString());
        Assert.Equal("0.42", row.GetProperty("conversion").GetString());
        Assert.Equal("0.015", row.GetProperty("tierRate").GetString());
        Assert.Equal("3000.00", row.GetProperty("commission").GetProperty("amount").GetString());
        Assert.Equal("90000.00", row.GetProperty("baseFee").GetProperty("amount").GetString());
        Assert.Equal("0.00", row.GetProperty("adjustments").GetProperty("amount").GetString());
        Assert.Equal("4650.00", row.GetProperty("platformFee").GetProperty("amount").GetString());
        Assert.Equal("88350.00", row.GetProperty("vendorShare").GetProperty("amount").GetString());
        Assert.Equal("88350.00", row.GetProperty("netPayable").GetProperty("amount").GetString());
        Assert.Equal("88350.00", Assert.Single(commission.GetProperty("totals").EnumerateArray()).GetProperty("netPayable").GetProperty("amount").GetString());
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badPeriod.StatusCode);
    }

    [Fact]
    public async Task Finance_sees_an_unpaid_statement_in_the_bucket_of_its_days_overdue_and_merchants_may_not_ask()
    {
        // The clock reads 2026-11-02 (Shanghai): due 2026-09-20 is 43 days overdue.
        var statement = await StoreStatementAsync(dueOn: new LocalDate(2026, 9, 20));
        using var finance = app.CreateClientAs(CallerRole.Finance);
        using var merchant = app.CreateClientAs(CallerRole.Merchant, statement.Merchant.Value);

        var ageing = await ReadJsonAsync(await finance.GetAsync(new Uri("/api/receivables/ageing", UriKind.Relative)));
        using var forbidden = await merchant.GetAsync(new Uri("/api/receivables/ageing", UriKind.Relative));

        var line = ageing.GetProperty("merchants").EnumerateArray().Single(item => item.GetProperty("merchantId").GetString() == statement.Merchant.Value);
        Assert.Equal("93000.00", line.GetProperty("buckets").GetProperty("days31To60").GetProperty("amount").GetString());
        Assert.Equal("0.00", line.GetProperty("buckets").GetProperty("current").GetProperty("amount").GetString());
        Assert.Equal("93000.00", line.GetProperty("buckets").GetProperty("total").GetProperty("amount").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }

    // A statement of a fresh contract, merchant and vendor: base fee 90,000.00 + commission 1.5% of 200,000.00 = 93,000.00;
    // platform fee 5% = 4,650.00; vendor share 88,350.00.
    private async Task<StatementRecord> StoreStatementAsync(LocalDate dueOn)
    {
        var seed = Guid.NewGuid().ToString("N");
        var contract = ContractId.Derive(seed);
        var cny = Currency.Cny;
        var record = new StatementRecord
        {
            Id = StatementRecord.IdFor(contract, October, 1),
            Contract = contract,
            Merchant = MerchantId.Derive(seed),
            Vendor = VendorId.Derive(seed),
            Period = October,
            Version = 1,
            TimeZone = DateTimeZoneProviders.Tzdb["Asia/Shanghai"],
            IssuedOn = new LocalDate(2026, 11, 1),
            DueOn = dueOn,
            Total = new Money(93000m, cny),
            VendorShare = new Money(88350m, cny),
            PlatformFee = new Money(4650m, cny),
            Lines =
            [
                new StatementLine(StatementLineKind.BaseFee, new Money(90000m, cny), "31 service days of 31 × 90000.00 CNY = 90000.00 CNY"),
                new StatementLine(StatementLineKind.Commission, new Money(3000m, cny), "200000.00 CNY × 1.5% (conversion 420/1000 in [0.3, 0.5)) = 3000.00 CNY"),
            ],
            Commission = new CommissionFigures(1000, 420, new Money(200000m, cny), Domain.Money.Rate.Of(0.015m), new Money(3000m, cny), new Money(90000m, cny), Money.Zero(cny), Money.Zero(cny)),
            ContentHash = new string('0', 64),
            CanonicalText = "statement (test)",
            InputsFingerprint = "test",
            LedgerEntryId = $"contract:{contract.Value}#1",
        };
        Assert.True(await app.Services.GetRequiredService<StatementStore>().InsertAsync(record, CancellationToken.None));
        return record;
    }

    private static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
}
