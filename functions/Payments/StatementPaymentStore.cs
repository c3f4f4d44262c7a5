namespace ServiceLedger.Functions.Payments;

using System.Globalization;
using Azure;
using NodaTime;
using NodaTime.Text;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Money;
using ServiceLedger.Domain.Settlement;
using ServiceLedger.Functions.Adapters.Tables;
using ServiceLedger.Functions.Statements;

/// <summary>A recorded payment with what its recording wrote: the ledger entry and when.</summary>
/// <param name="Payment">The payment.</param>
/// <param name="RequestHash">Hash of the request body (<see cref="StatementPayment.RequestHash"/>), to tell a retry from a reuse.</param>
/// <param name="LedgerEntryId">The entry that posted it.</param>
/// <param name="RecordedAt">When finance recorded it.</param>
public sealed record RecordedPayment(StatementPayment Payment, string RequestHash, string LedgerEntryId, Instant RecordedAt);

/// <summary>A payment admitted against its statement's outstanding amount but not yet posted and stored (see <see cref="PaymentTally"/>).</summary>
/// <param name="Payment">The payment.</param>
/// <param name="RequestHash">Hash of the request body, as a stored payment keeps it.</param>
/// <param name="EntryDate">The ledger entry's effective date, fixed when admitted so that whoever posts it posts the same entry.</param>
/// <param name="RecordedAt">When finance recorded it (becomes the row's <c>RecordedAt</c>).</param>
public sealed record PendingPayment(StatementPayment Payment, string RequestHash, LocalDate EntryDate, Instant RecordedAt);

/// <summary>A credit note taken into its statement's tally (<see cref="PaymentTally.Credits"/>).</summary>
/// <param name="Reference">The credit note's reference, <c>dispute:{id}</c>: one credit per reference, so a retry adds nothing.</param>
/// <param name="Credited">What it credits, in the statement's currency.</param>
public sealed record TallyCredit(string Reference, Money Credited);

/// <summary>
/// The admission record of one statement's payments and credit notes, its <c>paid:{statementId}</c> row. Every payment is
/// admitted, and every credit note of a resolved dispute taken in, by a conditional write of this row (If-Match on
/// <see cref="ETag"/>; insert for the first), and a payment row is only ever stored in the same transaction as a write of it,
/// so a decision taken on the tally and the payment rows read after it holds exactly when that write succeeds: a payment
/// and a credit note decided at the same moment cannot both count on the same outstanding amount. <see cref="Paid"/> and
/// <see cref="Count"/> include the stored payments and the <see cref="Pending"/> one; <see cref="Credits"/> the credit notes
/// taken in (their <c>crn:</c> rows follow the ledger post, so the tally may name one whose row is not written yet).
/// </summary>
/// <param name="Paid">Stored payments plus the pending one.</param>
/// <param name="Count">Number of stored payments plus the pending one.</param>
/// <param name="Pending">The payment admitted but not yet posted and stored (at most one at a time), or null.</param>
/// <param name="ETag">The row's ETag as read; <c>default</c> when there is no row yet.</param>
public sealed record PaymentTally(Money Paid, int Count, PendingPayment? Pending, ETag ETag)
{
    /// <summary>Credit notes taken in, in the order they were (at most <see cref="CreditNoteStore.MaxCreditNotesPerStatement"/>).</summary>
    public IReadOnlyList<TallyCredit> Credits { get; init; } = [];

    /// <summary>The sum of <see cref="Credits"/>.</summary>
    public Money Credited => Money.Sum(Credits.Select(credit => credit.Credited), Paid.Currency);

    /// <summary>
    /// The tally that admits <paramref name="pending"/> after the <paramref name="stored"/> payments of <paramref name="statement"/>,
    /// keeping the credit notes of the tally <paramref name="read"/> (null: there is no row yet); to be written with
    /// <see cref="StatementPaymentStore.TryWriteTallyAsync"/>.
    /// </summary>
    public static PaymentTally Admitting(StatementRecord statement, PaymentTally? read, IReadOnlyCollection<RecordedPayment> stored, PendingPayment pending)
    {
        ArgumentNullException.ThrowIfNull(pending);
        var before = Of(statement, read, stored);
        return before with { Paid = before.Paid + pending.Payment.Amount, Count = before.Count + 1, Pending = pending };
    }

    /// <summary>
    /// The tally as <paramref name="read"/>, or for a statement without one the tally its <paramref name="stored"/> payments make
    /// (statements paid before tallies existed; payments are only stored with a tally write, so the rows are all of them).
    /// </summary>
    public static PaymentTally Of(StatementRecord statement, PaymentTally? read, IReadOnlyCollection<RecordedPayment> stored)
    {
        ArgumentNullException.ThrowIfNull(statement);
        ArgumentNullException.ThrowIfNull(stored);
        return read ?? new PaymentTally(StatementBalance.Of(statement, stored).Paid, stored.Count, null, default);
    }

