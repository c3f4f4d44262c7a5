namespace ServiceLedger.Functions.Billing;

using System.Globalization;
using ServiceLedger.Domain;
using ServiceLedger.Domain.Billing;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;

/// <summary>One imported row's result: the contract and period, the version now latest, and whether the row created it.</summary>
/// <param name="Row">The data row (1 = the line after the header).</param>
/// <param name="ContractId">The contract.</param>
/// <param name="Period">The period.</param>
/// <param name="Version">The latest version after the import.</param>
/// <param name="Created">True when this row stored a new version; false when the figures equalled the latest (a re-sent file).</param>
public sealed record ImportedReport(int Row, string ContractId, string Period, int Version, bool Created);

/// <summary>
/// The CSV import of service reports (docs/service-reports.md has the columns and an example): many contracts in one
/// file, every row validated before anything is written, and if any row is refused nothing is written and every refusal
/// is answered, named <c>rows[n].column</c> (n counts data rows from 1). A good file stores each row as a new version
/// (or nothing for a row equal to the latest version, so a re-sent file is harmless). Rows are written one by one: the
/// table has no transaction across contracts, so a crash midway leaves the first rows stored, and sending the same file
/// again completes it without storing any row twice.
/// </summary>
internal sealed class ServiceReportImport(IContractStore contracts, ReportingGate gate, ServiceReporting reporting, IServiceReportStore reports)
{
    /// <summary>Most data rows in one file: a vendor's monthly file for every contract it serves, with room to spare.</summary>
    public const int MaxRows = 2_000;

    /// <summary>Largest file accepted (bytes): about 250 bytes a row at <see cref="MaxRows"/> rows.</summary>
    public const long MaxBytes = 512 * 1024;

    /// <summary>The columns every file must have, in the documented order (any order is accepted).</summary>
    public static IReadOnlyList<string> RequiredColumns { get; } =
        ["contractId", "period", "currency", "inquiries", "convertedInquiries", "attributedSales"];

    /// <summary>The columns a file may add, each holding an SLA figure or left empty.</summary>
    public static IReadOnlyList<string> OptionalColumns { get; } =
        ["firstResponseSeconds", "answerRate", "firstContactResolution", "satisfaction", "qaPassRate"];

