namespace ServiceLedger.Functions.Configuration;

/// <summary>
/// Marks a key in <see cref="AppSettings"/> whose value is a secret. In Azure such a setting is a Key Vault reference
/// (the infrastructure tests check this), so the value lives only in the vault, never in the repo or the template.
/// </summary>
[AttributeUsage(AttributeTargets.Field, AllowMultiple = false, Inherited = false)]
public sealed class SecretAttribute : Attribute;
