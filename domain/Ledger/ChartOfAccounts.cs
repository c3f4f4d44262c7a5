using System.Diagnostics.CodeAnalysis;

namespace ServiceLedger.Domain.Ledger;

/// <summary>Who an account belongs to: the platform itself, or one merchant or vendor.</summary>
public enum AccountScope
{
    /// <summary>One account for the whole platform, e.g. <c>platform:revenue</c>.</summary>
    Platform = 1,

    /// <summary>One account per merchant, e.g. <c>merchant:{merchantId}:receivable</c>.</summary>
    Merchant = 2,

    /// <summary>One account per vendor, e.g. <c>vendor:{vendorId}:payable</c>.</summary>
    Vendor = 3,
}

/// <summary>How an account relates to currencies.</summary>
public enum AccountCurrencyPolicy
{
    /// <summary>
    /// The account holds one currency for life: the currency of its first posting (in practice the currency of the party's
    /// contract). A posting in another currency is refused with <see cref="LedgerRule.AccountCurrencyMismatch"/>.
    /// </summary>
    SingleCurrency = 1,

    /// <summary>The account takes any currency and keeps one balance per currency; currencies never net against each other.</summary>
    BalancePerCurrency = 2,
}

/// <summary>
/// One kind of account in the chart: its scope, name, type, whether it is a clearing account, and its currency policy.
/// Kinds are compared by value; the chart never removes or renames a kind, because stored entries name their accounts.
/// </summary>
/// <param name="Scope">Platform, merchant or vendor.</param>
/// <param name="Name">The last segment of the account id, e.g. <c>receivable</c> or <c>stripe-clearing</c>.</param>
/// <param name="Type">Asset, liability, revenue or expense.</param>
/// <param name="IsClearing">True when the account must return to zero once every flow through it completes.</param>
/// <param name="CurrencyPolicy">Single currency for life, or one balance per currency.</param>
/// <param name="Purpose">One sentence for finance: what the balance means.</param>
public sealed record AccountKind(
    AccountScope Scope,
    string Name,
    AccountType Type,
    bool IsClearing,
    AccountCurrencyPolicy CurrencyPolicy,
    string Purpose)
{
    /// <summary>The account id pattern, e.g. <c>merchant:{merchantId}:receivable</c> or <c>platform:bank</c>.</summary>
    public string Template => Scope switch
    {
        AccountScope.Platform => $"platform:{Name}",
        AccountScope.Merchant => $"merchant:{{merchantId}}:{Name}",
        AccountScope.Vendor => $"vendor:{{vendorId}}:{Name}",
        _ => throw new InvalidOperationException($"Account kind '{Name}' has no scope."),
    };
}

/// <summary>
/// The chart of accounts: every account kind the ledger knows. Per-party accounts are single-currency; platform accounts keep
/// a balance per currency. Clearing accounts (Stripe clearing, disputed funds) must return to zero; see docs/ledger.md.
/// </summary>
public static class ChartOfAccounts
{
    /// <summary>Id prefix of a merchant (<c>mer_…</c>).</summary>
    public const string MerchantIdPrefix = "mer_";

    /// <summary>Id prefix of a vendor (<c>ven_…</c>).</summary>
    public const string VendorIdPrefix = "ven_";

    /// <summary><c>merchant:{id}:receivable</c> (asset): what the merchant owes; issued statements and penalties not yet paid.</summary>
    public static AccountKind MerchantReceivable { get; } = new(
        AccountScope.Merchant, "receivable", AccountType.Asset, false, AccountCurrencyPolicy.SingleCurrency,
        "What the merchant owes the platform: issued statements and penalties not yet paid.");

    /// <summary><c>merchant:{id}:deposit</c> (liability): deposit held for the merchant until applied or refunded.</summary>
    public static AccountKind MerchantDeposit { get; } = new(
        AccountScope.Merchant, "deposit", AccountType.Liability, false, AccountCurrencyPolicy.SingleCurrency,
        "Deposit held for the merchant until it is applied to the final statement or refunded.");

    /// <summary><c>vendor:{id}:payable</c> (liability): the vendor's share of issued statements not yet paid out.</summary>
    public static AccountKind VendorPayable { get; } = new(
        AccountScope.Vendor, "payable", AccountType.Liability, false, AccountCurrencyPolicy.SingleCurrency,
        "What the platform owes the vendor: its share of issued statements not yet paid out.");

    /// <summary><c>platform:revenue</c> (revenue): the platform's fee share of issued statements.</summary>
    public static AccountKind Revenue { get; } = new(
        AccountScope.Platform, "revenue", AccountType.Revenue, false, AccountCurrencyPolicy.BalancePerCurrency,
        "The platform's fee share of issued statements.");

