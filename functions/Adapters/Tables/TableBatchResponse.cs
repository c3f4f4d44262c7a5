using System.Globalization;
using System.Text.Json;
using Azure;

namespace ServiceLedger.Functions.Adapters.Tables;

/// <summary>
/// Reads the 202 multipart/mixed answer to an entity-group transaction (azure.md 2.6, 8.2). Lenient about framing:
/// lines may end in CRLF or LF and blank lines may be missing or doubled around boundaries (Azurite and SDKs have
/// differed here). Success: one embedded 2xx response per operation, each with its new ETag. Failure: one embedded
/// error response whose JSON message starts with the 0-based index of the failed operation ("2:The update condition...").
/// Azure shows 400 as the embedded status in its docs, Azurite the operation's own status (409, 412): we report what
/// came, with the error code that tells them apart.
/// </summary>
internal static class TableBatchResponse
{
    /// <summary>Most parts a response may have: one per operation, plus slack for framing we do not expect.</summary>
    private const int MaxParts = TableBatchBody.MaxOperations + 2;

    /// <summary>Parses the response body given its Content-Type header and the number of operations sent.</summary>
    public static TableBatchResult Parse(string contentType, string body, int operationCount)
    {
        var batchParts = SplitMultipart(body, Boundary(contentType, "batch response"));
        if (batchParts.Count != 1)
        {
            throw new FormatException($"The batch response has {batchParts.Count} parts; one was expected.");
        }

        var batchPart = batchParts[0];
        var partType = batchPart.Headers.GetValueOrDefault("Content-Type") ?? string.Empty;
        var httpParts = partType.StartsWith("multipart/mixed", StringComparison.OrdinalIgnoreCase)
            ? SplitMultipart(batchPart.Body, Boundary(partType, "changeset response"))
            : [batchPart];

        var eTags = new List<ETag>(httpParts.Count);
        foreach (var part in httpParts)
        {
            var response = ParseHttpResponse(part.Body);
            if (response.Status >= 300)
            {
                return TableBatchResult.Refused(ToFailure(response, part, operationCount));
            }

            eTags.Add(response.Headers.TryGetValue("ETag", out var etag) ? new ETag(etag) : default);
        }

        if (eTags.Count != operationCount)
        {
            throw new FormatException($"The batch response answers {eTags.Count} operations; {operationCount} were sent.");
        }

        return TableBatchResult.Success(eTags);
    }

    /// <summary>The boundary parameter of a multipart Content-Type.</summary>
    internal static string Boundary(string contentType, string what)
    {
        foreach (var parameter in contentType.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (parameter.StartsWith("boundary=", StringComparison.OrdinalIgnoreCase))
            {
                var boundary = parameter["boundary=".Length..].Trim('"');
                if (boundary.Length > 0)
                {
                    return boundary;
                }
            }
        }

        throw new FormatException($"The {what} has no multipart boundary (Content-Type '{contentType}').");
    }

    private static TableBatchFailure ToFailure(HttpResponsePart response, MimePart part, int operationCount)
    {
        var (code, message) = ReadODataError(response.Body);
        code ??= response.Headers.GetValueOrDefault("x-ms-error-code") ?? "Unknown";
        message ??= response.Reason;

        // The index is the message prefix up to ':' (both Azure and Azurite); Content-ID (1-based) is a fallback; a
        // single-operation batch can only have failed at 0.
        int? index = null;
        var colon = message.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && int.TryParse(message.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var prefix)
            && prefix < operationCount)
        {
            index = prefix;
            message = message[(colon + 1)..];
        }
        else if ((response.Headers.GetValueOrDefault("Content-ID") ?? part.Headers.GetValueOrDefault("Content-ID")) is { } contentId
            && int.TryParse(contentId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id >= 1 && id <= operationCount)
        {
            index = id - 1;
        }
        else if (operationCount == 1)
        {
            index = 0;
        }

        return new TableBatchFailure(index, response.Status, code, message.Trim());
    }

