using System.Collections.ObjectModel;
using Azure;

namespace ServiceLedger.Functions.Adapters.Tables;

/// <summary>
/// One entity: its keys, its custom properties, and — when it was read from storage — its ETag and Timestamp.
/// Immutable. Keys and property names are validated here, so an invalid entity cannot be built.
/// </summary>
public sealed class TableEntity
{
    /// <summary>Most custom properties an entity may have: 255 including PartitionKey, RowKey and Timestamp (azure.md 2.5).</summary>
    public const int MaxCustomProperties = 252;

    private static readonly IReadOnlyDictionary<string, TableValue> NoProperties =
        new ReadOnlyDictionary<string, TableValue>(new Dictionary<string, TableValue>());

    /// <summary>
    /// Creates an entity. Throws <see cref="ArgumentException"/> for an invalid key (<see cref="TableKeys.Validate"/>),
    /// an invalid or reserved property name, a <c>default</c> value, or more than <see cref="MaxCustomProperties"/> properties.
    /// </summary>
    public TableEntity(
        string partitionKey,
        string rowKey,
        IEnumerable<KeyValuePair<string, TableValue>>? properties = null,
        ETag eTag = default,
        DateTimeOffset? timestamp = null)
    {
        TableKeys.Validate(partitionKey, nameof(partitionKey));
        TableKeys.Validate(rowKey, nameof(rowKey));
        PartitionKey = partitionKey;
        RowKey = rowKey;
        ETag = eTag;
        Timestamp = timestamp;
        if (properties is null)
        {
            Properties = NoProperties;
            return;
        }

        var copy = new Dictionary<string, TableValue>(StringComparer.Ordinal);
        foreach (var (name, value) in properties)
        {
            if (!TableKeys.IsValidPropertyName(name))
            {
                throw new ArgumentException(
                    $"Property name '{name}' is not valid: use 1-{TableKeys.MaxPropertyNameLength} letters, digits or '_', " +
                    "starting with a letter or '_', and not PartitionKey, RowKey or Timestamp.",
                    nameof(properties));
            }

            if (value.Kind == 0)
            {
                throw new ArgumentException($"Property '{name}' has no value (default TableValue).", nameof(properties));
            }

            if (!copy.TryAdd(name, value))
            {
                throw new ArgumentException($"Property '{name}' is given twice.", nameof(properties));
            }

            if (copy.Count > MaxCustomProperties)
            {
                throw new ArgumentException($"An entity has at most {MaxCustomProperties} custom properties.", nameof(properties));
            }
        }

        Properties = new ReadOnlyDictionary<string, TableValue>(copy);
    }

    /// <summary>The partition key.</summary>
    public string PartitionKey { get; }

    /// <summary>The row key.</summary>
    public string RowKey { get; }

    /// <summary>The custom properties by name (case-sensitive), without the system properties.</summary>
    public IReadOnlyDictionary<string, TableValue> Properties { get; }

    /// <summary>The ETag storage gave this version; <c>default</c> for an entity built in code.</summary>
    public ETag ETag { get; }

    /// <summary>When storage last wrote this entity; null for an entity built in code.</summary>
    public DateTimeOffset? Timestamp { get; }

    /// <summary>The value of property <paramref name="name"/>; throws <see cref="KeyNotFoundException"/> naming the entity if absent.</summary>
    public TableValue Get(string name) => Properties.TryGetValue(name, out var value)
        ? value
        : throw new KeyNotFoundException(
            $"Entity (PartitionKey='{PartitionKey}', RowKey='{RowKey}') has no property '{name}'.");

    /// <summary>The value of property <paramref name="name"/>, if present.</summary>
    public bool TryGet(string name, out TableValue value) => Properties.TryGetValue(name, out value);

    /// <summary>Describes the entity's keys (for messages).</summary>
    public override string ToString() => $"(PartitionKey='{PartitionKey}', RowKey='{RowKey}')";
}
