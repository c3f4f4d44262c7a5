using System.Text.RegularExpressions;

namespace ServiceLedger.Infra.Tests.Bicep;

/// <summary>A decorator on a declaration, e.g. @minValue(40): its name and argument expression.</summary>
internal sealed record BicepDecorator(string Name, BicepValue? Argument);

/// <summary>
/// One top-level statement of a Bicep or .bicepparam file: its keyword (param, var, resource, module, output, using,
/// targetScope, ...), symbol name, the quoted part of the header (resource type@version or module path), whether the
/// resource is 'existing', the declared type of a param or output, the value after '=', and its decorators.
/// </summary>
internal sealed record BicepDeclaration(
    string Keyword,
    string Name,
    string? Quoted,
    bool IsExisting,
    string? DeclaredType,
    BicepValue? Value,
    IReadOnlyList<BicepDecorator> Decorators,
    TextSpan Span)
{
    public BicepDecorator? Decorator(string name) => Decorators.FirstOrDefault(d => d.Name == name);

    /// <summary>Resource type without the API version ("Microsoft.Web/sites").</summary>
    public string? ResourceType => Quoted?.Split('@')[0];

    /// <summary>API version of a resource ("2024-04-01").</summary>
    public string? ApiVersion => Quoted is { } q && q.Contains('@', StringComparison.Ordinal) ? q.Split('@')[1] : null;

    /// <summary>The object body of a resource or module (also inside a 'for' or 'if'), or null.</summary>
    public BicepObject? Body => Value?.FirstObject();
}

/// <summary>A Bicep or .bicepparam file read as text (see <see cref="BicepText"/>), split into declarations.</summary>
internal sealed partial class BicepFile
{
    private static readonly HashSet<string> Keywords =
        ["param", "var", "resource", "module", "output", "targetScope", "using", "import", "type", "func", "metadata", "extension"];

    private BicepFile(string path, BicepText text, IReadOnlyList<BicepDeclaration> declarations, IReadOnlyList<string> problems)
    {
        Path = path;
        Text = text;
        Declarations = declarations;
        Problems = problems;
    }

    /// <summary>Where the file was read from (or a label for inline text).</summary>
    public string Path { get; }

    public BicepText Text { get; }

    public IReadOnlyList<BicepDeclaration> Declarations { get; }

    /// <summary>Scanning problems and statements that are not declarations.</summary>
    public IReadOnlyList<string> Problems { get; }

    public IEnumerable<BicepDeclaration> Params => Declarations.Where(d => d.Keyword == "param");

    public IEnumerable<BicepDeclaration> Vars => Declarations.Where(d => d.Keyword == "var");

    public IEnumerable<BicepDeclaration> Resources => Declarations.Where(d => d.Keyword == "resource");

    public IEnumerable<BicepDeclaration> Modules => Declarations.Where(d => d.Keyword == "module");

    public IEnumerable<BicepDeclaration> Outputs => Declarations.Where(d => d.Keyword == "output");

    public string Directory => System.IO.Path.GetDirectoryName(Path) ?? ".";

    public static BicepFile Load(string path) => Parse(File.ReadAllText(path), path);

    public static BicepFile Parse(string source, string path = "<inline>")
    {
        var text = BicepText.Scan(source);
        var problems = new List<string>(text.Problems.Select(p => $"{path}: {p}"));
        var declarations = new List<BicepDeclaration>();
        var decorators = new List<BicepDecorator>();
        foreach (var statement in text.SplitTopLevel(text.All, commasSeparate: false))
        {
            var mask = text.Mask[statement.Start..statement.End];
            if (mask.StartsWith('@'))
            {
                decorators.Add(ReadDecorator(text, statement));
                continue;
            }

            var declaration = ReadDeclaration(text, statement, decorators);
            decorators = [];
            if (declaration is null)
            {
                problems.Add($"{path}: not a declaration at {text.LineOf(statement.Start)}: {text.Slice(statement)}");
                continue;
            }

            declarations.Add(declaration);
        }

        if (decorators.Count > 0)
        {
            problems.Add($"{path}: decorators at the end of the file decorate nothing");
        }

        return new BicepFile(path, text, declarations, problems);
    }

