namespace ServiceLedger.Functions.Statements.Rendering;

using PdfSharp.Drawing;
using PdfSharp.Pdf;

/// <summary>
/// Statements and commission statements as A4 PDF (PDFsharp 6.2.4, DejaVu Sans from <see cref="RenderingFonts"/>): a title,
/// the statement's identity, a table of lines and the summary, from a <see cref="StatementSheet"/> or <see cref="CommissionSheet"/>. Text is WinAnsi-encoded and content streams are left
/// uncompressed so that the amounts can be found in the file as text (tests and finance's search tools rely on it); ids,
/// amounts and the line descriptions are ASCII. Long tables continue on further pages.
/// </summary>
public static class StatementPdf
{
    /// <summary>The media type the endpoints answer with.</summary>
    public const string MediaType = "application/pdf";

    /// <summary>The statement as PDF bytes: identity, a table of lines (kind, amount, how), then the summary with the total in bold.</summary>
    public static byte[] Render(StatementSheet sheet)
    {
        ArgumentNullException.ThrowIfNull(sheet);
        using var page = new PdfWriter($"Statement {sheet.Id}");
        page.Title($"Statement {sheet.Id}");
        page.Text(string.Join("   ", sheet.Identity.Skip(1).Select(field => $"{field.Column} {field.Value}").Append($"currency {sheet.Currency}")));
        page.Gap();
        page.Row([("Line", 90), ("Amount", 80), ("How it was computed", 0)], bold: true);
        foreach (var line in sheet.Lines)
        {
            page.Row([(line.Kind, 90), (line.Amount, 80), (line.How, 0)]);
        }

        page.Gap();
        for (var index = 0; index < sheet.Summary.Count; index++)
        {
            page.Row([(sheet.Summary[index].Name, 90), (sheet.Summary[index].Amount, 80), (sheet.Currency, 0)], bold: index == 0);
        }

        if (sheet.Memos.Count > 0)
        {
            page.Gap();
            page.Row([("Memo: credit notes booked at resolution, not in the total", 0)], bold: true);
            foreach (var memo in sheet.Memos)
            {
                page.Row([(memo.Kind, 90), (memo.Amount, 80), ($"{memo.Description}: {memo.How}", 0)]);
            }
        }

        return page.Save();
    }

    /// <summary>The vendor's commission statement as PDF bytes (A4 landscape): one row per contract statement, then the totals in bold.</summary>
    public static byte[] Render(CommissionSheet sheet)
    {
        ArgumentNullException.ThrowIfNull(sheet);
        using var page = new PdfWriter($"Commission statement {sheet.Vendor} {sheet.Period}", landscape: true);
        page.Title($"Commission statement {sheet.Vendor}, {sheet.Period}");
        page.Gap();
        // The first column names the contract and the second its statement: the statement id goes on a line of its own
        // under the contract, so the amounts share the width that is left and stay readable.
        var rest = (PdfWriter.LandscapeWidth - 120d) / Math.Max(1, sheet.Columns.Count - 2);
        (string, double)[] Cells(IReadOnlyList<string> values) =>
            [.. values.Where((_, index) => index != 1).Select((value, index) => (value, index == 0 ? 120d : rest))];
        page.Row(Cells(sheet.Columns), bold: true);
        foreach (var row in sheet.Rows)
        {
            page.Row(Cells(row));
            page.Row([("  " + row[1], 0)]);
        }

        page.Gap();
        foreach (var row in sheet.Totals)
        {
            page.Row(Cells(row), bold: true);
        }

        return page.Save();
    }

    /// <summary>Writes text top to bottom, starting a new page when the current one is full. Bounded: at most <see cref="MaxPages"/> pages.</summary>
    private sealed class PdfWriter : IDisposable
    {
        // A statement has a handful of lines and a vendor a few hundred contracts; 200 pages is far beyond either.
        private const int MaxPages = 200;
        private const double Margin = 40;
        private const double LineHeight = 14;

        /// <summary>Usable width of an A4 landscape page in points (842 less the margins).</summary>
        public const double LandscapeWidth = 842 - (2 * Margin);

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
            regular = new XFont(RenderingFonts.Family, landscape ? 6.5 : 9, XFontStyleEx.Regular, WinAnsi);
            bold = new XFont(RenderingFonts.Family, landscape ? 6.5 : 9, XFontStyleEx.Bold, WinAnsi);
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