    /// <summary>
    /// What credit notes took off the statement: the credits taken into <paramref name="tally"/>, plus the <paramref name="rows"/>
    /// (<c>crn:</c>) it does not name (credit notes booked before they went through the tally). Only the statement's currency counts.
    /// </summary>
    public static Money CreditedOn(StatementRecord statement, PaymentTally? tally, IEnumerable<CreditNote> rows)
    {
        ArgumentNullException.ThrowIfNull(statement);
        ArgumentNullException.ThrowIfNull(rows);
        var currency = statement.Total.Currency;
        var taken = tally?.Credits ?? [];
        var older = rows.Where(note => note.Credited.Currency == currency && taken.All(credit => !string.Equals(credit.Reference, note.Reference, StringComparison.Ordinal)));
        return Money.Sum([.. taken.Select(credit => credit.Credited), .. older.Select(note => note.Credited)], currency);
    }

    /// <summary>True when the credit note with <paramref name="reference"/> is taken in already.</summary>
    public bool HasCredit(string reference) => Credits.Any(credit => string.Equals(credit.Reference, reference, StringComparison.Ordinal));

    /// <summary>The tally with <paramref name="credit"/> taken in (payments and the pending one unchanged).</summary>
    public PaymentTally Crediting(TallyCredit credit) => this with { Credits = [.. Credits, credit] };

    /// <summary>The tally once its pending payment is stored (same totals, nothing pending).</summary>
    public PaymentTally Stored() => this with { Pending = null };

    /// <summary>The tally once its pending payment is given up (the ledger refused it): its amount and count come off.</summary>
    public PaymentTally Released() => Pending is { } pending
        ? this with { Paid = Paid - pending.Payment.Amount, Count = Count - 1, Pending = null }
        : throw new InvalidOperationException("A tally without a pending payment has nothing to release.");
}

/// <summary>
/// Statement payments as rows of the <c>statements</c> table, in the contract's partition beside its statements:
/// RowKey <c>pay:{statementId}:{requestId}</c> (insert only). So the one partition query a settlement run already makes
/// for the contract's statements (<see cref="StatementStore.ReadContractAsync"/>) also reads every payment, and one
/// statement's payments are one RowKey range. Beside them, one <c>paid:{statementId}</c> row per paid or credited statement
/// (<see cref="PaymentTally"/>): it sorts before <c>pay:</c> ('i' &lt; 'y'), so no <c>pay:</c> range or prefix sees it.
/// </summary>
public sealed class StatementPaymentStore(TableServiceClient tables)
{
    /// <summary>The RowKey prefix of payment rows.</summary>
    public const string RowKeyPrefix = "pay:";

    /// <summary>The RowKey prefix of the per-statement tally rows (outside the <c>pay:</c>..<c>pay;</c> range).</summary>
    public const string TallyRowKeyPrefix = "paid:";

    // The tally property that is present exactly while a payment is pending (the other Pending… properties come with it).
    private const string PendingRequestId = nameof(PendingRequestId);

    /// <summary>Most payments one statement holds (a bound on the range read; instalments beyond it are refused).</summary>
    public const int MaxPaymentsPerStatement = 200;

    /// <summary>Most payment rows a full scan (receivables ageing) reads.</summary>
    public const int MaxPaymentsScanned = 1_000_000;

    private static readonly LocalDatePattern DatePattern = LocalDatePattern.Iso;

    private readonly StatementRowKind rows = new(tables, RowKeyPrefix);

    private TableClient Table => rows.Table;

    /// <summary>True when <paramref name="entity"/> is a payment row (see <see cref="Read"/>).</summary>
    public static bool IsPaymentRow(TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return entity.RowKey.StartsWith(RowKeyPrefix, StringComparison.Ordinal);
    }

    /// <summary>
    /// The statement whose tally row <paramref name="entity"/> holds a pending payment (admitted, not yet posted and stored:
    /// a crash came between); null for any other row.
    /// </summary>
    public static string? StatementWithPendingPayment(TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return entity.RowKey.StartsWith(TallyRowKeyPrefix, StringComparison.Ordinal) && entity.TryGet(PendingRequestId, out _)
            ? entity.RowKey[TallyRowKeyPrefix.Length..]
            : null;
    }

