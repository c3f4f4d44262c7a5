namespace ServiceLedger.Functions.Adapters.Billing;

using ServiceLedger.Domain.Billing;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Functions.Adapters.Tables;
using ServiceLedger.Functions.Configuration;
using static PeriodVersionRows;

/// <summary>Merchants' shop exports in the <c>shopexports</c> table, one row per version (key scheme: <see cref="PeriodVersionRows"/>).</summary>
internal sealed class TableShopExportStore(TableServiceClient tables) : IShopExportStore
{
    private readonly PeriodVersionRows rows = new(tables.GetTableClient(StorageNames.ShopExportsTable));

    public async Task<IReadOnlyList<ShopExport>> ReadAsync(ContractId contract, SettlementPeriod period, CancellationToken cancellationToken)
    {
        var entities = await rows.ReadAsync(contract, period, cancellationToken).ConfigureAwait(false);
        return entities.Select(entity => new ShopExport
        {
            Contract = contract,
            Period = period,
            Version = entity.Get("Version").AsInt32(),
            Figures = Expect(
                ShopFigures.Create(entity.Get("OrdersHandledByCustomerService").AsInt64(), entity.Get("ConvertedOrders").AsInt64(), ReadMoney(entity, "Sales")),
                entity),
            SubmittedBy = ReadActor(entity, "Submitted"),
            SubmittedAt = ReadInstant(entity, "SubmittedAt"),
        }).ToArray();
    }

    public Task<bool> TryAddAsync(ShopExport shopExport, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shopExport);
        var properties = new List<KeyValuePair<string, TableValue>>
        {
            Property("Period", shopExport.Period.ToString()),
            Property("Version", shopExport.Version),
            Property("OrdersHandledByCustomerService", shopExport.Figures.OrdersHandledByCustomerService),
            Property("ConvertedOrders", shopExport.Figures.ConvertedOrders),
        };
        properties.AddRange(MoneyProperties("Sales", shopExport.Figures.Sales));
        properties.AddRange(ActorProperties("Submitted", shopExport.SubmittedBy, shopExport.SubmittedAt));
        return rows.TryInsertAsync(new TableEntity(shopExport.Contract.Value, RowKey(shopExport.Period, shopExport.Version), properties), cancellationToken);
    }
}
