namespace ServiceLedger.Functions.Configuration;

/// <summary>
/// Every configuration key the app reads, in one place. In Azure app settings a ':' is written '__'.
/// The infrastructure tests check that infra/ sets each of these (and nothing the app does not read).
/// </summary>
public static class AppSettings
{
    /// <summary>A storage connection string (Azurite, or an account key in a dev subscription). Takes precedence.</summary>
    public const string StorageConnectionString = "Storage:ConnectionString";

    /// <summary>Table endpoint for identity-based access, e.g. https://acct.table.core.windows.net.</summary>
    public const string StorageTableServiceUri = "Storage:TableServiceUri";

    /// <summary>Queue endpoint for identity-based access, e.g. https://acct.queue.core.windows.net.</summary>
    public const string StorageQueueServiceUri = "Storage:QueueServiceUri";

    /// <summary>Client id of a user-assigned managed identity; empty means the system-assigned identity.</summary>
    public const string AzureClientId = "AZURE_CLIENT_ID";
}
