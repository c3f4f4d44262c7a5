namespace ServiceLedger.Functions.Configuration;

/// <summary>
/// Every table and queue the app uses, in one place: the run command and the tests create them from here, and the
/// infrastructure tests check that infra/ provisions each (queues with their "-poison" twins).
/// Queue names stay at most 56 characters so that "-poison" still fits the 63-character limit.
/// </summary>
public static class StorageNames
{
    /// <summary>The journal: one partition per book (entries, idempotency markers, and the head, which carries the book's totals).</summary>
    public const string LedgerJournal = "ledgerjournal";

    /// <summary>The balance index: one partition per account, one row per (currency, book) that posted it; the amounts are in the books' heads.</summary>
    public const string LedgerBalances = "ledgerbalances";

    /// <summary>Closed accounting periods and the head of their chain.</summary>
    public const string LedgerPeriods = "ledgerperiods";

    /// <summary>The registry of ledger books.</summary>
    public const string LedgerBooks = "ledgerbooks";

    /// <summary>The currency bound to each single-currency ledger account.</summary>
    public const string LedgerAccounts = "ledgeraccounts";

    /// <summary>Contracts, one entity each with all versions and history (functions/Adapters/Contracts).</summary>
    public const string ContractsTable = "contracts";

    /// <summary>Merchants, one entity each (functions/Adapters/Parties/MerchantTableStore.cs).</summary>
    public const string MerchantsTable = "merchants";

    /// <summary>One marker per shop naming the merchant that owns it: makes a shop belong to one merchant.</summary>
    public const string MerchantShopsTable = "merchantshops";

    /// <summary>Vendors, one entity each with their certification history (functions/Adapters/Parties/VendorTableStore.cs).</summary>
    public const string VendorsTable = "vendors";

    /// <summary>Raw Stripe webhook events, one entity per event id, stored once as received (functions/Stripe).</summary>
    public const string StripeEventsTable = "stripeevents";

    /// <summary>Merchants' shop exports: one partition per contract, one row per period and version (functions/Adapters/Billing).</summary>
    public const string ShopExportsTable = "shopexports";

    /// <summary>Ids of received Stripe events waiting to be applied to the ledger.</summary>
    public const string StripeEventsQueue = "stripe-events";

    /// <summary>Disputes, one partition per contract, plus one claim entity per disputed statement (docs/disputes.md).</summary>
    public const string DisputesTable = "disputes";

    /// <summary>Outbound notices to the parties about their disputes (escalations), for the notification service to deliver.</summary>
    public const string DisputeNotificationsQueue = "dispute-notifications";

    /// <summary>Reconciliation runs, one entity each (functions/Reconciliation).</summary>
    public const string ReconciliationsTable = "reconciliations";

    /// <summary>The exceptions of each run, one partition per run, with their appended resolutions.</summary>
    public const string ReconciliationExceptionsTable = "reconexceptions";

    /// <summary>Stripe balance transactions uploaded as CSV for a run, one partition per run.</summary>
    public const string ReconciliationStripeItemsTable = "reconstripeitems";

    /// <summary>Per-contract reconciliation tolerances set by finance, one row per contract (functions/Reconciliation).</summary>
    public const string ReconciliationTolerancesTable = "recontolerances";

    /// <summary>Holiday schedules uploaded by finance, one row per jurisdiction and year, insert-only (functions/Calendars).</summary>
    public const string HolidayCalendarsTable = "holidaycalendars";

    /// <summary>Ids of reconciliation runs waiting for their checks.</summary>
    public const string ReconciliationQueue = "reconciliation";
    /// <summary>Deposit checkout attempts, refund requests, PaymentIntent links and dispute statuses (functions/Deposits/DepositStore.cs).</summary>
    public const string DepositsTable = "deposits";

    /// <summary>Settlement runs: the run record and one outcome row per due contract (functions/Settlement).</summary>
    public const string SettlementRunsTable = "settlementruns";

    /// <summary>
    /// One partition per contract: issued statements, pending corrections, payments, credit notes, dispute markers
    /// (functions/Statements) and the vendor's service reports, one row per period and version plus review rows
    /// (functions/Adapters/Billing), so one query reads all a settlement needs of them.
    /// </summary>
    public const string StatementsTable = "statements";

    /// <summary>One message per contract to settle for a run's period (read by SettleContract).</summary>
    public const string SettlementQueue = "settlement";

    /// <summary>One message per page of contracts a run enumerates (read by EnumerateSettlementRun).</summary>
    public const string SettlementRunsQueue = "settlement-runs";

    /// <summary>All tables, for provisioning (one per line, so that capabilities merge without conflicts).</summary>
    public static IReadOnlyList<string> Tables { get; } =
    [
        LedgerJournal,
        LedgerBalances,
        LedgerPeriods,
        LedgerBooks,
        LedgerAccounts,
        ContractsTable,
        MerchantsTable,
        MerchantShopsTable,
        VendorsTable,
        StripeEventsTable,
        DisputesTable,
        ReconciliationsTable,
        ReconciliationExceptionsTable,
        ReconciliationStripeItemsTable,
        ReconciliationTolerancesTable,
        ShopExportsTable,
        DepositsTable,
        SettlementRunsTable,
        StatementsTable,
        HolidayCalendarsTable,
    ];

    /// <summary>
    /// All queues, for provisioning (poison queues are derived): those a queue-triggered function reads, and the outbound
    /// <see cref="DisputeNotificationsQueue"/> that a notification service outside this app reads.
    /// </summary>
    public static IReadOnlyList<string> Queues { get; } =
    [
        StripeEventsQueue,
        DisputeNotificationsQueue,
        ReconciliationQueue,
        SettlementQueue,
        SettlementRunsQueue,
    ];

    /// <summary>What the Functions queue trigger appends to a queue's name to name its poison queue.</summary>
    public const string PoisonSuffix = "-poison";

    /// <summary>The queue the Functions queue trigger moves a message to after its last failed attempt.</summary>
    public static string PoisonQueueOf(string queue) => queue + PoisonSuffix;
}