    /// <summary>Validates every row, then writes all rows or none.</summary>
    public async Task<BillingOutcome<IReadOnlyList<ImportedReport>>> ImportAsync(BillingCaller caller, string text, CancellationToken cancellationToken)
    {
        var (records, error, tooMany) = Rfc4180Csv.Read(text, MaxRows + 1);
        if (tooMany)
        {
            return Refuse(new Refusal("TooManyRows", "rows", $"A file holds at most {MaxRows} rows after its header; split it into several files."));
        }

        if (error is not null)
        {
            return Refuse(new Refusal("CsvMalformed", "$", $"The file is not valid CSV (RFC 4180): {error}"));
        }

        if (records.Count == 0)
        {
            return Refuse(new Refusal("CsvHeaderInvalid", "$", $"The file is empty; its first line must name the columns: {string.Join(',', RequiredColumns.Concat(OptionalColumns))}."));
        }

        var (columns, headerRefusals) = ReadHeader(records[0]);
        if (headerRefusals.Count > 0)
        {
            return new BillingOutcome<IReadOnlyList<ImportedReport>>.Refused(headerRefusals);
        }

        if (records.Count == 1)
        {
            return Refuse(new Refusal("CsvHasNoRows", "rows", "The file has a header but no rows."));
        }

        var rows = records.Skip(1).Select((record, index) => new RawRow(index + 1, record, columns)).ToArray();
        var refusals = new List<Refusal>();
        var valid = new List<ValidRow>();
        var seen = new Dictionary<(ContractId, SettlementPeriod), int>();
        var contractCache = new Dictionary<ContractId, Contract?>();
        foreach (var row in rows)
        {
            var checkedRow = await CheckAsync(caller, row, contractCache, cancellationToken).ConfigureAwait(false);
            refusals.AddRange(checkedRow.Refusals);
            if (checkedRow.Row is not { } good)
            {
                continue;
            }

            if (seen.TryGetValue((good.Contract.Id, good.Period), out var first))
            {
                refusals.Add(new Refusal("DuplicateRow", $"{row.Name}.period", $"Row {first} already reports {good.Contract.Id} for {good.Period}; a file reports each contract and period once."));
                continue;
            }

            seen[(good.Contract.Id, good.Period)] = row.Number;
            valid.Add(good);
        }

        if (refusals.Count > 0)
        {
            return new BillingOutcome<IReadOnlyList<ImportedReport>>.Refused(refusals);
        }

        var imported = new List<ImportedReport>(valid.Count);
        foreach (var row in valid)
        {
            var outcome = await reporting.WriteAsync(
                row.Contract.Id.Value,
                row.Period.ToString(),
                () => reports.ReadAsync(row.Contract.Id, row.Period, cancellationToken),
                history => history.Submit(row.Figures, caller.Actor, gate.Now),
                reports.TryAddVersionAsync,
                cancellationToken).ConfigureAwait(false);
            switch (outcome)
            {
                case BillingOutcome<ServiceReportHistory>.Done done:
                    imported.Add(new ImportedReport(row.Number, row.Contract.Id.Value, row.Period.ToString(), done.Value.Latest!.Version, done.Created));
                    break;
                case BillingOutcome<ServiceReportHistory>.Refused refused:
                    // Validated above; a refusal now is a version race lost three times or the version limit, for this row only.
                    return new BillingOutcome<IReadOnlyList<ImportedReport>>.Refused(
                        refused.Refusals.Select(refusal => refusal with { Field = $"rows[{row.Number}].{refusal.Field}", Message = $"{refusal.Message} Rows before row {row.Number} were stored; send the same file again to complete it." }).ToArray(),
                        refused.Status);
                default:
                    throw new InvalidOperationException($"Unexpected outcome {outcome.GetType().Name} writing row {row.Number}.");
            }
        }

        return new BillingOutcome<IReadOnlyList<ImportedReport>>.Done(imported, imported.Any(report => report.Created));
    }

    private static BillingOutcome<IReadOnlyList<ImportedReport>> Refuse(Refusal refusal) =>
        new BillingOutcome<IReadOnlyList<ImportedReport>>.Refused([refusal]);

    private static (Dictionary<string, int> Columns, List<Refusal> Refusals) ReadHeader(CsvRecord header)
    {
        var known = RequiredColumns.Concat(OptionalColumns).ToArray();
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        var refusals = new List<Refusal>();
        for (var index = 0; index < header.Fields.Count; index++)
        {
            var name = header.Fields[index].Trim();
            var canonical = known.FirstOrDefault(column => string.Equals(column, name, StringComparison.OrdinalIgnoreCase));
            if (canonical is null)
            {
                refusals.Add(new Refusal("CsvHeaderInvalid", $"header[{index + 1}]", $"Unknown column '{name}'; the columns are {string.Join(", ", known)}."));
            }
            else if (!columns.TryAdd(canonical, index))
            {
                refusals.Add(new Refusal("CsvHeaderInvalid", $"header[{index + 1}]", $"Column '{canonical}' appears twice."));
            }
        }

        refusals.AddRange(RequiredColumns.Where(column => !columns.ContainsKey(column))
            .Select(column => new Refusal("CsvHeaderInvalid", "header", $"The header lacks the required column '{column}'.")));
        return (columns, refusals);
    }

