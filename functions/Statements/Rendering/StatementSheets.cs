namespace ServiceLedger.Functions.Statements.Rendering;

using System.Globalization;
using ServiceLedger.Domain.Billing;
using ServiceLedger.Domain.Settlement;
using ServiceLedger.Functions.Billing;

/// <summary>A statement as both renderings show it: identity, one row per line, then named summary amounts (all text, invariant).</summary>
/// <param name="Identity">Column name and value of each identity field, in column order.</param>
/// <param name="Currency">The statement's currency code.</param>
/// <param name="Lines">Kind code, description, amount and how, per line.</param>
/// <param name="Summary">Name and amount of each summary figure; the first is the total.</param>
public sealed record StatementSheet(
    IReadOnlyList<(string Column, string Value)> Identity, string Currency, IReadOnlyList<StatementSheetLine> Lines, IReadOnlyList<(string Name, string Amount)> Summary)
{
    /// <summary>
    /// Memo lines, after the summary: credit notes booked at a dispute's resolution (kind <c>CreditNote</c>, the dispute, the
    /// amount credited as a negative, and what it credits); not lines and not in the total.
    /// </summary>
    public IReadOnlyList<StatementSheetLine> Memos { get; init; } = [];

    /// <summary>The statement id (the first identity field).</summary>
    public string Id => Identity[0].Value;

    /// <summary>The sheet of an engine statement.</summary>
    public static StatementSheet Of(Statement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        return new StatementSheet(
            IdentityOf(statement.Id.Value, statement.Contract.Value, statement.Merchant.Value, statement.Vendor.Value, statement.Period.ToString(), statement.Version, StatementView.IsoDate(statement.IssuedOn), StatementView.IsoDate(statement.DueOn)),
            statement.Currency.Code,
            [.. statement.Lines.Select(line => new StatementSheetLine(line.Kind.ToString(), line.Reference ?? string.Empty, line.Amount.FormatAmount(), line.How))],
            [
                ("Total", statement.Total.FormatAmount()),
                ("PlatformFee", statement.PlatformFee.FormatAmount()),
                ("VendorShare", statement.VendorShare.FormatAmount()),
                ("LatePenalties", statement.LatePenalties.FormatAmount()),
                ("DepositApplied", statement.DepositApplied.FormatAmount()),
                ("OnHold", statement.HeldTotal.FormatAmount()),
            ])
        {
            Memos = [.. statement.CreditNotes.Select(note => MemoOf(note.Reference, note.Statement.Value, note.Credited.FormatAmount(), StatementView.IsoDate(note.ResolvedOn)))],
        };
    }

    /// <summary>The sheet of a stored statement as the statements API answers it (so JSON, CSV and PDF agree).</summary>
    public static StatementSheet Of(StatementView statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        return new StatementSheet(
            IdentityOf(statement.StatementId, statement.ContractId, statement.MerchantId, statement.VendorId, statement.Period, statement.Version, statement.IssuedOn, statement.DueOn ?? string.Empty),
            statement.Total.Currency,
            [.. statement.Lines.Select(line => new StatementSheetLine(line.Kind, line.Reference ?? string.Empty, line.Amount.Amount, line.How))],
            [("Total", statement.Total.Amount), ("PlatformFee", statement.PlatformFee.Amount), ("VendorShare", statement.VendorShare.Amount)])
        {
            Memos = [.. RecomputedMemo(statement), .. CorrectionOnlyMemo(statement), .. statement.CreditNotes.Select(note => MemoOf(note.Reference, note.StatementId, note.Credited.Amount, note.ResolvedOn))],
        };
    }

    // A recomputed statement says so on paper too: it is not a bill (no due date, nothing to pay), only the basis of the
    // correction lines on the statement that carried its difference.
    private static IEnumerable<StatementSheetLine> RecomputedMemo(StatementView statement) =>
        statement.RecomputedFor is { } issued
            ? [new StatementSheetLine("Recomputed", issued, "0.00", $"memo: recomputed statement of {issued}, not payable; its difference is carried by {statement.CarriedBy}")]
            : [];

    // A correction-only statement says why it has no fee lines: it follows the final statement, which had no next statement.
    private static IEnumerable<StatementSheetLine> CorrectionOnlyMemo(StatementView statement) =>
        statement.CorrectionOnlyAfter is { } final
            ? [new StatementSheetLine("CorrectionOnly", final, "0.00", $"memo: correction-only statement issued after the final statement {final}; its lines correct settled periods and it is payable like any statement")]
            : [];

    // The credited amount shows negative, as a credit line would, though it is not in the total.
    private static StatementSheetLine MemoOf(string reference, string statementId, string credited, string resolvedOn) =>
        new("CreditNote", reference, "-" + credited, $"memo: credit note on {statementId}, resolved {resolvedOn}; booked in the ledger then, not in this total");

    private static (string, string)[] IdentityOf(string id, string contract, string merchant, string vendor, string period, int version, string issuedOn, string dueOn) =>
    [
        ("statementId", id), ("contractId", contract), ("merchantId", merchant), ("vendorId", vendor), ("period", period),
        ("version", version.ToString(CultureInfo.InvariantCulture)), ("issuedOn", issuedOn), ("dueOn", dueOn),
    ];
}

