namespace ServiceLedger.Domain.Parties;

/// <summary>
/// Every bound on merchants and vendors, as named constants. Texts count UTF-16 code units after trimming (what
/// <see cref="string.Length"/> counts), so a Chinese character counts one; every bound keeps an entity far below a Table
/// entity's 1 MiB and a string property's 32,768 characters (PartyLimitsTest checks the sums).
/// </summary>
public static class PartyLimits
{
    /// <summary>Longest legal name; registered Chinese company names are far shorter, transliterations can be long.</summary>
    public const int MaxLegalNameLength = 200;

    /// <summary>Longest contact person's name.</summary>
    public const int MaxContactNameLength = 100;

    /// <summary>Longest e-mail address (RFC 5321 path limit).</summary>
    public const int MaxEmailLength = 254;

    /// <summary>Longest local part of an e-mail address (RFC 5321).</summary>
    public const int MaxEmailLocalPartLength = 64;

    /// <summary>Fewest digits of a phone number (short numbers are not reachable from outside).</summary>
    public const int MinPhoneDigits = 6;

    /// <summary>Most digits of a phone number (E.164).</summary>
    public const int MaxPhoneDigits = 15;

    /// <summary>Most shops one merchant signs up with; each shop costs one marker write, so the bound also bounds the sign-up.</summary>
    public const int MaxShopsPerMerchant = 20;

    /// <summary>Longest shop id; platform shop ids are numeric and short, "Other" shops may use a slug.</summary>
    public const int MaxShopIdLength = 64;

    /// <summary>Largest staff count a vendor may state.</summary>
    public const int MaxStaffCount = 100_000;

    /// <summary>Most certifications one vendor holds.</summary>
    public const int MaxCertificationsPerVendor = 20;

    /// <summary>Longest certification name.</summary>
    public const int MaxCertificationNameLength = 100;

    /// <summary>Longest certification number.</summary>
    public const int MaxCertificationNumberLength = 64;

    /// <summary>Longest reason for a certification change.</summary>
    public const int MaxReasonLength = 500;

    /// <summary>
    /// Most entries in a vendor's certification history (application included). A vendor whose status changed 100 times
    /// needs a person, not another change; the bound keeps the stored history within one entity.
    /// </summary>
    public const int MaxHistoryEntries = 100;

    /// <summary>Most vendors or merchants one list page returns.</summary>
    public const int MaxPageSize = 100;

    /// <summary>The time zone a merchant bills in unless it says otherwise.</summary>
    public const string DefaultTimeZoneId = "Asia/Shanghai";

    /// <summary>
    /// The platform's own time zone: the calendar day of an approver's decision (certifying checks expiry on that day) is
    /// taken here, because certifications are issued by Chinese authorities with dates in China.
    /// </summary>
    public const string PlatformTimeZoneId = "Asia/Shanghai";
}
