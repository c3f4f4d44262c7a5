namespace ServiceLedger.Functions.Settlement;

using Azure;
using NodaTime;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Functions.Adapters.Tables;
using ServiceLedger.Functions.Configuration;

/// <summary>What happened to one contract in a run. Stored by name, so the numbers never matter on the wire.</summary>
public enum ContractOutcome
{
    /// <summary>Enqueued; not settled yet.</summary>
    Queued = 1,

    /// <summary>A statement exists for the period (settled now, or by an earlier run with the same inputs).</summary>
    Settled = 2,

    /// <summary>Not settled, with a reason a person can act on (e.g. no service report yet); a later run settles it.</summary>
    Held = 3,

    /// <summary>Not settled because of a refusal or a fault after the last retry; see the reason.</summary>
    Failed = 4,
}

/// <summary>A run record: which period, how it was started, and whether every due contract has been enqueued.</summary>
/// <param name="Id">The run's id (names the period).</param>
/// <param name="Trigger"><c>http</c> (finance) or <c>timer</c>.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="StartedBy">The finance user's subject, or the timer's function name.</param>
/// <param name="EndedSince">Timer runs only: contracts whose period ended after this instant (and by <paramref name="StartedAt"/>).</param>
/// <param name="EnumerationComplete">True once every due contract has been enqueued (so <c>due</c> is final).</param>
public sealed record SettlementRun(SettlementRunId Id, string Trigger, Instant StartedAt, string StartedBy, Instant? EndedSince, bool EnumerationComplete);

/// <summary>One contract's outcome in a run.</summary>
/// <param name="Contract">The contract.</param>
/// <param name="Outcome">Queued, settled, held or failed.</param>
/// <param name="Reason">Why it was held or failed (or a note on a settled one, e.g. a pending correction).</param>
/// <param name="StatementId">The statement that settles the period, when there is one.</param>
public sealed record ContractRunOutcome(ContractId Contract, ContractOutcome Outcome, string? Reason, string? StatementId);

/// <summary>A run's progress, counted from its per-contract rows: due = every row; the others by outcome.</summary>
/// <param name="Run">The run record.</param>
/// <param name="Due">Contracts enqueued so far (final once the run's enumeration is complete).</param>
/// <param name="Queued">Due and not finished yet.</param>
/// <param name="Settled">Settled.</param>
/// <param name="Held">Held (e.g. no service report).</param>
/// <param name="Failed">Failed.</param>
/// <param name="NeedingAttention">Held and failed contracts with their reasons, at most <see cref="SettlementRunStore.MaxAttentionListed"/>.</param>
public sealed record SettlementRunStatus(SettlementRun Run, int Due, int Queued, int Settled, int Held, int Failed, IReadOnlyList<ContractRunOutcome> NeedingAttention);

/// <summary>
/// Runs in the <c>settlementruns</c> table: PartitionKey = run id; RowKey <c>run</c> is the run record and RowKey
/// <c>c:{contractId}</c> one row per due contract with its outcome. Progress is counted from those rows (one partition
/// query) rather than kept in counters: 100,000 handlers incrementing one entity under If-Match would contend on every
/// message, while each handler writing its own row never conflicts and a repeated write changes nothing.
/// </summary>
public sealed class SettlementRunStore(TableServiceClient tables)
{
    /// <summary>Most held or failed contracts a status lists by name (the counts are always complete).</summary>
    public const int MaxAttentionListed = 100;

    /// <summary>Most due contracts one run may count: 100,000 contracts with room; status reads page through them.</summary>
    public const int MaxContractsPerRun = 1_000_000;

    /// <summary>Rows per insert transaction (the entity-group transaction limit).</summary>
    public const int RowsPerBatch = 100;

    /// <summary>Read-then-replace rounds <see cref="RecordIfQueuedAsync"/> makes before a conflict throws (each lost round means another outcome was written).</summary>
    public const int MaxConditionalAttempts = 3;

    private const string RunRowKey = "run";
    private const string ContractRowPrefix = "c:";

    private readonly TableClient table = tables.GetTableClient(StorageNames.SettlementRunsTable);