/// <summary>One statement line as text.</summary>
/// <param name="Kind">The line kind code, e.g. <c>Commission</c>.</param>
/// <param name="Description">What it is (or the reference it concerns).</param>
/// <param name="Amount">The amount, decimal text.</param>
/// <param name="How">How it was computed.</param>
public sealed record StatementSheetLine(string Kind, string Description, string Amount, string How);

/// <summary>A vendor's commission statement as both renderings show it: its own columns, one row per contract statement, then total rows.</summary>
/// <param name="Vendor">The vendor id.</param>
/// <param name="Period">The period.</param>
/// <param name="Columns">Column names, in order (the first names the contract).</param>
/// <param name="Rows">One row per contract statement, one value per column.</param>
/// <param name="Totals">One row per currency, one value per column (the first is <c>TOTAL</c>).</param>
public sealed record CommissionSheet(string Vendor, string Period, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows, IReadOnlyList<IReadOnlyList<string>> Totals)
{
    /// <summary>The sheet of the domain view (every column of <see cref="CommissionStatementLine"/>).</summary>
    public static CommissionSheet Of(CommissionStatement commission)
    {
        ArgumentNullException.ThrowIfNull(commission);
        return new CommissionSheet(
            commission.Vendor.Value,
            commission.Period.ToString(),
            ["contractId", "statementId", "statementPeriod", "currency", "attributedSales", "conversion", "tierRate", "commission", "baseFee", "slaCredits", "adjustments", "platformFee", "vendorShare", "onHold", "netPayable", "paymentsMade", "outstanding"],
            [.. commission.Lines.Select(line => (IReadOnlyList<string>)
            [
                line.Contract.Value, line.Statement.Value, line.Period.ToString(), line.Currency.Code, line.AttributedSales.FormatAmount(), BillingJson.ConversionText(line.Conversion),
                line.TierRate?.ToString() ?? string.Empty, line.Commission.FormatAmount(), line.BaseFee.FormatAmount(), line.SlaCredits.FormatAmount(), line.Adjustments.FormatAmount(),
                line.PlatformFee.FormatAmount(), line.VendorShare.FormatAmount(), line.OnHold.FormatAmount(), line.NetPayable.FormatAmount(), line.PaymentsMade.FormatAmount(), line.Outstanding.FormatAmount(),
            ])],
            [.. commission.Totals.Select(total => (IReadOnlyList<string>)
            [
                "TOTAL", string.Empty, string.Empty, total.Currency.Code, string.Empty, string.Empty, string.Empty, total.Commission.FormatAmount(), total.BaseFee.FormatAmount(),
                total.SlaCredits.FormatAmount(), total.Adjustments.FormatAmount(), total.PlatformFee.FormatAmount(), total.VendorShare.FormatAmount(), total.OnHold.FormatAmount(),
                total.NetPayable.FormatAmount(), total.PaymentsMade.FormatAmount(), total.Outstanding.FormatAmount(),
            ])]);
    }

    /// <summary>The sheet of the commission statement as the statements API answers it (so JSON, CSV and PDF agree).</summary>
    public static CommissionSheet Of(CommissionStatementView commission)
    {
        ArgumentNullException.ThrowIfNull(commission);
        return new CommissionSheet(
            commission.VendorId,
            commission.Period,
            ["contractId", "statementId", "merchantId", "currency", "attributedSales", "conversion", "tierRate", "commission", "baseFee", "slaCredits", "adjustments", "platformFee", "vendorShare", "disputedOnHold", "netPayable", "paymentsMade"],
            [.. commission.Contracts.Select(line => (IReadOnlyList<string>)
            [
                line.ContractId, line.StatementId, line.MerchantId, line.NetPayable.Currency, line.AttributedSales.Amount, line.Conversion, line.TierRate ?? string.Empty,
                line.Commission.Amount, line.BaseFee.Amount, line.SlaCredits.Amount, line.Adjustments.Amount, line.PlatformFee.Amount, line.VendorShare.Amount,
                line.DisputedOnHold.Amount, line.NetPayable.Amount, string.Empty,
            ])],
            [.. commission.Totals.Select(total => (IReadOnlyList<string>)
            [
                "TOTAL", string.Empty, string.Empty, total.Currency, string.Empty, string.Empty, string.Empty, string.Empty, string.Empty, string.Empty, string.Empty, string.Empty,
                string.Empty, string.Empty, total.NetPayable.Amount, total.PaymentsMade.Amount,
            ])]);
    }
}
