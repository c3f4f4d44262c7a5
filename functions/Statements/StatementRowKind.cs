namespace ServiceLedger.Functions.Statements;

using System.Globalization;
using ServiceLedger.Domain.Money;
using ServiceLedger.Domain.Settlement;
using ServiceLedger.Functions.Adapters.Tables;
using ServiceLedger.Functions.Configuration;

/// <summary>
/// One kind of insert-only row kept in the <c>statements</c> table beside a contract's statements (payments <c>pay:</c>,
/// credit notes <c>crn:</c>, dispute markers <c>dsp:</c>): a RowKey prefix of its own, an insert that answers false on a
/// conflict (the row is there: a retry), one statement's rows as one RowKey range (<c>{prefix}{statementId}:</c>) and a scan
/// of the kind across partitions. What the stores of those rows share, so that each says only what its row holds.
/// </summary>
public sealed class StatementRowKind
{
    private readonly TableClient table;

    /// <summary>The kind whose RowKeys start with <paramref name="prefix"/> (ends with ':'; shares no prefix with another kind).</summary>
    public StatementRowKind(TableServiceClient tables, string prefix)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        if (!prefix.EndsWith(':'))
        {
            throw new ArgumentException($"A statement row prefix ends with ':' so that no other kind's prefix starts with it; '{prefix}' does not.", nameof(prefix));
        }

        // The contract's book shares the partition (docs/ledger-store.md, "Where a book lives"): its entries have 19-digit
        // RowKeys, its markers "idem:…" and its head "head", and the contract's query reads RowKeys from 'a' up without "idem:".
        if (!char.IsAsciiLetterLower(prefix[0]) || prefix.StartsWith(Domain.Ledger.LedgerLimits.IdempotencyMarkerPrefix[..^1], StringComparison.Ordinal) || prefix.StartsWith(Adapters.Ledger.LedgerEntities.HeadRowKey, StringComparison.Ordinal))
        {
            throw new ArgumentException($"A statement row prefix starts with a lowercase letter and is not one of the ledger's ('idem:', 'head'); '{prefix}' is not.", nameof(prefix));
        }

        Prefix = prefix;
        table = tables.GetTableClient(StorageNames.StatementsTable);
    }

    /// <summary>The RowKey prefix of this kind.</summary>
    public string Prefix { get; }

    /// <summary>The table the rows live in (for the writes a kind makes beyond inserts).</summary>
    public TableClient Table => table;

    /// <summary>True when <paramref name="entity"/> is a row of this kind.</summary>
    public bool Holds(TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return entity.RowKey.StartsWith(Prefix, StringComparison.Ordinal);
    }

    /// <summary>Inserts <paramref name="entity"/>; false, nothing written, when a row with its keys is there already (a retry).</summary>
    public async Task<bool> InsertOnceAsync(TableEntity entity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entity);
        try
        {
            await table.InsertAsync(entity, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TableStorageException exception) when (exception.IsConflict)
        {
            return false;
        }
    }

    /// <summary>The rows of this kind for <paramref name="statement"/> (one RowKey range in its contract's partition), at most <paramref name="maxRows"/> (then it fails loudly).</summary>
    public IAsyncEnumerable<TableEntity> ReadAsync(StatementRecord statement, int maxRows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var filter = TableFilter.And(TableFilter.PartitionKeyEquals(statement.Contract.Value), TableFilter.RowKeyStartsWith($"{Prefix}{statement.Id}:"));
        return QueryAsync(filter, maxRows, cancellationToken);
    }

    /// <summary>Every row of this kind in every partition, at most <paramref name="maxRows"/> (then it fails loudly).</summary>
    public IAsyncEnumerable<TableEntity> ScanAsync(int maxRows, CancellationToken cancellationToken) =>
        QueryAsync(TableFilter.RowKeyStartsWith(Prefix), maxRows, cancellationToken);

    /// <summary>The statement a row names in its <c>StatementId</c> property; a row naming no statement is a bug and throws.</summary>
    public static StatementId StatementOf(TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var statementId = entity.Get("StatementId").AsString();
        return StatementRecord.TryParseId(statementId, out var contract, out var period, out var version)
            ? StatementId.For(contract, period, version)
            : throw new InvalidOperationException($"Row {entity} names '{statementId}', which is not a statement id.");
    }

    /// <summary>An amount stored as a decimal string (<see cref="Money.FormatAmount"/>) in property <paramref name="name"/>.</summary>
    public static Money AmountOf(TableEntity entity, string name, Currency currency)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return new Money(decimal.Parse(entity.Get(name).AsString(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture), currency);
    }

    private IAsyncEnumerable<TableEntity> QueryAsync(string filter, int maxRows, CancellationToken cancellationToken) =>
        table.QueryAsync(new TableQuery(filter, top: TableQuery.MaxPageSize), (maxRows / TableQuery.MaxPageSize) + 1, cancellationToken);
}
