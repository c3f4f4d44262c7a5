namespace ServiceLedger.Infra.Tests.Bicep;

/// <summary>A half-open range [Start, End) of character positions in a <see cref="BicepText"/>.</summary>
internal readonly record struct TextSpan(int Start, int End)
{
    public int Length => End - Start;
}

/// <summary>
/// Bicep (or .bicepparam) source scanned once: <see cref="Source"/> is the text with comments blanked out, and
/// <see cref="Mask"/> is the same text with the contents of string literals blanked too (quotes and interpolation
/// expressions stay). Positions line up in all three, so structure (brackets, '=', ':', newlines) is found in the
/// mask and the real text is sliced from the source. Not a parser: enough structure for the infra tests.
/// </summary>
internal sealed class BicepText
{
    private const char Blank = ' ';
    private const char Masked = '_';

    private BicepText(string source, string mask, IReadOnlyList<string> problems)
    {
        Source = source;
        Mask = mask;
        Problems = problems;
    }

    /// <summary>The text with comments replaced by spaces (newlines kept).</summary>
    public string Source { get; }

    /// <summary>The source with string-literal contents replaced by '_' (newlines kept).</summary>
    public string Mask { get; }

    /// <summary>Unterminated strings or comments and unbalanced brackets found while scanning.</summary>
    public IReadOnlyList<string> Problems { get; }

    public TextSpan All => new(0, Source.Length);

    public string Slice(TextSpan span) => Source[span.Start..span.End];

    public static BicepText Scan(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var source = text.Replace("\r\n", "\n", StringComparison.Ordinal).ToCharArray();
        var mask = (char[])source.Clone();
        var problems = new List<string>();

        // Each frame is code (top level or inside a string interpolation), a string or a multi-line string.
        var frames = new Stack<Frame>();
        frames.Push(Frame.Code(isInterpolation: false));
        var brackets = new Stack<(char Open, int At)>();
        var i = 0;
        while (i < source.Length)
        {
            var frame = frames.Peek();
            var c = source[i];
            var next = i + 1 < source.Length ? source[i + 1] : '\0';
            switch (frame.Kind)
            {
                case FrameKind.Code when c == '/' && next == '/':
                    while (i < source.Length && source[i] != '\n')
                    {
                        source[i] = Blank;
                        mask[i] = Blank;
                        i++;
                    }

                    break;
                case FrameKind.Code when c == '/' && next == '*':
                    var end = new string(source).IndexOf("*/", i + 2, StringComparison.Ordinal);
                    if (end < 0)
                    {
                        problems.Add($"unterminated /* comment at {LineOf(source, i)}");
                        end = source.Length - 2;
                    }

                    for (var k = i; k < end + 2; k++)
                    {
                        if (source[k] != '\n')
                        {
                            source[k] = Blank;
                            mask[k] = Blank;
                        }
                    }

                    i = end + 2;
                    break;
                case FrameKind.Code when c == '\'' && next == '\'' && i + 2 < source.Length && source[i + 2] == '\'':
                    frames.Push(Frame.MultiLineString(i));
                    i += 3;
                    break;
                case FrameKind.Code when c == '\'':
                    frames.Push(Frame.String(i));
                    i++;
                    break;
                case FrameKind.Code:
                    if (c is '(' or '[' or '{')
                    {
                        brackets.Push((c, i));
                        if (c == '{')
                        {
                            frame.OpenBraces++;
                        }
                    }
                    else if (c is ')' or ']' or '}')
                    {
                        if (c == '}' && frame.IsInterpolation && frame.OpenBraces == 0)
                        {
                            frames.Pop();
                            i++;
                            break;
                        }

                        if (brackets.Count == 0 || Closing(brackets.Peek().Open) != c)
                        {
                            problems.Add($"unexpected '{c}' at {LineOf(source, i)}");
                        }
                        else
                        {
                            brackets.Pop();
                        }

                        if (c == '}')
                        {
                            frame.OpenBraces--;
                        }
                    }

                    i++;
                    break;
                case FrameKind.String when c == '\\':
                    MaskAt(mask, i);
                    if (i + 1 < source.Length)
                    {
                        MaskAt(mask, i + 1);
                    }

                    i += 2;
                    break;
                case FrameKind.String when c == '$' && next == '{':
                    frames.Push(Frame.Code(isInterpolation: true));
                    i += 2;
                    break;
                case FrameKind.String when c == '\'':
                    frames.Pop();
                    i++;
                    break;
                case FrameKind.String when c == '\n':
                    problems.Add($"string not closed on its line at {LineOf(source, frame.StartedAt)}");
                    frames.Pop();
                    i++;
                    break;
                case FrameKind.String:
                    MaskAt(mask, i);
                    i++;
                    break;
                case FrameKind.MultiLineString when c == '\'' && next == '\'' && i + 2 < source.Length && source[i + 2] == '\'':
                    frames.Pop();
                    i += 3;
                    break;
                case FrameKind.MultiLineString:
                    MaskAt(mask, i);
                    i++;
                    break;
            }
        }

        if (frames.Count > 1)
        {
            problems.Add($"unterminated string or interpolation at {LineOf(source, frames.Peek().StartedAt)}");
        }

        foreach (var (open, at) in brackets)
        {
            problems.Add($"'{open}' at {LineOf(source, at)} is never closed");
        }

        return new BicepText(new string(source), new string(mask), problems);
    }