    /// <summary>The payments recorded for <paramref name="statement"/> (one RowKey range in its contract's partition).</summary>
    public async Task<IReadOnlyList<RecordedPayment>> ReadAsync(StatementRecord statement, CancellationToken cancellationToken)
    {
        var payments = new List<RecordedPayment>();
        await foreach (var entity in rows.ReadAsync(statement, MaxPaymentsPerStatement, cancellationToken).ConfigureAwait(false))
        {
            payments.Add(Read(entity));
        }

        return Ordered(payments);
    }

    /// <summary>Every payment row of every contract, at most <see cref="MaxPaymentsScanned"/> (then it fails loudly).</summary>
    public async IAsyncEnumerable<RecordedPayment> ScanAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var entity in rows.ScanAsync(MaxPaymentsScanned, cancellationToken).ConfigureAwait(false))
        {
            yield return Read(entity);
        }
    }

    /// <summary>The tally of <paramref name="statement"/>'s payments, or null when none was ever admitted through one.</summary>
    public async Task<PaymentTally?> ReadTallyAsync(StatementRecord statement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var entity = await Table.GetAsync(statement.Contract.Value, TallyRowKeyPrefix + statement.Id, select: null, cancellationToken).ConfigureAwait(false);
        return entity is null ? null : ReadTally(entity, statement);
    }

    /// <summary>
    /// Writes <paramref name="next"/> as <paramref name="statement"/>'s tally if it is still as <paramref name="read"/> (insert
    /// when <paramref name="read"/> is null: there was no row; else replace with If-Match). Answers the tally as written (with
    /// its new ETag), or null, nothing written, when another writer changed it since.
    /// </summary>
    public async Task<PaymentTally?> TryWriteTallyAsync(StatementRecord statement, PaymentTally? read, PaymentTally next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statement);
        ArgumentNullException.ThrowIfNull(next);
        var entity = TallyEntity(statement, next);
        try
        {
            var etag = read is null
                ? await Table.InsertAsync(entity, cancellationToken).ConfigureAwait(false)
                : await Table.ReplaceAsync(entity, read.ETag, cancellationToken).ConfigureAwait(false);
            return next with { ETag = etag };
        }
        catch (TableStorageException exception) when (exception.IsConflict || exception.IsPreconditionFailed)
        {
            return null;
        }
    }

    /// <summary>
    /// Stores <paramref name="recorded"/>, the pending payment of <paramref name="tally"/>, and clears it from the tally in one
    /// entity-group transaction, if the tally is still as read; false, nothing written, when another writer got there first.
    /// </summary>
    public async Task<bool> TryStoreAsync(StatementRecord statement, PaymentTally tally, RecordedPayment recorded, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statement);
        ArgumentNullException.ThrowIfNull(tally);
        ArgumentNullException.ThrowIfNull(recorded);
        if (tally.Pending?.Payment != recorded.Payment || tally.ETag == default)
        {
            throw new ArgumentException($"Payment {recorded.Payment.RequestId} of {statement.Id} is not the pending payment of the tally given.", nameof(recorded));
        }

        var result = await Table.SubmitBatchAsync(
            [
                TableBatchOperation.Insert(PaymentEntity(statement.Contract, recorded)),
                TableBatchOperation.Replace(TallyEntity(statement, tally.Stored()), tally.ETag),
            ],
            cancellationToken).ConfigureAwait(false);
        return result.Failure is not ({ IsConflict: true } or { IsPreconditionFailed: true }) && result.EnsureSucceeded().Succeeded;
    }

    /// <summary>Reads a payment row; a row that is not one is a bug and throws.</summary>
    public static RecordedPayment Read(TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var payment = StatementPayment.Restore(
            StatementRowKind.StatementOf(entity),
            entity.Get("RequestId").AsString(),
            StatementRowKind.AmountOf(entity, "Amount", Currency.FromCode(entity.Get("Currency").AsString())),
            DatePattern.Parse(entity.Get("ReceivedOn").AsString()).Value,
            entity.Get("Reference").AsString());
        return new RecordedPayment(payment, entity.Get("RequestHash").AsString(), entity.Get("LedgerEntryId").AsString(), Instant.FromDateTimeOffset(entity.Get("RecordedAt").AsDateTime()));
    }

    private static TableEntity PaymentEntity(ContractId contract, RecordedPayment recorded)
    {
        var payment = recorded.Payment;
        return new TableEntity(
            contract.Value,
            $"{RowKeyPrefix}{payment.Statement}:{payment.RequestId}",
            [
                new("StatementId", payment.Statement.Value),
                new("RequestId", payment.RequestId),
                new("Currency", payment.Amount.Currency.Code),
                new("Amount", payment.Amount.FormatAmount()),
                new("ReceivedOn", DatePattern.Format(payment.ReceivedOn)),
                new("Reference", payment.Reference),
                new("RequestHash", recorded.RequestHash),
                new("LedgerEntryId", recorded.LedgerEntryId),
                new("RecordedAt", recorded.RecordedAt.ToDateTimeOffset()),
            ]);
    }

    private static TableEntity TallyEntity(StatementRecord statement, PaymentTally tally)
    {
        if (tally.Paid.Currency != statement.Total.Currency || tally.Paid.IsNegative || tally.Count < 0 || tally.Count > MaxPaymentsPerStatement
            || tally.Credits.Count > CreditNoteStore.MaxCreditNotesPerStatement || tally.Credits.Any(credit => credit.Credited.Currency != statement.Total.Currency || credit.Credited.IsNegative))
        {
            throw new InvalidOperationException($"The tally of {statement.Id} ({tally.Paid}, {tally.Count} payments, {tally.Credits.Count} credit notes) breaks its invariant: non-negative, in the statement's currency, at most {MaxPaymentsPerStatement} payments and {CreditNoteStore.MaxCreditNotesPerStatement} credit notes.");
        }

        var properties = new List<KeyValuePair<string, TableValue>>
        {
            new("StatementId", statement.Id),
            new("Currency", tally.Paid.Currency.Code),
            new("Paid", tally.Paid.FormatAmount()),
            new("Count", tally.Count),
        };
        if (tally.Credits.Count > 0)
        {
            // "reference=amount" joined by ';': references are "dispute:{id}" (no '=' or ';'), 100 of them stay far below a property's 32K characters.
            properties.Add(new("Credited", tally.Credited.FormatAmount()));
            properties.Add(new("Credits", string.Join(';', tally.Credits.Select(credit => $"{credit.Reference}={credit.Credited.FormatAmount()}"))));
        }

        if (tally.Pending is { } pending)
        {
            properties.AddRange(
            [
                new(PendingRequestId, pending.Payment.RequestId),
                new("PendingAmount", pending.Payment.Amount.FormatAmount()),
                new("PendingReceivedOn", DatePattern.Format(pending.Payment.ReceivedOn)),
                new("PendingReference", pending.Payment.Reference),
                new("PendingRequestHash", pending.RequestHash),
                new("PendingEntryDate", DatePattern.Format(pending.EntryDate)),
                new("PendingRecordedAt", pending.RecordedAt.ToDateTimeOffset()),
            ]);
        }

        return new TableEntity(statement.Contract.Value, TallyRowKeyPrefix + statement.Id, properties);
    }

    private static PaymentTally ReadTally(TableEntity entity, StatementRecord statement)
    {
        var currency = Currency.FromCode(entity.Get("Currency").AsString());
        Money MoneyOf(string name) => StatementRowKind.AmountOf(entity, name, currency);
        PendingPayment? pending = null;
        if (entity.TryGet(PendingRequestId, out var requestId))
        {
            var id = StatementId.For(statement.Contract, statement.Period, statement.Version);
            pending = new PendingPayment(
                StatementPayment.Restore(id, requestId.AsString(), MoneyOf("PendingAmount"), DatePattern.Parse(entity.Get("PendingReceivedOn").AsString()).Value, entity.Get("PendingReference").AsString()),
                entity.Get("PendingRequestHash").AsString(),
                DatePattern.Parse(entity.Get("PendingEntryDate").AsString()).Value,
                Instant.FromDateTimeOffset(entity.Get("PendingRecordedAt").AsDateTime()));
        }

        var credits = entity.TryGet("Credits", out var text) && text.AsString() is { Length: > 0 } joined
            ? joined.Split(';').Select(pair => pair.Split('=')).Select(parts => parts.Length == 2
                ? new TallyCredit(parts[0], new Money(decimal.Parse(parts[1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture), currency))
                : throw new InvalidOperationException($"The tally of {statement.Id} has a credit '{string.Join('=', parts)}' that is not reference=amount.")).ToArray()
            : [];
        return new PaymentTally(MoneyOf("Paid"), entity.Get("Count").AsInt32(), pending, entity.ETag) { Credits = credits };
    }

    /// <summary>Payments in the order they arrived: day received, then request id (ordinal); the order penalties are judged in.</summary>
    public static IReadOnlyList<RecordedPayment> Ordered(IEnumerable<RecordedPayment> payments) =>
        payments.OrderBy(recorded => recorded.Payment.ReceivedOn).ThenBy(recorded => recorded.Payment.RequestId, StringComparer.Ordinal).ToArray();
}
