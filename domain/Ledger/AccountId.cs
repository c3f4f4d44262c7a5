namespace ServiceLedger.Domain.Ledger;

/// <summary>
/// An account of the chart, written <c>platform:{name}</c> or <c>{merchant|vendor}:{partyId}:{name}</c>, e.g.
/// <c>merchant:mer_8f2k:receivable</c>. At most <see cref="LedgerLimits.MaxAccountIdLength"/> characters of
/// <c>[A-Za-z0-9_-:]</c>, so it can sit in a Table key. Equality and ordering are ordinal on the text.
/// <c>default(AccountId)</c> names no account and is refused wherever an account is needed.
/// </summary>
public readonly record struct AccountId : IComparable<AccountId>
{
    private AccountId(string value, AccountKind kind, string? partyId)
    {
        Value = value;
        Kind = kind;
        PartyId = partyId;
    }

    /// <summary>The account id text.</summary>
    public string Value { get; }

    /// <summary>The kind of account in the chart (type, clearing, currency policy).</summary>
    public AccountKind Kind { get; }

    /// <summary>The merchant or vendor id of a per-party account; null for a platform account.</summary>
    public string? PartyId { get; }

    /// <summary>True for <c>default(AccountId)</c>.</summary>
    public bool IsDefault => Value is null;

    /// <summary>The account's type (asset, liability, revenue, expense).</summary>
    public AccountType Type => Kind.Type;

    /// <summary>True when the account must return to zero once every flow through it completes.</summary>
    public bool IsClearing => Kind.IsClearing;

    /// <summary>True when the account holds one currency for life.</summary>
    public bool IsSingleCurrency => Kind.CurrencyPolicy == AccountCurrencyPolicy.SingleCurrency;

    /// <summary><c>platform:revenue</c>.</summary>
    public static AccountId PlatformRevenue => ForPlatform(ChartOfAccounts.Revenue);

    /// <summary><c>platform:penalty-revenue</c>.</summary>
    public static AccountId PlatformPenaltyRevenue => ForPlatform(ChartOfAccounts.PenaltyRevenue);

    /// <summary><c>platform:stripe-clearing</c>.</summary>
    public static AccountId PlatformStripeClearing => ForPlatform(ChartOfAccounts.StripeClearing);

    /// <summary><c>platform:disputed-funds</c>.</summary>
    public static AccountId PlatformDisputedFunds => ForPlatform(ChartOfAccounts.DisputedFunds);

    /// <summary><c>platform:bank</c>.</summary>
    public static AccountId PlatformBank => ForPlatform(ChartOfAccounts.Bank);

    /// <summary><c>platform:processing-fees</c>.</summary>
    public static AccountId PlatformProcessingFees => ForPlatform(ChartOfAccounts.ProcessingFees);

    /// <summary><c>platform:dispute-fees</c>.</summary>
    public static AccountId PlatformDisputeFees => ForPlatform(ChartOfAccounts.DisputeFees);

    /// <summary><c>platform:dispute-losses</c>.</summary>
    public static AccountId PlatformDisputeLosses => ForPlatform(ChartOfAccounts.DisputeLosses);

    /// <summary><c>platform:bad-debts</c>.</summary>
    public static AccountId PlatformBadDebts => ForPlatform(ChartOfAccounts.BadDebts);

    /// <summary><c>merchant:{merchantId}:receivable</c>; the id must be a valid <c>mer_…</c> id (a bug otherwise, so it throws).</summary>
    public static AccountId MerchantReceivable(string merchantId) => ForParty(ChartOfAccounts.MerchantReceivable, merchantId);

    /// <summary><c>merchant:{merchantId}:deposit</c>; the id must be a valid <c>mer_…</c> id.</summary>
    public static AccountId MerchantDeposit(string merchantId) => ForParty(ChartOfAccounts.MerchantDeposit, merchantId);

    /// <summary><c>vendor:{vendorId}:payable</c>; the id must be a valid <c>ven_…</c> id.</summary>
    public static AccountId VendorPayable(string vendorId) => ForParty(ChartOfAccounts.VendorPayable, vendorId);

    /// <summary>The platform account of a platform kind.</summary>
    public static AccountId ForPlatform(AccountKind kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        if (kind.Scope != AccountScope.Platform)
        {
            throw new ArgumentException($"Account kind '{kind.Template}' belongs to a party; name the party.", nameof(kind));
        }

        return new AccountId($"platform:{kind.Name}", kind, null);
    }

    /// <summary>The account of a per-party kind for one merchant or vendor; an invalid party id is a bug and throws.</summary>
    public static AccountId ForParty(AccountKind kind, string partyId)
    {
        ArgumentNullException.ThrowIfNull(kind);
        if (kind.Scope == AccountScope.Platform)
        {
            throw new ArgumentException($"Account kind '{kind.Template}' is a platform account; it has no party.", nameof(kind));
        }

        var prefix = ChartOfAccounts.PartyIdPrefix(kind.Scope);
        if (!LedgerText.IsPartyId(partyId, prefix))
        {
            throw new ArgumentException(
                $"{LedgerText.Quote(partyId)} is not a {ChartOfAccounts.ScopeWord(kind.Scope)} id: expected '{prefix}' then 1 to "
                + $"{LedgerLimits.MaxPartyIdLength - prefix.Length} of [A-Za-z0-9_-].",
                nameof(partyId));
        }

        return new AccountId($"{ChartOfAccounts.ScopeWord(kind.Scope)}:{partyId}:{kind.Name}", kind, partyId);
    }

    /// <summary>Parses an account id; false when the text is not an account of the chart.</summary>
    public static bool TryParse(string? text, out AccountId accountId)
    {
        accountId = default;
        if (string.IsNullOrEmpty(text) || text.Length > LedgerLimits.MaxAccountIdLength)
        {
            return false;
        }

        var parts = text.Split(':');
        if (parts is ["platform", var platformName])
        {
            if (!ChartOfAccounts.TryFind(AccountScope.Platform, platformName, out var platformKind))
            {
                return false;
            }

            accountId = ForPlatform(platformKind);
            return true;
        }

        if (parts is [var scopeWord, var partyId, var name]
            && TryScope(scopeWord, out var scope)
            && ChartOfAccounts.TryFind(scope, name, out var kind)
            && LedgerText.IsPartyId(partyId, ChartOfAccounts.PartyIdPrefix(scope)))
        {
            accountId = ForParty(kind, partyId);
            return true;
        }

        return false;
    }

    /// <summary>Parses an account id from a request; refuses with <see cref="LedgerRule.AccountIdInvalid"/> naming the field.</summary>
    public static Validated<AccountId> Parse(string? text, string field) =>
        TryParse(text, out var accountId)
            ? Validated.Valid(accountId)
            : Validated.Refused<AccountId>(new Refusal(
                LedgerRule.AccountIdInvalid,
                field,
                $"{LedgerText.Quote(text)} is not an account of the chart: expected one of "
                + $"{string.Join(", ", ChartOfAccounts.All.Select(kind => kind.Template))}, at most {LedgerLimits.MaxAccountIdLength} characters."));

    /// <summary>Equal when the texts are equal (ordinal).</summary>
    public bool Equals(AccountId other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() => Value is null ? 0 : StringComparer.Ordinal.GetHashCode(Value);

    /// <summary>Orders by text, ordinal; the canonical order of postings and balance lines.</summary>
    public int CompareTo(AccountId other) => string.CompareOrdinal(Value, other.Value);

    /// <summary>Orders by text, ordinal.</summary>
    public static bool operator <(AccountId left, AccountId right) => left.CompareTo(right) < 0;

    /// <summary>Orders by text, ordinal.</summary>
    public static bool operator >(AccountId left, AccountId right) => left.CompareTo(right) > 0;

    /// <summary>Orders by text, ordinal.</summary>
    public static bool operator <=(AccountId left, AccountId right) => left.CompareTo(right) <= 0;

    /// <summary>Orders by text, ordinal.</summary>
    public static bool operator >=(AccountId left, AccountId right) => left.CompareTo(right) >= 0;

    /// <summary>The account id text.</summary>
    public override string ToString() => Value ?? "(no account)";

    private static bool TryScope(string word, out AccountScope scope)
    {
        scope = word switch
        {
            "merchant" => AccountScope.Merchant,
            "vendor" => AccountScope.Vendor,
            _ => default,
        };
        return scope != default;
    }
}
