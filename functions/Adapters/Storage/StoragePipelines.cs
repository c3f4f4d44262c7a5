using Azure.Core;
using Azure.Core.Pipeline;
using NodaTime;

namespace ServiceLedger.Functions.Adapters.Storage;

/// <summary>
/// Builds the Azure.Core pipelines for the Table and Queue adapters: client request ids (x-ms-client-request-id),
/// bounded exponential retries on 408/429/5xx and transport faults, the service version headers, request counting,
/// authentication (Shared Key or bearer token) and logging that never shows secrets.
/// </summary>
internal static class StoragePipelines
{
    /// <summary>Table service version: JSON-only era, bearer-capable, accepted by Azurite 3.37 (azure.md 2.2, 2.9).</summary>
    public const string TableServiceVersion = "2020-12-06";

    /// <summary>Queue service version: at least 2019-12-12 for bearer challenges, accepted by Azurite 3.37 (azure.md 3.3).</summary>
    public const string QueueServiceVersion = "2021-12-02";

    /// <summary>Retries after the first attempt; the back-off delays below add up to about 3 s before a call gives up.</summary>
    public const int MaxRetries = 4;

    /// <summary>First back-off delay; doubles (with jitter) per retry.</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest single back-off delay.</summary>
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(4);

    /// <summary>How long one attempt may wait for the service; the service's own operation limit is 30 s.</summary>
    public static readonly TimeSpan NetworkTimeout = TimeSpan.FromSeconds(35);

    /// <summary>Creates the pipeline for one service of an account.</summary>
    public static HttpPipeline Create(
        StorageAccount account,
        StorageService service,
        StorageRequestCounter counter,
        IClock clock,
        ILogger logger,
        HttpPipelineTransport? transport = null)
    {
        ArgumentNullException.ThrowIfNull(account);
        var options = new StorageClientOptions();
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.MaxRetries = MaxRetries;
        options.Retry.Delay = RetryDelay;
        options.Retry.MaxDelay = MaxRetryDelay;
        options.Retry.NetworkTimeout = NetworkTimeout;
        options.Diagnostics.ApplicationId = "service-ledger";

        // Azure.Core's own EventSource logging redacts Authorization and query values by default; keep it that way.
        options.Diagnostics.IsLoggingContentEnabled = false;
        if (transport is not null)
        {
            options.Transport = transport;
        }

        HttpPipelinePolicy[] perCall = [new StorageHeadersPolicy(VersionHeaders(service))];
        HttpPipelinePolicy authentication = account.SharedKey is { } sharedKey
            ? service == StorageService.Table
                ? new TableSharedKeyPolicy(sharedKey, clock)
                : new QueueSharedKeyPolicy(sharedKey, clock)
            : new BearerTokenAuthenticationPolicy(account.Credential!, StorageAccount.TokenScope);

        // Per retry, in this order: count the attempt, sign it last-but-one (after every x-ms-* header is set), log it.
        HttpPipelinePolicy[] perRetry =
        [
            new StorageRequestCountingPolicy(counter, service),
            authentication,
            new StorageLoggingPolicy(logger, service),
        ];
        return HttpPipelineBuilder.Build(options, perCall, perRetry, new ResponseClassifier());
    }

    private static KeyValuePair<string, string>[] VersionHeaders(StorageService service) => service == StorageService.Table
        ?
        [
            KeyValuePair.Create("x-ms-version", TableServiceVersion),
            KeyValuePair.Create("DataServiceVersion", "3.0;NetFx"),
            KeyValuePair.Create("MaxDataServiceVersion", "3.0;NetFx"),
        ]
        : [KeyValuePair.Create("x-ms-version", QueueServiceVersion)];

    /// <summary>Azure.Core options for our storage pipelines.</summary>
    private sealed class StorageClientOptions : ClientOptions;
}
