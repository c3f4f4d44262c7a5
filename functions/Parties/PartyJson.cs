using NodaTime.Text;
using ServiceLedger.Domain.Parties;

namespace ServiceLedger.Functions.Parties;

/// <summary>A contact on the wire.</summary>
public sealed record ContactResponse(string Name, string Email, string Phone);

/// <summary>A shop on the wire.</summary>
public sealed record ShopResponse(string Platform, string ShopId);

/// <summary>A merchant on the wire (GET /api/merchants/{merchantId}, and the answer to a sign-up).</summary>
public sealed record MerchantResponse(
    string Id, string LegalName, ContactResponse Contact, IReadOnlyList<ShopResponse> Shops, string BillingCurrency, string TimeZone, string SignedUpAt);

/// <summary>A certification on the wire; <c>expiresOn</c> is the last valid day.</summary>
public sealed record CertificationResponse(string Name, string Number, string ExpiresOn);

/// <summary>Who did something, on the wire.</summary>
public sealed record ActorResponse(string Role, string Subject);

/// <summary>One history entry on the wire.</summary>
public sealed record VendorStatusChangeResponse(string Status, ActorResponse By, string At, string Reason);

/// <summary>A vendor on the wire, with its version (also sent as the ETag header).</summary>
public sealed record VendorResponse(
    string Id,
    string LegalName,
    ContactResponse Contact,
    string LicenceNumber,
    IReadOnlyList<string> ServiceCategories,
    int StaffCount,
    IReadOnlyList<CertificationResponse> Certifications,
    string Status,
    IReadOnlyList<VendorStatusChangeResponse> History,
    string Version);

/// <summary>A page of vendors; pass <c>continuationToken</c> back for the next page (null on the last).</summary>
public sealed record VendorPageResponse(IReadOnlyList<VendorResponse> Items, string? ContinuationToken);

/// <summary>The body of certify, suspend and revoke.</summary>
/// <param name="Reason">Why, 1 to 500 characters.</param>
public sealed record CertificationChangeRequest(string? Reason);

/// <summary>Maps parties to their wire form: dates <c>yyyy-MM-dd</c>, instants UTC ISO 8601, enums by name.</summary>
public static class PartyJson
{
    /// <summary>The wire form of a merchant.</summary>
    public static MerchantResponse ToResponse(Merchant merchant)
    {
        ArgumentNullException.ThrowIfNull(merchant);
        return new MerchantResponse(
            merchant.Id.Value,
            merchant.LegalName,
            ToResponse(merchant.Contact),
            [.. merchant.Shops.Select(shop => new ShopResponse(shop.Platform.ToString(), shop.ShopId))],
            merchant.BillingCurrency.Code,
            merchant.TimeZone.Id,
            InstantPattern.ExtendedIso.Format(merchant.SignedUpAt));
    }

    /// <summary>The wire form of a stored vendor.</summary>
    public static VendorResponse ToResponse(StoredVendor stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var vendor = stored.Vendor;
        return new VendorResponse(
            vendor.Id.Value,
            vendor.LegalName,
            ToResponse(vendor.Contact),
            vendor.LicenceNumber.Value,
            [.. vendor.ServiceCategories.Select(category => category.ToString())],
            vendor.StaffCount,
            [.. vendor.Certifications.Select(c => new CertificationResponse(c.Name, c.Number, LocalDatePattern.Iso.Format(c.ExpiresOn)))],
            vendor.Status.ToString(),
            [.. vendor.History.Select(change => new VendorStatusChangeResponse(
                change.Status.ToString(),
                new ActorResponse(change.By.Role.ToString().ToLowerInvariant(), change.By.Subject),
                InstantPattern.ExtendedIso.Format(change.At),
                change.Reason))],
            stored.Version);
    }

    private static ContactResponse ToResponse(Contact contact) => new(contact.Name, contact.Email, contact.Phone);
}
