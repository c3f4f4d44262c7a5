using System.Globalization;

namespace ServiceLedger.Functions.Adapters.Storage;

/// <summary>
/// A parsed storage connection string: account name, account key and the Table and Queue endpoints. Accepts
/// <c>UseDevelopmentStorage=true</c> (Azurite on its default ports) and the explicit
/// <c>DefaultEndpointsProtocol=...;AccountName=...;AccountKey=...;TableEndpoint=...;QueueEndpoint=...</c> form
/// (endpoints may instead be derived from the protocol, account name and <c>EndpointSuffix</c>).
/// <see cref="ToString"/> never shows the key.
/// </summary>
public sealed class StorageConnectionString
{
    /// <summary>Azurite's well-known development account (azure.md 2.9).</summary>
    public const string DevelopmentAccountName = "devstoreaccount1";

    /// <summary>Azurite's well-known development key; public by design, never a secret (azure.md 2.9).</summary>
    public const string DevelopmentAccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>A connection string longer than this is refused: real ones are a few hundred characters.</summary>
    public const int MaxLength = 4096;

    private const string DefaultEndpointSuffix = "core.windows.net";

    private StorageConnectionString(StorageSharedKey sharedKey, Uri tableServiceUri, Uri queueServiceUri)
    {
        SharedKey = sharedKey;
        TableServiceUri = tableServiceUri;
        QueueServiceUri = queueServiceUri;
    }

    /// <summary>The account name and key that sign requests.</summary>
    public StorageSharedKey SharedKey { get; }

    /// <summary>The Table service endpoint, e.g. http://127.0.0.1:10002/devstoreaccount1 (no trailing slash).</summary>
    public Uri TableServiceUri { get; }

    /// <summary>The Queue service endpoint, e.g. http://127.0.0.1:10001/devstoreaccount1 (no trailing slash).</summary>
    public Uri QueueServiceUri { get; }

    /// <summary>
    /// Parses a connection string. Throws <see cref="FormatException"/> naming the offending setting (never its value,
    /// which could be the key) when a required setting is missing or malformed.
    /// </summary>
    public static StorageConnectionString Parse(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        if (connectionString.Length > MaxLength)
        {
            throw new FormatException($"The storage connection string is longer than {MaxLength} characters.");
        }

        var settings = SplitSettings(connectionString);
        if (settings.TryGetValue("UseDevelopmentStorage", out var useDevelopment))
        {
            if (!string.Equals(useDevelopment, "true", StringComparison.OrdinalIgnoreCase))
            {
                throw new FormatException("UseDevelopmentStorage in the storage connection string must be 'true'.");
            }

            if (settings.Count != 1)
            {
                throw new FormatException(
                    "A storage connection string with UseDevelopmentStorage=true must not carry other settings " +
                    "(use the explicit AccountName/AccountKey/TableEndpoint/QueueEndpoint form for custom ports).");
            }

            return new StorageConnectionString(
                new StorageSharedKey(DevelopmentAccountName, DevelopmentAccountKey),
                new Uri("http://127.0.0.1:10002/" + DevelopmentAccountName),
                new Uri("http://127.0.0.1:10001/" + DevelopmentAccountName));
        }

        if (settings.ContainsKey("SharedAccessSignature"))
        {
            throw new FormatException(
                "SharedAccessSignature connection strings are not supported; use an account key or managed identity.");
        }

        var accountName = Required(settings, "AccountName");
        var sharedKey = new StorageSharedKey(accountName, Required(settings, "AccountKey"));
        var protocol = settings.GetValueOrDefault("DefaultEndpointsProtocol", "https");
        if (protocol is not ("http" or "https"))
        {
            throw new FormatException("DefaultEndpointsProtocol in the storage connection string must be http or https.");
        }

        var suffix = settings.GetValueOrDefault("EndpointSuffix", DefaultEndpointSuffix);
        var tableUri = Endpoint(settings, "TableEndpoint", protocol, accountName, "table", suffix);
        var queueUri = Endpoint(settings, "QueueEndpoint", protocol, accountName, "queue", suffix);
        return new StorageConnectionString(sharedKey, tableUri, queueUri);
    }

    /// <summary>Describes the endpoints and account without the key.</summary>
    public override string ToString() =>
        $"AccountName={SharedKey.AccountName};AccountKey=<redacted>;TableEndpoint={TableServiceUri};QueueEndpoint={QueueServiceUri}";

    private static Dictionary<string, string> SplitSettings(string connectionString)
    {
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // Split on the first '=' only: base64 account keys end with '='.
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new FormatException("The storage connection string has a part without 'name=value'.");
            }

            var name = part[..equals].Trim();
            if (!settings.TryAdd(name, part[(equals + 1)..].Trim()))
            {
                throw new FormatException($"The storage connection string sets '{name}' twice.");
            }
        }

        if (settings.Count == 0)
        {
            throw new FormatException("The storage connection string is empty.");
        }

        return settings;
    }

    private static string Required(Dictionary<string, string> settings, string name) =>
        settings.TryGetValue(name, out var value) && value.Length > 0
            ? value
            : throw new FormatException($"The storage connection string has no {name}.");

    private static Uri Endpoint(
        Dictionary<string, string> settings, string name, string protocol, string account, string service, string suffix)
    {
        var text = settings.TryGetValue(name, out var explicitValue)
            ? explicitValue
            : string.Create(CultureInfo.InvariantCulture, $"{protocol}://{account}.{service}.{suffix}");
        if (!Uri.TryCreate(text.TrimEnd('/'), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
            || !string.IsNullOrEmpty(uri.Query))
        {
            throw new FormatException($"{name} in the storage connection string is not an absolute http(s) URI without a query.");
        }

        return uri;
    }
}
