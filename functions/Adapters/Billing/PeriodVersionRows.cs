namespace ServiceLedger.Functions.Adapters.Billing;

using System.Globalization;
using NodaTime;
using ServiceLedger.Domain.Billing;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Money;
using ServiceLedger.Domain.Parties;
using ServiceLedger.Functions.Adapters.Tables;

/// <summary>
/// The key scheme the versioned billing rows share (service reports in the contract's <c>statements</c> partition, shop
/// exports in <c>shopexports</c>): PartitionKey = contract id, RowKey = <c>{keyPrefix}{period}:v{version:D6}</c>, so that
/// one prefix query lists a period's versions in order and the versions of all periods sort by period text. The key prefix
/// (<c>rpt:</c> for service reports) sets the rows apart from the other rows of a shared partition. Rows are only inserted:
/// a second insert of the same version fails with 409, which is how two writers racing for the next version get one winner.
/// </summary>
internal sealed class PeriodVersionRows(TableClient table, string keyPrefix = "")
{
    /// <summary>Pages a contract's rows may take (all periods): 10,000 rows.</summary>
    public const int MaxContractPages = 10;

    // A period's rows are those whose key starts with "{keyPrefix}{period}:" (one RowKey range).
    private const char Separator = ':';

    /// <summary>Pages one period's rows may take; versions are bounded far below one page (1000 rows).</summary>
    private const int MaxPages = 4;

    public static string RowKey(SettlementPeriod period, int version, string? suffix = null) =>
        string.Create(CultureInfo.InvariantCulture, $"{period}{Separator}v{version.ToString("D" + BillingLimits.VersionDigits, CultureInfo.InvariantCulture)}")
        + (suffix is null ? string.Empty : Separator + suffix);

    /// <summary>The row key of a version (or of one of its extra rows, <paramref name="suffix"/>) with this table's key prefix.</summary>
    public string Key(SettlementPeriod period, int version, string? suffix = null) => keyPrefix + RowKey(period, version, suffix);

    /// <summary>The period a row's key starts with after <paramref name="keyPrefix"/>.</summary>
    public static SettlementPeriod PeriodOf(TableEntity entity, string keyPrefix)
    {
        ArgumentNullException.ThrowIfNull(entity);
        ArgumentNullException.ThrowIfNull(keyPrefix);
        var period = entity.RowKey[keyPrefix.Length..].Split(Separator)[0];
        return SettlementPeriod.TryParse(period, out var parsed) ? parsed : throw new InvalidDataException($"Row {entity.PartitionKey}/{entity.RowKey} does not start with a period.");
    }

    /// <summary>Every row of the period, in RowKey order (versions ascending, each version's extra rows right after it).</summary>
    public async Task<IReadOnlyList<TableEntity>> ReadAsync(ContractId contract, SettlementPeriod period, CancellationToken cancellationToken)
    {
        var filter = TableFilter.And(TableFilter.PartitionKeyEquals(contract.Value), TableFilter.RowKeyStartsWith(keyPrefix + period + Separator));
        var rows = new List<TableEntity>();
        await foreach (var entity in table.QueryAsync(new TableQuery(filter), MaxPages, cancellationToken).ConfigureAwait(false))
        {
            rows.Add(entity);
        }

        return rows;
    }

    /// <summary>
    /// Every row of the contract, in RowKey order (periods by their text, then versions), with each row's period read from
    /// its key. At most <see cref="MaxContractPages"/> pages (a contract reporting monthly for 100 years with every version
    /// reviewed holds 2,400 rows); more fails loudly rather than settle on a partial history.
    /// </summary>
    public async Task<IReadOnlyList<(SettlementPeriod Period, TableEntity Row)>> ReadContractAsync(ContractId contract, CancellationToken cancellationToken)
    {
        var filter = keyPrefix.Length == 0
            ? TableFilter.PartitionKeyEquals(contract.Value)
            : TableFilter.And(TableFilter.PartitionKeyEquals(contract.Value), TableFilter.RowKeyStartsWith(keyPrefix));
        var rows = new List<(SettlementPeriod, TableEntity)>();
        await foreach (var entity in table.QueryAsync(new TableQuery(filter), MaxContractPages, cancellationToken).ConfigureAwait(false))
        {
            rows.Add((PeriodOf(entity, keyPrefix), entity));
        }

        return rows;
    }

    /// <summary>Inserts the row; false when its key is taken (nothing written).</summary>
    public async Task<bool> TryInsertAsync(TableEntity entity, CancellationToken cancellationToken)
    {
        try
        {
            await table.InsertAsync(entity, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TableStorageException exception) when (exception.IsConflict)
        {
            return false;
        }
    }

    public static KeyValuePair<string, TableValue> Property(string name, TableValue value) => new(name, value);

    public static IEnumerable<KeyValuePair<string, TableValue>> ActorProperties(string prefix, Actor actor, Instant at) =>
    [
        Property(prefix + "Role", actor.Role.ToString()),
        Property(prefix + "By", actor.Subject),
        Property(prefix + "At", at.ToDateTimeOffset()),
    ];

    public static Actor ReadActor(TableEntity entity, string prefix) =>
        Actor.Create(Enum.Parse<ActorRole>(entity.Get(prefix + "Role").AsString()), entity.Get(prefix + "By").AsString(), prefix).Value;

    public static Instant ReadInstant(TableEntity entity, string name) => Instant.FromDateTimeOffset(entity.Get(name).AsDateTime());

    public static IEnumerable<KeyValuePair<string, TableValue>> MoneyProperties(string prefix, Money money) =>
    [
        Property(prefix + "Amount", money.FormatAmount()),
        Property(prefix + "Currency", money.Currency.Code),
    ];

    public static Money ReadMoney(TableEntity entity, string prefix) =>
        Money.Parse(entity.Get(prefix + "Amount").AsString(), entity.Get(prefix + "Currency").AsString(), prefix).Value;

    public static string? OptionalString(TableEntity entity, string name) => entity.TryGet(name, out var value) ? value.AsString() : null;

    // Stored figures passed validation when written; failing it on read means the row was changed outside the app.
    public static T Expect<T>(ServiceLedger.Domain.Ledger.Validated<T> value, TableEntity entity) =>
        value.IsValid ? value.Value : throw new InvalidOperationException($"Stored row {entity} no longer passes validation: {value}.");
}
