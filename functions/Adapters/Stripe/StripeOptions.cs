using ServiceLedger.Functions.Configuration;

namespace ServiceLedger.Functions.Adapters.Stripe;

/// <summary>
/// How the app calls Stripe: the secret key (Key Vault in Azure) and the API base (Stripe, or the local peer in tests).
/// <see cref="ToString"/> never shows the key. Webhook secrets are separate (<see cref="StripeWebhookSecrets"/>), so
/// that receiving webhooks does not depend on the API key.
/// </summary>
public sealed class StripeOptions
{
    /// <summary>
    /// The API version every request pins (<c>Stripe-Version</c>). Register the webhook endpoint with the same version so
    /// that event payloads have the shapes this client reads (shared/reference/stripe.md §1.2).
    /// </summary>
    public const string ApiVersion = "2026-09-30.endive";

    /// <summary>Stripe's API host; paths are under <c>/v1/</c>.</summary>
    public static readonly Uri DefaultApiBase = new("https://api.stripe.com/");

    /// <summary>Creates options; <paramref name="secretKey"/> must look like a Stripe secret or restricted key.</summary>
    public StripeOptions(string secretKey, Uri? apiBase = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(secretKey);
        if (!secretKey.StartsWith("sk_", StringComparison.Ordinal) && !secretKey.StartsWith("rk_", StringComparison.Ordinal))
        {
            // The message names the setting, never the value.
            throw new ArgumentException($"{AppSettings.StripeSecretKey} must be a Stripe secret key (sk_...) or restricted key (rk_...).", nameof(secretKey));
        }

        SecretKey = secretKey;
        ApiBase = apiBase ?? DefaultApiBase;
    }

    /// <summary>The secret API key sent as a bearer token; never logged.</summary>
    public string SecretKey { get; }

    /// <summary>Base address of the API; requests go to <c>{ApiBase}v1/...</c>.</summary>
    public Uri ApiBase { get; }

    /// <summary>
    /// Reads <see cref="AppSettings.StripeSecretKey"/> and <see cref="AppSettings.StripeApiBase"/>.
    /// </summary>
    public static StripeOptions FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var secretKey = configuration[AppSettings.StripeSecretKey];
        if (string.IsNullOrWhiteSpace(secretKey))
        {
            throw new InvalidOperationException($"{AppSettings.StripeSecretKey} is not set: the app cannot call Stripe.");
        }

        var apiBase = configuration[AppSettings.StripeApiBase];
        return new StripeOptions(
            secretKey,
            string.IsNullOrWhiteSpace(apiBase) ? null : new Uri(apiBase.EndsWith('/') ? apiBase : apiBase + "/", UriKind.Absolute));
    }

    /// <inheritdoc />
    public override string ToString() => $"Stripe at {ApiBase} (version {ApiVersion})";
}
