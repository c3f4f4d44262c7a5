namespace ServiceLedger.Domain.Billing;

using NodaTime;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Domain.Money;
using ServiceLedger.Domain.Parties;

/// <summary>
/// The merchant's own figures for one contract and period, from its shop's export: orders handled by customer service,
/// how many of them converted, and their sales. Reconciliation compares them with the vendor's service report. Built only
/// through <see cref="Create"/>: converted orders at most the orders handled, sales not negative.
/// </summary>
public sealed record ShopFigures
{
    /// <summary>Most orders one period may report (the same bound as <see cref="ServiceFigures.MaxInquiries"/>).</summary>
    public const long MaxOrders = ServiceFigures.MaxInquiries;

    private ShopFigures()
    {
    }

    /// <summary>Orders in which customer service took part; 0 to <see cref="MaxOrders"/>.</summary>
    public long OrdersHandledByCustomerService { get; private init; }

    /// <summary>Of those, the orders that were paid (the shop's conversions); at most <see cref="OrdersHandledByCustomerService"/>.</summary>
    public long ConvertedOrders { get; private init; }

    /// <summary>Sales of the converted orders; not negative.</summary>
    public Money Sales { get; private init; }

    /// <summary>Validates the figures; refusals name <paramref name="field"/><c>.ordersHandledByCustomerService</c> etc., all returned together.</summary>
    public static Validated<ShopFigures> Create(long ordersHandledByCustomerService, long convertedOrders, Money sales, string field = "figures")
    {
        var refusals = new List<Refusal>();
        if (ordersHandledByCustomerService is < 0 or > MaxOrders)
        {
            refusals.Add(new Refusal(BillingRule.OrdersOutOfRange, $"{field}.ordersHandledByCustomerService", $"Orders handled by customer service must be between 0 and {MaxOrders}."));
        }

        if (convertedOrders < 0 || (convertedOrders > ordersHandledByCustomerService && ordersHandledByCustomerService >= 0))
        {
            refusals.Add(new Refusal(
                BillingRule.ConvertedOrdersOutOfRange,
                $"{field}.convertedOrders",
                $"Converted orders ({convertedOrders}) must be between 0 and the orders handled by customer service ({ordersHandledByCustomerService})."));
        }

        if (sales.IsNegative)
        {
            refusals.Add(new Refusal(BillingRule.SalesMustNotBeNegative, $"{field}.sales", "Sales cannot be negative."));
        }

        return refusals.Count > 0
            ? Validated.Refused<ShopFigures>(refusals)
            : Validated.Valid(new ShopFigures { OrdersHandledByCustomerService = ordersHandledByCustomerService, ConvertedOrders = convertedOrders, Sales = sales });
    }
}

/// <summary>
/// One version of a merchant's shop export for one contract and period. Versioned like service reports: never edited; a
/// new export with other figures is the next version, and sending the latest figures again changes nothing.
/// </summary>
public sealed record ShopExport
{
    /// <summary>The contract.</summary>
    public required ContractId Contract { get; init; }

    /// <summary>The period (of the contract's cycle).</summary>
    public required SettlementPeriod Period { get; init; }

    /// <summary>1, 2, … per contract and period.</summary>
    public required int Version { get; init; }

    /// <summary>The figures.</summary>
    public required ShopFigures Figures { get; init; }

    /// <summary>The merchant user who sent it.</summary>
    public required Actor SubmittedBy { get; init; }

    /// <summary>When it was received.</summary>
    public required Instant SubmittedAt { get; init; }

    /// <summary>
    /// The next export after <paramref name="versions"/> (the stored ones, oldest first, numbered 1..n): a new version, or
    /// the latest unchanged when its figures are equal. Only a merchant may send one; at most
    /// <see cref="BillingLimits.MaxVersionsPerPeriod"/> versions.
    /// </summary>
    public static Validated<ShopExportChange> Next(
        ContractId contract, SettlementPeriod period, IReadOnlyList<ShopExport> versions, ShopFigures figures, Actor by, Instant at)
    {
        ArgumentNullException.ThrowIfNull(versions);
        ArgumentNullException.ThrowIfNull(figures);
        if (by.Role != ActorRole.Merchant)
        {
            return Validated.Refused<ShopExportChange>(new Refusal(BillingRule.ActorNotAllowed, "role", "Only the contract's merchant sends its shop export."));
        }

        if (versions.Count > 0 && versions[^1].Figures == figures)
        {
            return Validated.Valid(new ShopExportChange(versions[^1], Changed: false));
        }

        if (versions.Count >= BillingLimits.MaxVersionsPerPeriod)
        {
            return Validated.Refused<ShopExportChange>(new Refusal(BillingRule.TooManyVersions, "version", $"{contract} {period} already has {versions.Count} shop exports, the most one period may have."));
        }

        return Validated.Valid(new ShopExportChange(new ShopExport
        {
            Contract = contract,
            Period = period,
            Version = versions.Count + 1,
            Figures = figures,
            SubmittedBy = by,
            SubmittedAt = at,
        }, Changed: true));
    }
}

/// <summary>The result of sending a shop export: the version concerned, and whether it is new and must be stored.</summary>
/// <param name="Export">The new version, or the unchanged latest one a repeated request names.</param>
/// <param name="Changed">True when <paramref name="Export"/> is new.</param>
public sealed record ShopExportChange(ShopExport Export, bool Changed);
