using System.Text.Json;
using Azure;
using NodaTime;
using ServiceLedger.Domain;
using ServiceLedger.Domain.Parties;
using ServiceLedger.Functions.Adapters.Tables;

namespace ServiceLedger.Functions.Adapters.Parties;

/// <summary>
/// Merchants in Table Storage. Table <c>merchants</c>: one entity per merchant (PartitionKey = merchant id, RowKey
/// <c>merchant</c>). Table <c>merchantshops</c>: one marker per shop (PartitionKey = platform, RowKey = shop id in lower
/// case) naming the merchant that owns it. Inserting a marker is the atomic claim that makes a shop belong to one merchant:
/// of two concurrent sign-ups with the same shop exactly one insert succeeds, the other gets 409.
/// The two tables cannot share a transaction, so a sign-up claims every shop first, then writes the merchant, and on any
/// refusal deletes the markers it claimed. A process that dies in between leaves markers whose merchant does not exist;
/// such a marker older than <see cref="AbandonedClaimAfter"/> is taken over (replace with If-Match) by the next sign-up.
/// Single-entity writes only: Azurite 3.37 mis-parses batch bodies whose multibyte UTF-8 (Chinese names) straddles a chunk.
/// </summary>
public sealed partial class MerchantTableStore : IMerchantStore
{
    /// <summary>How long a claim whose merchant never appeared is honoured before another sign-up may take the shop.</summary>
    public static readonly Duration AbandonedClaimAfter = Duration.FromMinutes(5);

    private const string MerchantRowKey = "merchant";

    private readonly TableClient _merchants;
    private readonly TableClient _shops;
    private readonly IClock _clock;
    private readonly ILogger<MerchantTableStore> _logger;

