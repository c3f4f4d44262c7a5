using System.Text;
using System.Text.RegularExpressions;

namespace ServiceLedger.Infra.Tests.Bicep;

/// <summary>An expression in a Bicep file: its text, and views of it as an object, array or plain string literal.</summary>
internal sealed partial class BicepValue
{
    public BicepValue(BicepText text, TextSpan span)
    {
        Text = text;
        Span = text.Trim(span);
    }

    public BicepText Text { get; }

    public TextSpan Span { get; }

    /// <summary>The expression as written (comments removed).</summary>
    public string Code => Text.Slice(Span);

    /// <summary>The expression with string contents blanked, for structural matching.</summary>
    public string Mask => Text.Mask[Span.Start..Span.End];

    public bool IsObject => Span.Length > 0 && Text.Mask[Span.Start] == '{';

    public bool IsArray => Span.Length > 0 && Text.Mask[Span.Start] == '[';

    /// <summary>The value of a single plain string literal ('...', no interpolation), unescaped; null otherwise.</summary>
    public string? StringLiteral
    {
        get
        {
            var code = Code;
            if (code.Length < 2 || code[0] != '\'' || code[^1] != '\'' || Mask.Contains("${", StringComparison.Ordinal))
            {
                return null;
            }

            // One literal only: its closing quote is the last character (an inner quote would be escaped).
            var inner = Mask[1..^1];
            if (inner.Contains('\'', StringComparison.Ordinal))
            {
                return null;
            }

            return Unescape(code[1..^1]);
        }
    }

    /// <summary>The properties of an object literal, in order.</summary>
    public BicepObject AsObject()
    {
        if (!IsObject)
        {
            throw new InvalidOperationException($"Not an object literal: {Code}");
        }

        var close = Text.MatchingClose(Span.Start);
        return BicepObject.Parse(Text, new TextSpan(Span.Start + 1, close));
    }

    /// <summary>The items of an array literal (a 'for' expression has none).</summary>
    public IReadOnlyList<BicepValue> AsArray()
    {
        if (!IsArray)
        {
            throw new InvalidOperationException($"Not an array literal: {Code}");
        }

        var close = Text.MatchingClose(Span.Start);
        return [.. Text.SplitTopLevel(new TextSpan(Span.Start + 1, close), commasSeparate: true).Select(s => new BicepValue(Text, s))];
    }

    /// <summary>
    /// The first object literal in the expression: the body of a resource or module declaration, including the
    /// '[for x in xs: { ... }]' and 'if (c) { ... }' forms. Null when there is none.
    /// </summary>
    public BicepObject? FirstObject()
    {
        var open = Text.Mask.IndexOf('{', Span.Start, Span.Length);
        if (open < 0)
        {
            return null;
        }

        return new BicepValue(Text, new TextSpan(open, Text.MatchingClose(open) + 1)).AsObject();
    }

    /// <summary>
    /// Evaluates a bare identifier, or a string made of literal text and '${identifier}' holes, with
    /// <paramref name="values"/>; null for any other expression or an unknown identifier.
    /// </summary>
    public string? Interpolate(IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var code = Code;
        if (values.TryGetValue(code, out var identifierValue))
        {
            return identifierValue;
        }

        if (code.Length < 2 || code[0] != '\'' || code[^1] != '\'')
        {
            return null;
        }

        var result = new StringBuilder();
        var rest = code[1..^1];
        foreach (Match part in InterpolationPart().Matches(rest))
        {
            if (part.Value.StartsWith("${", StringComparison.Ordinal) && !part.Groups["hole"].Success)
            {
                return null;
            }

            if (part.Groups["hole"].Success)
            {
                if (!values.TryGetValue(part.Groups["hole"].Value, out var value))
                {
                    return null;
                }

                result.Append(value);
            }
            else
            {
                result.Append(Unescape(part.Value));
            }
        }

        return result.ToString();
    }

    public override string ToString() => Code;

    private static string Unescape(string literal) =>
        literal.Replace("\\'", "'", StringComparison.Ordinal)
            .Replace("\\$", "$", StringComparison.Ordinal)
            .Replace("\\n", "\n", StringComparison.Ordinal)
            .Replace("\\\\", "\\", StringComparison.Ordinal);

    [GeneratedRegex(@"\$\{\s*(?<hole>[A-Za-z_][A-Za-z0-9_]*)\s*\}|\$\{[^}]*\}|(?:[^$]|\$(?!\{))+")]
    private static partial Regex InterpolationPart();
}

/// <summary>An object literal: its properties in order, keys unquoted.</summary>
internal sealed class BicepObject
{
    private BicepObject(IReadOnlyList<KeyValuePair<string, BicepValue>> properties) => Properties = properties;

    public IReadOnlyList<KeyValuePair<string, BicepValue>> Properties { get; }

    public IEnumerable<string> Keys => Properties.Select(p => p.Key);

    public static BicepObject Parse(BicepText text, TextSpan inside)
    {
        var properties = new List<KeyValuePair<string, BicepValue>>();
        foreach (var item in text.SplitTopLevel(inside, commasSeparate: true))
        {
            var colon = text.IndexOfTopLevel(':', item);
            if (colon < 0)
            {
                throw new FormatException($"Object property without ':' at {text.LineOf(item.Start)}: {text.Slice(item)}");
            }

            var key = text.Slice(text.Trim(new TextSpan(item.Start, colon)));
            if (key.Length >= 2 && key[0] == '\'' && key[^1] == '\'')
            {
                key = key[1..^1];
            }

            properties.Add(new(key, new BicepValue(text, new TextSpan(colon + 1, item.End))));
        }

        return new BicepObject(properties);
    }

    /// <summary>The value of a property, or null.</summary>
    public BicepValue? Get(string key) => Properties.FirstOrDefault(p => p.Key == key).Value;

    /// <summary>The value at a dotted path of nested object properties ("properties.siteConfig.minTlsVersion"), or null.</summary>
    public BicepValue? Find(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var current = this;
        var keys = path.Split('.');
        for (var i = 0; i < keys.Length; i++)
        {
            var value = current.Get(keys[i]);
            if (value is null || i == keys.Length - 1)
            {
                return value;
            }

            if (!value.IsObject)
            {
                return null;
            }

            current = value.AsObject();
        }

        return null;
    }
}
