using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;
using ServiceLedger.Functions.Adapters.Parties;
using ServiceLedger.Integration.Tests.Storage;
using ServiceLedger.TestSupport;

namespace ServiceLedger.Integration.Tests.Parties;

/// <summary>Party stores over fresh tables in the shared Azurite, with a settable clock.</summary>
internal static class PartyStores
{
    public static readonly Instant Start = Instant.FromUtc(2027, 3, 15, 2, 0);

    public static async Task<(MerchantTableStore Store, Functions.Adapters.Tables.TableClient Shops, FakeClock Clock)> MerchantsAsync()
    {
        var clock = new FakeClock(Start);
        var shops = await SharedAzurite.NewTableAsync("merchantshops");
        var store = new MerchantTableStore(await SharedAzurite.NewTableAsync("merchants"), shops, clock, NullLogger<MerchantTableStore>.Instance);
        return (store, shops, clock);
    }

    public static async Task<VendorTableStore> VendorsAsync() => new(await SharedAzurite.NewTableAsync("vendors"));
}
