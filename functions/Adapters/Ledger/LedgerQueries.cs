using ServiceLedger.Functions.Adapters.Tables;

namespace ServiceLedger.Functions.Adapters.Ledger;

/// <summary>Filters over the journal table shared by the store and the balance reads.</summary>
internal static class LedgerQueries
{
    /// <summary>The entries of <paramref name="book"/> from <paramref name="first"/> to <paramref name="last"/> (inclusive): RowKeys of 19 digits only.</summary>
    public static string Entries(Domain.Ledger.BookId book, long first, long last) =>
        TableFilter.And(
            TableFilter.PartitionKeyEquals(book.Value),
            TableFilter.And(
                TableFilter.Compare("RowKey", TableFilterOperator.GreaterThanOrEqual, LedgerEntities.SequenceRowKey(first)),
                TableFilter.Compare("RowKey", TableFilterOperator.LessThanOrEqual, LedgerEntities.SequenceRowKey(last))));

}
