namespace ServiceLedger.Functions.Statements;

using System.Globalization;
using System.Text.Json;
using Azure;
using NodaTime;
using NodaTime.Text;
using ServiceLedger.Domain.Billing;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Domain.Money;
using ServiceLedger.Domain.Parties;
using ServiceLedger.Domain.Settlement;
using ServiceLedger.Functions.Adapters.Billing;
using ServiceLedger.Functions.Adapters.Ledger;
using ServiceLedger.Functions.Adapters.Tables;
using ServiceLedger.Functions.Configuration;
using ServiceLedger.Functions.Payments;

/// <summary>Which statements a list shows; null fields do not filter.</summary>
/// <param name="Contract">Only this contract's.</param>
/// <param name="Merchant">Only this merchant's.</param>
/// <param name="Vendor">Only this vendor's.</param>
/// <param name="Period">Only this period's.</param>
public sealed record StatementFilter(ContractId? Contract, MerchantId? Merchant, VendorId? Vendor, SettlementPeriod? Period);

/// <summary>One page of statements and the token for the next (null on the last).</summary>
/// <param name="Statements">The statements.</param>
/// <param name="ContinuationToken">Opaque; pass it back for the next page.</param>
public sealed record StatementPage(IReadOnlyList<StatementRecord> Statements, string? ContinuationToken);

/// <summary>A contract's statements and pending corrections, as one partition query returns them.</summary>
/// <param name="Statements">Issued statements, oldest period first.</param>
/// <param name="Corrections">Corrections waiting for the next open statement.</param>
public sealed record ContractStatements(IReadOnlyList<StatementRecord> Statements, IReadOnlyList<PendingCorrection> Corrections)
{
    /// <summary>
    /// The period's own statement (the latest version issued for <paramref name="period"/> that is not a correction-only
    /// statement: those follow a final statement and never stand for the period's inputs), or null.
    /// </summary>
    public StatementRecord? For(SettlementPeriod period) =>
        Statements.Where(statement => statement.Period == period && !statement.IsCorrectionOnly).MaxBy(statement => statement.Version);

    /// <summary>Payments recorded for the contract's statements (rows of the same partition), in the order they arrived.</summary>
    public IReadOnlyList<RecordedPayment> Payments { get; init; } = [];

    /// <summary>Credit notes of resolved disputes on the contract's statements (rows of the same partition, <see cref="CreditNoteStore"/>), oldest first.</summary>
    public IReadOnlyList<CreditNote> CreditNotes { get; init; } = [];

    /// <summary>
    /// The disputes the contract's dispute markers name (rows of the same partition, <see cref="DisputeMarkerStore"/>): every
    /// unresolved fee dispute has one, written before it; empty means the contract has nothing on hold.
    /// </summary>
    public IReadOnlyList<string> DisputeMarkers { get; init; } = [];

    /// <summary>
    /// True when the partition was read after this process knew that disputes opened before markers existed have theirs
    /// (<see cref="DisputeMarkerStore.BackfillKnown"/>): only then does an empty <see cref="DisputeMarkers"/> mean no disputes.
    /// </summary>
    public bool DisputeMarkersComplete { get; init; }

    /// <summary>
    /// The latest revision the contract was changed to, as its <see cref="ContractRevisionMarker"/> records it; null when the
    /// contract has not been replaced since markers exist.
    /// </summary>
    public int? ContractRevision { get; init; }

    /// <summary>
    /// The statements whose payment tally holds a pending payment (<see cref="StatementPaymentStore.StatementWithPendingPayment"/>):
    /// admitted and maybe posted, but not stored as a payment row, because a crash came between. Usually empty.
    /// </summary>
    public IReadOnlyList<string> StatementsWithPendingPayments { get; init; } = [];

    /// <summary>
    /// The contract's service reports (rows <c>rpt:…</c> of the same partition, <see cref="TableServiceReportStore"/>), every
    /// period with its versions and reviews, oldest period first.
    /// </summary>
    public IReadOnlyList<ServiceReportHistory> ServiceReports { get; init; } = [];

