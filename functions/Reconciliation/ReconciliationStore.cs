using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Azure;
using NodaTime;
using ServiceLedger.Domain.Money;
using ServiceLedger.Domain.Reconciliation;
using ServiceLedger.Functions.Adapters.Tables;

namespace ServiceLedger.Functions.Reconciliation;

/// <summary>An exception as stored: the line, its resolutions in the order they were made, and the entity's ETag.</summary>
/// <param name="Line">What the run found.</param>
/// <param name="Resolutions">Appended resolutions; the last one is the current one.</param>
/// <param name="ETag">For the If-Match of the next append.</param>
public sealed record ExceptionRecord(ExceptionLine Line, ImmutableArray<ExceptionResolution> Resolutions, ETag ETag)
{
    /// <summary>True once any resolution was appended.</summary>
    public bool IsResolved => !Resolutions.IsEmpty;
}

/// <summary>
/// Runs, their exceptions and uploaded Stripe CSV rows in Table Storage. <c>reconciliations</c>: PartitionKey <c>run</c>,
/// RowKey = run id. <c>reconexceptions</c>: PartitionKey = run id, RowKey = exception id, the line and its resolutions as
/// JSON (a resolution is appended with If-Match, so two finance users cannot overwrite each other). <c>reconstripeitems</c>:
/// PartitionKey = run id, RowKey = balance transaction id, written in 100-entity batches (one partition, one transaction each).
/// </summary>
public sealed class ReconciliationStore(TableClient runs, TableClient exceptions, TableClient stripeItems)
{
    /// <summary>Most exceptions one run stores; beyond it the run fails and says so (a period that broken needs people first).</summary>
    public const int MaxExceptionsPerRun = 50_000;

    private const string RunPartition = "run";
    private const int BatchSize = 100;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Inserts a new run.</summary>
    public Task InsertRunAsync(ReconciliationRun run, CancellationToken cancellationToken) =>
        runs.InsertAsync(ToEntity(run), cancellationToken);

    /// <summary>Writes a run's new state (last writer wins: only the queue function and close write after creation).</summary>
    public Task SaveRunAsync(ReconciliationRun run, CancellationToken cancellationToken) =>
        runs.UpsertAsync(ToEntity(run), cancellationToken);

    /// <summary>The run, or null.</summary>
    public async Task<ReconciliationRun?> GetRunAsync(string runId, CancellationToken cancellationToken)
    {
        if (!IsId(runId))
        {
            return null;
        }

        var entity = await runs.GetAsync(RunPartition, runId, null, cancellationToken).ConfigureAwait(false);
        return entity is null ? null : RunFromEntity(entity);
    }