    public BicepDeclaration? Find(string keyword, string name) =>
        Declarations.FirstOrDefault(d => d.Keyword == keyword && d.Name == name);

    public BicepDeclaration Get(string keyword, string name) =>
        Find(keyword, name) ?? throw new InvalidOperationException($"{Path} declares no {keyword} '{name}'.");

    /// <summary>
    /// Whether <paramref name="identifier"/> is referred to in code outside the declaration at <paramref name="except"/>:
    /// string contents, property keys (name:) and member names (.name) do not count.
    /// </summary>
    public bool IsReferenced(string identifier, TextSpan except)
    {
        var pattern = new Regex($@"(?<![\w.$]){Regex.Escape(identifier)}(?!\w)");
        foreach (Match match in pattern.Matches(Text.Mask))
        {
            if ((match.Index < except.Start || match.Index >= except.End) && !IsPropertyKey(match.Index, match.Length))
            {
                return true;
            }
        }

        return false;
    }

    // "name:" at the start of a line or after '{' or ',' is a property key, not a use of the symbol 'name'
    // (unlike "for x in name: {" or "c ? name : d").
    private bool IsPropertyKey(int start, int length)
    {
        var after = start + length;
        while (after < Text.Mask.Length && Text.Mask[after] is ' ' or '\t')
        {
            after++;
        }

        if (after >= Text.Mask.Length || Text.Mask[after] != ':')
        {
            return false;
        }

        var before = start - 1;
        while (before >= 0 && Text.Mask[before] is ' ' or '\t')
        {
            before--;
        }

        return before < 0 || Text.Mask[before] is '\n' or '{' or ',';
    }

    private static BicepDecorator ReadDecorator(BicepText text, TextSpan statement)
    {
        var mask = text.Mask[statement.Start..statement.End];
        var open = mask.IndexOf('(', StringComparison.Ordinal);
        if (open < 0)
        {
            return new BicepDecorator(mask[1..].Trim(), null);
        }

        var close = text.MatchingClose(statement.Start + open);
        var argument = new BicepValue(text, new TextSpan(statement.Start + open + 1, close));
        return new BicepDecorator(mask[1..open].Trim(), argument.Span.Length == 0 ? null : argument);
    }

    private static BicepDeclaration? ReadDeclaration(BicepText text, TextSpan statement, IReadOnlyList<BicepDecorator> decorators)
    {
        var mask = text.Mask[statement.Start..statement.End];
        var header = DeclarationHeader().Match(mask);
        if (!header.Success || !Keywords.Contains(header.Groups["keyword"].Value))
        {
            return null;
        }

        var keyword = header.Groups["keyword"].Value;
        var equals = text.IndexOfTopLevel('=', statement);
        var headerEnd = equals < 0 ? statement.End : equals;
        var headerCode = text.Slice(new TextSpan(statement.Start, headerEnd));
        var value = equals < 0 ? null : new BicepValue(text, new TextSpan(equals + 1, statement.End));

        var quoted = QuotedPart().Match(headerCode);
        var words = text.Mask[statement.Start..headerEnd].Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        var name = keyword is "using" or "targetScope" ? keyword : (words.Length > 1 ? words[1] : "");
        string? declaredType = keyword is "param" or "output" && words.Length > 2 ? words[2] : null;
        return new BicepDeclaration(
            keyword,
            name,
            quoted.Success ? quoted.Groups["quoted"].Value : null,
            IsExisting: keyword == "resource" && words.Contains("existing"),
            declaredType,
            value,
            decorators,
            statement);
    }

    [GeneratedRegex(@"^(?<keyword>[A-Za-z]+)\b")]
    private static partial Regex DeclarationHeader();

    [GeneratedRegex(@"'(?<quoted>[^']*)'")]
    private static partial Regex QuotedPart();
}
