using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Azure;
using Azure.Core;

namespace ServiceLedger.Functions.Adapters.Tables;

/// <summary>
/// One table: create, insert, point read, upsert, replace/merge/delete with If-Match, paged queries and entity-group
/// transactions — only what the product uses. Errors come back as <see cref="TableStorageException"/> (404, 409 and
/// 412 easy to filter); a refused transaction comes back as a <see cref="TableBatchResult"/> value. Thread-safe.
/// Retried writes are at-least-once: an insert whose first attempt reached storage may answer 409 on its retry, so
/// callers treat 409 as "maybe written by me" and check (azure.md 2.7).
/// </summary>
public sealed class TableClient
{
    /// <summary>
    /// The one Accept value we send: Azurite accepts exactly the three odata JSON values and nothing with parameters
    /// such as charset (azure.md 2.2); minimalmetadata carries type annotations and per-entity ETags.
    /// </summary>
    public const string JsonAccept = "application/json;odata=minimalmetadata";

    /// <summary>Default bound on the pages <see cref="QueryPagesAsync"/> reads: 1,000 full pages is a million entities.</summary>
    public const int DefaultMaxPages = 1000;

    private static readonly RequestMethod Merge = new("MERGE");

    private readonly TableServiceClient _service;

    internal TableClient(TableServiceClient service, string tableName)
    {
        if (!TableKeys.IsValidTableName(tableName))
        {
            throw new ArgumentException(
                $"'{tableName}' is not a table name: a letter, then 2-62 letters or digits, and not 'tables'.", nameof(tableName));
        }

        _service = service;
        Name = tableName;
    }

    /// <summary>The table name.</summary>
    public string Name { get; }

