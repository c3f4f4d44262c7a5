namespace ServiceLedger.Functions.Statements;

using ServiceLedger.Domain.Contracts;
using ServiceLedger.Functions.Adapters.Tables;
using ServiceLedger.Functions.Configuration;

/// <summary>
/// The latest revision a contract was changed to, as a row of its <c>statements</c> partition (RowKey
/// <see cref="RowKey"/>): written by every replace of the contract, before the replace. Settlement reads the partition anyway,
/// so it can settle from the contract snapshot its queue message carries and read the contract only when this marker names
/// a newer revision than the snapshot (docs/settlement-runs.md, "Storage requests per contract"). No marker means the
/// contract has not been replaced since markers exist: the snapshot, read by the run's enumeration, is as new as any.
/// </summary>
public sealed class ContractRevisionMarker(TableServiceClient tables)
{
    /// <summary>The marker's RowKey (no other row kind of the partition starts with <c>rev:</c>).</summary>
    public const string RowKey = "rev:contract";

    private const string RevisionProperty = "Revision";

    private readonly TableClient table = tables.GetTableClient(StorageNames.StatementsTable);

    /// <summary>Records <paramref name="revision"/> as the contract's latest (insert or replace: revisions only grow).</summary>
    public async Task RecordAsync(ContractId contract, int revision, CancellationToken cancellationToken) =>
        await table.UpsertAsync(new TableEntity(contract.Value, RowKey, [new(RevisionProperty, revision)]), cancellationToken).ConfigureAwait(false);

    /// <summary>The revision <paramref name="entity"/> records when it is the marker row; null for any other row.</summary>
    public static int? RevisionOf(TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return entity.RowKey == RowKey ? entity.Get(RevisionProperty).AsInt32() : null;
    }
}
