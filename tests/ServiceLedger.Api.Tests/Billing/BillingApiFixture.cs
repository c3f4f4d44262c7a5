namespace ServiceLedger.Api.Tests.Billing;

using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using NodaTime;
using ServiceLedger.Domain.Billing;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Money;
using ServiceLedger.Domain.Settlement;
using ServiceLedger.Functions.Billing;
using ServiceLedger.Functions.Contracts;
using ServiceLedger.Functions.Statements;
using ServiceLedger.TestSupport.Contracts;

/// <summary>
/// Active contracts stored directly (the lifecycle has its own tests), with fresh parties per test: the sample terms run
/// monthly in CNY from 2026-10-01, and the factory clock (2026-11-02) is after October ended in Shanghai.
/// </summary>
internal static class BillingApiFixture
{
    public static JsonSerializerOptions Json => ContractJson.Options;

    public static async Task<Contract> ActiveContractAsync(ContractsApiFactory api, Domain.Parties.MerchantId? merchant = null)
    {
        var contract = SampleContracts.Active(api.Services.GetRequiredService<IWorkingDayCalendar>()) with
        {
            Id = ContractId.Derive("billing-" + Guid.NewGuid().ToString("N")),
            Merchant = merchant ?? ContractsApiFactory.NewMerchant(),
            Vendor = ContractsApiFactory.NewVendor(),
        };
        var written = await api.Services.GetRequiredService<IContractStore>().InsertAsync(contract, CancellationToken.None);
        Assert.IsType<ContractWrite.Written>(written);
        return contract;
    }

    public static object Figures(long inquiries = 1_000, long converted = 120, string sales = "50000.00", string currency = "CNY") => new
    {
        inquiries,
        convertedInquiries = converted,
        attributedSales = new { amount = sales, currency },
        firstResponseSeconds = 25,
        answerRate = "0.98",
        satisfaction = "95%",
    };

    /// <summary>The engine's statement for October 2026 of <paramref name="contract"/> (sample terms), with an optional amount on hold.</summary>
    public static Statement SettleOctober(Contract contract, IWorkingDayCalendar calendar, string sales = "50000.00", Money? held = null)
    {
        var input = new SettlementInput
        {
            Contract = contract.Id,
            Merchant = contract.Merchant,
            Vendor = contract.Vendor,
            TermsVersions = TermsInForce.FromContract(contract),
            Service = ServiceWindow.Of(contract.CurrentVersion.Terms.Term, null),
            Period = SettlementPeriod.Month(2026, 10),
            Figures = ServiceFigures.Create(1_000, 120, new Money(decimal.Parse(sales, CultureInfo.InvariantCulture), Currency.Cny), 20, Rate.Of(0.99m), Rate.Of(0.9m), Rate.Of(0.95m), Rate.Of(0.97m)).Value,
            IssuedOn = new LocalDate(2026, 11, 2),
            Version = 1,
            Held = held is { } amount ? [new HeldAmount(amount, "dsp_1")] : [],
            Calendar = calendar,
        };
        var statement = SettlementEngine.Settle(input);
        Assert.True(statement.IsValid, statement.ToString());
        return statement.Value;
    }

    /// <summary>October 2026's statement of a fresh active contract (of <paramref name="merchant"/>, or a fresh one), stored but not posted.</summary>
    public static async Task<StatementRecord> StoredOctoberStatementAsync(ContractsApiFactory api, Domain.Parties.MerchantId? merchant = null)
    {
        var contract = await ActiveContractAsync(api, merchant);
        var settled = SettleOctober(contract, api.Services.GetRequiredService<IWorkingDayCalendar>());
        var statement = StatementRecord.From(settled, DateTimeZoneProviders.Tzdb["Asia/Shanghai"], "test");
        Assert.True(await api.Services.GetRequiredService<StatementStore>().InsertAsync(statement, CancellationToken.None));
        return statement;
    }

    public static string ReportPath(Contract contract, string period = "2026-10") => $"/api/contracts/{contract.Id}/service-reports/{period}";

    public static async Task<ServiceReportHistoryView> ReadAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<ServiceReportHistoryView>(Json))!;

    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();

    public static IEnumerable<string> ErrorFields(JsonElement problem) =>
        problem.GetProperty("errors").EnumerateObject().Select(member => member.Name);
}
