namespace ServiceLedger.Functions.Payments;

using System.Globalization;
using Azure;
using NodaTime;
using NodaTime.Text;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Money;
using ServiceLedger.Domain.Settlement;
using ServiceLedger.Functions.Adapters.Tables;
using ServiceLedger.Functions.Configuration;
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

/// <summary>
/// The admission record of one statement's payments, its <c>paid:{statementId}</c> row. Every payment is admitted by a
/// conditional write of this row (If-Match on <see cref="ETag"/>; insert for the first), and a payment row is only ever stored
/// in the same transaction as a write of it, so a decision taken on the tally and the payment rows read after it holds
/// exactly when that write succeeds. <see cref="Paid"/> and <see cref="Count"/> include the stored payments and the
/// <see cref="Pending"/> one: they say what was admitted (the rows stay the truth of what is stored).
/// </summary>
/// <param name="Paid">Stored payments plus the pending one.</param>
/// <param name="Count">Number of stored payments plus the pending one.</param>
/// <param name="Pending">The payment admitted but not yet posted and stored (at most one at a time), or null.</param>
/// <param name="ETag">The row's ETag as read; <c>default</c> when there is no row yet.</param>
public sealed record PaymentTally(Money Paid, int Count, PendingPayment? Pending, ETag ETag)
{
    /// <summary>
    /// The tally that admits <paramref name="pending"/> after the <paramref name="stored"/> payments of <paramref name="statement"/>
    /// (to be written with <see cref="StatementPaymentStore.TryWriteTallyAsync"/>).
    /// </summary>
    public static PaymentTally Admitting(StatementRecord statement, IReadOnlyCollection<RecordedPayment> stored, PendingPayment pending)
    {
        ArgumentNullException.ThrowIfNull(statement);
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(pending);
        return new PaymentTally(StatementBalance.Of(statement, stored).Paid + pending.Payment.Amount, stored.Count + 1, pending, default);
    }

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
/// statement's payments are one RowKey range. Beside them, one <c>paid:{statementId}</c> row per paid statement
/// (<see cref="PaymentTally"/>): it sorts before <c>pay:</c> ('i' &lt; 'y'), so no <c>pay:</c> range or prefix sees it.
/// </summary>
public sealed class StatementPaymentStore(TableServiceClient tables)
{
    /// <summary>The RowKey prefix of payment rows.</summary>
    public const string RowKeyPrefix = "pay:";

    /// <summary>The RowKey prefix of the per-statement tally rows (outside the <c>pay:</c>..<c>pay;</c> range).</summary>
    public const string TallyRowKeyPrefix = "paid:";

    /// <summary>Most payments one statement holds (a bound on the range read; instalments beyond it are refused).</summary>
    public const int MaxPaymentsPerStatement = 200;

    /// <summary>Most payment rows a full scan (receivables ageing) reads.</summary>
    public const int MaxPaymentsScanned = 1_000_000;

    private static readonly LocalDatePattern DatePattern = LocalDatePattern.Iso;

    private readonly TableClient table = tables.GetTableClient(StorageNames.StatementsTable);

    /// <summary>True when <paramref name="entity"/> is a payment row (see <see cref="Read"/>).</summary>
    public static bool IsPaymentRow(TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return entity.RowKey.StartsWith(RowKeyPrefix, StringComparison.Ordinal);
    }

    /// <summary>The payments recorded for <paramref name="statement"/> (one RowKey range in its contract's partition).</summary>
    public async Task<IReadOnlyList<RecordedPayment>> ReadAsync(StatementRecord statement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var prefix = $"{RowKeyPrefix}{statement.Id}:";
        var filter = TableFilter.And(
            TableFilter.PartitionKeyEquals(statement.Contract.Value),
            TableFilter.RowKeyStartsWith(prefix));
        var payments = new List<RecordedPayment>();
        await foreach (var entity in table.QueryAsync(new TableQuery(filter, top: TableQuery.MaxPageSize), (MaxPaymentsPerStatement / TableQuery.MaxPageSize) + 1, cancellationToken).ConfigureAwait(false))
        {
            payments.Add(Read(entity));
        }

        return Ordered(payments);
    }

