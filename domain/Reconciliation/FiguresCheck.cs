using System.Globalization;

namespace ServiceLedger.Domain.Reconciliation;

using ServiceLedger.Domain.Money;

/// <summary>The figures one side states for one contract and period: attributed sales and conversions.</summary>
/// <param name="Sales">Attributed sales (vendor) or sales of orders handled by customer service (merchant).</param>
/// <param name="Conversions">Converted inquiries (vendor) or orders after a customer-service conversation (merchant).</param>
/// <param name="Reference">The report or export the figures come from.</param>
public sealed record PartyFigures(Money Sales, long Conversions, string Reference);

/// <summary>
/// Compares the vendor's report with the merchant's own export for one contract and period. A difference is an exception
/// when it exceeds the contract's tolerance as a fraction of the merchant's figure (the merchant's export is the
/// reference: it is the shop's own order data); a tolerance of zero accepts no difference at all.
/// </summary>
public static class FiguresCheck
{
    /// <summary>The tolerance used when a contract has none of its own: 1%.</summary>
    public static Rate DefaultTolerance { get; } = Rate.Of(0.01m);

    /// <summary>
    /// Zero, one or two <see cref="ReconciliationKind.FiguresDiffer"/> exceptions (sales, conversions) for
    /// <paramref name="contractId"/> in <paramref name="period"/>.
    /// </summary>
    public static IReadOnlyList<ExceptionLine> Compare(string contractId, ReconciliationPeriod period, PartyFigures vendor, PartyFigures merchant, Rate tolerance)
    {
        ArgumentNullException.ThrowIfNull(vendor);
        ArgumentNullException.ThrowIfNull(merchant);
        var lines = new List<ExceptionLine>();
        if (vendor.Sales.Currency != merchant.Sales.Currency || Beyond(vendor.Sales.Amount, merchant.Sales.Amount, tolerance))
        {
            lines.Add(Line(contractId, period, "sales", vendor.Sales.Currency.Code, Text(vendor.Sales.Amount), Text(merchant.Sales.Amount), vendor, merchant, tolerance));
        }

        if (Beyond(vendor.Conversions, merchant.Conversions, tolerance))
        {
            lines.Add(Line(contractId, period, "conversions", string.Empty, Text(vendor.Conversions), Text(merchant.Conversions), vendor, merchant, tolerance));
        }

        return lines;
    }

    private static bool Beyond(decimal vendor, decimal merchant, Rate tolerance) => Math.Abs(vendor - merchant) > Math.Abs(merchant) * tolerance.Fraction;

    private static ExceptionLine Line(
        string contractId, ReconciliationPeriod period, string figure, string currency, string vendorText, string merchantText, PartyFigures vendor, PartyFigures merchant, Rate tolerance) =>
        ExceptionLine.Create(
            ReconciliationKind.FiguresDiffer,
            $"{contractId}:{period}:{figure}",
            currency,
            new ExceptionSide("vendor", vendorText, [vendor.Reference]),
            new ExceptionSide("merchant", merchantText, [merchant.Reference]),
            $"The vendor's {figure} differ from the merchant's by more than the contract's tolerance of {tolerance.Percent.ToString("0.####", CultureInfo.InvariantCulture)}%.");

    private static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
