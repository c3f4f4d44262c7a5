namespace ServiceLedger.Functions.Statements;

using Azure;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Functions.Adapters.Tables;

/// <summary>
/// Dispute markers: one row per unresolved fee dispute in its contract's statements partition, RowKey <c>dsp:{disputeId}</c>,
/// written before the dispute and deleted once it is resolved, so that the one partition query a settlement run already
/// makes for the contract's statements (<see cref="StatementStore.ReadContractAsync"/>) says whether the contract has any
/// dispute to hold, and the disputes partition is read only for contracts that do. <c>dsp:</c> sorts between <c>crn:</c> and
/// <c>fix:</c> and shares no prefix with another kind, so no statement, payment or credit note range sees a marker.
/// Beside them, outside every contract's partition, the row recording that the markers of disputes opened before markers
/// existed were written (<see cref="ReadBackfilledAsync"/>).
/// </summary>
public sealed class DisputeMarkerStore(TableServiceClient tables)
{
    /// <summary>The RowKey prefix of marker rows.</summary>
    public const string RowKeyPrefix = "dsp:";

    /// <summary>
    /// Most markers one contract holds at once, counted in <see cref="StatementStore.MaxRowsPerContract"/>: one per unresolved
    /// dispute (a marker goes when its dispute is resolved). Not enforced: the partition query's page bound (7 pages of 1,000)
    /// leaves 800 rows more; a contract with hundreds of disputes open at once is not a case the product has.
    /// </summary>
    public const int MaxMarkersPerContract = 200;

    // Not a contract id (those start "ctr_"), so no contract's partition query and no RowKey range of a row kind sees it.
    private const string BackfillPartition = "dispute-markers";
    private const string BackfillRowKey = "backfilled";

    private readonly StatementRowKind rows = new(tables, RowKeyPrefix);

    // Set once this process has seen the backfill recorded; never unset (the row is never deleted).
    private volatile bool backfillKnown;

    /// <summary>
    /// True once this process has seen the backfill recorded (<see cref="ReadBackfilledAsync"/>, <see cref="RecordBackfilledAsync"/>):
    /// from then on, a contract partition read without markers has no unresolved dispute (<see cref="ContractStatements.DisputeMarkersComplete"/>).
    /// </summary>
    public bool BackfillKnown => backfillKnown;

    /// <summary>True when <paramref name="entity"/> is a marker row.</summary>
    public static bool IsMarkerRow(TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return entity.RowKey.StartsWith(RowKeyPrefix, StringComparison.Ordinal);
    }

    /// <summary>The dispute id a marker row names.</summary>
    public static string DisputeOf(TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return IsMarkerRow(entity) ? entity.RowKey[RowKeyPrefix.Length..] : throw new InvalidOperationException($"Row {entity} is not a dispute marker.");
    }

    /// <summary>Marks <paramref name="contract"/> as having the unresolved dispute <paramref name="disputeId"/>; repeating it writes nothing.</summary>
    public Task MarkAsync(ContractId contract, string disputeId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(disputeId);
        return rows.InsertOnceAsync(new TableEntity(contract.Value, RowKeyPrefix + disputeId, [new("DisputeId", disputeId)]), cancellationToken);
    }

    /// <summary>Removes the marker of <paramref name="disputeId"/> (resolved, or never stored); repeating it changes nothing.</summary>
    public async Task ReleaseAsync(ContractId contract, string disputeId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(disputeId);
        try
        {
            await rows.Table.DeleteAsync(contract.Value, RowKeyPrefix + disputeId, ETag.All, cancellationToken).ConfigureAwait(false);
        }
        catch (TableStorageException exception) when (exception.IsNotFound)
        {
            // Released before (a retried resolution), or never written (a dispute opened before markers existed).
        }
    }

    /// <summary>True once the markers of the disputes opened before markers existed were written (<see cref="RecordBackfilledAsync"/>).</summary>
    public async Task<bool> ReadBackfilledAsync(CancellationToken cancellationToken)
    {
        if (!backfillKnown && await rows.Table.GetAsync(BackfillPartition, BackfillRowKey, select: null, cancellationToken).ConfigureAwait(false) is not null)
        {
            backfillKnown = true;
        }

        return backfillKnown;
    }

    /// <summary>Records that every unresolved dispute has its marker (<paramref name="markedDisputes"/> were written by the backfill); repeating it overwrites.</summary>
    public async Task RecordBackfilledAsync(int markedDisputes, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await rows.Table.UpsertAsync(new TableEntity(BackfillPartition, BackfillRowKey, [new("MarkedDisputes", markedDisputes), new("At", at)]), cancellationToken).ConfigureAwait(false);
        backfillKnown = true;
    }
}
