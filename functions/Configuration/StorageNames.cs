namespace ServiceLedger.Functions.Configuration;

/// <summary>
/// Every table and queue the app uses, in one place: the run command and the tests create them from here, and the
/// infrastructure tests check that infra/ provisions each (queues with their "-poison" twins).
/// Queue names stay at most 56 characters so that "-poison" still fits the 63-character limit.
/// </summary>
public static class StorageNames
{
    /// <summary>Contracts, one entity each with all versions and history (functions/Adapters/Contracts).</summary>
    public const string ContractsTable = "contracts";

    /// <summary>All tables, for provisioning.</summary>
    public static IReadOnlyList<string> Tables { get; } = [ContractsTable];

    /// <summary>All queues that a queue-triggered function reads, for provisioning (poison queues are derived).</summary>
    public static IReadOnlyList<string> Queues { get; } = [];

    /// <summary>The queue the Functions queue trigger moves a message to after its last failed attempt.</summary>
    public static string PoisonQueueOf(string queue) => queue + "-poison";
}