    /// <summary>Creates the store over its two tables.</summary>
    public MerchantTableStore(TableClient merchants, TableClient shops, IClock clock, ILogger<MerchantTableStore> logger)
    {
        _merchants = merchants ?? throw new ArgumentNullException(nameof(merchants));
        _shops = shops ?? throw new ArgumentNullException(nameof(shops));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <inheritdoc />
    public async Task<AddMerchantResult> AddAsync(Merchant merchant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(merchant);
        var claimed = new List<(Shop Shop, ETag ETag)>();
        for (var index = 0; index < merchant.Shops.Count; index++)
        {
            var shop = merchant.Shops[index];
            var claim = await ClaimAsync(merchant.Id, shop, cancellationToken).ConfigureAwait(false);
            if (claim is null)
            {
                await ReleaseAsync(merchant.Id, claimed, cancellationToken).ConfigureAwait(false);
                LogShopTaken(merchant.Id.Value, shop.ToString());
                return new AddMerchantResult.Conflict(new Refusal(
                    PartyRule.ShopAlreadySignedUp,
                    $"shops[{index}]",
                    $"Shop {shop.ShopId} on {shop.Platform} is already signed up by another merchant; a shop belongs to one merchant only."));
            }

            if (claim.Value != default)
            {
                claimed.Add((shop, claim.Value));
            }
        }

        try
        {
            await _merchants.InsertAsync(ToEntity(merchant), cancellationToken).ConfigureAwait(false);
            return new AddMerchantResult.Added(merchant);
        }
        catch (TableStorageException error) when (error.IsConflict)
        {
            var existing = await GetAsync(merchant.Id, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Merchant {merchant.Id} answered 409 on insert but cannot be read.", error);
            if (existing.SameDetailsAs(merchant))
            {
                return new AddMerchantResult.AlreadyAdded(existing);
            }

            await ReleaseAsync(merchant.Id, claimed, cancellationToken).ConfigureAwait(false);
            return new AddMerchantResult.Conflict(new Refusal(
                PartyRule.IdempotencyKeyReused,
                "Idempotency-Key",
                $"Merchant {merchant.Id} was already signed up with other details under this Idempotency-Key; use a new key for a new sign-up."));
        }
    }

    /// <inheritdoc />
    public async Task<Merchant?> GetAsync(MerchantId id, CancellationToken cancellationToken)
    {
        var entity = await _merchants.GetAsync(id.Value, MerchantRowKey, null, cancellationToken).ConfigureAwait(false);
        return entity is null ? null : FromEntity(id, entity);
    }

    /// <summary>
    /// Claims one shop: the marker's new ETag; <c>default</c> when this merchant already held it (a retry); null when
    /// another merchant holds it.
    /// </summary>
    private async Task<ETag?> ClaimAsync(MerchantId id, Shop shop, CancellationToken cancellationToken)
    {
        var marker = new TableEntity(shop.Platform.ToString(), shop.Key,
        [
            new("MerchantId", id.Value),
            new("ShopId", shop.ShopId),
            new("ClaimedAt", _clock.GetCurrentInstant().ToDateTimeOffset()),
        ]);
        try
        {
            return await _shops.InsertAsync(marker, cancellationToken).ConfigureAwait(false);
        }
        catch (TableStorageException error) when (error.IsConflict)
        {
            var held = await _shops.GetAsync(marker.PartitionKey, marker.RowKey, null, cancellationToken).ConfigureAwait(false);
            if (held is null)
            {
                // Released between our insert and our read: the next sign-up attempt will find it free.
                return null;
            }

            var owner = held.Get("MerchantId").AsString();
            if (owner == id.Value)
            {
                return default(ETag);
            }

            var abandoned = Instant.FromDateTimeOffset(held.Get("ClaimedAt").AsDateTime()) + AbandonedClaimAfter < _clock.GetCurrentInstant()
                && MerchantId.TryParse(owner, out var ownerId)
                && await GetAsync(ownerId, cancellationToken).ConfigureAwait(false) is null;
            if (!abandoned)
            {
                return null;
            }

            try
            {
                LogTakeOver(shop.ToString(), owner, id.Value);
                return await _shops.ReplaceAsync(marker, held.ETag, cancellationToken).ConfigureAwait(false);
            }
            catch (TableStorageException lost) when (lost.IsPreconditionFailed || lost.IsNotFound)
            {
                return null;
            }
        }
    }

    private async Task ReleaseAsync(MerchantId id, List<(Shop Shop, ETag ETag)> claimed, CancellationToken cancellationToken)
    {
        foreach (var (shop, etag) in claimed)
        {
            try
            {
                await _shops.DeleteAsync(shop.Platform.ToString(), shop.Key, etag, CancellationToken.None).ConfigureAwait(false);
            }
            catch (TableStorageException error) when (error.IsNotFound || error.IsPreconditionFailed)
            {
                // Someone took an abandoned claim over already; it is theirs now.
                LogReleaseLost(id.Value, shop.ToString(), error.Status);
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    private static TableEntity ToEntity(Merchant merchant)
    {
        var form = merchant.ToForm();
        return new TableEntity(merchant.Id.Value, MerchantRowKey,
        [
            new("LegalName", merchant.LegalName),
            .. PartyEntities.ContactProperties(merchant.Contact),
            new("Shops", JsonSerializer.Serialize(form.Shops, PartyEntities.Json)),
            new("BillingCurrency", merchant.BillingCurrency.Code),
            new("TimeZone", merchant.TimeZone.Id),
            .. PartyEntities.ActorProperties("SignedUpBy", merchant.SignedUpBy),
            new("SignedUpAt", PartyEntities.FormatInstant(merchant.SignedUpAt)),
        ]);
    }

    private static Merchant FromEntity(MerchantId id, TableEntity entity)
    {
        var shops = JsonSerializer.Deserialize<ShopForm?[]>(entity.Get("Shops").AsString(), PartyEntities.Json)
            ?? throw new InvalidOperationException($"{entity}: no shops stored.");
        var form = new MerchantSignUp(
            entity.Get("LegalName").AsString(),
            PartyEntities.ReadContact(entity),
            shops,
            entity.Get("BillingCurrency").AsString(),
            entity.Get("TimeZone").AsString());
        return Merchant.Restore(
            id, form, PartyEntities.ReadActor(entity, "SignedUpBy"), PartyEntities.ParseInstant(entity.Get("SignedUpAt").AsString()));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Merchant {MerchantId} refused: shop {Shop} belongs to another merchant")]
    private partial void LogShopTaken(string merchantId, string shop);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shop {Shop} was claimed by merchant {Owner} that never appeared; merchant {MerchantId} takes it over")]
    private partial void LogTakeOver(string shop, string owner, string merchantId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Merchant {MerchantId} could not release shop {Shop} (status {Status}); it was taken over")]
    private partial void LogReleaseLost(string merchantId, string shop, int status);
}
