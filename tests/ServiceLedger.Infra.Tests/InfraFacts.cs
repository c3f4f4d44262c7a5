using System.Reflection;
using System.Text.RegularExpressions;
using ServiceLedger.Functions.Configuration;
using ServiceLedger.Infra.Tests.Bicep;

namespace ServiceLedger.Infra.Tests;

/// <summary>A configuration key the app reads (a constant in AppSettings) with its markings.</summary>
internal sealed record AppSettingKey(string Name, string Key, string? NotProvisionedReason, bool IsSecret)
{
    /// <summary>The app setting name in Azure: ':' becomes '__' (environment variables cannot hold ':').</summary>
    public string AzureName => Key.Replace(":", "__", StringComparison.Ordinal);
}

/// <summary>A built-in role as infra/roles.json names it.</summary>
internal sealed record NamedRole(string Symbol, string Name, string Id);

/// <summary>Facts read from the code and from infra/ that several tests compare.</summary>
internal static partial class InfraFacts
{
    /// <summary>Every constant in functions/Configuration/AppSettings.cs.</summary>
    public static IReadOnlyList<AppSettingKey> AppSettingKeys =>
    [
        .. typeof(AppSettings).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => new AppSettingKey(
                f.Name,
                (string)f.GetRawConstantValue()!,
                f.GetCustomAttribute<NotProvisionedAttribute>()?.Reason,
                f.GetCustomAttribute<SecretAttribute>() is not null)),
    ];

    public static BicepFile AppSettingsModule => Repository.Module("appsettings.bicep");

    /// <summary>The settings our code reads, as infra/modules/appsettings.bicep sets them.</summary>
    public static BicepObject SettingsTheAppReads => AppSettingsModule.Get("var", "settingsTheAppReads").Value!.AsObject();

    /// <summary>The settings the Functions host and platform read, as infra/modules/appsettings.bicep sets them.</summary>
    public static BicepObject SettingsTheHostReads => AppSettingsModule.Get("var", "settingsTheHostReads").Value!.AsObject();

    /// <summary>
    /// Key Vault references among the settings: setting name → vault secret name, resolved through the module's
    /// 'secretNames' variable. A reference in any other shape is reported as a null secret name.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> KeyVaultReferences()
    {
        var module = AppSettingsModule;
        var secretNames = module.Get("var", "secretNames").Value!.AsObject();
        var references = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (setting, value) in SettingsTheAppReads.Properties.Concat(SettingsTheHostReads.Properties))
        {
            if (!value.Code.Contains("@Microsoft.KeyVault", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var match = KeyVaultReference().Match(value.Code);
            references[setting] = match.Success ? secretNames.Get(match.Groups["secret"].Value)?.StringLiteral : null;
        }

        return references;
    }

    /// <summary>The roles in infra/roles.json (entries whose name starts with '$' are comments).</summary>
    public static IReadOnlyList<NamedRole> Roles =>
    [
        .. Repository.Json("roles.json").EnumerateObject()
            .Where(p => !p.Name.StartsWith('$'))
            .Select(p => new NamedRole(p.Name, p.Value.GetProperty("name").GetString()!, p.Value.GetProperty("id").GetString()!)),
    ];

    /// <summary>The "tables" or "queues" list of infra/storage.json.</summary>
    public static IReadOnlyList<string> StorageList(string name) =>
        [.. Repository.Json("storage.json").GetProperty(name).EnumerateArray().Select(e => e.GetString()!)];

    /// <summary>Names of the outputs of infra/main.bicep.</summary>
    public static IReadOnlySet<string> MainOutputs => Repository.Main.Outputs.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);

    // The one shape we write: the vault the template made, a secret named in 'secretNames', no version (so the newest
    // version is used and rotation needs no template change).
    [GeneratedRegex(@"^'@Microsoft\.KeyVault\(VaultName=\$\{keyVaultName\};SecretName=\$\{secretNames\.(?<secret>\w+)\}\)'$")]
    private static partial Regex KeyVaultReference();
}