    /// <summary>
    /// The head row of the contract's ledger book as the same query read it, when the ledger keeps the book in this partition
    /// (<c>LedgerTables.ContractBooks</c>); null when the partition holds none (a new book, or a book kept elsewhere). The
    /// settlement hands it to the ledger (<see cref="Ledger.IContractBookWrites.RememberHead"/>) so the append need not read it.
    /// </summary>
    public TableEntity? BookHead { get; init; }

    /// <summary>The statement that carried the correction with <paramref name="key"/>, or null while it waits.</summary>
    public StatementRecord? CarrierOf(string key) =>
        Statements.FirstOrDefault(statement => statement.AppliedCorrections.Contains(key, StringComparer.Ordinal));

    /// <summary>Corrections no statement has carried yet, oldest period first: the next open statement carries them.</summary>
    public IReadOnlyList<PendingCorrection> Waiting =>
        Corrections.Where(correction => correction.AppliedBy is null && CarrierOf(correction.Key) is null).OrderBy(correction => correction.Period).ToArray();

    /// <summary>Corrections a stored statement carried whose own row is not marked yet (a crash came between the two writes).</summary>
    public IReadOnlyList<(PendingCorrection Correction, string Statement)> CarriedButUnmarked =>
        Corrections.Where(correction => correction.AppliedBy is null)
            .Select(correction => (Correction: correction, Carrier: CarrierOf(correction.Key)))
            .Where(pair => pair.Carrier is not null)
            .Select(pair => (pair.Correction, pair.Carrier!.Id))
            .ToArray();
}

/// <summary>
/// Statements in the <c>statements</c> table: PartitionKey = contract id, so one query reads a contract's whole history;
/// RowKey <c>stm:{period}:v{nnn}</c> for a statement (insert only: an issued statement is never replaced; stored before its
/// post, its ledger entry id is written once a later handling confirmed the post), <c>rcm:{period}:v{nnn}</c> for a recomputed
/// statement a correction names (written with the statement that carries it; never listed, only read by id), and
/// <c>fix:{period}:{fingerprint}</c> for a pending correction (marked with the statement that carried it, once applied), and
/// <c>pay:…</c> for payments and <c>paid:{statementId}</c> for a statement's payment tally (see <see cref="StatementPaymentStore"/>),
/// <c>crn:…</c> for credit notes (see <see cref="CreditNoteStore"/>), <c>dsp:{disputeId}</c> for an unresolved dispute's marker
/// (see <see cref="DisputeMarkerStore"/>), <c>rcm:…</c> for recomputed statements and <c>rpt:{period}:v{n}</c> for the
/// contract's service reports (see <see cref="TableServiceReportStore"/>). The contract's ledger book shares the partition
/// (entries, <c>idem:</c> markers and its <c>head</c>; docs/ledger-store.md, "Where a book lives"). Lines and
/// commission figures are one JSON property.
/// </summary>
public sealed class StatementStore(TableServiceClient tables, DisputeMarkerStore markers)
{
    /// <summary>Most statements on one page.</summary>
    public const int MaxPageSize = 100;

    /// <summary>
    /// Most rows one contract may hold (statements, their payment tallies, payments, corrections, recomputed statements,
    /// credit notes, dispute markers, service reports): 100 years of monthly statements with five rows a month (a statement,
    /// its tally, two instalments, and a correction or credit note), plus the markers of the disputes unresolved at once
    /// (<see cref="DisputeMarkerStore.MaxMarkersPerContract"/>; a marker lives only while its dispute is unresolved), plus the
    /// service report rows (<see cref="TableServiceReportStore.MaxRowsPerContract"/>).
    /// </summary>
    public const int MaxRowsPerContract = 6_000 + DisputeMarkerStore.MaxMarkersPerContract + TableServiceReportStore.MaxRowsPerContract;

    /// <summary>Most statements a full scan (receivables ageing) reads.</summary>
    public const int MaxStatementsScanned = 500_000;

    private const string StatementPrefix = "stm:";
    private const string CorrectionPrefix = "fix:";

    // Recomputed statements: "rcm:" sorts between "pay:" and "stm:" and shares no prefix with either, so the "stm:" range
    // ["stm:", "stm;") that lists, scans and ageing query never holds one.
    private const string RecomputedPrefix = "rcm:";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly LocalDatePattern DatePattern = LocalDatePattern.Iso;