    /// <summary>Stores a new run; when a run with this id exists already, returns that one (a repeated start in the same second).</summary>
    public async Task<SettlementRun> CreateAsync(SettlementRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        try
        {
            await table.InsertAsync(ToEntity(run), cancellationToken).ConfigureAwait(false);
            return run;
        }
        catch (TableStorageException exception) when (exception.IsConflict)
        {
            return await GetAsync(run.Id, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Run {run.Id} exists by the insert's answer but cannot be read.", exception);
        }
    }

    /// <summary>The run record, or null.</summary>
    public async Task<SettlementRun?> GetAsync(SettlementRunId id, CancellationToken cancellationToken)
    {
        var entity = await table.GetAsync(id.Value, RunRowKey, select: null, cancellationToken).ConfigureAwait(false);
        return entity is null ? null : ReadRun(id, entity);
    }

    /// <summary>Marks the run's enumeration complete (every due contract is enqueued); repeating it changes nothing.</summary>
    public Task MarkEnumeratedAsync(SettlementRunId id, CancellationToken cancellationToken) =>
        table.MergeAsync(new TableEntity(id.Value, RunRowKey, [new("EnumerationComplete", true)]), ETag.All, cancellationToken);

    /// <summary>
    /// Records <paramref name="contracts"/> as queued in the run, in transactions of <see cref="RowsPerBatch"/>. A row that exists
    /// already (a redelivered enumeration page) keeps its outcome: insert, never overwrite.
    /// </summary>
    public async Task MarkQueuedAsync(SettlementRunId id, IReadOnlyList<ContractId> contracts, Instant at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contracts);
        foreach (var chunk in contracts.Distinct().Chunk(RowsPerBatch))
        {
            var rows = chunk.Select(contract => OutcomeEntity(id, new ContractRunOutcome(contract, ContractOutcome.Queued, null, null), at)).ToArray();
            var result = await table.SubmitBatchAsync(rows.Select(TableBatchOperation.Insert).ToArray(), cancellationToken).ConfigureAwait(false);
            if (result.Failure is { IsConflict: true })
            {
                // Some rows exist (this page was handled before): insert the rest one by one, leaving existing outcomes alone.
                foreach (var row in rows)
                {
                    try
                    {
                        await table.InsertAsync(row, cancellationToken).ConfigureAwait(false);
                    }
                    catch (TableStorageException exception) when (exception.IsConflict)
                    {
                        // Already recorded; its outcome stands.
                    }
                }
            }
            else
            {
                result.EnsureSucceeded();
            }
        }
    }

    /// <summary>Records a contract's outcome in the run (insert or replace: the latest attempt's outcome wins).</summary>
    public Task RecordAsync(SettlementRunId id, ContractRunOutcome outcome, Instant at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return table.UpsertAsync(OutcomeEntity(id, outcome, at), cancellationToken);
    }

    /// <summary>
    /// Records several contracts' outcomes in the run (insert or replace, as <see cref="RecordAsync"/>), in upsert transactions
    /// of at most <see cref="RowsPerBatch"/> rows: one request for a batch that fits. Each contract at most once.
    /// </summary>
    public async Task RecordManyAsync(SettlementRunId id, IReadOnlyList<(ContractRunOutcome Outcome, Instant At)> outcomes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        foreach (var chunk in outcomes.Chunk(RowsPerBatch))
        {
            var result = await table.SubmitBatchAsync([.. chunk.Select(item => TableBatchOperation.Upsert(OutcomeEntity(id, item.Outcome, item.At)))], cancellationToken).ConfigureAwait(false);
            result.EnsureSucceeded();
        }
    }

    /// <summary>
    /// Records <paramref name="outcome"/> only while the contract is still <see cref="ContractOutcome.Queued"/> in the run, and
    /// returns the outcome that stands: a Settled, Held or Failed outcome already recorded is kept (a handling can settle a
    /// contract and crash before its message is deleted, so a message given up on may name a settled contract). Reads the row,
    /// then replaces it under its ETag, so an outcome written between the two wins; at most <see cref="MaxConditionalAttempts"/>
    /// rounds. Null, and nothing written, when the run has no row for the contract (every contract a run enqueues has one).
    /// </summary>
    public async Task<ContractRunOutcome?> RecordIfQueuedAsync(SettlementRunId id, ContractRunOutcome outcome, Instant at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        for (var attempt = 1; ; attempt++)
        {
            var row = await table.GetAsync(id.Value, ContractRowPrefix + outcome.Contract.Value, select: null, cancellationToken).ConfigureAwait(false);
            if (row is null)
            {
                return null;
            }

            var standing = ReadOutcome(row);
            if (standing.Outcome != ContractOutcome.Queued)
            {
                return standing;
            }

            try
            {
                await table.ReplaceAsync(OutcomeEntity(id, outcome, at), row.ETag, cancellationToken).ConfigureAwait(false);
                return outcome;
            }
            catch (TableStorageException exception) when (exception.IsPreconditionFailed && attempt < MaxConditionalAttempts)
            {
                // Another handling recorded an outcome since our read: read what it recorded.
            }
        }
    }

