namespace ServiceLedger.Domain.Tests;

public sealed class DomainAssemblyTest
{
    private static readonly string[] ForbiddenPrefixes =
    [
        "Azure", "Microsoft.AspNetCore", "Microsoft.Extensions.Http", "System.Net.Http", "System.Text.Json",
        "Microsoft.Data", "ServiceLedger.Functions",
    ];

    [Fact]
    public void Domain_references_no_azure_http_json_or_storage_assembly()
    {
        var domain = typeof(DomainMarker).Assembly;
        var offending = domain.GetReferencedAssemblies()
            .Select(reference => reference.Name ?? string.Empty)
            .Where(name => ForbiddenPrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal)))
            .ToList();

        Assert.Empty(offending);
    }
}