    private readonly TableClient table = tables.GetTableClient(StorageNames.StatementsTable);

    /// <summary>A contract's statements and pending corrections (one partition query).</summary>
    public async Task<ContractStatements> ReadContractAsync(ContractId contract, CancellationToken cancellationToken)
    {
        var statements = new List<StatementRecord>();
        var corrections = new List<PendingCorrection>();
        var payments = new List<RecordedPayment>();
        var creditNotes = new List<CreditNote>();
        var disputeMarkers = new List<string>();
        var reportRows = new List<TableEntity>();
        var pendingPayments = new List<string>();
        int? contractRevision = null;
        TableEntity? bookHead = null;

        // Before the query: a backfill that completes during it may have written a marker the query did not see.
        var markersComplete = markers.BackfillKnown;
        var query = new TableQuery(TableFilter.And(TableFilter.PartitionKeyEquals(contract.Value), LedgerQueries.NotEntriesOrMarkers), top: TableQuery.MaxPageSize);
        await foreach (var entity in table.QueryAsync(query, (MaxRowsPerContract / TableQuery.MaxPageSize) + 1, cancellationToken).ConfigureAwait(false))
        {
            if (entity.RowKey.StartsWith(StatementPrefix, StringComparison.Ordinal))
            {
                statements.Add(Read(entity));
            }
            else if (entity.RowKey.StartsWith(CorrectionPrefix, StringComparison.Ordinal))
            {
                corrections.Add(ReadCorrection(entity));
            }
            else if (StatementPaymentStore.IsPaymentRow(entity))
            {
                payments.Add(StatementPaymentStore.Read(entity));
            }
            else if (CreditNoteStore.IsCreditNoteRow(entity))
            {
                creditNotes.Add(CreditNoteStore.Read(entity));
            }
            else if (DisputeMarkerStore.IsMarkerRow(entity))
            {
                disputeMarkers.Add(DisputeMarkerStore.DisputeOf(entity));
            }
            else if (TableServiceReportStore.IsReportRow(entity))
            {
                reportRows.Add(entity);
            }
            else if (StatementPaymentStore.StatementWithPendingPayment(entity) is { } pending)
            {
                pendingPayments.Add(pending);
            }
            else if (ContractRevisionMarker.RevisionOf(entity) is { } revision)
            {
                contractRevision = revision;
            }
            else if (entity.RowKey == LedgerEntities.HeadRowKey)
            {
                bookHead = entity;
            }
        }

        return new ContractStatements(statements.OrderBy(s => s.Period).ThenBy(s => s.Version).ToArray(), corrections)
        {
            Payments = StatementPaymentStore.Ordered(payments),
            CreditNotes = CreditNoteStore.Ordered(creditNotes),
            DisputeMarkers = disputeMarkers,
            DisputeMarkersComplete = markersComplete,
            ServiceReports = TableServiceReportStore.Histories(contract, reportRows),
            StatementsWithPendingPayments = pendingPayments,
            ContractRevision = contractRevision,
            BookHead = bookHead,
        };
    }

    /// <summary>Stores an issued statement that carries no recomputed statement; see the overload.</summary>
    public Task<bool> InsertAsync(StatementRecord statement, CancellationToken cancellationToken) => InsertAsync(statement, [], cancellationToken);