    /// <summary>Stores a run's exceptions (idempotent: a re-run writes the same ids; resolutions already appended are kept).</summary>
    public async Task SaveExceptionsAsync(string runId, IReadOnlyList<ExceptionLine> lines, CancellationToken cancellationToken)
    {
        var existing = (await ListExceptionsAsync(runId, cancellationToken).ConfigureAwait(false)).ToDictionary(stored => stored.Line.ExceptionId, StringComparer.Ordinal);
        var fresh = lines.Where(line => !existing.ContainsKey(line.ExceptionId)).DistinctBy(line => line.ExceptionId).ToArray();
        foreach (var chunk in fresh.Chunk(BatchSize))
        {
            await exceptions.SubmitBatchAsync(
                chunk.Select(line => TableBatchOperation.Upsert(ToEntity(runId, line, []))).ToArray(),
                cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Every exception of a run, in report order.</summary>
    public async Task<IReadOnlyList<ExceptionRecord>> ListExceptionsAsync(string runId, CancellationToken cancellationToken)
    {
        var list = new List<ExceptionRecord>();
        await foreach (var entity in exceptions.QueryAsync(new TableQuery(TableFilter.PartitionKeyEquals(runId)), TableClient.DefaultMaxPages, cancellationToken).ConfigureAwait(false))
        {
            list.Add(FromEntity(entity));
            if (list.Count > MaxExceptionsPerRun)
            {
                throw new InvalidOperationException($"Run {runId} has more than {MaxExceptionsPerRun} exceptions.");
            }
        }

        var order = ExceptionLine.InReportOrder(list.Select(stored => stored.Line)).Select((line, index) => (line.ExceptionId, index)).ToDictionary(pair => pair.ExceptionId, pair => pair.index, StringComparer.Ordinal);
        return list.OrderBy(stored => order[stored.Line.ExceptionId]).ToArray();
    }

    /// <summary>One exception, or null.</summary>
    public async Task<ExceptionRecord?> GetExceptionAsync(string runId, string exceptionId, CancellationToken cancellationToken)
    {
        if (!IsId(runId) || !IsId(exceptionId))
        {
            return null;
        }

        var entity = await exceptions.GetAsync(runId, exceptionId, null, cancellationToken).ConfigureAwait(false);
        return entity is null ? null : FromEntity(entity);
    }

    /// <summary>Appends a resolution; throws <see cref="TableStorageException"/> with 412 when someone appended first.</summary>
    public Task AppendResolutionAsync(string runId, ExceptionRecord stored, ExceptionResolution resolution, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stored);
        return exceptions.ReplaceAsync(ToEntity(runId, stored.Line, stored.Resolutions.Add(resolution)), stored.ETag, cancellationToken);
    }

    /// <summary>Stores uploaded Stripe rows for a run (upserts: uploading the same file again writes the same rows).</summary>
    public async Task SaveStripeItemsAsync(string runId, IReadOnlyList<StripeItem> items, CancellationToken cancellationToken)
    {
        foreach (var chunk in items.Chunk(BatchSize))
        {
            await stripeItems.SubmitBatchAsync(chunk.Select(item => TableBatchOperation.Upsert(ToEntity(runId, item))).ToArray(), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The Stripe rows uploaded for a run.</summary>
    public async Task<IReadOnlyList<StripeItem>> ReadStripeItemsAsync(string runId, CancellationToken cancellationToken)
    {
        var items = new List<StripeItem>();
        await foreach (var entity in stripeItems.QueryAsync(new TableQuery(TableFilter.PartitionKeyEquals(runId)), TableClient.DefaultMaxPages, cancellationToken).ConfigureAwait(false))
        {
            items.Add(new StripeItem(
                entity.RowKey,
                entity.Get("Source").AsString(),
                entity.Get("Type").AsString(),
                entity.Get("Amount").AsInt64(),
                entity.Get("Fee").AsInt64(),
                entity.Get("Net").AsInt64(),
                Currency.FromCode(entity.Get("Currency").AsString()),
                Instant.FromUnixTimeSeconds(entity.Get("Created").AsInt64()),
                Instant.FromUnixTimeSeconds(entity.Get("AvailableOn").AsInt64()),
                entity.TryGet("Payout", out var payout) ? payout.AsString() : null));
        }

        return items;
    }

    // Run and exception ids are ours (rec_…, exc_…): anything else in a path is simply not found.
    private static bool IsId(string id) => id.Length is > 4 and <= 64 && id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_');

    private static TableEntity ToEntity(string runId, StripeItem item)
    {
        var properties = new Dictionary<string, TableValue>
        {
            ["Source"] = item.SourceId,
            ["Type"] = item.Type,
            ["Amount"] = item.AmountMinor,
            ["Fee"] = item.FeeMinor,
            ["Net"] = item.NetMinor,
            ["Currency"] = item.Currency.Code,
            ["Created"] = item.Created.ToUnixTimeSeconds(),
            ["AvailableOn"] = item.AvailableOn.ToUnixTimeSeconds(),
        };
        if (item.PayoutId is { } payout)
        {
            properties["Payout"] = payout;
        }

        return new TableEntity(runId, item.BalanceTransactionId, properties);
    }

    private static TableEntity ToEntity(string runId, ExceptionLine line, ImmutableArray<ExceptionResolution> resolutions) =>
        new(runId, line.ExceptionId, new Dictionary<string, TableValue>
        {
            ["Kind"] = line.Kind.ToString(),
            ["Line"] = JsonSerializer.Serialize(line, Json),
            ["Resolutions"] = JsonSerializer.Serialize(resolutions.Select(ResolutionJson.From).ToArray(), Json),
        });

    private static ExceptionRecord FromEntity(TableEntity entity)
    {
        var line = JsonSerializer.Deserialize<ExceptionLine>(entity.Get("Line").AsString(), Json)
            ?? throw new InvalidOperationException($"Exception {entity} has no line.");
        var resolutions = JsonSerializer.Deserialize<ResolutionJson[]>(entity.Get("Resolutions").AsString(), Json) ?? [];
        return new ExceptionRecord(line, [.. resolutions.Select(resolution => resolution.To())], entity.ETag);
    }

    private static TableEntity ToEntity(ReconciliationRun run)
    {
        var properties = new Dictionary<string, TableValue>
        {
            ["Period"] = run.Period,
            ["StripeSource"] = run.StripeSource.ToString(),
            ["Status"] = run.Status.ToString(),
            ["RequestedBy"] = run.RequestedBy,
            ["RequestedAt"] = run.RequestedAt.ToDateTimeOffset(),
            ["StripeItems"] = run.StripeItems,
            ["LedgerItems"] = run.LedgerItems,
            ["MatchedById"] = run.MatchedById,
            ["MatchedByRule"] = run.MatchedByRule,
            ["Exceptions"] = run.Exceptions,
        };
        Optional(properties, "ReportHash", run.ReportHash);
        Optional(properties, "Failure", run.Failure);
        Optional(properties, "ClosedBy", run.ClosedBy);
        if (run.CompletedAt is { } completed)
        {
            properties["CompletedAt"] = completed.ToDateTimeOffset();
        }

        if (run.ClosedAt is { } closed)
        {
            properties["ClosedAt"] = closed.ToDateTimeOffset();
        }

        return new TableEntity(RunPartition, run.RunId, properties);
    }

    private static void Optional(Dictionary<string, TableValue> properties, string name, string? value)
    {
        if (value is not null)
        {
            properties[name] = value;
        }
    }

    private static ReconciliationRun RunFromEntity(TableEntity entity) => new()
    {
        RunId = entity.RowKey,
        Period = entity.Get("Period").AsString(),
        StripeSource = Enum.Parse<StripeSource>(entity.Get("StripeSource").AsString()),
        Status = Enum.Parse<RunStatus>(entity.Get("Status").AsString()),
        RequestedBy = entity.Get("RequestedBy").AsString(),
        RequestedAt = Instant.FromDateTimeOffset(entity.Get("RequestedAt").AsDateTime()),
        StripeItems = entity.Get("StripeItems").AsInt32(),
        LedgerItems = entity.Get("LedgerItems").AsInt32(),
        MatchedById = entity.Get("MatchedById").AsInt32(),
        MatchedByRule = entity.Get("MatchedByRule").AsInt32(),
        Exceptions = entity.Get("Exceptions").AsInt32(),
        ReportHash = entity.TryGet("ReportHash", out var hash) ? hash.AsString() : null,
        Failure = entity.TryGet("Failure", out var failure) ? failure.AsString() : null,
        ClosedBy = entity.TryGet("ClosedBy", out var closedBy) ? closedBy.AsString() : null,
        CompletedAt = entity.TryGet("CompletedAt", out var completedAt) ? Instant.FromDateTimeOffset(completedAt.AsDateTime()) : null,
        ClosedAt = entity.TryGet("ClosedAt", out var closedAt) ? Instant.FromDateTimeOffset(closedAt.AsDateTime()) : null,
    };

    // Instants as ISO text on the wire of the stored JSON, so the column reads the same as the API.
    private sealed record ResolutionJson(string Action, string Comment, string ResolvedBy, string ResolvedAt, string? AdjustmentEntry)
    {
        public static ResolutionJson From(ExceptionResolution resolution) => new(
            resolution.Action, resolution.Comment, resolution.ResolvedBy, resolution.ResolvedAt.ToString("uuuu-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), resolution.AdjustmentEntry);

        public ExceptionResolution To() => new(Action, Comment, ResolvedBy, NodaTime.Text.InstantPattern.General.Parse(ResolvedAt).Value, AdjustmentEntry);
    }
}
