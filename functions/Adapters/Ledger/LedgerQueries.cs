using ServiceLedger.Functions.Adapters.Tables;

namespace ServiceLedger.Functions.Adapters.Ledger;

/// <summary>Filters over the journal table shared by the store and the balance reads.</summary>
internal static class LedgerQueries
{
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
