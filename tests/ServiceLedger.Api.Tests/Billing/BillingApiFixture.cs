namespace ServiceLedger.Api.Tests.Billing;

using System.Net.Http.Json;
using System.Text.Json;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Functions.Billing;
using ServiceLedger.Functions.Contracts;
using ServiceLedger.TestSupport.Contracts;

/// <summary>
/// Active contracts stored directly (the lifecycle has its own tests), with fresh parties per test: the sample terms run
/// monthly in CNY from 2026-10-01, and the factory clock (2026-11-02) is after October ended in Shanghai.
/// </summary>
internal static class BillingApiFixture
{
    public static JsonSerializerOptions Json => ContractJson.Options;

    public static async Task<Contract> ActiveContractAsync(ContractsApiFactory api)
    {
        var contract = SampleContracts.Active(api.Services.GetRequiredService<IWorkingDayCalendar>()) with
        {
            Id = ContractId.Derive("billing-" + Guid.NewGuid().ToString("N")),
            Merchant = ContractsApiFactory.NewMerchant(),
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

    public static string ReportPath(Contract contract, string period = "2026-10") => $"/api/contracts/{contract.Id}/service-reports/{period}";

    public static async Task<ServiceReportHistoryView> ReadAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<ServiceReportHistoryView>(Json))!;

    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();

    public static IEnumerable<string> ErrorFields(JsonElement problem) =>
        problem.GetProperty("errors").EnumerateObject().Select(member => member.Name);
}
