namespace ServiceLedger.Domain.Billing;

/// <summary>
/// The billing capability's refusal codes (service reports, shop exports, their CSV import): rule-shaped names that clients
/// may switch on. A code is never renamed or reused for another rule. The figures' own codes (e.g.
/// <c>ConversionsAboveInquiries</c>) are listed here too, so that every billing code can be found in one place.
/// </summary>
public static class BillingRule
{
    /// <summary>A required field is missing.</summary>
    public const string FieldRequired = nameof(FieldRequired);

    /// <summary>Inquiries are negative or above <see cref="ServiceFigures.MaxInquiries"/>.</summary>
    public const string InquiriesOutOfRange = nameof(InquiriesOutOfRange);

    /// <summary>Converted inquiries are negative.</summary>
    public const string ConvertedInquiriesOutOfRange = nameof(ConvertedInquiriesOutOfRange);

    /// <summary>More converted inquiries than inquiries.</summary>
    public const string ConversionsAboveInquiries = nameof(ConversionsAboveInquiries);

    /// <summary>Attributed sales (or a shop's sales) are negative.</summary>
    public const string SalesMustNotBeNegative = nameof(SalesMustNotBeNegative);

    /// <summary>Orders handled by customer service are negative or above <see cref="ShopFigures.MaxOrders"/>.</summary>
    public const string OrdersOutOfRange = nameof(OrdersOutOfRange);

    /// <summary>Converted orders are negative or more than the orders handled.</summary>
    public const string ConvertedOrdersOutOfRange = nameof(ConvertedOrdersOutOfRange);

    /// <summary>An amount is in another currency than the contract's.</summary>
    public const string CurrencyMustMatchContract = nameof(CurrencyMustMatchContract);

    /// <summary>The contract is not (or not yet) in service: only Active, Suspended, Terminated and Expired contracts report.</summary>
    public const string ContractNotInService = nameof(ContractNotInService);

    /// <summary>A month given for a quarterly contract, or a quarter for a monthly one.</summary>
    public const string PeriodNotOfContractCycle = nameof(PeriodNotOfContractCycle);

    /// <summary>The period does not overlap the contract's term.</summary>
    public const string PeriodOutsideTerm = nameof(PeriodOutsideTerm);

    /// <summary>The period has not ended yet in the contract's time zone: its figures cannot be complete.</summary>
    public const string PeriodNotEnded = nameof(PeriodNotEnded);

    /// <summary>The role may not take this action (e.g. a vendor confirming its own report).</summary>
    public const string ActorNotAllowed = nameof(ActorNotAllowed);

    /// <summary>No report (or shop export) version with that number exists for the contract and period.</summary>
    public const string VersionUnknown = nameof(VersionUnknown);

    /// <summary>The version was superseded by a newer one; only the latest may be confirmed or contested.</summary>
    public const string VersionSuperseded = nameof(VersionSuperseded);

    /// <summary>The version was already confirmed or contested the other way; a review is given once.</summary>
    public const string AlreadyReviewed = nameof(AlreadyReviewed);

    /// <summary>A reason is missing, too long or not plain text.</summary>
    public const string ReasonInvalid = nameof(ReasonInvalid);

    /// <summary>A contract and period already has <see cref="BillingLimits.MaxVersionsPerPeriod"/> versions.</summary>
    public const string TooManyVersions = nameof(TooManyVersions);
}

/// <summary>The billing capability's bounds, named so that they can be tested against each other and documented.</summary>
public static class BillingLimits
{
    /// <summary>Most versions of one contract's report for one period (and of one shop export): corrections, not a log.</summary>
    public const int MaxVersionsPerPeriod = 999;

    /// <summary>Digits of the zero-padded version in storage keys; wide enough for <see cref="MaxVersionsPerPeriod"/>.</summary>
    public const int VersionDigits = 6;

    /// <summary>Longest reason a merchant may give when contesting a report.</summary>
    public const int MaxReasonLength = 1_000;
}
