namespace ServiceLedger.Functions.Payments;

using System.Globalization;
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

/// <summary>
/// Statement payments as rows of the <c>statements</c> table, in the contract's partition beside its statements:
/// RowKey <c>pay:{statementId}:{requestId}</c> (insert only). So the one partition query a settlement run already makes
/// for the contract's statements (<see cref="StatementStore.ReadContractAsync"/>) also reads every payment, and one
/// statement's payments are one RowKey range.
/// </summary>
public sealed class StatementPaymentStore(TableServiceClient tables)
{
    /// <summary>The RowKey prefix of payment rows.</summary>
    public const string RowKeyPrefix = "pay:";

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
            TableFilter.And(
                TableFilter.Compare("RowKey", TableFilterOperator.GreaterThanOrEqual, prefix),
                TableFilter.Compare("RowKey", TableFilterOperator.LessThan, prefix[..^1] + ";")));
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
        var filter = TableFilter.And(
            TableFilter.Compare("RowKey", TableFilterOperator.GreaterThanOrEqual, RowKeyPrefix),
            TableFilter.Compare("RowKey", TableFilterOperator.LessThan, "pay;"));
        await foreach (var entity in table.QueryAsync(new TableQuery(filter, top: TableQuery.MaxPageSize), (MaxPaymentsScanned / TableQuery.MaxPageSize) + 1, cancellationToken).ConfigureAwait(false))
        {
            yield return Read(entity);
        }
    }

    /// <summary>Stores a recorded payment; false (nothing written) when its statement has a payment with that request id already.</summary>
    public async Task<bool> InsertAsync(ContractId contract, RecordedPayment recorded, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        var payment = recorded.Payment;
        var entity = new TableEntity(
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

    /// <summary>Payments in the order they arrived: day received, then request id (ordinal); the order penalties are judged in.</summary>
    public static IReadOnlyList<RecordedPayment> Ordered(IEnumerable<RecordedPayment> payments) =>
        payments.OrderBy(recorded => recorded.Payment.ReceivedOn).ThenBy(recorded => recorded.Payment.RequestId, StringComparer.Ordinal).ToArray();
}
