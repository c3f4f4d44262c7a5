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

    /// <summary>The OIDC authority that issues callers' tokens, e.g. https://login.microsoftonline.com/{tenant-id}/v2.0.</summary>
    public const string AuthAuthority = "Auth:Authority";

    /// <summary>The audience callers' tokens must carry: the API app registration's client id (or application id URI).</summary>
    public const string AuthAudience = "Auth:Audience";

    /// <summary>true/false: the development token issuer; unset means on in Development only. Refused outside Development.</summary>
    [NotProvisioned("Development only: the app refuses to start with the development issuer outside Development.")]
    public const string AuthDevIssuerEnabled = "Auth:DevIssuer:Enabled";

    /// <summary>Base64 PKCS#8 P-256 private key for the development issuer, so local tokens survive restarts; unset means a fresh key per start.</summary>
    [NotProvisioned("Development only: Azure uses Entra ID tokens, never the development issuer.")]
    public const string AuthDevIssuerSigningKey = "Auth:DevIssuer:SigningKey";

    /// <summary>Fixed local port when no Functions host is present; unset means a free port (the run command sets one).</summary>
    [NotProvisioned("Local runs only: under the Functions host the app listens on FUNCTIONS_CUSTOMHANDLER_PORT, which the host sets.")]
    public const string LocalPort = "Local:Port";

    /// <summary>"true" to poll the trigger queues and fire timers in-process when no Functions host is present.</summary>
    [NotProvisioned("Local runs only: in Azure the Functions host runs the triggers, and the pump never starts when FUNCTIONS_CUSTOMHANDLER_PORT is set.")]
    public const string LocalTriggerPump = "Local:TriggerPump";

    /// <summary>"true" to create every table and queue in StorageNames at startup (Azurite).</summary>
    [NotProvisioned("Local runs only: in Azure infra/storage.json and the Bicep templates create the tables and queues.")]
    public const string LocalProvisionStorage = "Local:ProvisionStorage";

    /// <summary>true/false: seed the demo data set (a vendor, a merchant, an active contract, last month settled) at startup; Development only.</summary>
    [NotProvisioned("Local runs only: the demo data set is seeded by the run command in Development, never in Azure.")]
    public const string LocalSeedDemo = "Local:SeedDemo";

    /// <summary>Annual contract value above which finance must approve, as an amount and currency, e.g. "1000000.00 CNY".</summary>
    public const string ContractsFinanceApprovalThreshold = "Contracts:FinanceApprovalThreshold";

    /// <summary>Annual contract value above which an executive must approve too, e.g. "5000000.00 CNY".</summary>
    public const string ContractsExecutiveApprovalThreshold = "Contracts:ExecutiveApprovalThreshold";

    /// <summary>Where Stripe Checkout sends the merchant after paying a deposit (https; may contain {CHECKOUT_SESSION_ID}).</summary>
    public const string DepositsCheckoutSuccessUrl = "Deposits:CheckoutSuccessUrl";

    /// <summary>Where Stripe Checkout sends the merchant who gives up paying a deposit (https).</summary>
    public const string DepositsCheckoutCancelUrl = "Deposits:CheckoutCancelUrl";

    /// <summary>Base address of the Stripe API; unset means https://api.stripe.com/. Tests point it at the local Stripe peer.</summary>
    [NotProvisioned("Tests and local runs only: in Azure the app calls Stripe's own API, which is the default.")]
    public const string StripeApiBase = "Stripe:ApiBase";

    /// <summary>Working days finance has to start reviewing an open dispute before the timer escalates it (default 5).</summary>
    public const string DisputesOpenWorkingDays = "Disputes:OpenWorkingDays";

    /// <summary>
    /// Milliseconds a process gathers the outcomes of the contracts it settles before writing them in one transaction per run
    /// (0 to 1,000; default 20; 0 writes each alone). See docs/settlement-runs.md, "Outcome rows".
    /// </summary>
    public const string SettlementOutcomeBatchMilliseconds = "Settlement:OutcomeBatchMilliseconds";

    /// <summary>Working days finance has to resolve a dispute under review before the timer escalates it (default 10).</summary>
    public const string DisputesUnderReviewWorkingDays = "Disputes:UnderReviewWorkingDays";

    /// <summary>Working days mediation has to resolve an escalated dispute, shown as its deadline (default 20).</summary>
    public const string DisputesEscalatedWorkingDays = "Disputes:EscalatedWorkingDays";
}
