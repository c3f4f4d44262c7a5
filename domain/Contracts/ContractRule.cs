namespace ServiceLedger.Domain.Contracts;

/// <summary>
/// The contracts' refusal codes: rule-shaped names that clients may switch on. A code is never renamed or reused for
/// another rule. Terms rules come first (in the order <see cref="Terms.Create"/> checks them), then lifecycle rules.
/// </summary>
public static class ContractRule
{
    /// <summary>A required field is missing.</summary>
    public const string FieldRequired = nameof(FieldRequired);

    /// <summary>A field has a value outside its allowed set (an unknown enum name).</summary>
    public const string ValueNotRecognised = nameof(ValueNotRecognised);

    /// <summary>A currency code is not an ISO 4217 currency the product supports.</summary>
    public const string CurrencyUnknown = nameof(CurrencyUnknown);

    /// <summary>An amount of money is in another currency than the terms.</summary>
    public const string CurrencyMustMatchTerms = nameof(CurrencyMustMatchTerms);

    /// <summary>An amount is not a decimal string, not positive, has digits beyond the minor unit, or exceeds the limit.</summary>
    public const string AmountInvalid = nameof(AmountInvalid);

    /// <summary>A time zone is not an IANA (tzdb) zone id.</summary>
    public const string TimeZoneUnknown = nameof(TimeZoneUnknown);

    /// <summary>A date is not an ISO <c>yyyy-MM-dd</c> date.</summary>
    public const string DateInvalid = nameof(DateInvalid);

    /// <summary>A whole number is outside its allowed range.</summary>
    public const string NumberOutOfRange = nameof(NumberOutOfRange);

    /// <summary>A text (agent type, reason) is empty, too long or has control characters.</summary>
    public const string TextInvalid = nameof(TextInvalid);

    /// <summary>A list has more items than its limit.</summary>
    public const string TooManyItems = nameof(TooManyItems);

    /// <summary>The base fee is given both as seats and as a lump sum, or neither.</summary>
    public const string BaseFeeMustBeSeatsOrLumpSum = nameof(BaseFeeMustBeSeatsOrLumpSum);

    /// <summary>Two seat lines name the same agent type.</summary>
    public const string AgentTypeRepeated = nameof(AgentTypeRepeated);

    /// <summary>A <c>BasePlusCommission</c> contract has no commission tiers.</summary>
    public const string CommissionTiersRequired = nameof(CommissionTiersRequired);

    /// <summary>A <c>FixedFee</c> contract has commission tiers.</summary>
    public const string CommissionTiersNotAllowed = nameof(CommissionTiersNotAllowed);

    /// <summary>A band's lower edge is not below its upper edge.</summary>
    public const string TierBandEmpty = nameof(TierBandEmpty);

    /// <summary>The first band does not start at 0% inclusive.</summary>
    public const string TiersMustStartAtZero = nameof(TiersMustStartAtZero);

    /// <summary>The last band does not end at 100% inclusive.</summary>
    public const string TiersMustEndAtOneHundredPercent = nameof(TiersMustEndAtOneHundredPercent);

    /// <summary>Some conversion rate between two consecutive bands falls in neither.</summary>
    public const string TiersLeaveGap = nameof(TiersLeaveGap);

    /// <summary>Some conversion rate falls in two bands.</summary>
    public const string TiersOverlap = nameof(TiersOverlap);

    /// <summary>A deposit of months × seat rates needs seats, not a lump-sum base fee.</summary>
    public const string DepositMonthsNeedSeats = nameof(DepositMonthsNeedSeats);

    /// <summary>The term ends on or before it starts, or runs longer than the limit.</summary>
    public const string TermInvalid = nameof(TermInvalid);

    /// <summary>The notice period is longer than the term.</summary>
    public const string NoticePeriodLongerThanTerm = nameof(NoticePeriodLongerThanTerm);

    /// <summary>A contract id is not <c>ctr_</c> followed by 1 to 60 of <c>[A-Za-z0-9_-]</c>.</summary>
    public const string ContractIdInvalid = nameof(ContractIdInvalid);

    /// <summary>The action is not allowed in the contract's (or the pending version's) current state; the message names it.</summary>
    public const string IllegalTransition = nameof(IllegalTransition);

    /// <summary>The actor's role may not take this action, or acts for another party.</summary>
    public const string ActorNotAllowed = nameof(ActorNotAllowed);

    /// <summary>The approval the caller's role gives is not one this version needs, or was already given.</summary>
    public const string ApprovalNotNeeded = nameof(ApprovalNotNeeded);

    /// <summary>One person may give only one of a version's approvals (four eyes).</summary>
    public const string ApproverAlreadyApproved = nameof(ApproverAlreadyApproved);

    /// <summary>This party has already signed this version.</summary>
    public const string AlreadySigned = nameof(AlreadySigned);

    /// <summary>The caller named another version than the one awaiting approval or signature.</summary>
    public const string VersionMismatch = nameof(VersionMismatch);

    /// <summary>An amendment is proposed while another is still pending.</summary>
    public const string AmendmentAlreadyPending = nameof(AmendmentAlreadyPending);

    /// <summary>An amendment would change the contract's currency, which its ledger book cannot follow.</summary>
    public const string AmendmentCannotChangeCurrency = nameof(AmendmentCannotChangeCurrency);

    /// <summary>An amendment takes effect on or before the version it replaces, or outside the term.</summary>
    public const string AmendmentEffectiveDateInvalid = nameof(AmendmentEffectiveDateInvalid);

    /// <summary>The contract has too many versions.</summary>
    public const string TooManyVersions = nameof(TooManyVersions);

    /// <summary>The contract has recorded as many actions as it can hold (<see cref="ContractLimits.MaxHistoryEntries"/>).</summary>
    public const string HistoryFull = nameof(HistoryFull);

    /// <summary>The contract's term has not ended, or it renews automatically, so it cannot expire.</summary>
    public const string TermNotEnded = nameof(TermNotEnded);

    /// <summary>The vendor is not eligible to contract (not certified, or a certification expired).</summary>
    public const string VendorNotEligible = nameof(VendorNotEligible);
}
