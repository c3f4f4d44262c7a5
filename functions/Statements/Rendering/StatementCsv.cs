namespace ServiceLedger.Functions.Statements.Rendering;

using System.Globalization;
using System.Text;
using ServiceLedger.Domain.Billing;
using ServiceLedger.Domain.Money;
using ServiceLedger.Domain.Settlement;
using ServiceLedger.Functions.Billing;

/// <summary>
/// Statements and commission statements as CSV (RFC 4180: CRLF, fields quoted only when needed, UTF-8 without a byte-order
/// mark), in invariant culture and a fixed column order, so the same statement always gives the same bytes. Every row
/// repeats the statement's identity, so a spreadsheet can filter or pivot any row on its own. Amounts are decimal text
/// with the currency's minor digits (<c>27068.52</c>), rates fractions (<c>0.035</c>).
/// </summary>
public static class StatementCsv
{
    /// <summary>The media type the endpoints answer with.</summary>
    public const string MediaType = "text/csv; charset=utf-8";

    /// <summary>The statement's columns, in order.</summary>
    public static IReadOnlyList<string> StatementColumns { get; } =
        ["statementId", "contractId", "merchantId", "vendorId", "period", "billedPeriod", "version", "issuedOn", "dueOn", "currency", "row", "kind", "amount", "how", "reference"];

    /// <summary>The commission statement's columns, in order.</summary>
    public static IReadOnlyList<string> CommissionColumns { get; } =
        ["vendorId", "period", "contractId", "statementId", "statementPeriod", "currency", "attributedSales", "conversion", "tierRate", "commission", "baseFee", "slaCredits", "adjustments", "platformFee", "vendorShare", "onHold", "netPayable", "paymentsMade", "outstanding"];

    /// <summary>
    /// One row per statement line (<c>row</c> = <c>line</c>, <c>kind</c> the line kind), then the summary rows (<c>row</c> =
    /// <c>summary</c>): Total, PlatformFee, VendorShare, LatePenalties, DepositApplied, OnHold.
    /// </summary>
    public static string Render(Statement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var text = new StringBuilder(Rfc4180Csv.Record(StatementColumns));
        string[] Identity() =>
        [
            statement.Id.Value, statement.Contract.Value, statement.Merchant.Value, statement.Vendor.Value, statement.Period.ToString(), statement.BilledPeriod.ToString(),
            statement.Version.ToString(CultureInfo.InvariantCulture), Date(statement.IssuedOn), Date(statement.DueOn), statement.Currency.Code,
        ];
        foreach (var line in statement.Lines)
        {
            text.Append(Rfc4180Csv.Record([.. Identity(), "line", line.Kind.ToString(), line.Amount.FormatAmount(), line.How, line.Reference ?? string.Empty]));
        }

        foreach (var (name, amount) in Summary(statement))
        {
            text.Append(Rfc4180Csv.Record([.. Identity(), "summary", name, amount.FormatAmount(), string.Empty, string.Empty]));
        }

        return text.ToString();
    }

    /// <summary>One row per contract statement, then one <c>TOTAL</c> row per currency (contract and statement columns empty).</summary>
    public static string Render(CommissionStatement commission)
    {
        ArgumentNullException.ThrowIfNull(commission);
        var text = new StringBuilder(Rfc4180Csv.Record(CommissionColumns));
        foreach (var line in commission.Lines)
        {
            text.Append(Rfc4180Csv.Record(
            [
                commission.Vendor.Value, commission.Period.ToString(), line.Contract.Value, line.Statement.Value, line.Period.ToString(), line.Currency.Code,
                line.AttributedSales.FormatAmount(), BillingJson.ConversionText(line.Conversion), line.TierRate?.ToString() ?? string.Empty,
                .. Amounts(line.Commission, line.BaseFee, line.SlaCredits, line.Adjustments, line.PlatformFee, line.VendorShare, line.OnHold, line.NetPayable, line.PaymentsMade, line.Outstanding),
            ]));
        }

        foreach (var total in commission.Totals)
        {
            text.Append(Rfc4180Csv.Record(
            [
                commission.Vendor.Value, commission.Period.ToString(), "TOTAL", string.Empty, string.Empty, total.Currency.Code, string.Empty, string.Empty, string.Empty,
                .. Amounts(total.Commission, total.BaseFee, total.SlaCredits, total.Adjustments, total.PlatformFee, total.VendorShare, total.OnHold, total.NetPayable, total.PaymentsMade, total.Outstanding),
            ]));
        }

        return text.ToString();
    }

    /// <summary>The statement's summary figures, in the order both renderings show them.</summary>
    internal static IReadOnlyList<(string Name, Money Amount)> Summary(Statement statement) =>
    [
        ("Total", statement.Total),
        ("PlatformFee", statement.PlatformFee),
        ("VendorShare", statement.VendorShare),
        ("LatePenalties", statement.LatePenalties),
        ("DepositApplied", statement.DepositApplied),
        ("OnHold", statement.HeldTotal),
    ];

    internal static string Date(NodaTime.LocalDate date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static IEnumerable<string> Amounts(params Money[] amounts) => amounts.Select(amount => amount.FormatAmount());
}
