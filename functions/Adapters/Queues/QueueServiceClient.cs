using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using NodaTime;
using ServiceLedger.Functions.Adapters.Storage;

namespace ServiceLedger.Functions.Adapters.Queues;

/// <summary>
/// The Queue service of one storage account: hands out <see cref="QueueClient"/>s sharing one HTTP pipeline. A
/// singleton whose small surface mirrors Azure.Storage.Queues' QueueServiceClient so the SDK can replace it in one place.
/// </summary>
public sealed class QueueServiceClient
{
    /// <summary>Most queues one listing request may return (service limit of maxresults).</summary>
    public const int MaxListResults = 5000;

    private static readonly XmlReaderSettings SafeXml = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
    };

    private readonly HttpPipeline _pipeline;

    /// <summary>Creates the client for <paramref name="account"/>'s Queue endpoint.</summary>
    public QueueServiceClient(StorageAccount account, StorageRequestCounter counter, IClock clock, ILogger<QueueServiceClient> logger)
        : this(account, StoragePipelines.Create(account, StorageService.Queue, counter, clock, logger))
    {
    }

    internal QueueServiceClient(StorageAccount account, HttpPipeline pipeline)
    {
        ArgumentNullException.ThrowIfNull(account);
        ServiceUri = account.QueueServiceUri;
        _pipeline = pipeline;
    }

    /// <summary>The Queue service endpoint, e.g. http://127.0.0.1:10001/devstoreaccount1.</summary>
    public Uri ServiceUri { get; }

    /// <summary>A client for one queue; throws <see cref="ArgumentException"/> for an invalid queue name.</summary>
    public QueueClient GetQueueClient(string queueName) => new(this, queueName);

    /// <summary>The names of at most <paramref name="maxResults"/> queues (first page only): a cheap reachability check.</summary>
    public async Task<IReadOnlyList<string>> GetQueueNamesAsync(int maxResults, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResults, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxResults, MaxListResults);
        using var message = CreateMessage(RequestMethod.Get, "/");
        message.Request.Uri.AppendQuery("comp", "list");
        message.Request.Uri.AppendQuery("maxresults", maxResults.ToString(CultureInfo.InvariantCulture));
        var response = await SendAsync(message, "list queues", cancellationToken).ConfigureAwait(false);
        var root = ParseXml(response);
        return root.Element("Queues")?.Elements("Queue").Select(queue => (string?)queue.Element("Name") ?? string.Empty).ToList()
            ?? [];
    }

    /// <summary>A message for <paramref name="path"/> (already escaped) under the service URI.</summary>
    internal HttpMessage CreateMessage(RequestMethod method, string path)
    {
        var message = _pipeline.CreateMessage();
        message.Request.Method = method;
        message.Request.Uri.Reset(new Uri(ServiceUri.AbsoluteUri.TrimEnd('/') + path));
        return message;
    }

    /// <summary>Sends; returns the response when it is a success, else throws <see cref="QueueStorageException"/>.</summary>
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

    /// <summary>The typed exception for an error response: code from the XML body, else the x-ms-error-code header.</summary>
    internal static QueueStorageException Error(Response response, string operation)
    {
        string? code = null;
        string? text = null;
        try
        {
            if (response.Content.ToMemory().Length > 0)
            {
                var root = ParseXml(response);
                code = (string?)root.Element("Code");
                text = (string?)root.Element("Message");
            }
        }
        catch (FormatException)
        {
            // Not an XML error body (e.g. a proxy's HTML page): fall back to the header and reason phrase.
        }

        code ??= response.Headers.TryGetValue("x-ms-error-code", out var header) ? header : "Unknown";
        var firstLine = (text ?? response.ReasonPhrase).Split('\n')[0].Trim();
        return new QueueStorageException(
            response.Status, code, $"Queue storage answered {response.Status} {code} to {operation}: {firstLine}");
    }

    /// <summary>The root element of an XML response, read with DTDs and external entities off.</summary>
    internal static XElement ParseXml(Response response)
    {
        try
        {
            using var reader = XmlReader.Create(response.Content.ToStream(), SafeXml);
            return XDocument.Load(reader).Root ?? throw new FormatException("The XML response has no root element.");
        }
        catch (XmlException exception)
        {
            throw new FormatException("Queue storage answered XML that could not be read: " + exception.Message, exception);
        }
    }
}
