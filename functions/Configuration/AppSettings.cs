namespace ServiceLedger.Functions.Configuration;

/// <summary>
/// Every configuration key the app reads, in one place. In Azure app settings a ':' is written '__'.
/// The infrastructure tests check that infra/ sets each of these (and nothing the app does not read), except keys marked
/// <see cref="NotProvisionedAttribute"/>; keys marked <see cref="SecretAttribute"/> must be Key Vault references there.
/// </summary>
public static class AppSettings
{
    /// <summary>A storage connection string (Azurite, or an account key in a dev subscription). Takes precedence.</summary>
    [NotProvisioned("Local runs and tests (Azurite) only: in Azure the app uses the identity-based endpoints, and the account refuses shared keys.")]
    public const string StorageConnectionString = "Storage:ConnectionString";

    /// <summary>Table endpoint for identity-based access, e.g. https://acct.table.core.windows.net.</summary>
    public const string StorageTableServiceUri = "Storage:TableServiceUri";

    /// <summary>Queue endpoint for identity-based access, e.g. https://acct.queue.core.windows.net.</summary>
    public const string StorageQueueServiceUri = "Storage:QueueServiceUri";

    /// <summary>Client id of a user-assigned managed identity; empty means the system-assigned identity.</summary>
    [NotProvisioned("The Function App uses its system-assigned identity, which is what an unset client id selects.")]
    public const string AzureClientId = "AZURE_CLIENT_ID";

    /// <summary>Stripe secret API key, used to call the Stripe API. In Azure a Key Vault reference.</summary>
    [Secret]
    public const string StripeSecretKey = "Stripe:SecretKey";

    /// <summary>Signing secret of our Stripe webhook endpoint, used to verify deliveries. In Azure a Key Vault reference.</summary>
    [Secret]
    public const string StripeWebhookSecret = "Stripe:WebhookSecret";

    /// <summary>Base address of the Stripe API; unset means https://api.stripe.com/. Tests point it at the local Stripe peer.</summary>
    [NotProvisioned("Tests and local runs only: in Azure the app calls Stripe's own API, which is the default.")]
    public const string StripeApiBase = "Stripe:ApiBase";
}
