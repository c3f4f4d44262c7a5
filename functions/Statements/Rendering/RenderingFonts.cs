namespace ServiceLedger.Functions.Statements.Rendering;

using PdfSharp.Fonts;

/// <summary>
/// The fonts PDFs are drawn with: DejaVu Sans, regular and bold, shipped inside the assembly (Fonts/, licence in
/// Fonts/LICENSE-DejaVu.txt) because PDFsharp on Linux finds no system fonts by itself and a Flex Consumption worker has
/// none we may count on. Installed once per process as PDFsharp's global resolver; any family asked for resolves to DejaVu.
/// </summary>
internal sealed class RenderingFonts : IFontResolver
{
    /// <summary>The family name renderers ask for.</summary>
    public const string Family = "DejaVu Sans";

    private const string Regular = "DejaVuSans";
    private const string Bold = "DejaVuSans-Bold";

    private static readonly Lock Gate = new();

    /// <summary>Installs the resolver unless one is installed already (PDFsharp allows setting it once per process).</summary>
    public static void Install()
    {
        lock (Gate)
        {
            GlobalFontSettings.FontResolver ??= new RenderingFonts();
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool isBold, bool isItalic) =>
        new(isBold ? Bold : Regular);

    public byte[]? GetFont(string faceName)
    {
        using var stream = typeof(RenderingFonts).Assembly.GetManifestResourceStream($"Fonts/{faceName}.ttf")
            ?? throw new InvalidOperationException($"Font Fonts/{faceName}.ttf is not embedded in {typeof(RenderingFonts).Assembly.GetName().Name}; see the csproj.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
