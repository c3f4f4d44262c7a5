using System.Text.Json;
using Azure;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Domain.Parties;
using ServiceLedger.Functions.Adapters.Tables;

namespace ServiceLedger.Functions.Adapters.Parties;

/// <summary>
/// Vendors in Table Storage, table <c>vendors</c>: one entity per vendor (PartitionKey = vendor id, RowKey <c>vendor</c>)
/// holding the application's fields, the current <c>Status</c> (so lists can filter on it) and the history as JSON split
/// over <c>History0…</c>. Every change is a replace with If-Match on the version read, so of two approvers acting at once
/// one wins and the other gets the current vendor back. Single-entity writes only (Chinese names; see
/// <see cref="MerchantTableStore"/>).
/// </summary>
public sealed class VendorTableStore : IVendorStore
{
    private const string VendorRowKey = "vendor";

    private readonly TableClient _vendors;

    /// <summary>Creates the store over its table.</summary>
    public VendorTableStore(TableClient vendors) => _vendors = vendors ?? throw new ArgumentNullException(nameof(vendors));

    /// <summary>The table, for tests that inspect the stored entity.</summary>
    internal TableClient Table => _vendors;

    /// <inheritdoc />
    public async Task<AddVendorResult> AddAsync(Vendor vendor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(vendor);
        try
        {
            var etag = await _vendors.InsertAsync(ToEntity(vendor), cancellationToken).ConfigureAwait(false);
            return new AddVendorResult.Added(new StoredVendor(vendor, etag.ToString()));
        }
        catch (TableStorageException error) when (error.IsConflict)
        {
            var existing = await GetAsync(vendor.Id, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Vendor {vendor.Id} answered 409 on insert but cannot be read.", error);
            return new AddVendorResult.AlreadyApplied(existing);
        }
    }

    /// <inheritdoc />
    public async Task<StoredVendor?> GetAsync(VendorId id, CancellationToken cancellationToken)
    {
        var entity = await _vendors.GetAsync(id.Value, VendorRowKey, null, cancellationToken).ConfigureAwait(false);
        return entity is null ? null : FromEntity(entity);
    }

    /// <inheritdoc />
    public async Task<ReplaceVendorResult> ReplaceAsync(Vendor vendor, string version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(vendor);
        ArgumentException.ThrowIfNullOrEmpty(version);
        try
        {
            var etag = await _vendors.ReplaceAsync(ToEntity(vendor), new ETag(version), cancellationToken).ConfigureAwait(false);
            return new ReplaceVendorResult.Replaced(new StoredVendor(vendor, etag.ToString()));
        }
        catch (TableStorageException error) when (error.IsPreconditionFailed)
        {
            var current = await GetAsync(vendor.Id, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Vendor {vendor.Id} answered 412 on replace but cannot be read; vendors are never deleted.", error);
            return new ReplaceVendorResult.Conflict(current);
        }
    }

    /// <inheritdoc />
    public async Task<LedgerPage<StoredVendor>> ListAsync(
        CertificationStatus? status, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, PartyLimits.MaxPageSize);
        var filter = TableFilter.Compare("RowKey", TableFilterOperator.Equal, VendorRowKey);
        if (status is { } wanted)
        {
            filter = TableFilter.And(filter, TableFilter.Compare("Status", TableFilterOperator.Equal, wanted.ToString()));
        }

        var page = await _vendors.QueryPageAsync(new TableQuery(filter, top: pageSize), continuationToken, cancellationToken).ConfigureAwait(false);
        return new LedgerPage<StoredVendor>(page.Entities.Select(FromEntity).ToArray(), page.ContinuationToken);
    }

    private static TableEntity ToEntity(Vendor vendor)
    {
        var application = vendor.ToApplication();
        var history = vendor.History.Select(change => new StoredChange(
            change.Status.ToString(), change.By.Role.ToString(), change.By.Subject, PartyEntities.FormatInstant(change.At), change.Reason));
        return new TableEntity(vendor.Id.Value, VendorRowKey,
        [
            new("LegalName", vendor.LegalName),
            .. PartyEntities.ContactProperties(vendor.Contact),
            new("LicenceNumber", vendor.LicenceNumber.Value),
            new("ServiceCategories", string.Join(',', vendor.ServiceCategories)),
            new("StaffCount", vendor.StaffCount),
            new("Certifications", JsonSerializer.Serialize(application.Certifications, PartyEntities.Json)),
            new("Status", vendor.Status.ToString()),
            .. PartyEntities.SplitProperty("History", JsonSerializer.Serialize(history, PartyEntities.Json)),
        ]);
    }

    private static StoredVendor FromEntity(TableEntity entity)
    {
        var certifications = JsonSerializer.Deserialize<CertificationForm?[]>(entity.Get("Certifications").AsString(), PartyEntities.Json)
            ?? throw new InvalidOperationException($"{entity}: no certifications stored.");
        var history = JsonSerializer.Deserialize<StoredChange[]>(PartyEntities.JoinProperty(entity, "History"), PartyEntities.Json)
            ?? throw new InvalidOperationException($"{entity}: no history stored.");
        var application = new VendorApplication(
            entity.Get("LegalName").AsString(),
            PartyEntities.ReadContact(entity),
            entity.Get("LicenceNumber").AsString(),
            entity.Get("ServiceCategories").AsString().Split(','),
            entity.Get("StaffCount").AsInt32(),
            certifications);
        var vendor = Vendor.Restore(application, history.Select(ToChange).ToArray());
        if (vendor.Id.Value != entity.PartitionKey)
        {
            throw new InvalidOperationException($"{entity}: the stored licence gives vendor id {vendor.Id}, not the key it is stored under.");
        }

        return new StoredVendor(vendor, entity.ETag.ToString());
    }

    private static VendorStatusChange ToChange(StoredChange change) => new(
        Enum.Parse<CertificationStatus>(change.Status),
        PartyEntities.ToActor(change.Role, change.Subject),
        PartyEntities.ParseInstant(change.At),
        change.Reason);

    private sealed record StoredChange(string Status, string Role, string Subject, string At, string Reason);
}
