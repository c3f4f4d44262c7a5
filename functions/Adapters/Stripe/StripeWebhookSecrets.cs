using ServiceLedger.Functions.Configuration;

namespace ServiceLedger.Functions.Adapters.Stripe;

/// <summary>
/// The signing secrets of our webhook endpoint that a delivery may be signed with: normally one; two while a secret is
/// rolled (the setting then holds <c>whsec_new,whsec_old</c>; Stripe's secrets never contain commas). At most
/// <see cref="StripeWebhookSignature.MaxSecrets"/>. <see cref="ToString"/> never shows a secret.
/// </summary>
public sealed class StripeWebhookSecrets
{
    /// <summary>Holds <paramref name="secrets"/>; throws when there are none, or more than the verifier tries.</summary>
    public StripeWebhookSecrets(IReadOnlyList<string> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        if (secrets.Count == 0 || secrets.Count > StripeWebhookSignature.MaxSecrets || secrets.Any(string.IsNullOrWhiteSpace))
        {
            throw new InvalidOperationException(
                $"{AppSettings.StripeWebhookSecret} must hold 1 to {StripeWebhookSignature.MaxSecrets} comma-separated webhook signing secrets.");
        }

        Secrets = secrets;
    }

    /// <summary>The secrets, current first.</summary>
    public IReadOnlyList<string> Secrets { get; }

    /// <summary>Reads <see cref="AppSettings.StripeWebhookSecret"/>, splitting on commas and dropping blanks.</summary>
    public static StripeWebhookSecrets FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new StripeWebhookSecrets(
            (configuration[AppSettings.StripeWebhookSecret] ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    /// <inheritdoc />
    public override string ToString() => $"{Secrets.Count} webhook signing secret(s)";
}
