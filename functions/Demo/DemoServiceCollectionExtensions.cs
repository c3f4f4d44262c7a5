namespace ServiceLedger.Functions.Demo;

using ServiceLedger.Functions.Configuration;

/// <summary>Registers the demo data set's seeder, which runs at startup only in Development with Local:SeedDemo=true.</summary>
public static class DemoServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="DemoSeeder"/> and the startup service that runs it. Register after storage provisioning
    /// (<c>AddFunctionHost</c>), so that the tables exist when it seeds.
    /// </summary>
    public static IServiceCollection AddDemo(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<DemoSeeder>();
        services.AddHostedService<DemoSeeding>();
        return services;
    }
}

/// <summary>
/// Seeds the demo data set once at startup when <see cref="AppSettings.LocalSeedDemo"/> is true in Development, and logs
/// its ids with ready-to-paste requests. A failure stops the start: a half-seeded demo would mislead more than none.
/// </summary>
internal sealed class DemoSeeding(IConfiguration configuration, IHostEnvironment environment, IServiceProvider services, ILogger<DemoSeeding> logger)
    : IHostedService
{
    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!configuration.GetValue<bool>(AppSettings.LocalSeedDemo))
        {
            return;
        }

        if (!environment.IsDevelopment())
        {
            logger.LogWarning("{Setting} is ignored outside Development.", AppSettings.LocalSeedDemo);
            return;
        }

        var demo = await services.GetRequiredService<DemoSeeder>().SeedAsync(cancellationToken).ConfigureAwait(false);
        var port = configuration[AppSettings.LocalPort] ?? "PORT";
        logger.LogInformation("{Demo}", Describe(demo, $"http://127.0.0.1:{port}"));
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The demo's ids and the requests that read its statements, with development tokens (README "Calling the API with a token").</summary>
    internal static string Describe(DemoData demo, string baseUrl) => string.Join('\n',
        $"Demo data ({(demo.Writes == 0 ? "already seeded" : $"{demo.Writes} writes")}): merchant {demo.Merchant}, vendor {demo.Vendor}, contract {demo.Contract}, period {demo.Period}, statement {demo.Statement}",
        "Once the run has settled (a few seconds), paste:",
        $"  BASE={baseUrl}",
        "  token() { curl -s -X POST \"$BASE/api/dev/tokens\" -H 'Content-Type: application/json' -d \"$1\" | node -pe 'JSON.parse(require(\"fs\").readFileSync(0, \"utf8\")).accessToken'; }",
        $"  MERCHANT=$(token '{{\"role\":\"merchant\",\"partyId\":\"{demo.Merchant}\"}}'); VENDOR=$(token '{{\"role\":\"vendor\",\"partyId\":\"{demo.Vendor}\"}}')",
        $"  curl -s -H \"Authorization: Bearer $MERCHANT\" $BASE/api/statements/{demo.Statement}",
        $"  curl -s -H \"Authorization: Bearer $MERCHANT\" -o statement.pdf $BASE/api/statements/{demo.Statement}.pdf",
        $"  curl -s -H \"Authorization: Bearer $VENDOR\" $BASE/api/vendors/{demo.Vendor}/commission-statements/{demo.Period}");
}