    /// <summary>
    /// Stores an issued statement, and in the same entity-group transaction the <paramref name="recomputed"/> statements whose
    /// differences it carries (RowKey <c>rcm:{period}:v{nnn}</c>, so that no reader of <c>stm:</c> rows sees them); false
    /// (nothing written) when that contract, period and version is stored already. One request either way.
    /// </summary>
    public async Task<bool> InsertAsync(StatementRecord statement, IReadOnlyList<StatementRecord> recomputed, CancellationToken cancellationToken)
    {
        CheckCarried(statement, recomputed);
        if (recomputed.Count == 0)
        {
            try
            {
                await table.InsertAsync(ToEntity(statement), cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (TableStorageException exception) when (exception.IsConflict)
            {
                return false;
            }
        }

        var result = await table.SubmitBatchAsync([.. new[] { statement }.Concat(recomputed).Select(row => TableBatchOperation.Insert(ToEntity(row)))], cancellationToken).ConfigureAwait(false);
        if (result.Failure is { IsConflict: true, OperationIndex: 0 or null })
        {
            // The statement exists: the recomputed rows were written with it in one transaction, so they exist too.
            return false;
        }

        result.EnsureSucceeded();
        return true;
    }

    /// <summary>
    /// The rows <see cref="InsertAsync(StatementRecord, IReadOnlyList{StatementRecord}, CancellationToken)"/> inserts, for a
    /// writer that inserts them in a transaction of its own (the ledger's, <see cref="Ledger.IContractBookWrites"/>).
    /// </summary>
    public static IReadOnlyList<TableEntity> Rows(StatementRecord statement, IReadOnlyList<StatementRecord> recomputed)
    {
        CheckCarried(statement, recomputed);
        return [.. new[] { statement }.Concat(recomputed).Select(ToEntity)];
    }

    /// <summary>
    /// Records on a statement stored before its post that the ledger holds its entry <paramref name="ledgerEntryId"/>, so later
    /// handlings need not ask the ledger. Only <see cref="StatementRecord.LedgerEntryId"/> changes: the statement itself is never
    /// edited. Repeating it changes nothing.
    /// </summary>
    public Task ConfirmPostedAsync(StatementRecord statement, string ledgerEntryId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statement);
        ArgumentException.ThrowIfNullOrEmpty(ledgerEntryId);
        return table.MergeAsync(
            new TableEntity(statement.Contract.Value, RowKeyOf(statement.Period, statement.Version), [new("LedgerEntryId", ledgerEntryId)]),
            ETag.All,
            cancellationToken);
    }

    /// <summary>Records a pending correction once per distinct change; a repeat changes nothing.</summary>
    public async Task RecordCorrectionAsync(PendingCorrection correction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(correction);
        var entity = new TableEntity(
            correction.Contract.Value,
            CorrectionPrefix + correction.Key,
            [
                new("Period", correction.Period.ToString()),
                new("SettledStatementId", correction.SettledStatementId),
                new("InputsFingerprint", correction.InputsFingerprint),
                new("Reason", correction.Reason),
                new("RecordedAt", correction.RecordedAt.ToDateTimeOffset()),
            ]);
        try
        {
            await table.InsertAsync(entity, cancellationToken).ConfigureAwait(false);
        }
        catch (TableStorageException exception) when (exception.IsConflict)
        {
            // The same change was noticed before (a redelivery or another run).
        }
    }

    /// <summary>
    /// Marks the correction with <paramref name="key"/> applied by <paramref name="statementId"/> (the statement that carried its
    /// lines). The statement's own <see cref="StatementRecord.AppliedCorrections"/> is the truth; this mark lets readers of the
    /// correction see where it went. Repeating it changes nothing.
    /// </summary>
    public Task MarkCorrectionAppliedAsync(ContractId contract, string key, string statementId, Instant at, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentException.ThrowIfNullOrEmpty(statementId);
        return table.MergeAsync(
            new TableEntity(contract.Value, CorrectionPrefix + key, [new("AppliedBy", statementId), new("AppliedAt", at.ToDateTimeOffset())]),
            ETag.All,
            cancellationToken);
    }

    /// <summary>The issued statement with this id, or null (also for an id we did not issue, and for a recomputed statement's id).</summary>
    public async Task<StatementRecord?> GetAsync(string statementId, CancellationToken cancellationToken)
    {
        if (!StatementRecord.TryParseId(statementId, out var contract, out var period, out var version))
        {
            return null;
        }

        var entity = await table.GetAsync(contract.Value, RowKeyOf(period, version), select: null, cancellationToken).ConfigureAwait(false);
        return entity is null ? null : Read(entity);
    }

    /// <summary>
    /// The statement with this id for reading: the issued one, else a recomputed one (<see cref="StatementRecord.IsRecomputed"/>,
    /// which correction lines name); null when neither is stored. One point read for an issued statement, two otherwise.
    /// </summary>
    public async Task<StatementRecord?> GetIssuedOrRecomputedAsync(string statementId, CancellationToken cancellationToken)
    {
        if (!StatementRecord.TryParseId(statementId, out var contract, out var period, out var version))
        {
            return null;
        }

        var entity = await table.GetAsync(contract.Value, RowKeyOf(period, version), select: null, cancellationToken).ConfigureAwait(false)
            ?? await table.GetAsync(contract.Value, RowKeyOf(period, version, RecomputedPrefix), select: null, cancellationToken).ConfigureAwait(false);
        return entity is null ? null : Read(entity);
    }

    /// <summary>One page of statements matching <paramref name="filter"/>, 1 to <see cref="MaxPageSize"/> a page.</summary>
    public async Task<StatementPage> ListAsync(StatementFilter filter, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, MaxPageSize);
        var page = await table.QueryPageAsync(new TableQuery(Filter(filter), top: pageSize), continuationToken, cancellationToken).ConfigureAwait(false);
        return new StatementPage(page.Entities.Select(Read).ToArray(), page.ContinuationToken);
    }

