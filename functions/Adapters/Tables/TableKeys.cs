namespace ServiceLedger.Functions.Adapters.Tables;

/// <summary>
/// Rules for PartitionKey and RowKey values and for table and property names, and how keys are written into an entity
/// address. Checked before any request so that a bad key fails here with a message naming it, not as a 400 from storage.
/// </summary>
public static class TableKeys
{
    /// <summary>Longest key in characters: Azurite's limit (Azure documents 1 KiB); we keep Azurite parity (azure.md 2.5).</summary>
    public const int MaxKeyLength = 512;

    /// <summary>Longest property name (azure.md 2.5).</summary>
    public const int MaxPropertyNameLength = 255;

    /// <summary>
    /// Throws <see cref="ArgumentException"/> naming <paramref name="parameterName"/> when a key is longer than
    /// <see cref="MaxKeyLength"/> or contains '/', '\', '#', '?' or a control character (U+0000-U+001F, U+007F-U+009F),
    /// which the service forbids in keys. An empty key is allowed, as the service allows it.
    /// </summary>
    public static void Validate(string key, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(key, parameterName);
        if (key.Length > MaxKeyLength)
        {
            throw new ArgumentException(
                $"{parameterName} is {key.Length} characters; at most {MaxKeyLength} are accepted.", parameterName);
        }

        foreach (var c in key)
        {
            if (c is '/' or '\\' or '#' or '?' || c <= '\u001F' || c is >= '\u007F' and <= '\u009F')
            {
                throw new ArgumentException(
                    $"{parameterName} contains '{Describe(c)}', which Table storage forbids in keys " +
                    "('/', '\\', '#', '?' and control characters).",
                    parameterName);
            }
        }
    }

    /// <summary>True when <paramref name="tableName"/> is a valid table name: a letter then 2-62 letters or digits, not "tables".</summary>
    public static bool IsValidTableName(string tableName) =>
        tableName is { Length: >= 3 and <= 63 }
        && char.IsAsciiLetter(tableName[0])
        && tableName.All(char.IsAsciiLetterOrDigit)
        && !string.Equals(tableName, "tables", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// True when <paramref name="name"/> can be a custom property: 1-255 characters, a C#-identifier shape (letter or '_'
    /// first, then letters, digits or '_'), and not one of the system names PartitionKey, RowKey, Timestamp.
    /// </summary>
    public static bool IsValidPropertyName(string name) =>
        name is { Length: >= 1 and <= MaxPropertyNameLength }
        && (char.IsAsciiLetter(name[0]) || name[0] == '_')
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
        && name is not ("PartitionKey" or "RowKey" or "Timestamp");

    /// <summary>
    /// The entity address segment <c>(PartitionKey='..',RowKey='..')</c>: quotes doubled (OData literal rule), then
    /// percent-encoded so that spaces, '%', '+', '&amp;' and non-ASCII characters survive the URL.
    /// </summary>
    public static string EntityPath(string partitionKey, string rowKey) =>
        "(PartitionKey='" + EscapeKey(partitionKey) + "',RowKey='" + EscapeKey(rowKey) + "')";

    private static string EscapeKey(string key) => Uri.EscapeDataString(key.Replace("'", "''", StringComparison.Ordinal));

    private static string Describe(char c) =>
        char.IsControl(c) ? "U+" + ((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture) : c.ToString();
}
