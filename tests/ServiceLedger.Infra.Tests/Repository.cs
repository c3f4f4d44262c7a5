using System.Text.Json;
using ServiceLedger.Infra.Tests.Bicep;

namespace ServiceLedger.Infra.Tests;

/// <summary>The repository's files that describe the Azure deployment, found from the test's output folder.</summary>
internal static class Repository
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    public static string Root => LazyRoot.Value;

    public static string Infra => Path.Combine(Root, "infra");

    public static string MainBicepPath => Path.Combine(Infra, "main.bicep");

    public static BicepFile Main => BicepFile.Load(MainBicepPath);

    public static BicepFile Module(string fileName) => BicepFile.Load(Path.Combine(Infra, "modules", fileName));

    /// <summary>Every .bicep file under infra/ (main and modules).</summary>
    public static IReadOnlyList<BicepFile> BicepFiles =>
        [.. Directory.GetFiles(Infra, "*.bicep", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(BicepFile.Load)];

    /// <summary>Every .bicepparam file under infra/env/.</summary>
    public static IReadOnlyList<BicepFile> ParameterFiles =>
        [.. Directory.GetFiles(Path.Combine(Infra, "env"), "*.bicepparam").Order(StringComparer.Ordinal).Select(BicepFile.Load)];

    /// <summary>Every file under infra/, whatever its kind.</summary>
    public static IReadOnlyList<string> AllInfraFiles =>
        [.. Directory.GetFiles(Infra, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];

    public static JsonElement Json(string pathUnderInfra)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Infra, pathUnderInfra)));
        return document.RootElement.Clone();
    }

    public static string Text(string pathUnderRoot) => File.ReadAllText(Path.Combine(Root, pathUnderRoot));

    public static string Relative(string path) => Path.GetRelativePath(Root, path).Replace('\\', '/');

    private static string FindRoot()
    {
        // Bounded walk up from bin/<config>/<tfm>/: the solution file marks the repository root.
        const int MaxLevels = 12;
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        for (var level = 0; level < MaxLevels && directory is not null; level++, directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Serverless.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Serverless.sln above {AppContext.BaseDirectory}.");
    }
}
