using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using NodaTime;
using ServiceLedger.Functions.Adapters.Storage;

namespace ServiceLedger.Functions.Adapters.Tables;

/// <summary>
/// The Table service of one storage account: hands out <see cref="TableClient"/>s that share one HTTP pipeline
/// (retries, signing, counting, logging). A singleton. The small surface mirrors Azure.Data.Tables'
/// TableServiceClient so that the official SDK can replace this adapter in one place.
/// </summary>
public sealed class TableServiceClient
{
    private readonly HttpPipeline _pipeline;

    /// <summary>Creates the client for <paramref name="account"/>'s Table endpoint.</summary>
    public TableServiceClient(StorageAccount account, StorageRequestCounter counter, IClock clock, ILogger<TableServiceClient> logger)
        : this(account, StoragePipelines.Create(account, StorageService.Table, counter, clock, logger))
    {
    }

    internal TableServiceClient(StorageAccount account, HttpPipeline pipeline)
    {
        ArgumentNullException.ThrowIfNull(account);
        ServiceUri = account.TableServiceUri;
        _pipeline = pipeline;
    }

    /// <summary>The Table service endpoint, e.g. http://127.0.0.1:10002/devstoreaccount1.</summary>
    public Uri ServiceUri { get; }

    /// <summary>A client for one table; throws <see cref="ArgumentException"/> for an invalid table name.</summary>
    public TableClient GetTableClient(string tableName) => new(this, tableName);

    /// <summary>
    /// The names of at most <paramref name="maxResults"/> tables (one request, first page only): a cheap call that
    /// proves the service answers and accepts our credentials.
    /// </summary>
    public async Task<IReadOnlyList<string>> GetTableNamesAsync(int maxResults, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResults, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxResults, TableQuery.MaxPageSize);
        using var message = CreateMessage(RequestMethod.Get, "/Tables");
        message.Request.Uri.AppendQuery("$top", maxResults.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var response = await SendAsync(message, "list tables", cancellationToken).ConfigureAwait(false);
        using var document = JsonDocument.Parse(response.Content.ToMemory());
        var names = new List<string>();
        if (document.RootElement.TryGetProperty("value", out var tables))
        {
            foreach (var table in tables.EnumerateArray())
            {
                names.Add(table.GetProperty("TableName").GetString()!);
            }
        }

        return names;
    }

    /// <summary>A message for <paramref name="pathAndQuery"/> (already escaped) under the service URI, asking for minimal-metadata JSON.</summary>
    internal HttpMessage CreateMessage(RequestMethod method, string pathAndQuery)
    {
        var message = _pipeline.CreateMessage();
        message.Request.Method = method;
        message.Request.Uri.Reset(new Uri(ServiceUri.AbsoluteUri.TrimEnd('/') + pathAndQuery));
        message.Request.Headers.SetValue("Accept", TableClient.JsonAccept);
        return message;
    }

    /// <summary>Sends; returns the response when it is a success, else throws <see cref="TableStorageException"/>.</summary>
    internal async Task<Response> SendAsync(HttpMessage message, string operation, CancellationToken cancellationToken)
    {
        var response = await SendAllowingErrorsAsync(message, cancellationToken).ConfigureAwait(false);
        return response.Status is >= 200 and < 300 ? response : throw Error(response, operation);
    }

    /// <summary>Sends and returns whatever storage answered.</summary>
    internal async Task<Response> SendAllowingErrorsAsync(HttpMessage message, CancellationToken cancellationToken)
    {
        await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return message.Response;
    }

    /// <summary>The typed exception for an error response, with the storage error code from the body or header.</summary>
    internal static TableStorageException Error(Response response, string operation)
    {
        var (code, message) = TableBatchResponse.ReadODataError(response.Content.ToString());
        code ??= response.Headers.TryGetValue("x-ms-error-code", out var header) ? header : "Unknown";
        return new TableStorageException(
            response.Status,
            code,
            $"Table storage answered {response.Status} {code} to {operation}: {message ?? response.ReasonPhrase}");
    }
}
