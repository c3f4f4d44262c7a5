using Microsoft.Extensions.Options;
using ServiceLedger.Functions.Configuration;

namespace ServiceLedger.Functions.Auth;

/// <summary>
/// How callers are authenticated, read from <see cref="AppSettings.AuthAuthority"/>, <see cref="AppSettings.AuthAudience"/>
/// and the development issuer settings. Checked when the app starts (<see cref="AuthSettingsValidation"/>).
/// </summary>
public sealed class AuthSettings
{
    /// <summary>The audience development tokens carry when <see cref="Audience"/> is not set (local runs and tests).</summary>
    public const string DevelopmentAudience = "api://serviceledger-dev";

    /// <summary>The OIDC authority, e.g. https://login.microsoftonline.com/{tenant}/v2.0; null when not configured.</summary>
    public string? Authority { get; set; }

    /// <summary>The audience tokens must carry (the API app registration's client id or application id URI).</summary>
    public string? Audience { get; set; }

    /// <summary>Whether the development issuer is on; null means "on in Development, off elsewhere".</summary>
    public bool? DevIssuerEnabled { get; set; }

    /// <summary>An optional base64 PKCS#8 P-256 private key for the development issuer (tokens survive restarts).</summary>
    public string? DevIssuerSigningKey { get; set; }

    /// <summary>The audience actually required: <see cref="Audience"/>, else <see cref="DevelopmentAudience"/>.</summary>
    public string EffectiveAudience => string.IsNullOrWhiteSpace(Audience) ? DevelopmentAudience : Audience;

    /// <summary>True when an OIDC authority (Entra ID) is configured.</summary>
    public bool HasAuthority => !string.IsNullOrWhiteSpace(Authority);

    /// <summary>Whether the development issuer runs in <paramref name="environment"/>.</summary>
    public bool DevIssuerRunsIn(IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return DevIssuerEnabled ?? environment.IsDevelopment();
    }

    /// <summary>Reads the settings from configuration.</summary>
    public static AuthSettings From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var enabled = configuration[AppSettings.AuthDevIssuerEnabled];
        return new AuthSettings
        {
            Authority = configuration[AppSettings.AuthAuthority],
            Audience = configuration[AppSettings.AuthAudience],
            DevIssuerEnabled = string.IsNullOrWhiteSpace(enabled)
                ? null
                : bool.TryParse(enabled, out var on)
                    ? on
                    : throw new InvalidOperationException($"{AppSettings.AuthDevIssuerEnabled} must be true or false, not '{enabled}'."),
            DevIssuerSigningKey = configuration[AppSettings.AuthDevIssuerSigningKey],
        };
    }
}

/// <summary>
/// Refuses to start a misconfigured app: the development issuer outside Development (anyone could mint tokens), or a
/// non-Development app without an authority and audience (no caller could be authenticated).
/// </summary>
public sealed class AuthSettingsValidation(IHostEnvironment environment) : IValidateOptions<AuthSettings>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, AuthSettings options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var development = environment.IsDevelopment();
        if (options.DevIssuerRunsIn(environment) && !development)
        {
            failures.Add(
                $"The development token issuer is enabled ({AppSettings.AuthDevIssuerEnabled}) in environment " +
                $"'{environment.EnvironmentName}'. It may run only in Development: remove the setting.");
        }

        if (!development && (!options.HasAuthority || string.IsNullOrWhiteSpace(options.Audience)))
        {
            failures.Add(
                $"Environment '{environment.EnvironmentName}' needs {AppSettings.AuthAuthority} (e.g. " +
                $"https://login.microsoftonline.com/<tenant-id>/v2.0) and {AppSettings.AuthAudience} (the API app " +
                "registration's client id) to authenticate callers; see docs/auth.md.");
        }

        if (options.HasAuthority && !(Uri.TryCreate(options.Authority, UriKind.Absolute, out var authority) && authority.Scheme == Uri.UriSchemeHttps))
        {
            failures.Add($"{AppSettings.AuthAuthority} must be an absolute https URL, not '{options.Authority}'.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
