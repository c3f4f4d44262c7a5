using ServiceLedger.Domain.Ledger;

namespace ServiceLedger.Domain.Parties;

/// <summary>A stored vendor with its version (the store's ETag): pass the version back to change it.</summary>
/// <param name="Vendor">The vendor as stored.</param>
/// <param name="Version">An opaque version that changes with every write.</param>
public sealed record StoredVendor(Vendor Vendor, string Version);

/// <summary>The outcome of adding a merchant.</summary>
public abstract record AddMerchantResult
{
    private AddMerchantResult()
    {
    }

    /// <summary>The merchant and its shops are stored now.</summary>
    /// <param name="Merchant">The merchant as stored.</param>
    public sealed record Added(Merchant Merchant) : AddMerchantResult;

    /// <summary>The same merchant (same id, same details) was stored before: a retried sign-up. Nothing was written.</summary>
    /// <param name="Merchant">The merchant as stored first.</param>
    public sealed record AlreadyAdded(Merchant Merchant) : AddMerchantResult;

    /// <summary>Refused: a shop belongs to another merchant, or the id is taken by other details. Nothing is left written.</summary>
    /// <param name="Refusal">Why, naming the shop (<c>shops[i]</c>) or the idempotency key.</param>
    public sealed record Conflict(Refusal Refusal) : AddMerchantResult;
}

/// <summary>The outcome of adding a vendor.</summary>
public abstract record AddVendorResult
{
    private AddVendorResult()
    {
    }

    /// <summary>The vendor is stored now.</summary>
    /// <param name="Vendor">The vendor as stored, with its version.</param>
    public sealed record Added(StoredVendor Vendor) : AddVendorResult;

    /// <summary>A vendor with the same licence (hence the same id) exists; nothing was written.</summary>
    /// <param name="Existing">The vendor already stored.</param>
    public sealed record AlreadyApplied(StoredVendor Existing) : AddVendorResult;
}

/// <summary>The outcome of replacing a vendor at a version.</summary>
public abstract record ReplaceVendorResult
{
    private ReplaceVendorResult()
    {
    }

    /// <summary>Written; the vendor has a new version.</summary>
    /// <param name="Vendor">The vendor as stored now.</param>
    public sealed record Replaced(StoredVendor Vendor) : ReplaceVendorResult;

    /// <summary>Someone changed the vendor since that version; nothing was written.</summary>
    /// <param name="Current">The vendor as stored now.</param>
    public sealed record Conflict(StoredVendor Current) : ReplaceVendorResult;
}

/// <summary>
/// The port to merchants' storage. A shop belongs to at most one merchant, also under concurrent sign-ups: the store
/// must make that true atomically (the Table adapter claims one marker entity per shop before writing the merchant).
/// </summary>
public interface IMerchantStore
{
    /// <summary>Adds a merchant with all its shops, or nothing; a retry with the same id and details is harmless.</summary>
    Task<AddMerchantResult> AddAsync(Merchant merchant, CancellationToken cancellationToken);

    /// <summary>The merchant, or null when there is none with that id.</summary>
    Task<Merchant?> GetAsync(MerchantId id, CancellationToken cancellationToken);
}

/// <summary>The port to vendors' storage, with optimistic concurrency on every change.</summary>
public interface IVendorStore
{
    /// <summary>Adds a new vendor; refuses when a vendor with that id (that licence) exists.</summary>
    Task<AddVendorResult> AddAsync(Vendor vendor, CancellationToken cancellationToken);

    /// <summary>The vendor and its version, or null when there is none with that id.</summary>
    Task<StoredVendor?> GetAsync(VendorId id, CancellationToken cancellationToken);

    /// <summary>Replaces the vendor if it is still at <paramref name="version"/>; otherwise answers the current one.</summary>
    Task<ReplaceVendorResult> ReplaceAsync(Vendor vendor, string version, CancellationToken cancellationToken);

    /// <summary>
    /// One page of vendors ordered by id, optionally only those in <paramref name="status"/>; 1 to
    /// <see cref="PartyLimits.MaxPageSize"/> per page, continued with the page's token.
    /// </summary>
    Task<LedgerPage<StoredVendor>> ListAsync(CertificationStatus? status, int pageSize, string? continuationToken, CancellationToken cancellationToken);
}
