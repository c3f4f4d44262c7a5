namespace ServiceLedger.Functions.Adapters.Billing;

using ServiceLedger.Domain.Billing;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Money;
using ServiceLedger.Functions.Adapters.Tables;
using ServiceLedger.Functions.Configuration;
using static PeriodVersionRows;

/// <summary>
/// Service reports in the contract's partition of the <c>statements</c> table, RowKey <c>rpt:{period}:v{n}</c> (key scheme:
/// <see cref="PeriodVersionRows"/>), so that the one query a settlement makes of that partition brings the reports with the
/// statements (docs/service-reports.md). A version is one row with the figures as typed properties; its review is a second
/// row <c>rpt:{period}:v{n}:review</c>, inserted once, so that nothing is ever replaced and a review race has one winner.
/// </summary>
internal sealed class TableServiceReportStore(TableServiceClient tables) : IServiceReportStore
{
    /// <summary>The RowKey prefix of service report rows in a contract's statements partition.</summary>
    public const string KeyPrefix = "rpt:";

    /// <summary>Most report rows one contract may hold (versions and reviews of every period).</summary>
    public const int MaxRowsPerContract = PeriodVersionRows.MaxContractPages * TableQuery.MaxPageSize;

    private const string ReviewSuffix = "review";

    private readonly PeriodVersionRows rows = new(tables.GetTableClient(StorageNames.StatementsTable), KeyPrefix);

    /// <summary>True when <paramref name="entity"/>, a row of a contract's statements partition, is a service report row.</summary>
    public static bool IsReportRow(TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return entity.RowKey.StartsWith(KeyPrefix, StringComparison.Ordinal);
    }

    /// <summary>The contract's report histories from its report rows as a partition query returned them.</summary>
    public static IReadOnlyList<ServiceReportHistory> Histories(ContractId contract, IEnumerable<TableEntity> reportRows) =>
        reportRows.GroupBy(row => PeriodOf(row, KeyPrefix))
            .Select(period => History(contract, period.Key, period.ToArray()))
            .OrderBy(history => history.Period)
            .ToArray();

    public async Task<ServiceReportHistory> ReadAsync(ContractId contract, SettlementPeriod period, CancellationToken cancellationToken) =>
        History(contract, period, await rows.ReadAsync(contract, period, cancellationToken).ConfigureAwait(false));

    public async Task<IReadOnlyList<ServiceReportHistory>> ReadContractAsync(ContractId contract, CancellationToken cancellationToken) =>
        Histories(contract, (await rows.ReadContractAsync(contract, cancellationToken).ConfigureAwait(false)).Select(row => row.Row));

    private static ServiceReportHistory History(ContractId contract, SettlementPeriod period, IReadOnlyList<TableEntity> entities)
    {
        var reviews = entities.Where(entity => entity.RowKey.EndsWith(ReviewSuffix, StringComparison.Ordinal))
            .ToDictionary(entity => entity.Get("Version").AsInt32(), ReadReview);
        var versions = entities.Where(entity => !entity.RowKey.EndsWith(ReviewSuffix, StringComparison.Ordinal))
            .Select(entity => ReadVersion(contract, period, entity) with { Review = reviews.GetValueOrDefault(entity.Get("Version").AsInt32()) });
        return ServiceReportHistory.Of(contract, period, versions);
    }

    public Task<bool> TryAddVersionAsync(ServiceReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        var figures = report.Figures;
        var properties = new List<KeyValuePair<string, TableValue>>
        {
            Property("Period", report.Period.ToString()),
            Property("Version", report.Version),
            Property("Inquiries", figures.Inquiries),
            Property("ConvertedInquiries", figures.ConvertedInquiries),
        };
        properties.AddRange(MoneyProperties("AttributedSales", figures.AttributedSales));
        if (figures.FirstResponseSeconds is { } seconds)
        {
            properties.Add(Property("FirstResponseSeconds", seconds));
        }

        AddRate(properties, "AnswerRate", figures.AnswerRate);
        AddRate(properties, "FirstContactResolution", figures.FirstContactResolution);
        AddRate(properties, "Satisfaction", figures.Satisfaction);
        AddRate(properties, "QaPassRate", figures.QaPassRate);
        properties.AddRange(ActorProperties("Submitted", report.SubmittedBy, report.SubmittedAt));
        return rows.TryInsertAsync(new TableEntity(report.Contract.Value, rows.Key(report.Period, report.Version), properties), cancellationToken);
    }

    public Task<bool> TryAddReviewAsync(ServiceReport reviewed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reviewed);
        var review = reviewed.Review ?? throw new ArgumentException($"{reviewed.Contract} {reviewed.Period} v{reviewed.Version} has no review to store.", nameof(reviewed));
        var properties = new List<KeyValuePair<string, TableValue>>
        {
            Property("Version", reviewed.Version),
            Property("Outcome", review.Outcome.ToString()),
        };
        properties.AddRange(ActorProperties("Reviewed", review.By, review.At));
        if (review.Reason is { } reason)
        {
            properties.Add(Property("Reason", reason));
        }

        return rows.TryInsertAsync(new TableEntity(reviewed.Contract.Value, rows.Key(reviewed.Period, reviewed.Version, ReviewSuffix), properties), cancellationToken);
    }

    private static void AddRate(List<KeyValuePair<string, TableValue>> properties, string name, Rate? rate)
    {
        if (rate is { } value)
        {
            properties.Add(Property(name, value.ToString()));
        }
    }

    private static Rate? ReadRate(TableEntity entity, string name) =>
        OptionalString(entity, name) is { } text ? Expect(Rate.Parse(text, name), entity) : null;

    private static ServiceReport ReadVersion(ContractId contract, SettlementPeriod period, TableEntity entity) => new()
    {
        Contract = contract,
        Period = period,
        Version = entity.Get("Version").AsInt32(),
        Figures = Expect(
            ServiceFigures.Create(
                entity.Get("Inquiries").AsInt64(),
                entity.Get("ConvertedInquiries").AsInt64(),
                ReadMoney(entity, "AttributedSales"),
                entity.TryGet("FirstResponseSeconds", out var seconds) ? seconds.AsInt32() : null,
                ReadRate(entity, "AnswerRate"),
                ReadRate(entity, "FirstContactResolution"),
                ReadRate(entity, "Satisfaction"),
                ReadRate(entity, "QaPassRate")),
            entity),
        SubmittedBy = ReadActor(entity, "Submitted"),
        SubmittedAt = ReadInstant(entity, "SubmittedAt"),
    };

    private static ServiceReportReview ReadReview(TableEntity entity) => new(
        Enum.Parse<ServiceReportStatus>(entity.Get("Outcome").AsString()),
        ReadActor(entity, "Reviewed"),
        ReadInstant(entity, "ReviewedAt"),
        OptionalString(entity, "Reason"));
}
