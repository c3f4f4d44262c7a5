namespace ServiceLedger.Infra.Tests;

/// <summary>No secret, key or way to read one is written anywhere under infra/.</summary>
public sealed class SecretLiteralTests
{
    // Azurite's published development key (also in scripts/run.mjs): a real-looking storage key that is no secret.
    private const string WellKnownDevelopmentKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    public static TheoryData<string> InfraFiles => [.. Repository.AllInfraFiles.Select(Repository.Relative)];

    [Theory]
    [MemberData(nameof(InfraFiles))]
    public void Infra_file_holds_no_secret_or_key_literal(string file)
    {
        Assert.Empty(SecretScan.Find(File.ReadAllText(Path.Combine(Repository.Root, file))));
    }

    [Theory]
    [InlineData("AccountKey=abc", "storage account key")]
    [InlineData("DefaultEndpointsProtocol=https;AccountName=x", "connection string with a key")]
    [InlineData("https://x.blob.core.windows.net/c?sv=2022-11-02&sig=abc", "shared access signature")]
    [InlineData("value: 'sk_live_", "Stripe secret or restricted key")]
    [InlineData("value: 'rk_test_", "Stripe secret or restricted key")]
    [InlineData("value: 'whsec_", "Stripe webhook signing secret")]
    [InlineData("InstrumentationKey=00000000-0000", "Application Insights instrumentation key")]
    [InlineData("value: storage.listKeys().keys[0].value", "key-listing function")]
    [InlineData("listAccountSas(storage.id, '2023-05-01', {})", "key-listing function")]
    [InlineData("-----BEGIN RSA PRIVATE KEY-----", "private key")]
    public void The_scan_recognises(string text, string kind)
    {
        Assert.Contains(SecretScan.Find(text), f => f.StartsWith(kind, StringComparison.Ordinal));
    }

    [Fact]
    public void The_scan_recognises_a_storage_key_by_its_shape_alone()
    {
        Assert.Contains(SecretScan.Find($"value: '{WellKnownDevelopmentKey}'"), f => f.StartsWith("base64 run", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01'")]
    [InlineData("'https://${account.name}.table.${environment().suffixes.storage}'")]
    [InlineData("name: guid(account.id, principalId, roles.StorageTableDataContributor.id)")]
    public void The_scan_lets_ordinary_template_text_through(string text)
    {
        Assert.Empty(SecretScan.Find(text));
    }
}
