namespace ServiceLedger.Api.Tests.Billing;

using System.Text;
using NodaTime;
using ServiceLedger.Domain.Billing;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Money;
using ServiceLedger.Domain.Settlement;
using ServiceLedger.Functions.Configuration;
using ServiceLedger.Functions.Statements.Rendering;
using ServiceLedger.TestSupport.Contracts;

public sealed class StatementRenderingTests
{
    private static readonly WorkingDayCalendar Calendar = HolidayCalendars.Load("CN");

    // The sample contract: 1,080,000 CNY a year (90,000 a month), tiers by conversion, platform fee from its terms.
    private static Statement October(string sales = "50000.00", Money? held = null)
    {
        var contract = SampleContracts.Active(Calendar);
        var input = new SettlementInput
        {
            Contract = contract.Id,
            Merchant = contract.Merchant,
            Vendor = contract.Vendor,
            TermsVersions = TermsInForce.FromContract(contract),
            Service = ServiceWindow.Of(contract.CurrentVersion.Terms.Term, null),
            Period = SettlementPeriod.Month(2026, 10),
            Figures = ServiceFigures.Create(1_000, 120, new Money(decimal.Parse(sales, System.Globalization.CultureInfo.InvariantCulture), Currency.Cny), 20, Rate.Of(0.99m), Rate.Of(0.9m), Rate.Of(0.95m), Rate.Of(0.97m)).Value,
            IssuedOn = new LocalDate(2026, 11, 2),
            Version = 1,
            Held = held is { } amount ? [new HeldAmount(amount, "dsp_1")] : [],
            Calendar = Calendar,
        };
        var statement = SettlementEngine.Settle(input);
        Assert.True(statement.IsValid, statement.ToString());
        return statement.Value;
    }

    [Fact]
    public void Statement_csv_has_the_fixed_header_one_row_per_line_and_the_summary_in_invariant_culture()
    {
        var statement = October();

        var rows = StatementCsv.Render(statement).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(string.Join(',', StatementCsv.StatementColumns), rows[0]);
        Assert.Equal(1 + statement.Lines.Count + 6, rows.Length);
        var total = rows.Single(row => row.Contains(",summary,Total,", StringComparison.Ordinal));
        Assert.Contains($",summary,Total,{statement.Total.FormatAmount()},", total, StringComparison.Ordinal);
        Assert.StartsWith($"{statement.Id},{statement.Contract},", rows[1], StringComparison.Ordinal);
        Assert.DoesNotContain(rows, row => row.Contains(" 000", StringComparison.Ordinal));
    }

    [Fact]
    public void A_how_text_with_commas_and_quotes_is_quoted_per_RFC_4180() =>
        Assert.Equal("\"a, \"\"b\"\"\",c\r\n", ServiceLedger.Functions.Billing.Rfc4180Csv.Record(["a, \"b\"", "c"]));

    [Fact]
    public void Statement_pdf_opens_as_a_pdf_and_carries_the_totals_as_text()
    {
        var statement = October();

        var pdf = StatementPdf.Render(statement);

        var text = Encoding.Latin1.GetString(pdf);
        Assert.StartsWith("%PDF-", text, StringComparison.Ordinal);
        Assert.Contains("%%EOF", text[^16..], StringComparison.Ordinal);
        Assert.Contains(statement.Total.FormatAmount(), text, StringComparison.Ordinal);
        Assert.Contains(statement.VendorShare.FormatAmount(), text, StringComparison.Ordinal);
        Assert.Contains(statement.Id.Value, text, StringComparison.Ordinal);
    }

    [Fact]
    public void Commission_statement_columns_add_up_and_on_hold_reduces_net_payable()
    {
        var statement = October(held: new Money(1_000m, Currency.Cny));
        var paid = new Dictionary<StatementId, Money> { [statement.Id] = new Money(500m, Currency.Cny) };

        var commission = CommissionStatement.Build(statement.Vendor, statement.Period, [statement], paid);

        var line = Assert.Single(commission.Lines);
        Assert.Equal(line.PlatformFee + line.VendorShare, line.BaseFee + line.Commission + line.SlaCredits + line.Adjustments);
        Assert.Equal(line.VendorShare - new Money(1_000m, Currency.Cny), line.NetPayable);
        Assert.Equal(line.NetPayable - new Money(500m, Currency.Cny), line.Outstanding);
        Assert.Equal(0.12m, line.Conversion);
        Assert.Equal(statement.Commission!.Tier.Rate, line.TierRate);
        Assert.Equal(line.Outstanding, Assert.Single(commission.Totals).Outstanding);
    }

    [Fact]
    public void Commission_statement_csv_and_pdf_show_each_contract_and_the_totals()
    {
        var statement = October();
        var commission = CommissionStatement.Build(statement.Vendor, statement.Period, [statement]);

        var rows = StatementCsv.Render(commission).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var pdf = Encoding.Latin1.GetString(StatementPdf.Render(commission));

        Assert.Equal(string.Join(',', StatementCsv.CommissionColumns), rows[0]);
        Assert.StartsWith($"{statement.Vendor},2026-10,{statement.Contract},{statement.Id},2026-10,CNY,50000.00,0.12,", rows[1], StringComparison.Ordinal);
        Assert.StartsWith($"{statement.Vendor},2026-10,TOTAL,", rows[2], StringComparison.Ordinal);
        Assert.StartsWith("%PDF-", pdf, StringComparison.Ordinal);
        Assert.Contains(commission.Totals[0].NetPayable.FormatAmount(), pdf, StringComparison.Ordinal);
    }

    [Fact]
    public void A_statement_of_another_vendor_cannot_enter_a_commission_statement()
    {
        var statement = October();

        Assert.Throws<ArgumentException>(() => CommissionStatement.Build(ServiceLedger.Domain.Parties.VendorId.Derive("someone-else"), statement.Period, [statement]));
    }
}
