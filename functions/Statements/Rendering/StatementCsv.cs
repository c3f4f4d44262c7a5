namespace ServiceLedger.Functions.Statements.Rendering;

using System.Text;
using ServiceLedger.Functions.Billing;

/// <summary>
/// Statements and commission statements as CSV (RFC 4180: CRLF, fields quoted only when needed, UTF-8 without a byte-order
/// mark), in invariant culture and a fixed column order, so the same statement always gives the same bytes. Every row
/// repeats the statement's identity, so a spreadsheet can filter or pivot any row on its own. Amounts are decimal text
/// with the currency's minor digits (<c>27068.52</c>), rates and conversions fractions (<c>0.035</c>).
/// </summary>
public static class StatementCsv
{
    /// <summary>The media type the endpoints answer with.</summary>
    public const string MediaType = "text/csv; charset=utf-8";

    /// <summary>The columns after the identity ones, in order.</summary>
    public static IReadOnlyList<string> LineColumns { get; } = ["currency", "row", "kind", "description", "amount", "how"];

    /// <summary>
    /// The header, one row per statement line (<c>row</c> = <c>line</c>), then one row per summary figure (<c>row</c> =
    /// <c>summary</c>, <c>kind</c> its name: Total first), then one row per memo line (<c>row</c> = <c>memo</c>: a credit note
    /// booked at a dispute's resolution, not in the total).
    /// </summary>
    public static string Render(StatementSheet sheet)
    {
        ArgumentNullException.ThrowIfNull(sheet);
        var identity = sheet.Identity.Select(field => field.Value).ToArray();
        var text = new StringBuilder(Rfc4180Csv.Record([.. sheet.Identity.Select(field => field.Column), .. LineColumns]));
        foreach (var line in sheet.Lines)
        {
            text.Append(Rfc4180Csv.Record([.. identity, sheet.Currency, "line", line.Kind, line.Description, line.Amount, line.How]));
        }

        foreach (var (name, amount) in sheet.Summary)
        {
            text.Append(Rfc4180Csv.Record([.. identity, sheet.Currency, "summary", name, string.Empty, amount, string.Empty]));
        }

        foreach (var memo in sheet.Memos)
        {
            text.Append(Rfc4180Csv.Record([.. identity, sheet.Currency, "memo", memo.Kind, memo.Description, memo.Amount, memo.How]));
        }

        return text.ToString();
    }

    /// <summary>The header (<c>vendorId</c>, <c>period</c>, then the sheet's columns), one row per contract statement, then the total rows.</summary>
    public static string Render(CommissionSheet sheet)
    {
        ArgumentNullException.ThrowIfNull(sheet);
        var text = new StringBuilder(Rfc4180Csv.Record(["vendorId", "period", .. sheet.Columns]));
        foreach (var row in sheet.Rows.Concat(sheet.Totals))
        {
            text.Append(Rfc4180Csv.Record([sheet.Vendor, sheet.Period, .. row]));
        }

        return text.ToString();
    }
}