    /// <summary>The run's progress, or null when there is no such run.</summary>
    public async Task<SettlementRunStatus?> ReadStatusAsync(SettlementRunId id, CancellationToken cancellationToken)
    {
        var run = await GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (run is null)
        {
            return null;
        }

        var filter = TableFilter.And(
            TableFilter.PartitionKeyEquals(id.Value),
            TableFilter.And(
                TableFilter.Compare("RowKey", TableFilterOperator.GreaterThanOrEqual, ContractRowPrefix),
                TableFilter.Compare("RowKey", TableFilterOperator.LessThan, "c;")));
        var query = new TableQuery(filter, select: ["PartitionKey", "RowKey", "Outcome", "Reason", "StatementId"], top: TableQuery.MaxPageSize);
        int due = 0, queued = 0, settled = 0, held = 0, failed = 0;
        var attention = new List<ContractRunOutcome>();
        await foreach (var entity in table.QueryAsync(query, (MaxContractsPerRun / TableQuery.MaxPageSize) + 1, cancellationToken).ConfigureAwait(false))
        {
            var outcome = ReadOutcome(entity);
            due++;
            switch (outcome.Outcome)
            {
                case ContractOutcome.Queued: queued++; break;
                case ContractOutcome.Settled: settled++; break;
                case ContractOutcome.Held: held++; break;
                default: failed++; break;
            }

            if (outcome.Outcome is ContractOutcome.Held or ContractOutcome.Failed && attention.Count < MaxAttentionListed)
            {
                attention.Add(outcome);
            }
        }

        return new SettlementRunStatus(run, due, queued, settled, held, failed, attention);
    }

    private static TableEntity ToEntity(SettlementRun run)
    {
        var properties = new List<KeyValuePair<string, TableValue>>
        {
            new("Period", run.Id.Period.ToString()),
            new("Trigger", run.Trigger),
            new("StartedAt", run.StartedAt.ToDateTimeOffset()),
            new("StartedBy", run.StartedBy),
            new("EnumerationComplete", run.EnumerationComplete),
        };
        if (run.EndedSince is { } since)
        {
            properties.Add(new("EndedSince", since.ToDateTimeOffset()));
        }

        return new TableEntity(run.Id.Value, RunRowKey, properties);
    }

    private static SettlementRun ReadRun(SettlementRunId id, TableEntity entity) => new(
        id,
        entity.Get("Trigger").AsString(),
        Instant.FromDateTimeOffset(entity.Get("StartedAt").AsDateTime()),
        entity.Get("StartedBy").AsString(),
        entity.TryGet("EndedSince", out var since) ? Instant.FromDateTimeOffset(since.AsDateTime()) : null,
        entity.Get("EnumerationComplete").AsBoolean());

    private static TableEntity OutcomeEntity(SettlementRunId id, ContractRunOutcome outcome, Instant at)
    {
        var properties = new List<KeyValuePair<string, TableValue>>
        {
            new("Outcome", outcome.Outcome.ToString()),
            new("At", at.ToDateTimeOffset()),
        };
        if (outcome.Reason is { } reason)
        {
            properties.Add(new("Reason", reason.Length > 1000 ? reason[..1000] : reason));
        }

        if (outcome.StatementId is { } statement)
        {
            properties.Add(new("StatementId", statement));
        }

        return new TableEntity(id.Value, ContractRowPrefix + outcome.Contract.Value, properties);
    }

    private static ContractRunOutcome ReadOutcome(TableEntity entity)
    {
        var contract = ContractId.TryParse(entity.RowKey[ContractRowPrefix.Length..], out var id)
            ? id
            : throw new InvalidOperationException($"Run row {entity} does not name a contract.");
        var outcome = Enum.TryParse<ContractOutcome>(entity.Get("Outcome").AsString(), out var parsed) && Enum.IsDefined(parsed)
            ? parsed
            : throw new InvalidOperationException($"Run row {entity} has an unknown outcome.");
        return new ContractRunOutcome(
            contract,
            outcome,
            entity.TryGet("Reason", out var reason) ? reason.AsString() : null,
            entity.TryGet("StatementId", out var statement) ? statement.AsString() : null);
    }
}