    /// <summary>Every payment row of every contract, at most <see cref="MaxPaymentsScanned"/> (then it fails loudly).</summary>
    public async IAsyncEnumerable<RecordedPayment> ScanAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var filter = TableFilter.RowKeyStartsWith(RowKeyPrefix);
        await foreach (var entity in table.QueryAsync(new TableQuery(filter, top: TableQuery.MaxPageSize), (MaxPaymentsScanned / TableQuery.MaxPageSize) + 1, cancellationToken).ConfigureAwait(false))
        {
            yield return Read(entity);
        }
    }

    /// <summary>The tally of <paramref name="statement"/>'s payments, or null when none was ever admitted through one.</summary>
    public async Task<PaymentTally?> ReadTallyAsync(StatementRecord statement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var entity = await table.GetAsync(statement.Contract.Value, TallyRowKeyPrefix + statement.Id, select: null, cancellationToken).ConfigureAwait(false);
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
                ? await table.InsertAsync(entity, cancellationToken).ConfigureAwait(false)
                : await table.ReplaceAsync(entity, read.ETag, cancellationToken).ConfigureAwait(false);
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

        var result = await table.SubmitBatchAsync(
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
        var statementId = entity.Get("StatementId").AsString();
        var statement = StatementRecord.TryParseId(statementId, out var contract, out var period, out var version)
            ? StatementId.For(contract, period, version)
            : throw new InvalidOperationException($"Payment {entity} names '{statementId}', which is not a statement id.");
        var currency = Currency.FromCode(entity.Get("Currency").AsString());
        var amount = new Money(decimal.Parse(entity.Get("Amount").AsString(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture), currency);
        var payment = StatementPayment.Restore(
            statement,
            entity.Get("RequestId").AsString(),
            amount,
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
        if (tally.Paid.Currency != statement.Total.Currency || tally.Paid.IsNegative || tally.Count < 0 || tally.Count > MaxPaymentsPerStatement)
        {
            throw new InvalidOperationException($"The tally of {statement.Id} ({tally.Paid}, {tally.Count} payments) breaks its invariant: non-negative, in the statement's currency, at most {MaxPaymentsPerStatement} payments.");
        }

        var properties = new List<KeyValuePair<string, TableValue>>
        {
            new("StatementId", statement.Id),
            new("Currency", tally.Paid.Currency.Code),
            new("Paid", tally.Paid.FormatAmount()),
            new("Count", tally.Count),
        };
        if (tally.Pending is { } pending)
        {
            properties.AddRange(
            [
                new("PendingRequestId", pending.Payment.RequestId),
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
        Money MoneyOf(string name) => new(decimal.Parse(entity.Get(name).AsString(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture), currency);
        PendingPayment? pending = null;
        if (entity.TryGet("PendingRequestId", out var requestId))
        {
            var id = StatementId.For(statement.Contract, statement.Period, statement.Version);
            pending = new PendingPayment(
                StatementPayment.Restore(id, requestId.AsString(), MoneyOf("PendingAmount"), DatePattern.Parse(entity.Get("PendingReceivedOn").AsString()).Value, entity.Get("PendingReference").AsString()),
                entity.Get("PendingRequestHash").AsString(),
                DatePattern.Parse(entity.Get("PendingEntryDate").AsString()).Value,
                Instant.FromDateTimeOffset(entity.Get("PendingRecordedAt").AsDateTime()));
        }

        return new PaymentTally(MoneyOf("Paid"), entity.Get("Count").AsInt32(), pending, entity.ETag);
    }

    /// <summary>Payments in the order they arrived: day received, then request id (ordinal); the order penalties are judged in.</summary>
    public static IReadOnlyList<RecordedPayment> Ordered(IEnumerable<RecordedPayment> payments) =>
        payments.OrderBy(recorded => recorded.Payment.ReceivedOn).ThenBy(recorded => recorded.Payment.RequestId, StringComparer.Ordinal).ToArray();
}