    /// <summary>Creates the table; succeeds when it already exists (409 TableAlreadyExists).</summary>
    public async Task CreateIfNotExistsAsync(CancellationToken cancellationToken)
    {
        using var message = _service.CreateMessage(RequestMethod.Post, "/Tables");
        message.Request.Headers.SetValue("Prefer", "return-no-content");
        message.Request.Headers.SetValue("Content-Type", "application/json");
        message.Request.Content = RequestContent.Create(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["TableName"] = Name }));
        var response = await _service.SendAllowingErrorsAsync(message, cancellationToken).ConfigureAwait(false);
        if (response.Status is >= 200 and < 300)
        {
            return;
        }

        var error = TableServiceClient.Error(response, $"create table '{Name}'");
        if (error.IsConflict && error.ErrorCode == "TableAlreadyExists")
        {
            return;
        }

        throw error;
    }

    /// <summary>Inserts <paramref name="entity"/> and returns its new ETag; 409 EntityAlreadyExists when it exists.</summary>
    public async Task<ETag> InsertAsync(TableEntity entity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entity);
        using var message = _service.CreateMessage(RequestMethod.Post, "/" + Name);
        message.Request.Headers.SetValue("Prefer", "return-no-content");
        SetEntityContent(message, entity);
        var response = await _service.SendAsync(message, Describe("insert", entity), cancellationToken).ConfigureAwait(false);
        return ETagOf(response);
    }

    /// <summary>
    /// Reads one entity, optionally only <paramref name="select"/>ed properties; null when it does not exist. A missing
    /// table is not "no entity": it throws (404 TableNotFound).
    /// </summary>
    public async Task<TableEntity?> GetAsync(
        string partitionKey, string rowKey, IReadOnlyList<string>? select, CancellationToken cancellationToken)
    {
        TableKeys.Validate(partitionKey, nameof(partitionKey));
        TableKeys.Validate(rowKey, nameof(rowKey));
        var query = select is null ? null : new TableQuery(select: select);
        using var message = _service.CreateMessage(RequestMethod.Get, "/" + Name + TableKeys.EntityPath(partitionKey, rowKey));
        if (query?.Select is { } properties)
        {
            message.Request.Uri.AppendQuery("$select", SelectText(properties));
        }

        var response = await _service.SendAllowingErrorsAsync(message, cancellationToken).ConfigureAwait(false);
        if (response.Status == 200)
        {
            using var document = JsonDocument.Parse(response.Content.ToMemory());
            return TableEntityJson.Read(document.RootElement, response.Headers.TryGetValue("ETag", out var etag) ? etag : null);
        }

        var error = TableServiceClient.Error(response, $"get (PartitionKey='{partitionKey}', RowKey='{rowKey}') from '{Name}'");
        if (error.IsNotFound && error.ErrorCode != "TableNotFound")
        {
            return null;
        }

        throw error;
    }

    /// <summary>Inserts or replaces <paramref name="entity"/> (PUT without If-Match) and returns its new ETag.</summary>
    public Task<ETag> UpsertAsync(TableEntity entity, CancellationToken cancellationToken) =>
        WriteAsync(RequestMethod.Put, entity, default, "upsert", cancellationToken);

    /// <summary>Replaces <paramref name="entity"/> if its stored ETag is <paramref name="ifMatch"/> (412 if not; 404 if absent).</summary>
    public Task<ETag> ReplaceAsync(TableEntity entity, ETag ifMatch, CancellationToken cancellationToken) =>
        WriteAsync(RequestMethod.Put, entity, TableBatchOperation.RequireETag(ifMatch), "replace", cancellationToken);

    /// <summary>Merges <paramref name="entity"/>'s properties into the stored entity if its ETag is <paramref name="ifMatch"/>.</summary>
    public Task<ETag> MergeAsync(TableEntity entity, ETag ifMatch, CancellationToken cancellationToken) =>
        WriteAsync(Merge, entity, TableBatchOperation.RequireETag(ifMatch), "merge", cancellationToken);

    /// <summary>Deletes the entity if its ETag is <paramref name="ifMatch"/> (<see cref="ETag.All"/>: unconditionally); 404 if absent.</summary>
    public async Task DeleteAsync(string partitionKey, string rowKey, ETag ifMatch, CancellationToken cancellationToken)
    {
        TableKeys.Validate(partitionKey, nameof(partitionKey));
        TableKeys.Validate(rowKey, nameof(rowKey));
        using var message = _service.CreateMessage(RequestMethod.Delete, "/" + Name + TableKeys.EntityPath(partitionKey, rowKey));
        message.Request.Headers.SetValue("If-Match", TableBatchOperation.RequireETag(ifMatch).ToString());
        await _service.SendAsync(
            message, $"delete (PartitionKey='{partitionKey}', RowKey='{rowKey}') from '{Name}'", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// One page of a query: start with a null <paramref name="continuationToken"/>, then pass each page's token until it
    /// is null. A page can be empty and still have a token. Throws <see cref="ArgumentException"/> for a token that this
    /// client did not make.
    /// </summary>
    public async Task<TablePage> QueryPageAsync(TableQuery query, string? continuationToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        TableContinuation? continuation = null;
        if (continuationToken is not null)
        {
            continuation = TableContinuation.TryParse(continuationToken, out var parsed)
                ? parsed
                : throw new ArgumentException("The continuation token is not one this table produced.", nameof(continuationToken));
        }

        using var message = _service.CreateMessage(RequestMethod.Get, "/" + Name + "()");
        var uri = message.Request.Uri;
        if (query.Filter is not null)
        {
            uri.AppendQuery("$filter", query.Filter);
        }

        if (query.Select is not null)
        {
            uri.AppendQuery("$select", SelectText(query.Select));
        }

        if (query.Top is { } top)
        {
            uri.AppendQuery("$top", top.ToString(CultureInfo.InvariantCulture));
        }

        if (continuation is { } next)
        {
            uri.AppendQuery("NextPartitionKey", next.NextPartitionKey);
            if (next.NextRowKey is not null)
            {
                uri.AppendQuery("NextRowKey", next.NextRowKey);
            }
        }

        var response = await _service.SendAsync(message, $"query '{Name}'", cancellationToken).ConfigureAwait(false);
        var entities = new List<TableEntity>();
        using (var document = JsonDocument.Parse(response.Content.ToMemory()))
        {
            if (document.RootElement.TryGetProperty("value", out var values))
            {
                foreach (var element in values.EnumerateArray())
                {
                    entities.Add(TableEntityJson.Read(element, null));
                }
            }
        }

        if (entities.Count > TableQuery.MaxPageSize)
        {
            throw new FormatException($"Table storage returned {entities.Count} entities in one page; at most {TableQuery.MaxPageSize} are expected.");
        }

        string? token = null;
        if (response.Headers.TryGetValue("x-ms-continuation-NextPartitionKey", out var nextPartitionKey) && nextPartitionKey.Length > 0)
        {
            response.Headers.TryGetValue("x-ms-continuation-NextRowKey", out var nextRowKey);
            token = new TableContinuation(nextPartitionKey, string.IsNullOrEmpty(nextRowKey) ? null : nextRowKey).ToToken();
        }

        return new TablePage(entities, token);
    }

    /// <summary>
    /// Every page of a query, following continuation tokens. Throws <see cref="InvalidOperationException"/> when more
    /// than <paramref name="maxPages"/> pages would be needed (empty pages count): a runaway query fails loudly instead
    /// of being silently cut short.
    /// </summary>
    public async IAsyncEnumerable<TablePage> QueryPagesAsync(
        TableQuery query, int maxPages, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPages, 1);
        string? token = null;
        for (var pages = 0; ; pages++)
        {
            if (pages == maxPages)
            {
                throw new InvalidOperationException(
                    $"The query on '{Name}' needs more than {maxPages} pages; narrow the filter or raise the bound.");
            }

            var page = await QueryPageAsync(query, token, cancellationToken).ConfigureAwait(false);
            yield return page;
            token = page.ContinuationToken;
            if (token is null)
            {
                yield break;
            }
        }
    }

    /// <summary>Every entity of a query, in PartitionKey then RowKey order, within the same page bound as <see cref="QueryPagesAsync"/>.</summary>
    public async IAsyncEnumerable<TableEntity> QueryAsync(
        TableQuery query, int maxPages, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var page in QueryPagesAsync(query, maxPages, cancellationToken).ConfigureAwait(false))
        {
            foreach (var entity in page.Entities)
            {
                yield return entity;
            }
        }
    }

    /// <summary>
    /// Submits an entity-group transaction as one HTTP request: all operations apply, or none does. Checks before
    /// sending (throwing <see cref="ArgumentException"/>): 1-100 operations, one PartitionKey, each entity once, body at
    /// most 4 MiB. A refusal by storage (409, 412, 404...) is returned as <see cref="TableBatchResult.Failure"/> with
    /// the failed operation's index; any other error response throws <see cref="TableStorageException"/>.
    /// </summary>
    public async Task<TableBatchResult> SubmitBatchAsync(IReadOnlyList<TableBatchOperation> operations, CancellationToken cancellationToken)
    {
        var tableUri = new Uri(_service.ServiceUri.AbsoluteUri.TrimEnd('/') + "/" + Name);
        var batchBoundary = "batch_" + Guid.NewGuid().ToString("D");
        var body = TableBatchBody.Build(tableUri, operations, batchBoundary, "changeset_" + Guid.NewGuid().ToString("D"));
        using var message = _service.CreateMessage(RequestMethod.Post, "/$batch");
        message.Request.Headers.SetValue("Content-Type", "multipart/mixed; boundary=" + batchBoundary);
        message.Request.Content = RequestContent.Create(body);
        var description = $"a batch of {operations.Count} operations on '{Name}' partition '{operations[0].Entity.PartitionKey}'";
        var response = await _service.SendAsync(message, description, cancellationToken).ConfigureAwait(false);
        if (!response.Headers.TryGetValue("Content-Type", out var contentType))
        {
            throw new TableStorageException(response.Status, "Unknown", $"Table storage answered {description} without a Content-Type.");
        }

        try
        {
            return TableBatchResponse.Parse(contentType, response.Content.ToString(), operations.Count);
        }
        catch (FormatException exception)
        {
            throw new TableStorageException(response.Status, "MalformedBatchResponse", $"The answer to {description} could not be read: {exception.Message}", null, exception);
        }
    }

    private async Task<ETag> WriteAsync(RequestMethod method, TableEntity entity, ETag ifMatch, string verb, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entity);
        using var message = _service.CreateMessage(method, "/" + Name + TableKeys.EntityPath(entity.PartitionKey, entity.RowKey));
        if (ifMatch != default)
        {
            message.Request.Headers.SetValue("If-Match", ifMatch.ToString());
        }

        SetEntityContent(message, entity);
        var response = await _service.SendAsync(message, Describe(verb, entity), cancellationToken).ConfigureAwait(false);
        return ETagOf(response);
    }

    private static void SetEntityContent(HttpMessage message, TableEntity entity)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, TableEntityJson.WriterOptions))
        {
            TableEntityJson.Write(writer, entity);
        }

        message.Request.Headers.SetValue("Content-Type", "application/json");
        message.Request.Content = RequestContent.Create(buffer.WrittenMemory);
    }

    /// <summary>The $select value, always with the keys: a projection without them would give entities with no identity.</summary>
    private static string SelectText(IReadOnlyList<string> properties) =>
        string.Join(',', properties.Concat(["PartitionKey", "RowKey"]).Distinct(StringComparer.Ordinal));

    private static ETag ETagOf(Response response) =>
        response.Headers.TryGetValue("ETag", out var etag) ? new ETag(etag) : default;

    private string Describe(string verb, TableEntity entity) => $"{verb} {entity} in '{Name}'";
}
