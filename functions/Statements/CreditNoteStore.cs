namespace ServiceLedger.Functions.Statements;

using System.Globalization;
using NodaTime;
using NodaTime.Text;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Money;
using ServiceLedger.Domain.Settlement;
using ServiceLedger.Functions.Adapters.Tables;
using ServiceLedger.Functions.Configuration;

/// <summary>
/// Credit notes of resolved disputes as rows of the <c>statements</c> table, in the contract's partition beside the statement
/// they credit: RowKey <c>crn:{statementId}:{disputeId}</c>, insert only, written after the dispute's ledger entry (key
/// <c>dispute:{id}:resolution</c>) so a retried resolution writes the row it missed and never a second one. <c>crn:</c> sorts
/// before <c>fix:</c>, <c>paid:</c>, <c>pay:</c>, <c>rcm:</c> and <c>stm:</c> and no other prefix starts with it, so the RowKey ranges stay
/// apart, and the one partition query a settlement run makes (<see cref="StatementStore.ReadContractAsync"/>) reads every
/// credit note with no request of its own.
/// </summary>
public sealed class CreditNoteStore(TableServiceClient tables)
{
    /// <summary>The RowKey prefix of credit note rows.</summary>
    public const string RowKeyPrefix = "crn:";

    /// <summary>Most credit notes one statement holds (one per line or a whole-statement dispute; disputes are one per line at a time).</summary>
    public const int MaxCreditNotesPerStatement = 100;

    /// <summary>Most credit note rows a full scan (receivables ageing) reads.</summary>
    public const int MaxCreditNotesScanned = 1_000_000;

    private static readonly LocalDatePattern DatePattern = LocalDatePattern.Iso;

    private readonly TableClient table = tables.GetTableClient(StorageNames.StatementsTable);

    /// <summary>True when <paramref name="entity"/> is a credit note row (see <see cref="Read"/>).</summary>
    public static bool IsCreditNoteRow(TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return entity.RowKey.StartsWith(RowKeyPrefix, StringComparison.Ordinal);
    }

    /// <summary>
    /// Stores the credit note of dispute <paramref name="disputeId"/> booked by ledger entry <paramref name="ledgerEntryId"/>;
    /// false (nothing written) when the row is there already (a retried resolution).
    /// </summary>
    public async Task<bool> InsertAsync(ContractId contract, string disputeId, CreditNote note, string ledgerEntryId, Instant recordedAt, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(disputeId);
        ArgumentNullException.ThrowIfNull(note);
        var entity = new TableEntity(
            contract.Value,
            $"{RowKeyPrefix}{note.Statement}:{disputeId}",
            [
                new("StatementId", note.Statement.Value),
                new("Reference", note.Reference),
                new("Currency", note.Credited.Currency.Code),
                new("Credited", note.Credited.FormatAmount()),
                new("ResolvedOn", DatePattern.Format(note.ResolvedOn)),
                new("LedgerEntryId", ledgerEntryId),
                new("RecordedAt", recordedAt.ToDateTimeOffset()),
            ]);
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

    /// <summary>The credit notes of <paramref name="statement"/> (one RowKey range in its contract's partition), oldest first.</summary>
    public async Task<IReadOnlyList<CreditNote>> ReadAsync(StatementRecord statement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var filter = TableFilter.And(TableFilter.PartitionKeyEquals(statement.Contract.Value), TableFilter.RowKeyStartsWith($"{RowKeyPrefix}{statement.Id}:"));
        var notes = new List<CreditNote>();
        await foreach (var note in QueryAsync(filter, MaxCreditNotesPerStatement, cancellationToken).ConfigureAwait(false))
        {
            notes.Add(note);
        }

        return Ordered(notes);
    }

    /// <summary>Every credit note row of every contract, at most <see cref="MaxCreditNotesScanned"/> (then it fails loudly).</summary>
    public IAsyncEnumerable<CreditNote> ScanAsync(CancellationToken cancellationToken) =>
        QueryAsync(TableFilter.RowKeyStartsWith(RowKeyPrefix), MaxCreditNotesScanned, cancellationToken);

    /// <summary>Reads a credit note row; a row that is not one is a bug and throws.</summary>
    public static CreditNote Read(TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var statementId = entity.Get("StatementId").AsString();
        var statement = StatementRecord.TryParseId(statementId, out var contract, out var period, out var version)
            ? StatementId.For(contract, period, version)
            : throw new InvalidOperationException($"Credit note {entity} names '{statementId}', which is not a statement id.");
        var currency = Currency.FromCode(entity.Get("Currency").AsString());
        var credited = new Money(decimal.Parse(entity.Get("Credited").AsString(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture), currency);
        return new CreditNote(statement, credited, entity.Get("Reference").AsString(), DatePattern.Parse(entity.Get("ResolvedOn").AsString()).Value);
    }

    private async IAsyncEnumerable<CreditNote> QueryAsync(string filter, int maxRows, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var entity in table.QueryAsync(new TableQuery(filter, top: TableQuery.MaxPageSize), (maxRows / TableQuery.MaxPageSize) + 1, cancellationToken).ConfigureAwait(false))
        {
            yield return Read(entity);
        }
    }

    /// <summary><paramref name="notes"/> in a stable order: by resolution day, then reference.</summary>
    public static IReadOnlyList<CreditNote> Ordered(IEnumerable<CreditNote> notes) =>
        [.. notes.OrderBy(note => note.ResolvedOn).ThenBy(note => note.Reference, StringComparer.Ordinal)];
}
