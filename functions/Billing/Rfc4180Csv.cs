namespace ServiceLedger.Functions.Billing;

using System.Text;

/// <summary>One CSV record: its fields and the line of the file it starts on (1-based, the header is line 1).</summary>
/// <param name="Line">The file line the record starts on.</param>
/// <param name="Fields">The fields, unquoted.</param>
internal sealed record CsvRecord(int Line, IReadOnlyList<string> Fields);

/// <summary>
/// RFC 4180 CSV, read and written by hand (a few dozen lines we can read, rather than a dependency whose API changes under
/// us): comma-separated fields; a field with a comma, quote or line break is quoted, with quotes doubled; records end with
/// CRLF, LF or CR; a UTF-8 byte-order mark is skipped; blank lines are skipped. Reading stops at the first malformed
/// record (a stray or unclosed quote, or text after a closing quote), reported with its line, because nothing after it can
/// be trusted to be split right. Limits: <see cref="MaxFields"/> per record, <see cref="MaxFieldChars"/> per field.
/// </summary>
internal static class Rfc4180Csv
{
    /// <summary>Most fields per record: far above any of our files' columns, low enough to stop a runaway line.</summary>
    public const int MaxFields = 64;

    /// <summary>Longest field: ids, periods, numbers and rates are short; a longer field is not one of ours.</summary>
    public const int MaxFieldChars = 256;

    /// <summary>The records of <paramref name="text"/>, at most <paramref name="maxRecords"/> (header included); or the first format error.</summary>
    public static (IReadOnlyList<CsvRecord> Records, string? Error, bool TooMany) Read(string text, int maxRecords)
    {
        ArgumentNullException.ThrowIfNull(text);
        var records = new List<CsvRecord>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var position = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;
        var line = 1;
        var recordLine = 1;
        var quoted = false;
        var fieldStarted = false;
        while (position <= text.Length)
        {
            var atEnd = position == text.Length;
            var c = atEnd ? '\n' : text[position];
            if (quoted)
            {
                if (atEnd)
                {
                    return (records, $"line {recordLine}: a quoted field is not closed before the end of the file.", false);
                }

                position++;
                if (c == '"')
                {
                    if (position < text.Length && text[position] == '"')
                    {
                        field.Append('"');
                        position++;
                        continue;
                    }

                    quoted = false;
                    if (position < text.Length && text[position] is not (',' or '\r' or '\n'))
                    {
                        return (records, $"line {line}: text follows a closing quote; quote the whole field and double the quotes inside it.", false);
                    }

                    continue;
                }

                if (c == '\n' || (c == '\r' && !(position < text.Length && text[position] == '\n')))
                {
                    line++;
                }

                field.Append(c);
                if (field.Length > MaxFieldChars)
                {
                    return (records, $"line {line}: a field is longer than {MaxFieldChars} characters.", false);
                }

                continue;
            }

            switch (c)
            {
                case '"' when !fieldStarted:
                    quoted = true;
                    fieldStarted = true;
                    position++;
                    continue;
                case '"':
                    return (records, $"line {line}: a quote inside an unquoted field; quote the whole field and double the quotes inside it.", false);
                case ',':
                    if (!Add(fields, field))
                    {
                        return (records, $"line {line}: more than {MaxFields} fields.", false);
                    }

                    fieldStarted = false;
                    position++;
                    continue;
                case '\r' or '\n':
                    var blank = fields.Count == 0 && field.Length == 0 && !fieldStarted;
                    if (!blank)
                    {
                        if (!Add(fields, field))
                        {
                            return (records, $"line {line}: more than {MaxFields} fields.", false);
                        }

                        if (records.Count == maxRecords)
                        {
                            return (records, null, true);
                        }

                        records.Add(new CsvRecord(recordLine, fields.ToArray()));
                        fields.Clear();
                    }

                    fieldStarted = false;
                    position += c == '\r' && position + 1 < text.Length && text[position + 1] == '\n' ? 2 : 1;
                    line++;
                    recordLine = line;
                    continue;
                default:
                    field.Append(c);
                    fieldStarted = true;
                    position++;
                    if (field.Length > MaxFieldChars)
                    {
                        return (records, $"line {line}: a field is longer than {MaxFieldChars} characters.", false);
                    }

                    continue;
            }
        }

        return (records, null, false);
    }

    /// <summary>One field as written: quoted (quotes doubled) when it holds a comma, quote, CR or LF, or starts or ends with a space.</summary>
    public static string Field(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var needsQuotes = value.AsSpan().IndexOfAny(",\"\r\n") >= 0 || (value.Length > 0 && (value[0] == ' ' || value[^1] == ' '));
        return needsQuotes ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    /// <summary>One record as written: fields joined by commas, ended by CRLF (RFC 4180).</summary>
    public static string Record(IEnumerable<string> fields) => string.Join(',', fields.Select(Field)) + "\r\n";

    private static bool Add(List<string> fields, StringBuilder field)
    {
        fields.Add(field.ToString());
        field.Clear();
        return fields.Count <= MaxFields;
    }
}
