namespace ServiceLedger.Functions.Adapters.Contracts;

using Azure;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Functions.Adapters.Tables;
using ServiceLedger.Functions.Configuration;
using ServiceLedger.Functions.Contracts;
using ServiceLedger.Functions.Statements;

/// <summary>
/// Contracts in the <c>contracts</c> table: one entity per contract (PartitionKey = contract id, RowKey = <c>contract</c>)
/// holding the whole contract as JSON (<see cref="ContractView"/>), split over string properties because one property
/// holds at most 32K characters, plus <c>MerchantId</c>, <c>VendorId</c>, <c>Status</c> and <c>Revision</c> so lists can filter.
/// Single-entity operations only (no batches): Azurite 3.37 mangles batch bodies whose multibyte UTF-8 text (Chinese
/// agent types, reasons) straddles a chunk boundary. Concurrency is the entity's ETag: replace uses <c>If-Match</c>, so of
/// two people acting at once one write lands and the other gets 412, which becomes a conflict carrying the stored version.
/// </summary>
public sealed class TableContractStore(TableServiceClient tables) : IContractStore
{
    /// <summary>The RowKey of the contract entity.</summary>
    public const string RowKey = "contract";

    /// <summary>
    /// Most JSON chunks: 14 × 32K characters stays under the 1 MB entity limit even at 2 bytes a character, and above what
    /// <see cref="ContractLimits"/> lets a contract grow to.
    /// </summary>
    public const int MaxDocumentChunks = 14;

    private const string DocumentPrefix = "Document";
    private const int ChunkChars = LedgerLimits.TableStringPropertyMaxChars;

    private readonly TableClient table = tables.GetTableClient(StorageNames.ContractsTable);
    private readonly ContractRevisionMarker revisions = new(tables);

    /// <inheritdoc />
    public async Task<StoredContract?> GetAsync(ContractId id, CancellationToken cancellationToken)
    {
        var entity = await table.GetAsync(id.Value, RowKey, select: null, cancellationToken).ConfigureAwait(false);
        return entity is null ? null : Read(entity);
    }

    /// <inheritdoc />
    public async Task<ContractWrite> InsertAsync(Contract contract, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contract);
        try
        {
            var etag = await table.InsertAsync(ToEntity(contract), cancellationToken).ConfigureAwait(false);
            return new ContractWrite.Written(new StoredContract(contract, etag.ToString()));
        }
        catch (TableStorageException exception) when (exception.IsConflict)
        {
            return new ContractWrite.Conflict(await GetAsync(contract.Id, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Contract {contract.Id} exists by the insert's answer but cannot be read.", exception));
        }
    }

    /// <inheritdoc />
    public async Task<ContractWrite> ReplaceAsync(Contract contract, string expectedToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentException.ThrowIfNullOrEmpty(expectedToken);

        // The new revision is recorded where settlement looks before the contract changes, so a settlement holding an older
        // snapshot of the contract reads it again (a replace that then fails leaves the marker ahead: one needless read).
        await revisions.RecordAsync(contract.Id, contract.Revision, cancellationToken).ConfigureAwait(false);
        try
        {
            var etag = await table.ReplaceAsync(ToEntity(contract), new ETag(expectedToken), cancellationToken).ConfigureAwait(false);
            return new ContractWrite.Written(new StoredContract(contract, etag.ToString()));
        }
        catch (TableStorageException exception) when (exception.IsPreconditionFailed)
        {
            return new ContractWrite.Conflict(await GetAsync(contract.Id, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Contract {contract.Id} changed under a replace and then vanished; contracts are never deleted.", exception));
        }
    }

    /// <inheritdoc />
    public async Task<ContractPage> ListAsync(ContractFilter filter, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, IContractStore.MaxPageSize);
        var condition = TableFilter.Compare("RowKey", TableFilterOperator.Equal, RowKey);
        if (filter.Merchant is { } merchant)
        {
            condition = TableFilter.And(condition, TableFilter.Compare("MerchantId", TableFilterOperator.Equal, merchant.Value));
        }

        if (filter.Vendor is { } vendor)
        {
            condition = TableFilter.And(condition, TableFilter.Compare("VendorId", TableFilterOperator.Equal, vendor.Value));
        }

        if (filter.Status is { } status)
        {
            condition = TableFilter.And(condition, TableFilter.Compare("Status", TableFilterOperator.Equal, status.ToString()));
        }

        var page = await table.QueryPageAsync(new TableQuery(condition, top: pageSize), continuationToken, cancellationToken).ConfigureAwait(false);
        return new ContractPage(page.Entities.Select(Read).ToArray(), page.ContinuationToken);
    }

    private static TableEntity ToEntity(Contract contract)
    {
        var json = ContractJson.Write(contract);
        var chunks = json.Chunk(ChunkChars).Select(chars => new string(chars)).ToArray();
        if (chunks.Length > MaxDocumentChunks)
        {
            throw new InvalidOperationException(
                $"Contract {contract.Id} is {json.Length} characters as JSON, more than {MaxDocumentChunks} properties of {ChunkChars} hold; ContractLimits should have stopped it growing.");
        }

        var properties = new List<KeyValuePair<string, TableValue>>
        {
            new("MerchantId", contract.Merchant.Value),
            new("VendorId", contract.Vendor.Value),
            new("Status", contract.Status.ToString()),
            new("Revision", contract.Revision),
            new("DocumentChunks", chunks.Length),
        };
        properties.AddRange(chunks.Select((chunk, index) => new KeyValuePair<string, TableValue>(DocumentPrefix + index.ToString("D2", System.Globalization.CultureInfo.InvariantCulture), chunk)));
        return new TableEntity(contract.Id.Value, RowKey, properties);
    }

    private static StoredContract Read(TableEntity entity)
    {
        var count = entity.Get("DocumentChunks").AsInt32();
        if (count is < 1 or > MaxDocumentChunks)
        {
            throw new InvalidOperationException($"Stored contract {entity.PartitionKey} claims {count} document chunks.");
        }

        var json = string.Concat(Enumerable.Range(0, count).Select(index => entity.Get(DocumentPrefix + index.ToString("D2", System.Globalization.CultureInfo.InvariantCulture)).AsString()));
        return new StoredContract(ContractJson.Read(json), entity.ETag.ToString());
    }
}