    /// <summary>Reads <c>{"odata.error":{"code":..,"message":{"value":..}}}</c>; nulls when the body is not that.</summary>
    internal static (string? Code, string? Message) ReadODataError(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return (null, null);
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (!document.RootElement.TryGetProperty("odata.error", out var error))
            {
                return (null, null);
            }

            var code = error.TryGetProperty("code", out var codeElement) ? codeElement.GetString() : null;
            var message = error.TryGetProperty("message", out var messageElement)
                ? messageElement.ValueKind == JsonValueKind.Object && messageElement.TryGetProperty("value", out var value)
                    ? value.GetString()
                    : messageElement.ValueKind == JsonValueKind.String ? messageElement.GetString() : null
                : null;
            return (code, message);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    private static HttpResponsePart ParseHttpResponse(string text)
    {
        var lines = Lines(text);
        var first = 0;
        while (first < lines.Count && lines[first].Length == 0)
        {
            first++;
        }

        // "HTTP/1.1 409 Conflict"
        var statusLine = first < lines.Count ? lines[first] : string.Empty;
        var pieces = statusLine.Split(' ', 3);
        if (pieces.Length < 2 || !pieces[0].StartsWith("HTTP/", StringComparison.Ordinal)
            || !int.TryParse(pieces[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status))
        {
            throw new FormatException($"A batch response part does not start with an HTTP status line: '{statusLine}'.");
        }

        var (headers, bodyStart) = ReadHeaders(lines, first + 1);
        return new HttpResponsePart(status, pieces.Length > 2 ? pieces[2] : string.Empty, headers, JoinBody(lines, bodyStart));
    }

    private static List<MimePart> SplitMultipart(string text, string boundary)
    {
        var delimiter = "--" + boundary;
        var lines = Lines(text);
        var parts = new List<MimePart>();
        List<string>? current = null;
        foreach (var line in lines)
        {
            var trimmed = line.TrimEnd();
            if (trimmed == delimiter || trimmed == delimiter + "--")
            {
                if (current is not null)
                {
                    parts.Add(ToPart(current));
                    if (parts.Count > MaxParts)
                    {
                        throw new FormatException($"The batch response has more than {MaxParts} parts.");
                    }
                }

                current = trimmed == delimiter ? [] : null;
                if (current is null)
                {
                    break;
                }

                continue;
            }

            current?.Add(line);
        }

        if (current is not null)
        {
            throw new FormatException($"The multipart body ends without its closing boundary '{delimiter}--'.");
        }

        return parts;
    }

    private static MimePart ToPart(List<string> lines)
    {
        var first = 0;
        while (first < lines.Count && lines[first].Length == 0)
        {
            first++;
        }

        var (headers, bodyStart) = ReadHeaders(lines, first);
        return new MimePart(headers, JoinBody(lines, bodyStart));
    }

    private static (Dictionary<string, string> Headers, int BodyStart) ReadHeaders(List<string> lines, int start)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var index = start; index < lines.Count; index++)
        {
            var line = lines[index];
            if (line.Length == 0)
            {
                return (headers, index + 1);
            }

            // A line without ':' (a boundary or a status line) means the blank line before the body was left out.
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || line.StartsWith("--", StringComparison.Ordinal) || line.StartsWith("HTTP/", StringComparison.Ordinal))
            {
                return (headers, index);
            }

            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        return (headers, lines.Count);
    }

    private static string JoinBody(List<string> lines, int start) =>
        start >= lines.Count ? string.Empty : string.Join('\n', lines.Skip(start)).Trim('\n', '\r', ' ');

    private static List<string> Lines(string text)
    {
        var lines = new List<string>(text.Split('\n'));
        for (var i = 0; i < lines.Count; i++)
        {
            lines[i] = lines[i].TrimEnd('\r');
        }

        return lines;
    }

    private sealed record MimePart(Dictionary<string, string> Headers, string Body);

    private sealed record HttpResponsePart(int Status, string Reason, Dictionary<string, string> Headers, string Body);
}
