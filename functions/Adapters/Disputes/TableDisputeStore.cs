namespace ServiceLedger.Functions.Adapters.Disputes;

using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using NodaTime;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Disputes;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Domain.Parties;
using ServiceLedger.Functions.Adapters.Tables;
using ServiceLedger.Functions.Configuration;
using ServiceLedger.Functions.Disputes;

/// <summary>
/// Disputes in the <c>disputes</c> table, partitioned by contract: one entity per dispute (RowKey = dispute id) holding
/// the whole dispute as JSON (the finance view, every action) split over string properties, plus <c>State</c>,
/// <c>MerchantId</c>, <c>VendorId</c> and <c>StatementId</c> so lists can filter; and one <em>claim</em> entity per
/// statement (RowKey <c>claim-{sha256(statementId)}</c>) listing the unresolved disputes on it and their subjects.
/// Opening a dispute first claims its subject on the claim entity (insert, or replace with If-Match), then inserts the
/// dispute: of two opened at once on one line, the second's claim sees the first (or loses the ETag race and retries into
/// it). A claim whose dispute is missing (a crash between the two writes) or resolved is stale and pruned when read, so a
/// crash never locks a line for good. Single-entity operations only (Azurite mangles batches with multibyte text).
/// </summary>
public sealed class TableDisputeStore(TableServiceClient tables) : IDisputeStore
{
    /// <summary>Most JSON chunks: 14 × 30K characters fits the 1 MiB entity limit and more than <see cref="DisputeLimits.MaxActions"/> actions need.</summary>
    public const int MaxDocumentChunks = 14;

    private const string ClaimPrefix = "claim-";
    private const string DocumentPrefix = "Document";
    private const int ChunkChars = LedgerLimits.TableStringPropertyMaxChars;
    private const int MaxClaimAttempts = 8;

    /// <summary>How long a claim whose dispute is not stored yet holds its subject (the claimant is between its two writes).</summary>
    private static readonly Duration PendingClaimFor = Duration.FromMinutes(2);

    private readonly TableClient table = tables.GetTableClient(StorageNames.DisputesTable);

    /// <inheritdoc />
    public async Task<StoredDispute?> GetAsync(ContractId contract, DisputeId id, CancellationToken cancellationToken)
    {
        var entity = await table.GetAsync(contract.Value, id.Value, select: null, cancellationToken).ConfigureAwait(false);
        return entity is null ? null : Read(entity);
    }

