using System.Text.Json.Nodes;
using ServiceLedger.TestSupport.Azurite;

namespace ServiceLedger.TestSupport.Stripe;

/// <summary>
/// Stripe's example objects (stripe/openapi <c>fixtures3.json</c>, MIT). The repository carries a verbatim copy of the
/// resources the peer serves (<see cref="RepositoryPath"/>), so a fresh clone in any folder runs the tests; the project's
/// shared reference folder (<see cref="RelativePath"/>, beside or above the repository) is the fallback. The local Stripe
/// peer answers with copies of these, so its answers have every field the real API sends.
/// </summary>
public static class StripeFixtures
{
    /// <summary>Where the file lies below the shared folder.</summary>
    public const string RelativePath = "shared/reference/stripe/fixtures3.json";

    /// <summary>The copy inside the repository, relative to its root.</summary>
    public const string RepositoryPath = "tests/ServiceLedger.TestSupport/Stripe/stripe-fixtures.json";

    private static readonly Lazy<JsonObject> Resources = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>A fresh copy of the example object of <paramref name="resource"/> (<c>checkout.session</c>, <c>refund</c>, …).</summary>
    public static JsonObject Copy(string resource) =>
        Resources.Value[resource]?.DeepClone().AsObject()
        ?? throw new InvalidOperationException($"fixtures3.json has no resource '{resource}'.");

    /// <summary>The fixture file: the repository's copy, else the first <see cref="RelativePath"/> found walking up from the repository root.</summary>
    public static string FindFile()
    {
        var root = AzuriteInstance.FindRepositoryRoot();
        var inRepository = Path.Combine(root, RepositoryPath);
        if (File.Exists(inRepository))
        {
            return inRepository;
        }

        for (var directory = new DirectoryInfo(root); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, RelativePath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            $"{RelativePath} and {RepositoryPath} were not found in {root} or any folder above it. The Stripe peer needs Stripe's example " +
            "objects from the project's shared reference folder; tests never skip.");
    }

    private static JsonObject Load()
    {
        var document = JsonNode.Parse(File.ReadAllText(FindFile()))?.AsObject()
            ?? throw new InvalidOperationException("fixtures3.json is empty.");
        return document["resources"]?.AsObject() ?? throw new InvalidOperationException("fixtures3.json has no 'resources'.");
    }
}
