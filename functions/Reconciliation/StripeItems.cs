using System.Globalization;
using CsvHelper;
using NodaTime;
using NodaTime.Text;
using ServiceLedger.Domain;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Domain.Money;
using ServiceLedger.Domain.Reconciliation;
using ServiceLedger.Functions.Adapters.Stripe;

namespace ServiceLedger.Functions.Reconciliation;

/// <summary>
/// Stripe's side of a reconciliation, from the API (<see cref="StripeBalanceTransaction"/>) or from Stripe's CSV export of
/// balance transactions: the itemized balance-change and payout-reconciliation reports (<c>balance_transaction_id</c>,
/// <c>source_id</c>, <c>gross</c>, <c>fee</c>, <c>net</c>, <c>currency</c>, <c>created_utc</c>, <c>available_on_utc</c>,
/// <c>reporting_category</c>, <c>automatic_payout_id</c>) or the Dashboard's export (<c>id</c>, <c>Source</c>,
/// <c>Amount</c>, <c>Fee</c>, <c>Net</c>, <c>Currency</c>, <c>Created (UTC)</c>, <c>Available On (UTC)</c>, <c>Type</c>).
/// CSV amounts are in major units (<c>10.00</c>), unlike the API's minor units.
/// </summary>
public static class StripeItems
{
    /// <summary>Most rows one upload may carry (a busy quarter); beyond it, upload per month.</summary>
    public const int MaxCsvRows = 200_000;

    /// <summary>Most bytes one upload may carry.</summary>
    public const int MaxCsvBytes = 64 * 1024 * 1024;

    private static readonly LocalDateTimePattern[] DatePatterns =
    [
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd' 'HH':'mm':'ss"),
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd' 'HH':'mm"),
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss'Z'"),
    ];

    /// <summary>The matcher's item for an API balance transaction, or null when it lacks a source or a known currency.</summary>
    public static StripeItem? From(StripeBalanceTransaction transaction, string? payoutId)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        if (transaction.Source is not { Length: > 0 } source || !Currency.TryFromCode(transaction.Currency?.ToUpperInvariant(), out var currency))
        {
            return null;
        }

        return new StripeItem(
            transaction.Id,
            source,
            transaction.Type ?? "unknown",
            transaction.Amount,
            transaction.Fee,
            transaction.Net,
            currency,
            Instant.FromUnixTimeSeconds(transaction.Created),
            Instant.FromUnixTimeSeconds(transaction.AvailableOn),
            payoutId);
    }

    /// <summary>Reads a CSV export; refuses naming the row and column (<c>rows[12].gross</c>), and reads nothing on any refusal.</summary>
    public static Validated<IReadOnlyList<StripeItem>> ParseCsv(byte[] utf8)
    {
        ArgumentNullException.ThrowIfNull(utf8);
        if (utf8.Length > MaxCsvBytes)
        {
            return Refused("$", $"The file is {utf8.Length} bytes; at most {MaxCsvBytes} are accepted. Upload one month at a time.");
        }

        using var reader = CsvReader.Create(utf8);
        var columns = new Columns(reader);
        if (columns.Missing() is { } missing)
        {
            return Refused("$", $"The CSV has no '{missing}' column: expected Stripe's balance transactions export (balance_transaction_id, source_id, gross, fee, net, currency, created_utc, …).");
        }

        var items = new List<StripeItem>();
        while (reader.Read())
        {
            if (items.Count == MaxCsvRows)
            {
                return Refused("$", $"The CSV has more than {MaxCsvRows} rows; upload one month at a time.");
            }

            var row = $"rows[{(reader.RowNumber - 1).ToString(CultureInfo.InvariantCulture)}]";
            var id = reader.GetString(columns.Id);
            var source = reader.GetString(columns.Source);
            if (id.Length == 0 || source.Length == 0)
            {
                return Refused(row, "A row needs a balance transaction id and a source id.");
            }

            if (!Currency.TryFromCode(reader.GetString(columns.Currency).ToUpperInvariant(), out var currency))
            {
                return Refused(row + ".currency", $"'{reader.GetString(columns.Currency)}' is not a supported currency.");
            }

            if (Minor(reader.GetString(columns.Gross), currency) is not { } gross || Minor(reader.GetString(columns.Fee), currency) is not { } fee
                || Minor(reader.GetString(columns.Net), currency) is not { } net)
            {
                return Refused(row + ".gross", "gross, fee and net must be decimal amounts in major units with at most the currency's minor-unit digits, e.g. 10.00.");
            }

            if (ParseInstant(reader.GetString(columns.Created)) is not { } created)
            {
                return Refused(row + ".created_utc", $"'{reader.GetString(columns.Created)}' is not a UTC time such as 2027-03-04 10:15:00.");
            }

            var availableOn = columns.AvailableOn is { } available ? ParseInstant(reader.GetString(available)) ?? created : created;
            var type = columns.Type is { } typeColumn ? reader.GetString(typeColumn) : "unknown";
            var payout = columns.Payout is { } payoutColumn && reader.GetString(payoutColumn) is { Length: > 0 } payoutId ? payoutId : null;
            items.Add(new StripeItem(id, source, type, gross, fee, net, currency, created, availableOn, payout));
        }

        return Validated.Valid<IReadOnlyList<StripeItem>>(items);
    }

    private static long? Minor(string text, Currency currency)
    {
        if (!decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            return null;
        }

        var minor = amount / currency.MinorUnit;
        return decimal.Truncate(minor) == minor && Math.Abs(minor) < 1e15m ? (long)minor : null;
    }

    private static Instant? ParseInstant(string text)
    {
        foreach (var pattern in DatePatterns)
        {
            var parsed = pattern.Parse(text);
            if (parsed.Success)
            {
                return parsed.Value.InUtc().ToInstant();
            }
        }

        return null;
    }

    private static Validated<IReadOnlyList<StripeItem>> Refused(string field, string message) =>
        Validated.Refused<IReadOnlyList<StripeItem>>(new Refusal(ReconciliationRule.StripeCsvInvalid, field, message));

    // Column positions under either export's names; optional ones are null when absent.
    private sealed class Columns
    {
        private readonly List<string> missing = [];

        public Columns(CsvReader reader)
        {
            Id = Find(reader, "balance_transaction_id", "id");
            Source = Find(reader, "source_id", "Source");
            Gross = Find(reader, "gross", "Amount");
            Fee = Find(reader, "fee", "Fee");
            Net = Find(reader, "net", "Net");
            Currency = Find(reader, "currency", "Currency");
            Created = Find(reader, "created_utc", "Created (UTC)");
            AvailableOn = Optional(reader, "available_on_utc", "Available On (UTC)");
            Type = Optional(reader, "reporting_category", "Type");
            Payout = Optional(reader, "automatic_payout_id", "Transfer");
        }

        public int Id { get; }

        public int Source { get; }

        public int Gross { get; }

        public int Fee { get; }

        public int Net { get; }

        public int Currency { get; }

        public int Created { get; }

        public int? AvailableOn { get; }

        public int? Type { get; }

        public int? Payout { get; }

        public string? Missing() => missing.FirstOrDefault();

        private static int? Optional(CsvReader reader, string name, string alias) =>
            reader.TryGetFieldIndex(name, out var index) || reader.TryGetFieldIndex(alias, out index) ? index : null;

        private int Find(CsvReader reader, string name, string alias)
        {
            if (Optional(reader, name, alias) is { } index)
            {
                return index;
            }

            missing.Add(name);
            return -1;
        }
    }
}