    /// <inheritdoc />
    public async Task<StoredDispute?> FindAsync(DisputeId id, CancellationToken cancellationToken)
    {
        var query = new TableQuery(TableFilter.Compare("RowKey", TableFilterOperator.Equal, id.Value), top: 1);
        var page = await table.QueryPageAsync(query, continuationToken: null, cancellationToken).ConfigureAwait(false);
        return page.Entities.Count == 0 ? null : Read(page.Entities[0]);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Dispute>> ListOnStatementAsync(ContractId contract, string statementId, CancellationToken cancellationToken)
    {
        var filter = TableFilter.And(TableFilter.PartitionKeyEquals(contract.Value), TableFilter.Compare("StatementId", TableFilterOperator.Equal, statementId));
        return [.. (await ListWhereAsync(filter, cancellationToken).ConfigureAwait(false)).Select(stored => stored.Dispute)];
    }

    /// <inheritdoc />
    public async Task<DisputeWrite> InsertAsync(Dispute dispute, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dispute);
        if (dispute.Subject is { } subject && await ClaimAsync(dispute, subject, cancellationToken).ConfigureAwait(false) is { } taken)
        {
            return taken;
        }

        try
        {
            var etag = await table.InsertAsync(ToEntity(dispute), cancellationToken).ConfigureAwait(false);
            return new DisputeWrite.Written(new StoredDispute(dispute, etag.ToString()));
        }
        catch (TableStorageException exception) when (exception.IsConflict)
        {
            return new DisputeWrite.Conflict(await GetAsync(dispute.Contract, dispute.Id, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Dispute {dispute.Id} exists by the insert's answer but cannot be read.", exception));
        }
    }

    /// <inheritdoc />
    public async Task<DisputeWrite> ReplaceAsync(Dispute dispute, string expectedToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dispute);
        ArgumentException.ThrowIfNullOrEmpty(expectedToken);
        ETag etag;
        try
        {
            etag = await table.ReplaceAsync(ToEntity(dispute), new ETag(expectedToken), cancellationToken).ConfigureAwait(false);
        }
        catch (TableStorageException exception) when (exception.IsPreconditionFailed)
        {
            return new DisputeWrite.Conflict(await GetAsync(dispute.Contract, dispute.Id, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Dispute {dispute.Id} changed under a replace and then vanished; disputes are never deleted.", exception));
        }

        if (!dispute.IsUnresolved && dispute.Subject is { } subject)
        {
            // Releasing is tidy-up only: a claim naming a resolved dispute is already ignored by the next claimant.
            await ReleaseAsync(dispute, subject, cancellationToken).ConfigureAwait(false);
        }

        return new DisputeWrite.Written(new StoredDispute(dispute, etag.ToString()));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredDispute>> ListAsync(DisputeFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var condition = TableFilter.Compare("Kind", TableFilterOperator.Equal, "dispute");
        if (filter.Contract is { } contract)
        {
            condition = TableFilter.And(TableFilter.PartitionKeyEquals(contract.Value), condition);
        }

        if (filter.State is { } state)
        {
            condition = TableFilter.And(condition, TableFilter.Compare("State", TableFilterOperator.Equal, state.ToString()));
        }

        if (filter.Merchant is { } merchant)
        {
            condition = TableFilter.And(condition, TableFilter.Compare("MerchantId", TableFilterOperator.Equal, merchant.Value));
        }

        if (filter.Vendor is { } vendor)
        {
            condition = TableFilter.And(condition, TableFilter.Compare("VendorId", TableFilterOperator.Equal, vendor.Value));
        }

        return await ListWhereAsync(condition, cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<StoredDispute>> ListWhereAsync(string filter, CancellationToken cancellationToken)
    {
        var disputes = new List<StoredDispute>();
        await foreach (var entity in table.QueryAsync(new TableQuery(filter), maxPages: 1_000, cancellationToken).ConfigureAwait(false))
        {
            if (entity.RowKey.StartsWith(ClaimPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            disputes.Add(Read(entity));
            if (disputes.Count >= IDisputeStore.MaxListed)
            {
                break;
            }
        }

        return [.. disputes.OrderBy(stored => stored.Dispute.OpenedAt).ThenBy(stored => stored.Dispute.Id.Value, StringComparer.Ordinal)];
    }

    // Returns the dispute holding an overlapping subject, or null once this dispute's claim is written.
    private async Task<DisputeWrite.SubjectTaken?> ClaimAsync(Dispute dispute, DisputeSubject subject, CancellationToken cancellationToken)
    {
        var rowKey = ClaimRowKey(subject.StatementId);
        for (var attempt = 0; attempt < MaxClaimAttempts; attempt++)
        {
            var entity = await table.GetAsync(dispute.Contract.Value, rowKey, select: null, cancellationToken).ConfigureAwait(false);
            var claims = entity is null ? [] : ReadClaims(entity);
            var live = new List<Claim>();
            foreach (var claim in claims)
            {
                if (claim.DisputeId == dispute.Id.Value)
                {
                    return null; // A retry of this very insert: the claim is already ours.
                }

                if (!DisputeId.TryParse(claim.DisputeId, out var holderId))
                {
                    continue;
                }

                // A claim is written before its dispute's row, so a claim whose dispute is not stored yet is being opened
                // right now and holds the subject; only once it is older than PendingClaimFor is it taken for a claimant that
                // crashed before its insert, and dropped.
                var holder = (await GetAsync(dispute.Contract, holderId, cancellationToken).ConfigureAwait(false))?.Dispute;
                var beingOpened = holder is null && claim.ClaimedAt is { } claimedAt && dispute.OpenedAt < Instant.FromDateTimeOffset(claimedAt) + PendingClaimFor;
                if (holder is { IsUnresolved: true } || beingOpened)
                {
                    if (Overlaps(claim, subject))
                    {
                        return new DisputeWrite.SubjectTaken(holderId, holder);
                    }

                    live.Add(claim);
                }
            }

            live.Add(new Claim(dispute.Id.Value, subject.Line, dispute.OpenedAt.ToDateTimeOffset()));
            var next = ClaimEntity(dispute.Contract.Value, rowKey, subject.StatementId, live);
            try
            {
                if (entity is null)
                {
                    await table.InsertAsync(next, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await table.ReplaceAsync(next, entity.ETag, cancellationToken).ConfigureAwait(false);
                }

                return null;
            }
            catch (TableStorageException exception) when (exception.IsConflict || exception.IsPreconditionFailed)
            {
                // Someone claimed on this statement in between: read again and decide again.
            }
        }

        throw new InvalidOperationException($"Could not claim {subject.Key} for dispute {dispute.Id} after {MaxClaimAttempts} attempts; too many disputes opened at once on one statement.");
    }

    private async Task ReleaseAsync(Dispute dispute, DisputeSubject subject, CancellationToken cancellationToken)
    {
        var rowKey = ClaimRowKey(subject.StatementId);
        for (var attempt = 0; attempt < MaxClaimAttempts; attempt++)
        {
            var entity = await table.GetAsync(dispute.Contract.Value, rowKey, select: null, cancellationToken).ConfigureAwait(false);
            if (entity is null || ReadClaims(entity) is var claims && claims.All(claim => claim.DisputeId != dispute.Id.Value))
            {
                return;
            }

            try
            {
                await table.ReplaceAsync(
                    ClaimEntity(dispute.Contract.Value, rowKey, subject.StatementId, [.. claims.Where(claim => claim.DisputeId != dispute.Id.Value)]),
                    entity.ETag,
                    cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (TableStorageException exception) when (exception.IsPreconditionFailed)
            {
                // Changed in between: read again.
            }
        }
    }

    private static bool Overlaps(Claim claim, DisputeSubject subject) => claim.Line is null || subject.Line is null || claim.Line == subject.Line;

    private static string ClaimRowKey(string statementId) =>
        ClaimPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(statementId)));

    private static TableEntity ClaimEntity(string partitionKey, string rowKey, string statementId, IReadOnlyList<Claim> claims) =>
        new(partitionKey, rowKey, [
            new("Kind", "claim"),
            new("StatementId", statementId),
            new("Claims", JsonSerializer.Serialize(claims, DisputeJson.Options)),
        ]);

    private static Claim[] ReadClaims(TableEntity entity) =>
        JsonSerializer.Deserialize<Claim[]>(entity.Get("Claims").AsString(), DisputeJson.Options) ?? [];

    private static TableEntity ToEntity(Dispute dispute)
    {
        var json = JsonSerializer.Serialize(DisputeJson.ToView(dispute, ActorRole.Finance) with { OnHold = null }, DisputeJson.Options);
        var chunks = json.Chunk(ChunkChars).Select(chars => new string(chars)).ToArray();
        if (chunks.Length > MaxDocumentChunks)
        {
            throw new InvalidOperationException($"Dispute {dispute.Id} is {json.Length} characters as JSON; DisputeLimits should have stopped it growing.");
        }

        var properties = new List<KeyValuePair<string, TableValue>>
        {
            new("Kind", "dispute"),
            new("MerchantId", dispute.Merchant.Value),
            new("VendorId", dispute.Vendor.Value),
            new("State", dispute.State.ToString()),
            new("StatementId", dispute.Subject?.StatementId ?? string.Empty),
            new("Revision", dispute.Revision),
            new("DocumentChunks", chunks.Length),
        };
        properties.AddRange(chunks.Select((chunk, index) => new KeyValuePair<string, TableValue>(DocumentPrefix + index.ToString("D2", CultureInfo.InvariantCulture), chunk)));
        return new TableEntity(dispute.Contract.Value, dispute.Id.Value, properties);
    }

    private static StoredDispute Read(TableEntity entity)
    {
        var count = entity.Get("DocumentChunks").AsInt32();
        if (count is < 1 or > MaxDocumentChunks)
        {
            throw new InvalidOperationException($"Stored dispute {entity.RowKey} claims {count} document chunks.");
        }

        var json = string.Concat(Enumerable.Range(0, count).Select(index => entity.Get(DocumentPrefix + index.ToString("D2", CultureInfo.InvariantCulture)).AsString()));
        var view = JsonSerializer.Deserialize<DisputeView>(json, DisputeJson.Options)
            ?? throw new InvalidOperationException($"Stored dispute {entity.RowKey} has an empty document.");
        return new StoredDispute(DisputeJson.FromView(view), entity.ETag.ToString());
    }

    // ClaimedAt is the claimant's opening instant; claims stored before it existed have none (and are dropped once their
    // dispute is missing, as before).
    private sealed record Claim(string DisputeId, int? Line, DateTimeOffset? ClaimedAt = null);
}
