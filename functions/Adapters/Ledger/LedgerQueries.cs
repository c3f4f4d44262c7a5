using ServiceLedger.Functions.Adapters.Tables;

namespace ServiceLedger.Functions.Adapters.Ledger;

/// <summary>Filters over the journal table shared by the store and the balance reads.</summary>
internal static class LedgerQueries
{
    /// <summary>
    /// Every RowKey of a partition but the journal's entries and idempotency markers (the head stays): for readers of the
    /// rows that share a contract book's partition (<see cref="BookPartitions"/>). Digits sort before every letter, so
    /// "RowKey ge 'a'" leaves the entries out; the markers' range is cut out.
    /// </summary>
    public static string NotEntriesOrMarkers { get; } = TableFilter.And(
        TableFilter.Compare("RowKey", TableFilterOperator.GreaterThanOrEqual, "a"),
        TableFilter.Or(
            TableFilter.Compare("RowKey", TableFilterOperator.LessThan, Domain.Ledger.LedgerLimits.IdempotencyMarkerPrefix),
            TableFilter.Compare("RowKey", TableFilterOperator.GreaterThanOrEqual, TableFilter.AfterPrefix(Domain.Ledger.LedgerLimits.IdempotencyMarkerPrefix))));

    /// <summary>
    /// The entries of the book in partition <paramref name="partitionKey"/> (<see cref="BookPartitions"/>) from
    /// <paramref name="first"/> to <paramref name="last"/> (inclusive): RowKeys of 19 digits only.
    /// </summary>
    public static string Entries(string partitionKey, long first, long last) =>
        TableFilter.And(
            TableFilter.PartitionKeyEquals(partitionKey),
            TableFilter.And(
                TableFilter.Compare("RowKey", TableFilterOperator.GreaterThanOrEqual, LedgerEntities.SequenceRowKey(first)),
                TableFilter.Compare("RowKey", TableFilterOperator.LessThanOrEqual, LedgerEntities.SequenceRowKey(last))));

}