    /// <summary>Position of the bracket that closes the one at <paramref name="open"/>, or -1.</summary>
    public int MatchingClose(int open)
    {
        var depth = 0;
        for (var i = open; i < Mask.Length; i++)
        {
            switch (Mask[i])
            {
                case '(' or '[' or '{':
                    depth++;
                    break;
                case ')' or ']' or '}':
                    depth--;
                    if (depth == 0)
                    {
                        return i;
                    }

                    break;
            }
        }

        return -1;
    }

    /// <summary>First position of <paramref name="c"/> at bracket depth 0 within <paramref name="span"/>, or -1.</summary>
    public int IndexOfTopLevel(char c, TextSpan span)
    {
        var depth = 0;
        for (var i = span.Start; i < span.End; i++)
        {
            var m = Mask[i];
            if (depth == 0 && m == c)
            {
                return i;
            }

            if (m is '(' or '[' or '{')
            {
                depth++;
            }
            else if (m is ')' or ']' or '}')
            {
                depth--;
            }
        }

        return -1;
    }

    /// <summary>
    /// The items of <paramref name="span"/> separated at bracket depth 0 by newlines (and commas when
    /// <paramref name="commasSeparate"/>), trimmed, empty ones dropped: object properties, array items, statements.
    /// </summary>
    public IReadOnlyList<TextSpan> SplitTopLevel(TextSpan span, bool commasSeparate)
    {
        var items = new List<TextSpan>();
        var depth = 0;
        var start = span.Start;
        for (var i = span.Start; i <= span.End; i++)
        {
            var m = i < span.End ? Mask[i] : '\n';
            if (m is '(' or '[' or '{')
            {
                depth++;
            }
            else if (m is ')' or ']' or '}')
            {
                depth--;
            }
            else if (depth == 0 && (m == '\n' || (commasSeparate && m == ',')))
            {
                var item = Trim(new TextSpan(start, i));
                if (item.Length > 0)
                {
                    items.Add(item);
                }

                start = i + 1;
            }
        }

        return items;
    }

    public TextSpan Trim(TextSpan span)
    {
        var start = span.Start;
        var end = span.End;
        while (start < end && char.IsWhiteSpace(Source[start]))
        {
            start++;
        }

        while (end > start && char.IsWhiteSpace(Source[end - 1]))
        {
            end--;
        }

        return new TextSpan(start, end);
    }

    public string LineOf(int position) => LineOf(Source.ToCharArray(), position);

    private static string LineOf(char[] text, int position)
    {
        var line = 1;
        for (var i = 0; i < position && i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                line++;
            }
        }

        return $"line {line}";
    }

    private static void MaskAt(char[] mask, int i)
    {
        if (mask[i] != '\n')
        {
            mask[i] = Masked;
        }
    }

    private static char Closing(char open) => open switch
    {
        '(' => ')',
        '[' => ']',
        _ => '}',
    };

    private enum FrameKind
    {
        Code,
        String,
        MultiLineString,
    }

    private sealed class Frame
    {
        private Frame(FrameKind kind, bool isInterpolation, int startedAt)
        {
            Kind = kind;
            IsInterpolation = isInterpolation;
            StartedAt = startedAt;
        }

        public FrameKind Kind { get; }

        public bool IsInterpolation { get; }

        public int StartedAt { get; }

        // Braces opened inside this code frame: the '}' that closes an interpolation is the one met at zero.
        public int OpenBraces { get; set; }

        public static Frame Code(bool isInterpolation) => new(FrameKind.Code, isInterpolation, 0);

        public static Frame String(int at) => new(FrameKind.String, isInterpolation: false, at);

        public static Frame MultiLineString(int at) => new(FrameKind.MultiLineString, isInterpolation: false, at);
    }
}
