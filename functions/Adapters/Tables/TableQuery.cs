namespace ServiceLedger.Functions.Adapters.Tables;

/// <summary>
/// What a query asks for: an OData <c>$filter</c> (build it with <see cref="TableFilter"/>), an optional <c>$select</c>
/// projection, and <c>$top</c>, the most entities per page (1-1,000; storage returns at most 1,000 per page anyway).
/// </summary>
public sealed record TableQuery
{
    /// <summary>Most entities a page can hold (azure.md 2.4).</summary>
    public const int MaxPageSize = 1000;

    /// <summary>Most properties a projection may name: every property an entity can have (azure.md 2.5).</summary>
    public const int MaxSelectedProperties = 255;

    /// <summary>Longest filter we send; real filters are far shorter, and URLs much longer than this are refused by proxies.</summary>
    public const int MaxFilterLength = 8192;

    /// <summary>Creates a query; throws <see cref="ArgumentException"/> naming the invalid part.</summary>
    public TableQuery(string? filter = null, IReadOnlyList<string>? select = null, int? top = null)
    {
        if (filter is { Length: > MaxFilterLength })
        {
            throw new ArgumentException($"The filter is longer than {MaxFilterLength} characters.", nameof(filter));
        }

        if (select is not null)
        {
            if (select.Count is 0 or > MaxSelectedProperties)
            {
                throw new ArgumentException($"Select names 1-{MaxSelectedProperties} properties.", nameof(select));
            }

            foreach (var name in select)
            {
                if (!TableKeys.IsValidPropertyName(name) && name is not ("PartitionKey" or "RowKey" or "Timestamp"))
                {
                    throw new ArgumentException($"'{name}' is not a property name.", nameof(select));
                }
            }
        }

        if (top is < 1 or > MaxPageSize)
        {
            throw new ArgumentOutOfRangeException(nameof(top), top, $"Top must be 1-{MaxPageSize}.");
        }

        Filter = filter;
        Select = select?.ToArray();
        Top = top;
    }

    /// <summary>The OData filter, or null for every entity.</summary>
    public string? Filter { get; }

    /// <summary>The projected properties, or null for all.</summary>
    public IReadOnlyList<string>? Select { get; }

    /// <summary>The most entities per page, or null for the service maximum (1,000).</summary>
    public int? Top { get; }
}

/// <summary>One page of query results and the opaque token for the next page (null on the last page).</summary>
public sealed record TablePage(IReadOnlyList<TableEntity> Entities, string? ContinuationToken);