    private async Task<(ValidRow? Row, IReadOnlyList<Refusal> Refusals)> CheckAsync(
        BillingCaller caller, RawRow row, Dictionary<ContractId, Contract?> contractCache, CancellationToken cancellationToken)
    {
        var refusals = new List<Refusal>();
        if (row.FieldCount != row.ColumnCount)
        {
            refusals.Add(new Refusal("CsvRowMalformed", row.Name, $"Row {row.Number} (line {row.Line}) has {row.FieldCount} fields; the header has {row.ColumnCount}."));
            return (null, refusals);
        }

        var contractId = ContractId.Parse(row["contractId"], $"{row.Name}.contractId");
        var period = SettlementPeriod.Parse(row["period"], $"{row.Name}.period");
        refusals.AddRange(contractId.Refusals);
        refusals.AddRange(period.Refusals);
        var figures = new ServiceFiguresInput
        {
            Inquiries = row.Whole("inquiries", refusals),
            ConvertedInquiries = row.Whole("convertedInquiries", refusals),
            AttributedSales = new MoneyInput { Amount = row["attributedSales"], Currency = row["currency"] },
            FirstResponseSeconds = (int?)row.Whole("firstResponseSeconds", refusals, int.MaxValue),
            AnswerRate = row.Optional("answerRate"),
            FirstContactResolution = row.Optional("firstContactResolution"),
            Satisfaction = row.Optional("satisfaction"),
            QaPassRate = row.Optional("qaPassRate"),
        }.Read(row.Name);
        // The sales amount and its currency are two columns; name each refusal after the column that holds the value.
        refusals.AddRange(figures.Refusals.Select(refusal => refusal with
        {
            Field = refusal.Field.Replace(".attributedSales.currency", ".currency", StringComparison.Ordinal).Replace(".attributedSales.amount", ".attributedSales", StringComparison.Ordinal),
        }));
        if (!contractId.IsValid)
        {
            return (null, refusals);
        }

        if (!contractCache.TryGetValue(contractId.Value, out var contract))
        {
            var stored = await contracts.GetAsync(contractId.Value, cancellationToken).ConfigureAwait(false);
            contract = stored is not null && caller.IsVendorOf(stored.Contract) ? stored.Contract : null;
            contractCache[contractId.Value] = contract;
        }

        if (contract is null)
        {
            refusals.Add(new Refusal("ContractNotFound", $"{row.Name}.contractId", $"No contract {contractId.Value} of this vendor; check the id."));
            return (null, refusals);
        }

        if (period.IsValid)
        {
            refusals.AddRange(ReportingPeriods.Check(contract, period.Value, gate.Now, $"{row.Name}.period"));
            if (figures.IsValid && ReportingPeriods.CheckCurrency(contract, period.Value, figures.Value.AttributedSales, $"{row.Name}.currency") is { } currency)
            {
                refusals.Add(currency);
            }
        }

        return refusals.Count > 0 ? (null, refusals) : (new ValidRow(row.Number, contract, period.Value, figures.Value), refusals);
    }

    private sealed record ValidRow(int Number, Contract Contract, SettlementPeriod Period, ServiceFigures Figures);

    private sealed class RawRow(int number, CsvRecord record, Dictionary<string, int> columns)
    {
        public int Number => number;

        public int Line => record.Line;

        public string Name => string.Create(CultureInfo.InvariantCulture, $"rows[{number}]");

        public int FieldCount => record.Fields.Count;

        public int ColumnCount => columns.Count;

        public string? this[string column] => columns.TryGetValue(column, out var index) ? record.Fields[index].Trim() : null;

        public string? Optional(string column) => this[column] is { Length: > 0 } text ? text : null;

        // A whole number with an optional minus sign (so that "-5" is refused by the figures' own rule, naming the rule),
        // no separators, no decimals; empty means missing.
        public long? Whole(string column, List<Refusal> refusals, long max = long.MaxValue)
        {
            if (Optional(column) is not { } text)
            {
                return null;
            }

            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value <= max)
            {
                return value;
            }

            refusals.Add(new Refusal("WholeNumberInvalid", $"{Name}.{column}", $"'{text}' is not a whole number: give digits only, e.g. 1200 (no separators or decimals)."));
            return null;
        }
    }
}
