namespace ServiceLedger.Functions.Statements;

using NodaTime;
using NodaTime.Text;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Money;
using ServiceLedger.Domain.Settlement;
using ServiceLedger.Functions.Adapters.Tables;

/// <summary>
/// Credit notes of resolved disputes as rows of the <c>statements</c> table, in the contract's partition beside the statement
/// they credit: RowKey <c>crn:{statementId}:{disputeId}</c>, insert only, written after the dispute's ledger entry (key
/// <c>dispute:{id}:resolution</c>) so a retried resolution writes the row it missed and never a second one. (Before the post
/// the credit note is taken into the statement's payment tally, <c>AdmitCreditNote</c>, which is what payments are checked
/// against; a row the tally does not name is a credit note booked before that, and counts too.) <c>crn:</c> sorts
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

    private readonly StatementRowKind rows = new(tables, RowKeyPrefix);

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
    public Task<bool> InsertAsync(ContractId contract, string disputeId, CreditNote note, string ledgerEntryId, Instant recordedAt, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(disputeId);
        ArgumentNullException.ThrowIfNull(note);
        return rows.InsertOnceAsync(
            new TableEntity(
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
                ]),
            cancellationToken);
    }

    /// <summary>The credit notes of <paramref name="statement"/> (one RowKey range in its contract's partition), oldest first.</summary>
    public async Task<IReadOnlyList<CreditNote>> ReadAsync(StatementRecord statement, CancellationToken cancellationToken)
    {
        var notes = new List<CreditNote>();
        await foreach (var entity in rows.ReadAsync(statement, MaxCreditNotesPerStatement, cancellationToken).ConfigureAwait(false))
        {
            notes.Add(Read(entity));
        }

        return Ordered(notes);
    }

    /// <summary>Every credit note row of every contract, at most <see cref="MaxCreditNotesScanned"/> (then it fails loudly).</summary>
    public async IAsyncEnumerable<CreditNote> ScanAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var entity in rows.ScanAsync(MaxCreditNotesScanned, cancellationToken).ConfigureAwait(false))
        {
            yield return Read(entity);
        }
    }

    /// <summary>Reads a credit note row; a row that is not one is a bug and throws.</summary>
    public static CreditNote Read(TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var currency = Currency.FromCode(entity.Get("Currency").AsString());
        return new CreditNote(
            StatementRowKind.StatementOf(entity),
            StatementRowKind.AmountOf(entity, "Credited", currency),
            entity.Get("Reference").AsString(),
            DatePattern.Parse(entity.Get("ResolvedOn").AsString()).Value);
    }

    /// <summary><paramref name="notes"/> in a stable order: by resolution day, then reference.</summary>
    public static IReadOnlyList<CreditNote> Ordered(IEnumerable<CreditNote> notes) =>
        [.. notes.OrderBy(note => note.ResolvedOn).ThenBy(note => note.Reference, StringComparer.Ordinal)];
}
