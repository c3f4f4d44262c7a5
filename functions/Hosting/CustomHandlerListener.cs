using System.Net;

namespace ServiceLedger.Functions.Hosting;

/// <summary>Chooses the one loopback address the process listens on.</summary>
public static class CustomHandlerListener
{
    /// <summary>Set by the Functions host for the custom handler it starts (azure.md 1.3).</summary>
    public const string FunctionsPortVariable = "FUNCTIONS_CUSTOMHANDLER_PORT";

    /// <summary>Configuration key for a fixed local port when no Functions host is present.</summary>
    public const string LocalPortSetting = Configuration.AppSettings.LocalPort;

    /// <summary>
    /// Listens on 127.0.0.1 at FUNCTIONS_CUSTOMHANDLER_PORT when the Functions host started us, else at Local:Port,
    /// else at a free port. The host always calls 127.0.0.1, and locally nothing should listen beyond loopback.
    /// </summary>
    public static WebApplicationBuilder ListenWhereTheFunctionsHostExpects(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var port = ChoosePort(
            Environment.GetEnvironmentVariable(FunctionsPortVariable),
            builder.Configuration[LocalPortSetting]);
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        return builder;
    }

    /// <summary>The port to listen on: the host's, else the configured one, else 0 (Kestrel picks a free one).</summary>
    public static int ChoosePort(string? functionsHostPort, string? configuredPort)
    {
        foreach (var candidate in new[] { functionsHostPort, configuredPort })
        {
            if (string.IsNullOrWhiteSpace(candidate))
            {
                continue;
            }

            if (!int.TryParse(candidate, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port)
                || port is < 0 or > IPEndPoint.MaxPort)
            {
                throw new InvalidOperationException($"Port '{candidate}' is not a TCP port number (0-65535).");
            }

            return port;
        }

        return 0;
    }
}
