namespace ServiceLedger.Functions.Statements.Rendering;

using System.Globalization;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using ServiceLedger.Domain.Billing;
using ServiceLedger.Domain.Money;
using ServiceLedger.Domain.Settlement;

/// <summary>
/// Statements and commission statements as A4 PDF (PDFsharp 6.2.4, DejaVu Sans from <see cref="RenderingFonts"/>): a title,
/// the statement's identity, a table of lines and the summary. Text is WinAnsi-encoded and content streams are left
/// uncompressed so that the amounts can be found in the file as text (tests and finance's search tools rely on it); ids,
/// amounts and the line descriptions are ASCII. Long tables continue on further pages.
/// </summary>
public static class StatementPdf
{
    /// <summary>The media type the endpoints answer with.</summary>
    public const string MediaType = "application/pdf";

    /// <summary>The statement as PDF bytes.</summary>
    public static byte[] Render(Statement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        using var page = new PdfWriter($"Statement {statement.Id}");
        page.Title($"Statement {statement.Id}");
        page.Text($"Contract {statement.Contract}   Merchant {statement.Merchant}   Vendor {statement.Vendor}");
        page.Text($"Period {statement.Period} (billed {statement.BilledPeriod})   Version {statement.Version.ToString(CultureInfo.InvariantCulture)}   {(statement.IsFinal ? "Final statement" : string.Empty)}");
        page.Text($"Issued {StatementCsv.Date(statement.IssuedOn)}   Due {StatementCsv.Date(statement.DueOn)}   Currency {statement.Currency.Code}");
        page.Gap();
        page.Row([("Line", 90), ("Amount", 80), ("How it was computed", 0)], bold: true);
        foreach (var line in statement.Lines)
        {
            page.Row([(line.Kind.ToString(), 90), (line.Amount.FormatAmount(), 80), (line.How, 0)]);
        }

        page.Gap();
        foreach (var (name, amount) in StatementCsv.Summary(statement))
        {
            page.Row([(name, 90), (amount.FormatAmount(), 80), (statement.Currency.Code, 0)], bold: name == "Total");
        }

        return page.Save();
    }

    /// <summary>The vendor's commission statement as PDF bytes.</summary>
    public static byte[] Render(CommissionStatement commission)
    {
        ArgumentNullException.ThrowIfNull(commission);
        using var page = new PdfWriter($"Commission statement {commission.Vendor} {commission.Period}", landscape: true);
        page.Title($"Commission statement {commission.Vendor}, {commission.Period}");
        page.Gap();
        (string, double)[] Columns(params string[] values) =>
            [.. values.Select((value, index) => (value, index == 0 ? 120d : index == 1 ? 46d : 52d))];
        page.Row(Columns("Contract / statement", "Conv.", "Tier rate", "Sales", "Commission", "Base fee", "SLA credits", "Adjust.", "Platform fee", "Vendor share", "On hold", "Net payable", "Paid", "Outstanding"), bold: true);
        foreach (var line in commission.Lines)
        {
            page.Row(Columns(
                line.Contract.Value, Billing.BillingJson.ConversionText(line.Conversion), line.TierRate?.ToPercentString() ?? "-", line.AttributedSales.FormatAmount(),
                line.Commission.FormatAmount(), line.BaseFee.FormatAmount(), line.SlaCredits.FormatAmount(), line.Adjustments.FormatAmount(), line.PlatformFee.FormatAmount(),
                line.VendorShare.FormatAmount(), line.OnHold.FormatAmount(), line.NetPayable.FormatAmount(), line.PaymentsMade.FormatAmount(), line.Outstanding.FormatAmount()));
            page.Row(Columns($"  {line.Statement} ({line.Period}, {line.Currency.Code})"));
        }

        page.Gap();
        foreach (var total in commission.Totals)
        {
            page.Row(Columns(
                $"Total {total.Currency.Code}", string.Empty, string.Empty, string.Empty,
                Amount(total.Commission), Amount(total.BaseFee), Amount(total.SlaCredits), Amount(total.Adjustments), Amount(total.PlatformFee),
                Amount(total.VendorShare), Amount(total.OnHold), Amount(total.NetPayable), Amount(total.PaymentsMade), Amount(total.Outstanding)), bold: true);
        }

        return page.Save();
    }

