using NodaTime;
using ServiceLedger.Domain.Billing;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Parties;
using ServiceLedger.Domain.Settlement;
using ServiceLedger.Domain.Tests.Calendar;
using ServiceLedger.TestSupport.Contracts;

namespace ServiceLedger.Domain.Tests.Settlement;

using ServiceLedger.Domain.Money;

/// <summary>
/// Builders for settlement tests. The default is a monthly base-plus-commission contract in CNY with one seat at 30,000.00
/// a month, the sample three bands ([0, 0.3) 1%, [0.3, 0.5) 1.5%, [0.5, 1] 2%), SLA credit 2% per miss capped at 10%,
/// platform fee 5%, payment 5 working days, penalty 0.05% a day capped at 20%, term 2026-10-01 to 2027-09-30.
/// </summary>
internal static class SettlementTestData
{
    public static readonly ContractId TestContract = ContractId.Derive("settlement-test-contract");
    public static readonly MerchantId TestMerchant = MerchantId.Derive("settlement-test-merchant");
    public static readonly VendorId TestVendor = VendorId.Derive("settlement-test-vendor");
    public static readonly Currency Cny = Currency.FromCode("CNY");

    /// <summary>Weekdays are working days, weekends are not, no holidays, 2026 to 2029.</summary>
    public static readonly WorkingDayCalendar PlainCalendar =
        new("CN", Enumerable.Range(2026, 4).Select(year => CalendarTestData.PlainYear("CN", year)));

    /// <summary>The default terms as a request carries them.</summary>
    public static TermsInput MonthlyInput { get; } = SampleTerms.Input with
    {
        Seats = [new SeatInput { AgentType = "pre-sales", Count = 1, MonthlyRate = SampleTerms.Cny("30000.00") }],
    };

    /// <summary>The default terms.</summary>
    public static Terms Monthly => Terms.Create(MonthlyInput).Value;

    /// <summary>Terms from a changed request; they must be valid.</summary>
    public static Terms TermsOf(TermsInput input)
    {
        var terms = Terms.Create(input);
        Assert.True(terms.IsValid, string.Join("; ", terms.Refusals.Select(refusal => refusal.Field + ": " + refusal.Message)));
        return terms.Value;
    }

    public static Money Cn(decimal amount) => new(amount, Cny);

    public static LocalDate Date(string iso) => CalendarTestData.Date(iso);

    /// <summary>Figures that meet every sample SLA target.</summary>
    public static ServiceFigures Figures(long inquiries, long converted, decimal sales) =>
        ServiceFigures.Create(inquiries, converted, Cn(sales), 20, Rate.Of(0.97m), Rate.Of(0.85m), Rate.Of(0.95m), Rate.Of(0.96m)).Value;

    /// <summary>Figures that miss the given number of the five sample SLA targets (first response first).</summary>
    public static ServiceFigures MissingTargets(int missed, decimal sales = 100_000m) =>
        ServiceFigures.Create(
            1000,
            400,
            Cn(sales),
            missed >= 1 ? 45 : 20,
            Rate.Of(missed >= 2 ? 0.90m : 0.97m),
            Rate.Of(missed >= 3 ? 0.70m : 0.85m),
            Rate.Of(missed >= 4 ? 0.80m : 0.95m),
            Rate.Of(missed >= 5 ? 0.90m : 0.96m)).Value;

    /// <summary>The settlement of <paramref name="period"/> under <paramref name="terms"/> for its whole term, issued the day after the period.</summary>
    public static SettlementInput Input(Terms terms, SettlementPeriod period, ServiceFigures? figures) => new()
    {
        Contract = TestContract,
        Merchant = TestMerchant,
        Vendor = TestVendor,
        TermsVersions = [new TermsInForce(terms.Term.StartOn, terms)],
        Service = ServiceWindow.Of(terms.Term, null),
        Period = period,
        Figures = figures,
        IssuedOn = period.End,
        Version = 1,
        Calendar = PlainCalendar,
    };

    /// <summary>Settles and requires a statement.</summary>
    public static Statement Settle(SettlementInput input)
    {
        var result = SettlementEngine.Settle(input);
        Assert.True(result.IsValid, result.ToString());
        return result.Value;
    }

    /// <summary>The single line of a kind.</summary>
    public static StatementLine Line(Statement statement, StatementLineKind kind) => Assert.Single(statement.Lines, line => line.Kind == kind);

    /// <summary>The amounts of the lines of a kind, in order.</summary>
    public static decimal[] Amounts(Statement statement, StatementLineKind kind) =>
        statement.Lines.Where(line => line.Kind == kind).Select(line => line.Amount.Amount).ToArray();
}
