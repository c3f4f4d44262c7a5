namespace ServiceLedger.Functions.Configuration;

/// <summary>
/// Every table and queue the app uses, in one place: the run command and the tests create them from here, and the
/// infrastructure tests check that infra/ provisions each (queues with their "-poison" twins).
/// Queue names stay at most 56 characters so that "-poison" still fits the 63-character limit.
/// </summary>
public static class StorageNames
{
    /// <summary>Merchants, one entity each (functions/Adapters/Parties/MerchantTableStore.cs).</summary>
    public const string MerchantsTable = "merchants";

    /// <summary>One marker per shop naming the merchant that owns it: makes a shop belong to one merchant.</summary>
    public const string MerchantShopsTable = "merchantshops";

    /// <summary>Vendors, one entity each with their certification history (functions/Adapters/Parties/VendorTableStore.cs).</summary>
    public const string VendorsTable = "vendors";

    /// <summary>All tables, for provisioning.</summary>
    public static IReadOnlyList<string> Tables { get; } =
    [
        MerchantsTable,
        MerchantShopsTable,
        VendorsTable,
    ];

    /// <summary>All queues that a queue-triggered function reads, for provisioning (poison queues are derived).</summary>
    public static IReadOnlyList<string> Queues { get; } = [];

    /// <summary>The queue the Functions queue trigger moves a message to after its last failed attempt.</summary>
    public static string PoisonQueueOf(string queue) => queue + "-poison";
}