    /// <summary>Every statement matching <paramref name="filter"/>, at most <see cref="MaxStatementsScanned"/> (then it fails loudly).</summary>
    public IAsyncEnumerable<TableEntity> ScanAsync(StatementFilter filter, CancellationToken cancellationToken) =>
        table.QueryAsync(new TableQuery(Filter(filter), top: TableQuery.MaxPageSize), (MaxStatementsScanned / TableQuery.MaxPageSize) + 1, cancellationToken);

    /// <summary>Reads a scanned row (see <see cref="ScanAsync"/>).</summary>
    public static StatementRecord Read(TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var currency = Currency.FromCode(entity.Get("Currency").AsString());
        Money MoneyOf(string text) => new(decimal.Parse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture), currency);
        var document = JsonSerializer.Deserialize<StatementDocument>(entity.Get("Document").AsString(), Json)
            ?? throw new InvalidOperationException($"Statement {entity} has an empty document.");
        var commission = document.Commission;
        return new StatementRecord
        {
            Id = entity.Get("StatementId").AsString(),
            Contract = ContractId.TryParse(entity.PartitionKey, out var contract) ? contract : throw new InvalidOperationException($"Statement {entity} is not in a contract's partition."),
            Merchant = MerchantId.TryParse(entity.Get("MerchantId").AsString(), out var merchant) ? merchant : throw new InvalidOperationException($"Statement {entity} names no merchant."),
            Vendor = VendorId.TryParse(entity.Get("VendorId").AsString(), out var vendor) ? vendor : throw new InvalidOperationException($"Statement {entity} names no vendor."),
            Period = SettlementPeriod.TryParse(entity.Get("Period").AsString(), out var period) ? period : throw new InvalidOperationException($"Statement {entity} names no period."),
            Version = entity.Get("Version").AsInt32(),
            TimeZone = DateTimeZoneProviders.Tzdb[entity.Get("TimeZone").AsString()],
            IssuedOn = DatePattern.Parse(entity.Get("IssuedOn").AsString()).Value,
            DueOn = DatePattern.Parse(entity.Get("DueOn").AsString()).Value,
            Total = MoneyOf(entity.Get("Total").AsString()),
            VendorShare = MoneyOf(entity.Get("VendorShare").AsString()),
            PlatformFee = MoneyOf(entity.Get("PlatformFee").AsString()),
            Lines = document.Lines.Select(line => new StatementLine(KindOf(line.Kind, entity), MoneyOf(line.Amount), line.How)
            {
                Reference = line.Reference,
                Corrects = line.Corrects is null ? null : KindOf(line.Corrects, entity),
                IssuedStatement = line.IssuedStatement is null ? null : StatementIdOf(line.IssuedStatement, entity),
                RecomputedStatement = line.RecomputedStatement is null ? null : StatementIdOf(line.RecomputedStatement, entity),
            }).ToArray(),
            Commission = new CommissionFigures(
                commission.Inquiries,
                commission.ConvertedInquiries,
                MoneyOf(commission.AttributedSales),
                commission.TierRate is { } rate ? Rate.Of(decimal.Parse(rate, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture)) : null,
                MoneyOf(commission.Commission),
                MoneyOf(commission.BaseFee),
                MoneyOf(commission.SlaCredits),
                MoneyOf(commission.DisputedOnHold)),
            ContentHash = entity.Get("ContentHash").AsString(),
            CanonicalText = entity.TryGet("CanonicalText", out var canonical) ? canonical.AsString() : string.Empty,
            InputsFingerprint = entity.Get("InputsFingerprint").AsString(),
            LedgerEntryId = entity.TryGet("LedgerEntryId", out var entry) ? entry.AsString() : string.Empty,
            RecomputedFor = entity.TryGet("RecomputedFor", out var recomputedFor) ? recomputedFor.AsString() : null,
            CarriedBy = entity.TryGet("CarriedBy", out var carriedBy) ? carriedBy.AsString() : null,
            AppliedCorrections = entity.TryGet("AppliedCorrections", out var applied) && applied.AsString() is { Length: > 0 } keys ? keys.Split(',') : [],
            CreditNotes = document.CreditNotes is null ? [] : [.. document.CreditNotes.Select(note => new CreditNote(
                StatementIdOf(note.Statement, entity), MoneyOf(note.Credited), note.Reference, DatePattern.Parse(note.ResolvedOn).Value))],
        };
    }

    private static string RowKeyOf(SettlementPeriod period, int version, string prefix = StatementPrefix) =>
        string.Create(CultureInfo.InvariantCulture, $"{prefix}{period}:v{version:D3}");

    private static string Filter(StatementFilter filter)
    {
        var condition = TableFilter.RowKeyStartsWith(StatementPrefix);
        if (filter.Contract is { } contract)
        {
            condition = TableFilter.And(TableFilter.PartitionKeyEquals(contract.Value), condition);
        }

        if (filter.Merchant is { } merchant)
        {
            condition = TableFilter.And(condition, TableFilter.Compare("MerchantId", TableFilterOperator.Equal, merchant.Value));
        }

        if (filter.Vendor is { } vendor)
        {
            condition = TableFilter.And(condition, TableFilter.Compare("VendorId", TableFilterOperator.Equal, vendor.Value));
        }

        if (filter.Period is { } period)
        {
            condition = TableFilter.And(condition, TableFilter.Compare("Period", TableFilterOperator.Equal, period.ToString()));
        }

        return condition;
    }

    private static void CheckCarried(StatementRecord statement, IReadOnlyList<StatementRecord> recomputed)
    {
        ArgumentNullException.ThrowIfNull(statement);
        ArgumentNullException.ThrowIfNull(recomputed);
        if (statement.IsRecomputed || recomputed.Any(row => !row.IsRecomputed || row.Contract != statement.Contract || row.CarriedBy != statement.Id))
        {
            throw new ArgumentException($"Statement {statement.Id} is stored with recomputed statements of its own contract that it carries, and is not one itself.", nameof(recomputed));
        }
    }

    /// <summary>The row of <paramref name="statement"/> (internal for the round-trip tests: <see cref="Read"/> gives it back).</summary>
    internal static TableEntity ToEntity(StatementRecord statement)
    {
        var commission = statement.Commission;
        var document = new StatementDocument(
            statement.Lines.Select(line => new LineDocument(
                line.Kind.ToString(),
                line.Amount.FormatAmount(),
                line.How,
                line.Reference,
                line.Corrects?.ToString(),
                line.IssuedStatement?.Value,
                line.RecomputedStatement?.Value)).ToArray(),
            new CommissionDocument(
                commission.Inquiries,
                commission.ConvertedInquiries,
                commission.AttributedSales.FormatAmount(),
                commission.TierRate?.Fraction.ToString(CultureInfo.InvariantCulture),
                commission.Commission.FormatAmount(),
                commission.BaseFee.FormatAmount(),
                commission.SlaCredits.FormatAmount(),
                commission.DisputedOnHold.FormatAmount()),
            [.. statement.CreditNotes.Select(note => new CreditNoteDocument(note.Statement.Value, note.Credited.FormatAmount(), note.Reference, DatePattern.Format(note.ResolvedOn)))]);
        var json = JsonSerializer.Serialize(document, Json);

        // One string property holds 32K UTF-16 units; a statement has a dozen lines, so more means a runaway engine.
        if (json.Length > LedgerLimits.TableStringPropertyMaxChars || statement.CanonicalText.Length > LedgerLimits.TableStringPropertyMaxChars)
        {
            throw new InvalidOperationException($"Statement {statement.Id} is {json.Length} characters as JSON, more than one property holds.");
        }

        List<KeyValuePair<string, TableValue>> recomputed = statement.IsRecomputed ? [new("RecomputedFor", statement.RecomputedFor!), new("CarriedBy", statement.CarriedBy ?? string.Empty)] : [];
        return new TableEntity(
            statement.Contract.Value,
            RowKeyOf(statement.Period, statement.Version, statement.IsRecomputed ? RecomputedPrefix : StatementPrefix),
            [
                .. recomputed,
                new("StatementId", statement.Id),
                new("MerchantId", statement.Merchant.Value),
                new("VendorId", statement.Vendor.Value),
                new("Period", statement.Period.ToString()),
                new("Version", statement.Version),
                new("TimeZone", statement.TimeZone.Id),
                new("IssuedOn", DatePattern.Format(statement.IssuedOn)),
                new("DueOn", DatePattern.Format(statement.DueOn)),
                new("Currency", statement.Total.Currency.Code),
                new("Total", statement.Total.FormatAmount()),
                new("VendorShare", statement.VendorShare.FormatAmount()),
                new("PlatformFee", statement.PlatformFee.FormatAmount()),
                new("ContentHash", statement.ContentHash),
                new("CanonicalText", statement.CanonicalText),
                new("InputsFingerprint", statement.InputsFingerprint),
                new("LedgerEntryId", statement.LedgerEntryId),
                new("AppliedCorrections", string.Join(',', statement.AppliedCorrections)),
                new("Document", json),
            ]);
    }

    private static PendingCorrection ReadCorrection(TableEntity entity) => new(
        ContractId.TryParse(entity.PartitionKey, out var contract) ? contract : throw new InvalidOperationException($"Correction {entity} is not in a contract's partition."),
        SettlementPeriod.TryParse(entity.Get("Period").AsString(), out var period) ? period : throw new InvalidOperationException($"Correction {entity} names no period."),
        entity.Get("SettledStatementId").AsString(),
        entity.Get("InputsFingerprint").AsString(),
        entity.Get("Reason").AsString(),
        Instant.FromDateTimeOffset(entity.Get("RecordedAt").AsDateTime()))
    {
        AppliedBy = entity.TryGet("AppliedBy", out var appliedBy) ? appliedBy.AsString() : null,
    };

    // CreditNotes is null in statements stored before memo lines existed.
    private sealed record StatementDocument(IReadOnlyList<LineDocument> Lines, CommissionDocument Commission, IReadOnlyList<CreditNoteDocument>? CreditNotes);

    private sealed record CreditNoteDocument(string Statement, string Credited, string Reference, string ResolvedOn);

    private static StatementLineKind KindOf(string text, TableEntity entity) =>
        Enum.TryParse<StatementLineKind>(text, out var kind) && Enum.IsDefined(kind)
            ? kind
            : throw new InvalidOperationException($"Statement {entity} has a line of unknown kind '{text}'.");

    private static StatementId StatementIdOf(string text, TableEntity entity) =>
        StatementRecord.TryParseId(text, out var contract, out var period, out var version)
            ? StatementId.For(contract, period, version)
            : throw new InvalidOperationException($"Statement {entity} has a line naming '{text}', which is not a statement id.");

    private sealed record LineDocument(string Kind, string Amount, string How, string? Reference, string? Corrects, string? IssuedStatement, string? RecomputedStatement);

    private sealed record CommissionDocument(
        long Inquiries, long ConvertedInquiries, string AttributedSales, string? TierRate, string Commission, string BaseFee, string SlaCredits, string DisputedOnHold);
}
