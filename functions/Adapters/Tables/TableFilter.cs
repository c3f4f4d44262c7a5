using System.Globalization;

namespace ServiceLedger.Functions.Adapters.Tables;

/// <summary>A comparison operator of an OData filter.</summary>
public enum TableFilterOperator
{
    /// <summary>eq</summary>
    Equal = 1,

    /// <summary>ne</summary>
    NotEqual,

    /// <summary>gt</summary>
    GreaterThan,

    /// <summary>ge</summary>
    GreaterThanOrEqual,

    /// <summary>lt</summary>
    LessThan,

    /// <summary>le</summary>
    LessThanOrEqual,
}

/// <summary>
/// Builds OData filter text with correctly written literals, so no caller concatenates user input into a filter:
/// strings are quoted with single quotes doubled, Int64 gets the L suffix, instants <c>datetime'…'</c>, Guids
/// <c>guid'…'</c> (azure.md 2.4). At most 15 comparisons per filter are allowed by the service.
/// </summary>
public static class TableFilter
{
    /// <summary><c>PartitionKey eq '…'</c>.</summary>
    public static string PartitionKeyEquals(string partitionKey) =>
        Compare("PartitionKey", TableFilterOperator.Equal, partitionKey);

    /// <summary><c>property op 'value'</c> for a string value.</summary>
    public static string Compare(string property, TableFilterOperator op, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Comparison(property, op, "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'");
    }

    /// <summary><c>property op value</c> for an Int32 value.</summary>
    public static string Compare(string property, TableFilterOperator op, int value) =>
        Comparison(property, op, value.ToString(CultureInfo.InvariantCulture));

    /// <summary><c>property op valueL</c> for an Int64 value.</summary>
    public static string Compare(string property, TableFilterOperator op, long value) =>
        Comparison(property, op, value.ToString(CultureInfo.InvariantCulture) + "L");

    /// <summary><c>property op true|false</c>.</summary>
    public static string Compare(string property, TableFilterOperator op, bool value) =>
        Comparison(property, op, value ? "true" : "false");

    /// <summary><c>property op datetime'…Z'</c>.</summary>
    public static string Compare(string property, TableFilterOperator op, DateTimeOffset value) =>
        Comparison(property, op, "datetime'" + value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture) + "'");

    /// <summary><c>property op guid'…'</c>.</summary>
    public static string Compare(string property, TableFilterOperator op, Guid value) =>
        Comparison(property, op, "guid'" + value.ToString("D") + "'");

    /// <summary>
    /// Every RowKey that starts with <paramref name="prefix"/>: <c>RowKey ge prefix and RowKey lt</c> the prefix with its last
    /// character raised by one (keys compare ordinally, so nothing else lies between), e.g. <c>crn:</c> up to <c>crn;</c>.
    /// </summary>
    public static string RowKeyStartsWith(string prefix) =>
        And(Compare("RowKey", TableFilterOperator.GreaterThanOrEqual, prefix), Compare("RowKey", TableFilterOperator.LessThan, AfterPrefix(prefix)));

    /// <summary>The least key above every key that starts with <paramref name="prefix"/>: its last character raised by one (<c>crn:</c> → <c>crn;</c>).</summary>
    public static string AfterPrefix(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        return prefix[..^1] + (char)(prefix[^1] + 1);
    }

    /// <summary><c>(left) or (right)</c>.</summary>
    public static string Or(string left, string right)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(left);
        ArgumentException.ThrowIfNullOrWhiteSpace(right);
        return "(" + left + ") or (" + right + ")";
    }

    /// <summary><c>(left) and (right)</c>.</summary>
    public static string And(string left, string right)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(left);
        ArgumentException.ThrowIfNullOrWhiteSpace(right);
        return "(" + left + ") and (" + right + ")";
    }

    private static string Comparison(string property, TableFilterOperator op, string literal)
    {
        if (!TableKeys.IsValidPropertyName(property) && property is not ("PartitionKey" or "RowKey" or "Timestamp"))
        {
            throw new ArgumentException($"'{property}' is not a property name.", nameof(property));
        }

        var text = op switch
        {
            TableFilterOperator.Equal => " eq ",
            TableFilterOperator.NotEqual => " ne ",
            TableFilterOperator.GreaterThan => " gt ",
            TableFilterOperator.GreaterThanOrEqual => " ge ",
            TableFilterOperator.LessThan => " lt ",
            TableFilterOperator.LessThanOrEqual => " le ",
            _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown filter operator."),
        };
        return property + text + literal;
    }
}
