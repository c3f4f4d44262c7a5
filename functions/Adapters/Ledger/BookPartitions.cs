using ServiceLedger.Domain.Ledger;
using ServiceLedger.Functions.Adapters.Tables;

namespace ServiceLedger.Functions.Adapters.Ledger;

/// <summary>Where a book's journal rows (entries, idempotency markers, head) live: a table and a PartitionKey.</summary>
/// <param name="Table">The table.</param>
/// <param name="PartitionKey">The book's partition in it.</param>
internal readonly record struct BookPartition(TableClient Table, string PartitionKey);

/// <summary>
/// The placement of books (docs/ledger-store.md, "Where a book lives"): a contract's book lives in the contract's partition of
/// <see cref="LedgerTables.ContractBooks"/> (PartitionKey = contract id) when that table is set, beside the contract's
/// statements, so a settlement reads its statements and the book's head in one query and writes its statement with the entry
/// in one transaction; every other book (and every book when it is not set) lives in <see cref="LedgerTables.Journal"/>
/// under its book id. The journal's RowKeys (19 digits, <c>head</c>, <c>idem:…</c>) share no prefix with a statements
/// partition's rows, so neither side reads the other's rows. Thread-safe and stateless.
/// </summary>
internal sealed class BookPartitions
{
    private readonly TableClient journal;
    private readonly TableClient? contractBooks;

    public BookPartitions(TableServiceClient service, LedgerTables tables)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(tables);
        journal = service.GetTableClient(tables.Journal);
        contractBooks = tables.ContractBooks is { } name ? service.GetTableClient(name) : null;
    }

    /// <summary>The table and partition of <paramref name="book"/>.</summary>
    public BookPartition Of(BookId book) =>
        LivesWithContract(book)
            ? new BookPartition(contractBooks!, book.ContractId!)
            : new BookPartition(journal, book.Value);

    /// <summary>True when <paramref name="book"/> is a contract's book kept in its contract's partition of <see cref="LedgerTables.ContractBooks"/>.</summary>
    public bool LivesWithContract(BookId book) => book.ContractId is not null && contractBooks is not null;

    /// <summary>True when <paramref name="book"/> lives in partition <paramref name="partitionKey"/> of table <paramref name="table"/>.</summary>
    public bool IsIn(BookId book, string table, string partitionKey)
    {
        var at = Of(book);
        return string.Equals(at.Table.Name, table, StringComparison.Ordinal) && string.Equals(at.PartitionKey, partitionKey, StringComparison.Ordinal);
    }
}
