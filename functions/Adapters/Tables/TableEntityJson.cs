using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Azure;

namespace ServiceLedger.Functions.Adapters.Tables;

/// <summary>
/// The JSON form of an entity (azure.md 2.5). On write, every type the service cannot infer from the JSON value carries
/// a <c>Name@odata.type</c> annotation (Int64, DateTime, Binary, Guid, and Double so that 2.0 is not read back as an
/// Int32). On read (minimalmetadata), annotations decide the type; unannotated numbers without a fraction or exponent
/// are Int32, other numbers Double.
/// </summary>
internal static class TableEntityJson
{
    private const string TypeAnnotationSuffix = "@odata.type";

    /// <summary>
    /// Writer options for entity bodies: non-ASCII text stays UTF-8 instead of \uXXXX escapes (half the bytes for CJK
    /// text, which counts against the 4 MiB batch limit). HTML-safe escaping is not needed: the body goes to storage only.
    /// </summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes the entity as one JSON object.</summary>
    public static void Write(Utf8JsonWriter writer, TableEntity entity)
    {
        writer.WriteStartObject();
        writer.WriteString("PartitionKey", entity.PartitionKey);
        writer.WriteString("RowKey", entity.RowKey);
        foreach (var (name, value) in entity.Properties)
        {
            WriteProperty(writer, name, value);
        }

        writer.WriteEndObject();
    }

    /// <summary>Reads one entity object; <paramref name="headerETag"/> wins over <c>odata.etag</c> when given.</summary>
    public static TableEntity Read(JsonElement element, string? headerETag)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("A table entity in the response is not a JSON object.");
        }

        Dictionary<string, string>? annotations = null;
        foreach (var property in element.EnumerateObject())
        {
            if (property.Name.EndsWith(TypeAnnotationSuffix, StringComparison.Ordinal) && property.Value.ValueKind == JsonValueKind.String)
            {
                annotations ??= new Dictionary<string, string>(StringComparer.Ordinal);
                annotations[property.Name[..^TypeAnnotationSuffix.Length]] = property.Value.GetString()!;
            }
        }

        string? partitionKey = null;
        string? rowKey = null;
        string? etag = headerETag;
        DateTimeOffset? timestamp = null;
        var properties = new List<KeyValuePair<string, TableValue>>();
        foreach (var property in element.EnumerateObject())
        {
            var name = property.Name;
            switch (name)
            {
                case "PartitionKey":
                    partitionKey = property.Value.GetString();
                    continue;
                case "RowKey":
                    rowKey = property.Value.GetString();
                    continue;
                case "Timestamp":
                    timestamp = ParseDateTime(property.Value.GetString()!);
                    continue;
                case "odata.etag":
                    etag ??= property.Value.GetString();
                    continue;
            }

            if (name.StartsWith("odata.", StringComparison.Ordinal) || name.Contains('@', StringComparison.Ordinal)
                || property.Value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            var annotation = annotations?.GetValueOrDefault(name);
            properties.Add(KeyValuePair.Create(name, ReadValue(name, property.Value, annotation)));
        }

        if (partitionKey is null || rowKey is null)
        {
            throw new FormatException("A table entity in the response has no PartitionKey or RowKey.");
        }

        return new TableEntity(partitionKey, rowKey, properties, etag is null ? default : new ETag(etag), timestamp);
    }

    private static void WriteProperty(Utf8JsonWriter writer, string name, TableValue value)
    {
        switch (value.Kind)
        {
            case TableValueKind.String:
                writer.WriteString(name, value.AsString());
                break;
            case TableValueKind.Int32:
                writer.WriteNumber(name, value.AsInt32());
                break;
            case TableValueKind.Int64:
                writer.WriteString(name + TypeAnnotationSuffix, "Edm.Int64");
                writer.WriteString(name, value.AsInt64().ToString(CultureInfo.InvariantCulture));
                break;
            case TableValueKind.Double:
                writer.WriteString(name + TypeAnnotationSuffix, "Edm.Double");
                var number = value.AsDouble();
                if (double.IsFinite(number))
                {
                    writer.WriteNumber(name, number);
                }
                else
                {
                    // JSON has no NaN or infinities; the service takes them as annotated strings.
                    writer.WriteString(name, double.IsNaN(number) ? "NaN" : number > 0 ? "Infinity" : "-Infinity");
                }

                break;
            case TableValueKind.Boolean:
                writer.WriteBoolean(name, value.AsBoolean());
                break;
            case TableValueKind.DateTime:
                writer.WriteString(name + TypeAnnotationSuffix, "Edm.DateTime");
                writer.WriteString(name, value.AsDateTime().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
                break;
            case TableValueKind.Binary:
                writer.WriteString(name + TypeAnnotationSuffix, "Edm.Binary");
                writer.WriteBase64String(name, value.AsBinary().Span);
                break;
            case TableValueKind.Guid:
                writer.WriteString(name + TypeAnnotationSuffix, "Edm.Guid");
                writer.WriteString(name, value.AsGuid().ToString("D"));
                break;
            default:
                throw new InvalidOperationException($"Property '{name}' has no value.");
        }
    }

    private static TableValue ReadValue(string name, JsonElement value, string? annotation)
    {
        try
        {
            return annotation switch
            {
                null => value.ValueKind switch
                {
                    JsonValueKind.String => value.GetString()!,
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    JsonValueKind.Number => IsIntegral(value) && value.TryGetInt32(out var int32)
                        ? TableValue.FromInt32(int32)
                        : TableValue.FromDouble(value.GetDouble()),
                    _ => throw new FormatException($"has unsupported JSON kind {value.ValueKind}"),
                },
                "Edm.String" => value.GetString()!,
                "Edm.Int32" => value.GetInt32(),
                "Edm.Int64" => value.ValueKind == JsonValueKind.String
                    ? long.Parse(value.GetString()!, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)
                    : value.GetInt64(),
                "Edm.Double" => value.ValueKind == JsonValueKind.String
                    ? double.Parse(value.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture)
                    : value.GetDouble(),
                "Edm.Boolean" => value.GetBoolean(),
                "Edm.DateTime" => ParseDateTime(value.GetString()!),
                "Edm.Binary" => value.GetBytesFromBase64(),
                "Edm.Guid" => Guid.Parse(value.GetString()!),
                _ => throw new FormatException($"has unsupported type {annotation}"),
            };
        }
        catch (Exception exception) when (exception is FormatException or InvalidOperationException or OverflowException)
        {
            throw new FormatException($"Property '{name}' in the response could not be read: {exception.Message}", exception);
        }
    }

    private static bool IsIntegral(JsonElement number)
    {
        var raw = number.GetRawText();
        return raw.IndexOfAny(['.', 'e', 'E']) < 0;
    }

    private static DateTimeOffset ParseDateTime(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
