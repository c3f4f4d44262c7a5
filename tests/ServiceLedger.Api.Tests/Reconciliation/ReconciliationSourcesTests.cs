using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using NodaTime;
using ServiceLedger.Api.Tests.Billing;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Deposits;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Domain.Settlement;
using ServiceLedger.Functions.Auth;
using ServiceLedger.Functions.Apis;
using ServiceLedger.Functions.Ledger;
using ServiceLedger.Functions.Reconciliation;
using ServiceLedger.Functions.Statements;
using ServiceLedger.TestSupport.Contracts;

namespace ServiceLedger.Api.Tests.Reconciliation;

/// <summary>
/// Runs started over HTTP that read the real sources: the vendor's service report against the merchant's shop export with
/// the contract's tolerance, and issued statements against their ledger postings. Storage is shared by the assembly, so
/// each test looks only at exceptions about its own contract.
/// </summary>
public sealed class ReconciliationSourcesTests(ContractsApiFactory api) : IClassFixture<ContractsApiFactory>
{
    [Fact]
    public async Task A_vendor_report_two_percent_above_the_merchants_export_is_one_figures_exception_and_a_wider_tolerance_clears_it()
    {
        var contract = await ContractWithOctoberFiguresAsync(vendorSales: "51000.00", vendorConverted: 120, merchantSales: "50000.00", merchantConverted: 120);
        using var finance = api.CreateClientAs(CallerRole.Finance);

        var first = await RunAsync(finance, "2026-10");

        var line = Assert.Single(first, exception => exception.GetProperty("subject").GetString()!.StartsWith(contract.Id.Value, StringComparison.Ordinal));
        Assert.Equal("FiguresDiffer", line.GetProperty("kind").GetString());
        Assert.Equal($"{contract.Id}:2026-10:sales", line.GetProperty("subject").GetString());
        Assert.Equal("51000.00", line.GetProperty("left").GetProperty("figure").GetString());
        Assert.Equal("50000.00", line.GetProperty("right").GetProperty("figure").GetString());
        Assert.Equal([$"shopexport:{contract.Id}:2026-10:v1"], line.GetProperty("right").GetProperty("refs").EnumerateArray().Select(reference => reference.GetString()));

        await Expect(HttpStatusCode.OK, finance.PutAsJsonAsync($"/api/contracts/{contract.Id}/reconciliation-tolerance", new { rate = "0.025" }));
        var second = await RunAsync(finance, "2026-10");

        Assert.DoesNotContain(second, exception => exception.GetProperty("subject").GetString()!.StartsWith(contract.Id.Value, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_quarter_run_compares_the_months_of_a_monthly_contract_inside_it()
    {
        var contract = await ContractWithOctoberFiguresAsync(vendorSales: "50000.00", vendorConverted: 120, merchantSales: "50000.00", merchantConverted: 100);
        using var finance = api.CreateClientAs(CallerRole.Finance);

        var exceptions = await RunAsync(finance, "2026-Q4");

        var line = Assert.Single(exceptions, exception => exception.GetProperty("subject").GetString()!.StartsWith(contract.Id.Value, StringComparison.Ordinal));
        Assert.Equal(("FiguresDiffer", $"{contract.Id}:2026-10:conversions"), (line.GetProperty("kind").GetString(), line.GetProperty("subject").GetString()));
        Assert.Equal(("120", "100"), (line.GetProperty("left").GetProperty("figure").GetString(), line.GetProperty("right").GetProperty("figure").GetString()));
    }

    [Fact]
    public async Task A_statement_whose_ledger_entry_carries_another_total_is_exactly_one_postings_exception()
    {
        var contract = await BillingApiFixture.ActiveContractAsync(api);
        var statement = BillingApiFixture.SettleOctober(contract, api.Services.GetRequiredService<IWorkingDayCalendar>());
        var proper = StatementLedgerEntry.For(statement).Value;
        var planted = ProposedEntry.Create(
            proper.Book,
            proper.IdempotencyKey,
            proper.EffectiveDate,
            proper.Description,
            [
                Posting.Debit(AccountId.MerchantReceivable(contract.Merchant.Value), statement.Total + new Domain.Money.Money(1m, statement.Currency)),
                Posting.Credit(AccountId.VendorPayable(contract.Vendor.Value), statement.VendorShare),
                Posting.Credit(AccountId.PlatformRevenue, statement.PlatformFee + new Domain.Money.Money(1m, statement.Currency)),
            ],
            proper.References).Value;
        var appended = Assert.IsType<AppendResult.Appended>(await api.Services.GetRequiredService<LedgerService>().AppendAsync(planted, CancellationToken.None));
        var record = StatementRecord.From(statement, DateTimeZoneProviders.Tzdb["Asia/Shanghai"], "planted") with { LedgerEntryId = appended.Entry.Id.ToString() };
        Assert.True(await api.Services.GetRequiredService<StatementStore>().InsertAsync(record, CancellationToken.None));
        using var finance = api.CreateClientAs(CallerRole.Finance);

        var exceptions = await RunAsync(finance, "2026-11");

        // The statement is also unpaid past its due date by the month's end; that is the receivables check's line, not this one's.
        var line = Assert.Single(exceptions, exception => exception.GetProperty("subject").GetString() == record.Id
            && exception.GetProperty("kind").GetString()!.StartsWith("StatementPosting", StringComparison.Ordinal));
        Assert.Equal("StatementPostingDiffers", line.GetProperty("kind").GetString());
        Assert.Equal([record.Id], line.GetProperty("left").GetProperty("refs").EnumerateArray().Select(reference => reference.GetString()));
        Assert.Equal([appended.Entry.Id.ToString()], line.GetProperty("right").GetProperty("refs").EnumerateArray().Select(reference => reference.GetString()));
        Assert.False(string.IsNullOrEmpty(line.GetProperty("suggestedAction").GetString()));
        Assert.Contains(exceptions, exception => exception.GetProperty("subject").GetString() == record.Id && exception.GetProperty("kind").GetString() == "StatementOverdue");
    }

    [Fact]
    public async Task A_terminated_contract_still_holding_its_deposit_is_one_deposit_unsettled_exception()
    {
        var contract = await BillingApiFixture.ActiveContractAsync(api);
        var deposit = contract.CurrentVersion.Terms.DepositAmount;
        var paid = StripeLedgerEntries.DepositPaid("cs_held" + contract.Id.Value[4..], contract.Id.Value, contract.Merchant.Value, deposit, new LocalDate(2026, 10, 1)).Value;
        Assert.IsType<AppendResult.Appended>(await api.Services.GetRequiredService<LedgerService>().AppendAsync(paid, CancellationToken.None));
        using var finance = api.CreateClientAs(CallerRole.Finance);
        await Expect(HttpStatusCode.OK, finance.PostAsJsonAsync($"/api/contracts/{contract.Id}/terminate", new ReasonRequest("Shop closed")));

        var exceptions = await RunAsync(finance, "2026-11");

        var line = Assert.Single(exceptions, exception => exception.GetProperty("subject").GetString() == contract.Id.Value);
        Assert.Equal("DepositUnsettled", line.GetProperty("kind").GetString());
        Assert.Equal(deposit.FormatAmount(), line.GetProperty("right").GetProperty("figure").GetString());
    }

    // An active monthly contract whose vendor reported, and whose merchant exported, October 2026 through the API.
    private async Task<Domain.Contracts.Contract> ContractWithOctoberFiguresAsync(string vendorSales, long vendorConverted, string merchantSales, long merchantConverted)
    {
        var contract = await BillingApiFixture.ActiveContractAsync(api);
        using var vendor = api.VendorClient(contract.Vendor);
        using var merchant = api.MerchantClient(contract.Merchant);
        await Expect(HttpStatusCode.Created, vendor.PutAsJsonAsync(BillingApiFixture.ReportPath(contract), BillingApiFixture.Figures(converted: vendorConverted, sales: vendorSales)));
        var export = new { ordersHandledByCustomerService = 900, convertedOrders = merchantConverted, sales = new { amount = merchantSales, currency = "CNY" } };
        await Expect(HttpStatusCode.Created, merchant.PutAsJsonAsync($"/api/contracts/{contract.Id}/shop-exports/2026-10", export));
        return contract;
    }

    // Starts a csv run with no Stripe rows, plays the queue function, and answers the run's exceptions.
    private async Task<JsonElement[]> RunAsync(HttpClient finance, string period)
    {
        using var started = await finance.PostAsJsonAsync("/api/reconciliations", new { period, stripeSource = "csv" });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var runId = JsonDocument.Parse(await started.Content.ReadAsStringAsync()).RootElement.GetProperty("runId").GetString()!;
        const string Header = "balance_transaction_id,source_id,reporting_category,gross,fee,net,currency,created_utc\n";
        using (var upload = await finance.PostAsync(new Uri($"/api/reconciliations/{runId}/stripe-csv", UriKind.Relative), new StringContent(Header, Encoding.UTF8, "text/csv")))
        {
            Assert.Equal(HttpStatusCode.Accepted, upload.StatusCode);
        }

        await api.Services.GetRequiredService<ReconcilePeriod>().RunAsync(runId, CancellationToken.None);
        using var response = await finance.GetAsync(new Uri($"/api/reconciliations/{runId}/exceptions", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray()];
    }

    private static async Task Expect(HttpStatusCode status, Task<HttpResponseMessage> sending)
    {
        using var response = await sending;
        Assert.True(response.StatusCode == status, $"{response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}
