namespace ServiceLedger.TestSupport.Contracts;

using NodaTime;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Domain.Money;
using ServiceLedger.Domain.Parties;

/// <summary>
/// Sample parties, actors and contracts at each step of the lifecycle, for tests that need "a signed contract" without
/// repeating the steps. Pure domain types only (linked into the domain tests). Every step happens at <see cref="At"/>
/// unless a test says otherwise; the calendar is the caller's.
/// </summary>
public static class SampleContracts
{
    /// <summary>2026-09-29T02:00Z: Tuesday 10:00 in Shanghai, the week before National Day.</summary>
    public static Instant At { get; } = Instant.FromUtc(2026, 9, 29, 2, 0);

    /// <summary>The sample contract's id.</summary>
    public static ContractId Id { get; } = ContractId.Derive("sample-contract");

    /// <summary>The sample merchant.</summary>
    public static MerchantId Merchant { get; } = MerchantId.Derive("sample-merchant");

    /// <summary>The sample vendor.</summary>
    public static VendorId Vendor { get; } = VendorId.Derive("sample-vendor");

    /// <summary>A merchant user acting for <see cref="Merchant"/>.</summary>
    public static Actor MerchantUser { get; } = Actor.Create(ActorRole.Merchant, Merchant.Value, "actor").Value;

    /// <summary>A vendor user acting for <see cref="Vendor"/>.</summary>
    public static Actor VendorUser { get; } = Actor.Create(ActorRole.Vendor, Vendor.Value, "actor").Value;

    /// <summary>A finance user.</summary>
    public static Actor FinanceUser { get; } = Actor.Create(ActorRole.Finance, "finance-1", "actor").Value;

    /// <summary>An approver.</summary>
    public static Actor Approver { get; } = Actor.Create(ActorRole.Approver, "approver-1", "actor").Value;

    /// <summary>A second approver (an executive may not be the one who gave the platform approval).</summary>
    public static Actor Executive { get; } = Actor.Create(ActorRole.Approver, "approver-2", "actor").Value;

    /// <summary>Thresholds of 1,000,000 and 5,000,000 CNY a year: the default sample (1,080,000) needs platform and finance approval.</summary>
    public static ApprovalPolicy Policy { get; } =
        ApprovalPolicy.Create(new Money(1_000_000m, Currency.Cny), new Money(5_000_000m, Currency.Cny));

    /// <summary>A draft by the merchant.</summary>
    public static Contract Draft(Terms? terms = null) =>
        Contract.Draft(Id, Merchant, Vendor, terms ?? SampleTerms.Valid, MerchantUser, At).Value;

    /// <summary>A submitted draft.</summary>
    public static Contract Pending(Terms? terms = null) => Draft(terms).Submit(Policy, MerchantUser, At).Value;

    /// <summary>A contract with every approval its terms need.</summary>
    public static Contract Approved(Terms? terms = null)
    {
        var contract = Pending(terms);
        foreach (var kind in contract.PendingVersion!.RequiredApprovals)
        {
            contract = contract.Approve(ApproverFor(kind), At).Value;
        }

        return contract;
    }

    /// <summary>A contract signed by both parties at <paramref name="signedAt"/> (default <see cref="At"/>).</summary>
    public static Contract SignedByBoth(IWorkingDayCalendar calendar, Terms? terms = null, Instant? signedAt = null)
    {
        var when = signedAt ?? At;
        return Approved(terms)
            .Sign(MerchantUser, when, calendar, AccountingPeriods.None).Value
            .Sign(VendorUser, when, calendar, AccountingPeriods.None).Value;
    }

    /// <summary>A signed contract whose deposit is paid.</summary>
    public static Contract Active(IWorkingDayCalendar calendar, Terms? terms = null) =>
        SignedByBoth(calendar, terms).Activate("contract:sample:deposit", FinanceUser, At).Value;

    /// <summary>The sample actor who gives an approval of <paramref name="kind"/>.</summary>
    public static Actor ApproverFor(ApprovalKind kind) => kind switch
    {
        ApprovalKind.Platform => Approver,
        ApprovalKind.Finance => FinanceUser,
        ApprovalKind.Executive => Executive,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown approval kind."),
    };
}
