using System.Text.Json;

namespace ServiceLedger.Api.Tests.Hosting;

/// <summary>Files of the repository the tests read (function.json files, host.json).</summary>
internal static class Repository
{
    /// <summary>The repository root: the nearest ancestor of the test binaries holding Serverless.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>host.json's extensions.http.routePrefix ("api" when absent, the host's default).</summary>
    public static string RoutePrefix
    {
        get
        {
            using var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "host.json")));
            return host.RootElement.TryGetProperty("extensions", out var e) && e.TryGetProperty("http", out var h)
                && h.TryGetProperty("routePrefix", out var p) ? p.GetString()! : "api";
        }
    }

    /// <summary>Every functions/definitions/&lt;Name&gt;/function.json, parsed.</summary>
    public static IReadOnlyList<FunctionDefinition> FunctionDefinitions()
    {
        var prefix = RoutePrefix;
        return Directory.GetDirectories(Path.Combine(Root, "functions", "definitions"))
            .Order(StringComparer.Ordinal)
            .Select(folder => FunctionDefinition.Parse(Path.GetFileName(folder), File.ReadAllText(Path.Combine(folder, "function.json")), prefix))
            .ToList();
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Serverless.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Serverless.sln above {AppContext.BaseDirectory}; the tests read the repository's files.");
    }
}
