using Azure.Identity;
using Microsoft.Extensions.Configuration;
using ServiceLedger.Functions.Adapters.Storage;
using ServiceLedger.Functions.Configuration;

namespace ServiceLedger.Integration.Tests.Storage;

/// <summary>Connection strings and configuration (unit tests: no Azurite).</summary>
public sealed class StorageConfigurationTests
{
    private const string Key = StorageConnectionString.DevelopmentAccountKey;

    [Fact]
    public void Development_storage_means_azurite_on_its_default_ports()
    {
        var parsed = StorageConnectionString.Parse("UseDevelopmentStorage=true");

        Assert.Equal("devstoreaccount1", parsed.SharedKey.AccountName);
        Assert.Equal(new Uri("http://127.0.0.1:10002/devstoreaccount1"), parsed.TableServiceUri);
        Assert.Equal(new Uri("http://127.0.0.1:10001/devstoreaccount1"), parsed.QueueServiceUri);
    }

    [Fact]
    public void Explicit_endpoints_are_taken_as_given_without_a_trailing_slash()
    {
        var parsed = StorageConnectionString.Parse(
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={Key};" +
            "BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;QueueEndpoint=http://127.0.0.1:41001/devstoreaccount1/;" +
            "TableEndpoint=http://127.0.0.1:41002/devstoreaccount1;");

        Assert.Equal(new Uri("http://127.0.0.1:41002/devstoreaccount1"), parsed.TableServiceUri);
        Assert.Equal(new Uri("http://127.0.0.1:41001/devstoreaccount1"), parsed.QueueServiceUri);
    }

    [Fact]
    public void Endpoints_are_derived_from_protocol_account_and_suffix_when_not_given()
    {
        var parsed = StorageConnectionString.Parse($"accountname=ledgerprod;ACCOUNTKEY={Key};EndpointSuffix=core.chinacloudapi.cn");

        Assert.Equal(new Uri("https://ledgerprod.table.core.chinacloudapi.cn"), parsed.TableServiceUri);
        Assert.Equal(new Uri("https://ledgerprod.queue.core.chinacloudapi.cn"), parsed.QueueServiceUri);
    }

    [Theory]
    [InlineData("AccountName=a1;", "AccountKey")]
    [InlineData("AccountKey=" + Key, "AccountName")]
    [InlineData("UseDevelopmentStorage=false", "UseDevelopmentStorage")]
    [InlineData("UseDevelopmentStorage=true;AccountName=x", "UseDevelopmentStorage")]
    [InlineData("AccountName=a1;AccountKey=" + Key + ";SharedAccessSignature=sv=1", "SharedAccessSignature")]
    [InlineData("AccountName=a1;AccountName=a2;AccountKey=" + Key, "twice")]
    [InlineData("AccountName=a1;AccountKey=" + Key + ";TableEndpoint=not a uri", "TableEndpoint")]
    [InlineData("AccountName=a1;AccountKey=" + Key + ";DefaultEndpointsProtocol=ftp", "DefaultEndpointsProtocol")]
    [InlineData("just text", "name=value")]
    [InlineData("", "empty")]
    public void A_malformed_connection_string_is_refused_naming_the_setting(string connectionString, string named)
    {
        var error = Assert.Throws<FormatException>(() => StorageConnectionString.Parse(connectionString));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_that_is_not_base64_is_refused_without_echoing_it()
    {
        var error = Assert.Throws<FormatException>(() => StorageConnectionString.Parse("AccountName=a1;AccountKey=s3cr3t!!"));

        Assert.Contains("base64", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_parsed_connection_string_prints_without_its_key()
    {
        var text = StorageConnectionString.Parse($"AccountName=a1;AccountKey={Key}").ToString();

        Assert.DoesNotContain(Key, text, StringComparison.Ordinal);
        Assert.Contains("AccountKey=<redacted>", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_connection_string_takes_precedence_over_identity_settings()
    {
        var account = StorageAccount.FromConfiguration(Configuration(new()
        {
            [AppSettings.StorageConnectionString] = "UseDevelopmentStorage=true",
            [AppSettings.StorageTableServiceUri] = "https://acct.table.core.windows.net",
            [AppSettings.StorageQueueServiceUri] = "https://acct.queue.core.windows.net",
        }));

        Assert.NotNull(account.SharedKey);
        Assert.Null(account.Credential);
        Assert.Equal(new Uri("http://127.0.0.1:10002/devstoreaccount1"), account.TableServiceUri);
    }

    [Fact]
    public void Service_uris_with_a_client_id_use_that_user_assigned_managed_identity()
    {
        var account = StorageAccount.FromConfiguration(Configuration(new()
        {
            [AppSettings.StorageTableServiceUri] = "https://acct.table.core.windows.net/",
            [AppSettings.StorageQueueServiceUri] = "https://acct.queue.core.windows.net",
            [AppSettings.AzureClientId] = "00000000-0000-0000-0000-000000000001",
        }));

        Assert.IsType<ManagedIdentityCredential>(account.Credential);
        Assert.Null(account.SharedKey);
        Assert.Equal(new Uri("https://acct.table.core.windows.net"), account.TableServiceUri);
        Assert.DoesNotContain("00000000-0000-0000-0000-000000000001", account.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Service_uris_without_a_client_id_use_the_default_credential_chain()
    {
        var account = StorageAccount.FromConfiguration(Configuration(new()
        {
            [AppSettings.StorageTableServiceUri] = "https://acct.table.core.windows.net",
            [AppSettings.StorageQueueServiceUri] = "https://acct.queue.core.windows.net",
        }));

        Assert.IsType<DefaultAzureCredential>(account.Credential);
    }

    [Fact]
    public void Identity_over_plain_http_is_refused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => StorageAccount.FromConfiguration(Configuration(new()
        {
            [AppSettings.StorageTableServiceUri] = "http://acct.table.core.windows.net",
            [AppSettings.StorageQueueServiceUri] = "https://acct.queue.core.windows.net",
        })));

        Assert.Contains(AppSettings.StorageTableServiceUri, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_storage_settings_are_refused_naming_what_to_set()
    {
        var error = Assert.Throws<InvalidOperationException>(() => StorageAccount.FromConfiguration(Configuration(new())));

        Assert.Contains(AppSettings.StorageConnectionString, error.Message, StringComparison.Ordinal);
        Assert.Contains(AppSettings.StorageTableServiceUri, error.Message, StringComparison.Ordinal);
        Assert.Contains(AppSettings.StorageQueueServiceUri, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_configured_connection_string_names_the_setting()
    {
        var error = Assert.Throws<InvalidOperationException>(() => StorageAccount.FromConfiguration(Configuration(new()
        {
            [AppSettings.StorageConnectionString] = "AccountName=a1",
        })));

        Assert.StartsWith(AppSettings.StorageConnectionString, error.Message, StringComparison.Ordinal);
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
