using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using ServiceLedger.Domain;

namespace ServiceLedger.Functions.Errors;

/// <summary>
/// Turns a <see cref="JsonException"/> from reading a request body into refusals that name the field (the JSON path
/// without its leading <c>$.</c>, as domain refusals write it) and say what would be accepted, without .NET type
/// names or exception text.
/// </summary>
public static partial class JsonProblems
{
    /// <summary>The code of a body that is not JSON, or has a value of the wrong type at some field.</summary>
    public const string MalformedJsonCode = "MalformedJson";

    /// <summary>The code of a body that lacks a required member.</summary>
    public const string RequiredMemberMissingCode = "RequiredMemberMissing";

    /// <summary>One refusal per problem found in <paramref name="exception"/> (usually one; one per missing member).</summary>
    public static IReadOnlyList<Refusal> Refusals(JsonException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var message = exception.Message;
        var missing = MissingMembers().Match(message);
        if (missing.Success)
        {
            return [.. MemberNames().Matches(missing.Groups["names"].Value)
                .Select(m => new Refusal(RequiredMemberMissingCode, m.Groups["name"].Value, $"{m.Groups["name"].Value} is required."))];
        }

        var field = Field(exception.Path);
        var position = exception.LineNumber is { } line && exception.BytePositionInLine is { } column
            ? string.Create(CultureInfo.InvariantCulture, $" (line {line + 1}, byte {column + 1})")
            : string.Empty;
        var target = ConvertedTo().Match(message);
        if (!target.Success)
        {
            return [new Refusal(MalformedJsonCode, field, $"The body is not valid JSON here{position}.")];
        }

        var expected = ExpectedByReader(exception.InnerException?.Message)
            ?? ExpectedType(target.Groups["type"].Value)
            ?? (field == ApiProblems.BodyField ? "a JSON object" : "a value of the documented type (see /api/openapi.json)");
        return [new Refusal(MalformedJsonCode, field, $"Expected {expected} here{position}.")];
    }

    /// <summary>"$.postings[2].amount" → "postings[2].amount"; the root (or no path) → "$".</summary>
    public static string Field(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return ApiProblems.BodyField;
        }

        return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
    }

    // The reader says what token it wanted ("Cannot get the value of a token type 'True' as a number.").
    private static string? ExpectedByReader(string? inner)
    {
        var wanted = inner is null ? null : ReaderWanted().Match(inner);
        if (wanted is { Success: true })
        {
            return wanted.Groups["kind"].Value switch
            {
                "number" => "a number",
                "string" => "a string",
                "boolean" => "true or false",
                _ => null,
            };
        }

        var format = inner is null ? null : SupportedFormat().Match(inner);
        return format is { Success: true } ? ExpectedType(format.Groups["type"].Value) : null;
    }

    // The serializer names the target type ("could not be converted to System.Int32"), but for a record bound through
    // its constructor it names the record instead; only primitive names are worth turning into words.
    // Nullable<T> is written "System.Nullable`1[System.Int32]", hence Contains rather than equality.
    private static string? ExpectedType(string type) => type switch
    {
        _ when type.Contains("Int", StringComparison.Ordinal) || type.Contains("Byte", StringComparison.Ordinal) => "a whole number",
        _ when type.Contains("Decimal", StringComparison.Ordinal) || type.Contains("Double", StringComparison.Ordinal) || type.Contains("Single", StringComparison.Ordinal) => "a number",
        _ when type.Contains("Boolean", StringComparison.Ordinal) => "true or false",
        _ when type.Contains("DateOnly", StringComparison.Ordinal) => "a date (yyyy-MM-dd)",
        _ when type.Contains("DateTime", StringComparison.Ordinal) => "a UTC instant (ISO 8601, e.g. 2027-03-01T00:00:00Z)",
        _ when type.Contains("Guid", StringComparison.Ordinal) => "a GUID",
        _ when type == "System.String" => "a string",
        _ => null,
    };

    [GeneratedRegex(@"as an? (?<kind>number|string|boolean)", RegexOptions.CultureInvariant)]
    private static partial Regex ReaderWanted();

    [GeneratedRegex(@"supported (?<type>\w+) format", RegexOptions.CultureInvariant)]
    private static partial Regex SupportedFormat();

    [GeneratedRegex(@"could not be converted to (?<type>[^\s]+?)\. Path", RegexOptions.CultureInvariant)]
    private static partial Regex ConvertedTo();

    [GeneratedRegex(@"missing required properties[^:]*: (?<names>.+?)\.?$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex MissingMembers();

    [GeneratedRegex(@"'(?<name>[^']+)'", RegexOptions.CultureInvariant)]
    private static partial Regex MemberNames();
}