    /// <summary><c>platform:penalty-revenue</c> (revenue): late-payment penalties charged to merchants.</summary>
    public static AccountKind PenaltyRevenue { get; } = new(
        AccountScope.Platform, "penalty-revenue", AccountType.Revenue, false, AccountCurrencyPolicy.BalancePerCurrency,
        "Late-payment penalties charged to merchants.");

    /// <summary><c>platform:stripe-clearing</c> (asset, clearing): money in the platform's Stripe balance on its way to the bank.</summary>
    public static AccountKind StripeClearing { get; } = new(
        AccountScope.Platform, "stripe-clearing", AccountType.Asset, true, AccountCurrencyPolicy.BalancePerCurrency,
        "Money in the platform's Stripe balance: charges in; fees, refunds, dispute withdrawals and payouts out. Zero once every payout has landed.");

    /// <summary><c>platform:disputed-funds</c> (asset, clearing): amounts Stripe withdrew for disputes that are still open.</summary>
    public static AccountKind DisputedFunds { get; } = new(
        AccountScope.Platform, "disputed-funds", AccountType.Asset, true, AccountCurrencyPolicy.BalancePerCurrency,
        "Charge amounts Stripe withdrew for open disputes. Zero once every dispute is won (funds reinstated) or lost (charged to the merchant or written off).");

    /// <summary><c>platform:bank</c> (asset): the platform's bank account.</summary>
    public static AccountKind Bank { get; } = new(
        AccountScope.Platform, "bank", AccountType.Asset, false, AccountCurrencyPolicy.BalancePerCurrency,
        "The platform's bank account: Stripe payouts and merchant transfers in, vendor payments out.");

    /// <summary><c>platform:processing-fees</c> (expense): Stripe's processing fees on charges.</summary>
    public static AccountKind ProcessingFees { get; } = new(
        AccountScope.Platform, "processing-fees", AccountType.Expense, false, AccountCurrencyPolicy.BalancePerCurrency,
        "Stripe's processing fees on charges.");

    /// <summary><c>platform:dispute-fees</c> (expense): Stripe's dispute fees.</summary>
    public static AccountKind DisputeFees { get; } = new(
        AccountScope.Platform, "dispute-fees", AccountType.Expense, false, AccountCurrencyPolicy.BalancePerCurrency,
        "Stripe's dispute fees, withdrawn with the disputed amount.");

    /// <summary><c>platform:dispute-losses</c> (expense): disputed amounts lost and not recovered from the merchant.</summary>
    public static AccountKind DisputeLosses { get; } = new(
        AccountScope.Platform, "dispute-losses", AccountType.Expense, false, AccountCurrencyPolicy.BalancePerCurrency,
        "Disputed amounts lost and not recoverable from the merchant's deposit or receivable.");

    /// <summary><c>platform:bad-debts</c> (expense): receivables written off as uncollectible.</summary>
    public static AccountKind BadDebts { get; } = new(
        AccountScope.Platform, "bad-debts", AccountType.Expense, false, AccountCurrencyPolicy.BalancePerCurrency,
        "Merchant receivables written off as uncollectible.");

    /// <summary>Every kind, per-party kinds first, then platform kinds; never shrinks.</summary>
    public static IReadOnlyList<AccountKind> All { get; } =
    [
        MerchantReceivable, MerchantDeposit, VendorPayable,
        Revenue, PenaltyRevenue, StripeClearing, DisputedFunds, Bank, ProcessingFees, DisputeFees, DisputeLosses, BadDebts,
    ];

    /// <summary>The clearing kinds: their balances must return to zero (see <see cref="ClearingCheck"/>).</summary>
    public static IReadOnlyList<AccountKind> Clearing { get; } = All.Where(kind => kind.IsClearing).ToArray();

    /// <summary>Finds the kind with the given scope and name; false when the chart has none.</summary>
    public static bool TryFind(AccountScope scope, string? name, [MaybeNullWhen(false)] out AccountKind kind)
    {
        foreach (var candidate in All)
        {
            if (candidate.Scope == scope && string.Equals(candidate.Name, name, StringComparison.Ordinal))
            {
                kind = candidate;
                return true;
            }
        }

        kind = null;
        return false;
    }

    /// <summary>The first segment of account ids of the scope: <c>platform</c>, <c>merchant</c> or <c>vendor</c>.</summary>
    public static string ScopeWord(AccountScope scope) => scope switch
    {
        AccountScope.Platform => "platform",
        AccountScope.Merchant => "merchant",
        AccountScope.Vendor => "vendor",
        _ => throw new ArgumentOutOfRangeException(nameof(scope), scope, "Not an account scope."),
    };

    /// <summary>The id prefix a party of the scope must carry; platform accounts have no party.</summary>
    public static string PartyIdPrefix(AccountScope scope) => scope switch
    {
        AccountScope.Merchant => MerchantIdPrefix,
        AccountScope.Vendor => VendorIdPrefix,
        _ => throw new ArgumentOutOfRangeException(nameof(scope), scope, "Only merchant and vendor accounts have a party."),
    };
}
