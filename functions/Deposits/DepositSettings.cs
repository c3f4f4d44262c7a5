using ServiceLedger.Functions.Configuration;

namespace ServiceLedger.Functions.Deposits;

/// <summary>
/// Where Stripe Checkout sends the merchant back to (<see cref="AppSettings.DepositsCheckoutSuccessUrl"/>,
/// <see cref="AppSettings.DepositsCheckoutCancelUrl"/>): absolute https URLs (http only for loopback, in tests). The
/// success page is only a courtesy: the deposit counts as paid when the webhook says so, never on the redirect.
/// </summary>
public sealed class DepositSettings
{
    /// <summary>Creates the settings; throws when either URL is not absolute https (or http on loopback).</summary>
    public DepositSettings(Uri successUrl, Uri cancelUrl)
    {
        SuccessUrl = Check(successUrl, AppSettings.DepositsCheckoutSuccessUrl);
        CancelUrl = Check(cancelUrl, AppSettings.DepositsCheckoutCancelUrl);
    }

    /// <summary>The page after payment; may contain <c>{CHECKOUT_SESSION_ID}</c>, which Stripe fills in.</summary>
    public Uri SuccessUrl { get; }

    /// <summary>The page when the merchant gives up.</summary>
    public Uri CancelUrl { get; }

    /// <summary>Reads both settings; a missing or malformed one fails at first use with a message naming the key.</summary>
    public static DepositSettings FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new DepositSettings(Read(configuration, AppSettings.DepositsCheckoutSuccessUrl), Read(configuration, AppSettings.DepositsCheckoutCancelUrl));
    }

    private static Uri Read(IConfiguration configuration, string key) =>
        Uri.TryCreate(configuration[key], UriKind.Absolute, out var uri)
            ? uri
            : throw new InvalidOperationException($"{key} is not set to an absolute URL: Stripe Checkout needs it to send the merchant back.");

    private static Uri Check(Uri uri, string key)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback)
            ? uri
            : throw new InvalidOperationException($"{key} must be an https URL (http only on loopback).");
    }
}
