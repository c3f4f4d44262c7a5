namespace ServiceLedger.Functions.Configuration;

/// <summary>
/// Marks a key in <see cref="AppSettings"/> that the Azure deployment (infra/) deliberately leaves unset: a setting for
/// local runs and tests only, or an optional override whose absence is what Azure needs. The infrastructure tests
/// require every other key in the template and refuse these in it; <see cref="Reason"/> says why this one stays out.
/// </summary>
[AttributeUsage(AttributeTargets.Field, AllowMultiple = false, Inherited = false)]
public sealed class NotProvisionedAttribute : Attribute
{
    /// <summary>Marks the key as not set in Azure, for the stated reason.</summary>
    public NotProvisionedAttribute(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        Reason = reason;
    }

    /// <summary>Why the Azure deployment leaves this key unset (read by people and checked to be present).</summary>
    public string Reason { get; }
}
