using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace ServiceLedger.Functions.Auth;

/// <summary>Registers bearer authentication, the role policies and (in Development) the development issuer.</summary>
public static class AuthServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="AuthSettings"/> (validated when the app starts: see <see cref="AuthSettingsValidation"/>),
    /// the Entra ID metadata when an authority is set, <see cref="DevTokenIssuer"/> when it runs in this environment,
    /// <see cref="BearerTokenValidator"/>, the <see cref="BearerAuthenticationHandler"/> scheme, one policy per role
    /// (named by <see cref="CallerRoles.Name"/>) and the system <see cref="TimeProvider"/> unless one is registered.
    /// Settings are read when first needed, so test hosts may add configuration after this call.
    /// </summary>
    public static IServiceCollection AddCallerAuthentication(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<AuthSettings>()
            .Configure<IConfiguration>((settings, configuration) => Copy(AuthSettings.From(configuration), settings))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthSettings>, AuthSettingsValidation>();
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<AuthSettings>>().Value);
        // Both are optional services: a factory that answers null makes GetService return null (no authority configured,
        // or not Development), and a test host may register its own instance to replace either.
        services.TryAdd(ServiceDescriptor.Singleton(typeof(BaseConfigurationManager), sp =>
        {
            var settings = sp.GetRequiredService<AuthSettings>();
            return settings.HasAuthority
                ? new ConfigurationManager<OpenIdConnectConfiguration>(
                    settings.Authority!.TrimEnd('/') + "/.well-known/openid-configuration",
                    new OpenIdConnectConfigurationRetriever(),
                    new HttpDocumentRetriever { RequireHttps = true })
                : null!;
        }));
        services.TryAdd(ServiceDescriptor.Singleton(typeof(DevTokenIssuer), sp =>
        {
            var settings = sp.GetRequiredService<AuthSettings>();
            return settings.DevIssuerRunsIn(sp.GetRequiredService<IHostEnvironment>())
                ? new DevTokenIssuer(settings, sp.GetRequiredService<TimeProvider>())
                : null!;
        }));
        services.TryAddSingleton(sp => new BearerTokenValidator(
            sp.GetRequiredService<AuthSettings>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<BaseConfigurationManager>(),
            sp.GetService<DevTokenIssuer>()));

        services.AddAuthentication(BearerAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BearerAuthenticationHandler>(BearerAuthenticationHandler.SchemeName, _ => { });
        services.AddOptions<AuthenticationSchemeOptions>(BearerAuthenticationHandler.SchemeName)
            .Configure<TimeProvider>((options, clock) => options.TimeProvider = clock);
        services.AddAuthorization(options =>
        {
            foreach (var role in CallerRoles.All)
            {
                options.AddPolicy(CallerRoles.Name(role), Policy(role));
            }
        });
        return services;
    }

    /// <summary>Authentication then authorization, in that order; call after routing-independent middleware.</summary>
    public static IApplicationBuilder UseCallerAuthentication(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.UseAuthentication().UseAuthorization();
    }

    /// <summary>
    /// Requires an authenticated caller holding at least one of <paramref name="roles"/>: without a token 401, with a
    /// token but none of the roles 403. Tenant confinement is the endpoint's job (<see cref="CallerContext.CanSee"/>).
    /// </summary>
    public static TBuilder RequireRoles<TBuilder>(this TBuilder builder, params CallerRole[] roles)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (roles is null || roles.Length == 0)
        {
            throw new ArgumentException("Name at least one role; an endpoint open to any caller says AllowAnonymous.", nameof(roles));
        }

        return builder.RequireAuthorization(Policy(roles));
    }

    private static AuthorizationPolicy Policy(params CallerRole[] roles) =>
        new AuthorizationPolicyBuilder(BearerAuthenticationHandler.SchemeName)
            .RequireAuthenticatedUser()
            .RequireRole(roles.Select(CallerRoles.Name))
            .Build();

    private static void Copy(AuthSettings from, AuthSettings to)
    {
        to.Authority = from.Authority;
        to.Audience = from.Audience;
        to.DevIssuerEnabled = from.DevIssuerEnabled;
        to.DevIssuerSigningKey = from.DevIssuerSigningKey;
    }
}