    private static string Amount(Money money) => money.FormatAmount();

    /// <summary>Writes text top to bottom, starting a new page when the current one is full. Bounded: at most <see cref="MaxPages"/> pages.</summary>
    private sealed class PdfWriter : IDisposable
    {
        // A statement has a handful of lines and a vendor a few hundred contracts; 200 pages is far beyond either.
        private const int MaxPages = 200;
        private const double Margin = 40;
        private const double LineHeight = 14;

        private static readonly XPdfFontOptions WinAnsi = new(PdfFontEncoding.WinAnsi);

        private readonly PdfDocument document = new();
        private readonly bool landscape;
        private readonly XFont regular;
        private readonly XFont bold;
        private readonly XFont title;
        private XGraphics? graphics;
        private double y;

        public PdfWriter(string documentTitle, bool landscape = false)
        {
            RenderingFonts.Install();
            this.landscape = landscape;
            document.Info.Title = documentTitle;
            document.Options.CompressContentStreams = false;
            regular = new XFont(RenderingFonts.Family, landscape ? 7 : 9, XFontStyleEx.Regular, WinAnsi);
            bold = new XFont(RenderingFonts.Family, landscape ? 7 : 9, XFontStyleEx.Bold, WinAnsi);
            title = new XFont(RenderingFonts.Family, 14, XFontStyleEx.Bold, WinAnsi);
            NewPage();
        }

        private double Width => graphics!.PageSize.Width - (2 * Margin);

        public void Title(string text) => Draw(text, title, Margin, 22);

        public void Text(string text) => Draw(text, regular, Margin, LineHeight);

        public void Gap() => Advance(LineHeight / 2);

        // Each cell has a width in points; 0 means "the rest of the line". Text that does not fit is cut, never wrapped
        // over the next cell.
        public void Row(IReadOnlyList<(string Text, double Width)> cells, bool bold = false)
        {
            Advance(LineHeight);
            var x = Margin;
            foreach (var (text, width) in cells)
            {
                var cellWidth = width > 0 ? width : Margin + Width - x;
                graphics!.DrawString(Fit(text, cellWidth - 4, bold ? this.bold : regular), bold ? this.bold : regular, XBrushes.Black, new XRect(x, y - LineHeight, cellWidth - 4, LineHeight), XStringFormats.TopLeft);
                x += cellWidth;
            }
        }

        public byte[] Save()
        {
            graphics?.Dispose();
            graphics = null;
            using var stream = new MemoryStream();
            document.Save(stream, closeStream: false);
            return stream.ToArray();
        }

        public void Dispose()
        {
            graphics?.Dispose();
            document.Dispose();
        }

        private void Draw(string text, XFont font, double x, double height)
        {
            Advance(height);
            graphics!.DrawString(Fit(text, Width, font), font, XBrushes.Black, new XRect(x, y - height, Width, height), XStringFormats.TopLeft);
        }

        private string Fit(string text, double width, XFont font)
        {
            if (graphics!.MeasureString(text, font).Width <= width)
            {
                return text;
            }

            var cut = text;
            while (cut.Length > 1 && graphics.MeasureString(cut + "...", font).Width > width)
            {
                cut = cut[..^1];
            }

            return cut + "...";
        }

        private void Advance(double height)
        {
            if (y + height > graphics!.PageSize.Height - Margin)
            {
                NewPage();
            }

            y += height;
        }

        private void NewPage()
        {
            if (document.PageCount == MaxPages)
            {
                throw new InvalidOperationException($"A rendering needs more than {MaxPages} pages; split it.");
            }

            graphics?.Dispose();
            var page = document.AddPage();
            page.Size = PdfSharp.PageSize.A4;
            page.Orientation = landscape ? PdfSharp.PageOrientation.Landscape : PdfSharp.PageOrientation.Portrait;
            graphics = XGraphics.FromPdfPage(page);
            y = Margin;
        }
    }
}
