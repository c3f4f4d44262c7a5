using Azure.Core;
using Azure.Identity;
using ServiceLedger.Functions.Configuration;

namespace ServiceLedger.Functions.Adapters.Storage;

/// <summary>
/// Where storage is and how requests prove who they are: Shared Key (a connection string; Azurite, dev accounts) or an
/// Entra ID token (managed identity in Azure). Built from configuration through <see cref="AppSettings"/> keys.
/// </summary>
public sealed class StorageAccount
{
    /// <summary>The scope of an Entra ID token for Azure Storage (azure.md 2.8).</summary>
    public const string TokenScope = "https://storage.azure.com/.default";

    private StorageAccount(Uri tableServiceUri, Uri queueServiceUri, StorageSharedKey? sharedKey, TokenCredential? credential)
    {
        TableServiceUri = tableServiceUri;
        QueueServiceUri = queueServiceUri;
        SharedKey = sharedKey;
        Credential = credential;
    }

    /// <summary>The Table service endpoint (no trailing slash).</summary>
    public Uri TableServiceUri { get; }

    /// <summary>The Queue service endpoint (no trailing slash).</summary>
    public Uri QueueServiceUri { get; }

    /// <summary>The key that signs requests, when access is by Shared Key; otherwise null.</summary>
    internal StorageSharedKey? SharedKey { get; }

    /// <summary>The credential that obtains bearer tokens, when access is by identity; otherwise null.</summary>
    internal TokenCredential? Credential { get; }

    /// <summary>A connection string account (Shared Key).</summary>
    public static StorageAccount FromConnectionString(string connectionString)
    {
        var parsed = StorageConnectionString.Parse(connectionString);
        return new StorageAccount(parsed.TableServiceUri, parsed.QueueServiceUri, parsed.SharedKey, null);
    }

    /// <summary>An identity-based account: bearer tokens from <paramref name="credential"/>; the endpoints must be https.</summary>
    public static StorageAccount FromTokenCredential(Uri tableServiceUri, Uri queueServiceUri, TokenCredential credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        return new StorageAccount(
            RequireHttps(tableServiceUri, AppSettings.StorageTableServiceUri),
            RequireHttps(queueServiceUri, AppSettings.StorageQueueServiceUri),
            null,
            credential);
    }

    /// <summary>
    /// Reads <see cref="AppSettings.StorageConnectionString"/> (takes precedence); otherwise
    /// <see cref="AppSettings.StorageTableServiceUri"/> and <see cref="AppSettings.StorageQueueServiceUri"/> with a
    /// <see cref="ManagedIdentityCredential"/> for the user-assigned identity in <see cref="AppSettings.AzureClientId"/>,
    /// or <see cref="DefaultAzureCredential"/> when no client id is set (system identity in Azure, developer sign-in locally).
    /// Throws <see cref="InvalidOperationException"/> naming the settings when neither is configured.
    /// </summary>
    public static StorageAccount FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var connectionString = configuration[AppSettings.StorageConnectionString];
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            try
            {
                return FromConnectionString(connectionString);
            }
            catch (FormatException exception)
            {
                throw new InvalidOperationException($"{AppSettings.StorageConnectionString}: {exception.Message}", exception);
            }
        }

        var tableUri = configuration[AppSettings.StorageTableServiceUri];
        var queueUri = configuration[AppSettings.StorageQueueServiceUri];
        if (string.IsNullOrWhiteSpace(tableUri) || string.IsNullOrWhiteSpace(queueUri))
        {
            throw new InvalidOperationException(
                $"Storage is not configured: set {AppSettings.StorageConnectionString} (Azurite or an account key), or " +
                $"both {AppSettings.StorageTableServiceUri} and {AppSettings.StorageQueueServiceUri} (managed identity).");
        }

        var clientId = configuration[AppSettings.AzureClientId];
        TokenCredential credential = string.IsNullOrWhiteSpace(clientId)
            ? new DefaultAzureCredential()
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
        return FromTokenCredential(ParseUri(tableUri, AppSettings.StorageTableServiceUri), ParseUri(queueUri, AppSettings.StorageQueueServiceUri), credential);
    }

    /// <summary>Says how requests authenticate, without any secret (for logs and diagnostics).</summary>
    public override string ToString() => SharedKey is not null
        ? $"Shared Key for account '{SharedKey.AccountName}' at {TableServiceUri} and {QueueServiceUri}"
        : $"{Credential!.GetType().Name} tokens at {TableServiceUri} and {QueueServiceUri}";

    private static Uri ParseUri(string text, string setting) =>
        Uri.TryCreate(text.Trim().TrimEnd('/'), UriKind.Absolute, out var uri)
            ? uri
            : throw new InvalidOperationException($"{setting} is not an absolute URI.");

    private static Uri RequireHttps(Uri uri, string setting)
    {
        ArgumentNullException.ThrowIfNull(uri);
        // Bearer tokens must never travel in clear text; Azure.Core refuses it too, but later and less clearly.
        return uri.Scheme == Uri.UriSchemeHttps && string.IsNullOrEmpty(uri.Query)
            ? new Uri(uri.AbsoluteUri.TrimEnd('/'))
            : throw new InvalidOperationException($"{setting} must be an https URI without a query when using an identity.");
    }
}
