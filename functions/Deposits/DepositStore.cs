using System.Globalization;
using NodaTime;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Functions.Adapters.Tables;
using ServiceLedger.Functions.Configuration;

namespace ServiceLedger.Functions.Deposits;

/// <summary>Where a Checkout attempt for a contract's deposit stands.</summary>
public static class CheckoutStatus
{
    /// <summary>Our row is written; the Stripe session may not exist yet (a retry finishes it with the same idempotency key).</summary>
    public const string Creating = "creating";

    /// <summary>The session is open for payment until it expires.</summary>
    public const string Open = "open";

    /// <summary>Completed with a delayed payment method; waiting for Stripe to say succeeded or failed.</summary>
    public const string Processing = "processing";

    /// <summary>Paid: the webhook said so (never the redirect).</summary>
    public const string Paid = "paid";

    /// <summary>Expired unpaid; the merchant may start a new checkout.</summary>
    public const string Expired = "expired";

    /// <summary>The delayed payment failed; the merchant may start a new checkout.</summary>
    public const string Failed = "failed";
}

/// <summary>Where a deposit refund asked of Stripe stands.</summary>
public static class RefundStatus
{
    /// <summary>Our row is written; Stripe may not have been asked yet (a retry asks with the same idempotency key).</summary>
    public const string Requested = "requested";

    /// <summary>Stripe accepted the refund; the ledger moves when its event says succeeded.</summary>
    public const string Pending = "pending";

    /// <summary>Stripe confirmed it; the ledger has the entry.</summary>
    public const string Succeeded = "succeeded";

    /// <summary>Stripe says it failed or was canceled; the amount stays in the deposit.</summary>
    public const string Failed = "failed";
}

/// <summary>One Checkout attempt for a contract's deposit (row <c>attempt:{n:D4}</c> of the contract's partition).</summary>
/// <param name="Number">1 for the first attempt; part of the Stripe idempotency key.</param>
/// <param name="Status">One of <see cref="CheckoutStatus"/>.</param>
/// <param name="AmountMinor">The deposit in minor units.</param>
/// <param name="Currency">ISO 4217 code (upper case).</param>
/// <param name="ExpiresAt">When the session expires (fixed when the row is written, so a retried create sends the same parameters).</param>
/// <param name="CreatedAt">When the attempt was started.</param>
/// <param name="SessionId">The Checkout Session id, once created.</param>
/// <param name="Url">The hosted payment page, while open.</param>
/// <param name="PaymentIntentId">The PaymentIntent, once paid.</param>
public sealed record CheckoutAttempt(
    int Number, string Status, long AmountMinor, string Currency, Instant ExpiresAt, Instant CreatedAt, string? SessionId, string? Url, string? PaymentIntentId);

/// <summary>One refund finance asked for (row <c>refund:{requestId}</c> of the contract's partition).</summary>
/// <param name="RequestId">Finance's request id (idempotency).</param>
/// <param name="Status">One of <see cref="RefundStatus"/>.</param>
/// <param name="AmountMinor">Minor units asked.</param>
/// <param name="Currency">ISO 4217 code (upper case).</param>
/// <param name="Reason">Why, as finance wrote it.</param>
/// <param name="RequestedBy">The finance user.</param>
/// <param name="RequestedAt">When.</param>
/// <param name="RefundId">Stripe's refund id, once created.</param>
public sealed record DepositRefundRecord(
    string RequestId, string Status, long AmountMinor, string Currency, string Reason, string RequestedBy, Instant RequestedAt, string? RefundId);

/// <summary>Which contract a PaymentIntent paid the deposit of (partition <c>pi:{id}</c>): refunds and disputes join back through it.</summary>
/// <param name="PaymentIntentId">The <c>pi_…</c>.</param>
/// <param name="ContractId">The contract.</param>
/// <param name="MerchantId">Its merchant.</param>
/// <param name="SessionId">The Checkout Session that created it.</param>
public sealed record DepositPaymentLink(string PaymentIntentId, string ContractId, string MerchantId, string SessionId);

/// <summary>
/// The <see cref="StorageNames.DepositsTable"/> table: per contract (PartitionKey = contract id) its Checkout attempts and
/// refund requests; per PaymentIntent (PartitionKey <c>pi:{id}</c>) the contract it paid for; per dispute the status
/// Stripe last reported. Reads are bounded: a contract has at most <see cref="MaxRowsPerContract"/> rows.
/// </summary>
public sealed class DepositStore(TableServiceClient tables)
{
    /// <summary>Most rows read for one contract (attempts + refunds + dispute statuses); more is a bug or abuse.</summary>
    public const int MaxRowsPerContract = 1_000;

    private const string AttemptPrefix = "attempt:";
    private const string RefundPrefix = "refund:";
    private const string DisputePrefix = "dispute:";
    private const string LinkRow = "deposit";

    private TableClient Table => tables.GetTableClient(StorageNames.DepositsTable);

    /// <summary>The contract's attempts, oldest first.</summary>
    public async Task<IReadOnlyList<CheckoutAttempt>> ReadAttemptsAsync(ContractId contract, CancellationToken cancellationToken) =>
        [.. (await ReadRowsAsync(contract, AttemptPrefix, cancellationToken).ConfigureAwait(false)).Select(ToAttempt)];

    /// <summary>Inserts a new attempt; false when an attempt of that number exists (someone else started it).</summary>
    public async Task<bool> TryInsertAttemptAsync(ContractId contract, CheckoutAttempt attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        try
        {
            await Table.InsertAsync(FromAttempt(contract, attempt), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TableStorageException exception) when (exception.IsConflict)
        {
            return false;
        }
    }

    /// <summary>Writes the attempt's current state (last writer wins: every writer moves it forward, see <see cref="CheckoutStatus"/>).</summary>
    public Task SaveAttemptAsync(ContractId contract, CheckoutAttempt attempt, CancellationToken cancellationToken) =>
        Table.UpsertAsync(FromAttempt(contract, attempt), cancellationToken);

    /// <summary>The contract's refund requests, oldest request id first.</summary>
    public async Task<IReadOnlyList<DepositRefundRecord>> ReadRefundsAsync(ContractId contract, CancellationToken cancellationToken) =>
        [.. (await ReadRowsAsync(contract, RefundPrefix, cancellationToken).ConfigureAwait(false)).Select(ToRefund)];

    /// <summary>The refund request <paramref name="requestId"/>, or null.</summary>
    public async Task<DepositRefundRecord?> GetRefundAsync(ContractId contract, string requestId, CancellationToken cancellationToken) =>
        await Table.GetAsync(contract.Value, RefundPrefix + requestId, null, cancellationToken).ConfigureAwait(false) is { } row ? ToRefund(row) : null;

    /// <summary>Inserts a refund request; false when the request id exists.</summary>
    public async Task<bool> TryInsertRefundAsync(ContractId contract, DepositRefundRecord refund, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(refund);
        try
        {
            await Table.InsertAsync(FromRefund(contract, refund), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TableStorageException exception) when (exception.IsConflict)
        {
            return false;
        }
    }

    /// <summary>Writes the refund request's current state.</summary>
    public Task SaveRefundAsync(ContractId contract, DepositRefundRecord refund, CancellationToken cancellationToken) =>
        Table.UpsertAsync(FromRefund(contract, refund), cancellationToken);

    /// <summary>Records which contract <paramref name="link"/>'s PaymentIntent paid for (idempotent).</summary>
    public Task SaveLinkAsync(DepositPaymentLink link, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(link);
        return Table.UpsertAsync(
            new TableEntity("pi:" + link.PaymentIntentId, LinkRow, [new("ContractId", link.ContractId), new("MerchantId", link.MerchantId), new("SessionId", link.SessionId)]),
            cancellationToken);
    }

    /// <summary>The contract the PaymentIntent paid the deposit of, or null when we have not seen it paid.</summary>
    public async Task<DepositPaymentLink?> GetLinkAsync(string paymentIntentId, CancellationToken cancellationToken) =>
        await Table.GetAsync("pi:" + paymentIntentId, LinkRow, null, cancellationToken).ConfigureAwait(false) is { } row
            ? new DepositPaymentLink(paymentIntentId, row.Get("ContractId").AsString(), row.Get("MerchantId").AsString(), row.Get("SessionId").AsString())
            : null;

    /// <summary>
    /// Stores the dispute status Stripe reported in an event created at <paramref name="eventCreated"/>, unless a newer
    /// event's report is stored already (events arrive in any order).
    /// </summary>
    public async Task SaveDisputeStatusAsync(
        ContractId contract, string disputeId, string status, long amountMinor, string currency, string? reason, Instant eventCreated, string eventId, CancellationToken cancellationToken)
    {
        var stored = await Table.GetAsync(contract.Value, DisputePrefix + disputeId, null, cancellationToken).ConfigureAwait(false);
        if (stored is not null && stored.Get("EventCreated").AsDateTime() > eventCreated.ToDateTimeOffset())
        {
            return;
        }

        var row = new TableEntity(contract.Value, DisputePrefix + disputeId,
        [
            new("Status", status), new("AmountMinor", amountMinor), new("Currency", currency), new("Reason", reason ?? string.Empty),
            new("EventCreated", eventCreated.ToDateTimeOffset()), new("EventId", eventId),
        ]);
        if (stored is null)
        {
            try
            {
                await Table.InsertAsync(row, cancellationToken).ConfigureAwait(false);
            }
            catch (TableStorageException exception) when (exception.IsConflict)
            {
                // A concurrent delivery stored one first: try again so the newer report wins.
                throw new InvalidOperationException($"Dispute {disputeId} status was written concurrently; retry the event.", exception);
            }

            return;
        }

        await Table.ReplaceAsync(row, stored.ETag, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The dispute statuses stored for the contract: (dispute id, status).</summary>
    public async Task<IReadOnlyList<(string DisputeId, string Status)>> ReadDisputeStatusesAsync(ContractId contract, CancellationToken cancellationToken) =>
        [.. (await ReadRowsAsync(contract, DisputePrefix, cancellationToken).ConfigureAwait(false)).Select(row => (row.RowKey[DisputePrefix.Length..], row.Get("Status").AsString()))];

    private async Task<List<TableEntity>> ReadRowsAsync(ContractId contract, string prefix, CancellationToken cancellationToken)
    {
        // Row keys of one kind share a prefix, so the prefix's RowKey range is exactly that kind.
        var filter = TableFilter.And(TableFilter.PartitionKeyEquals(contract.Value), TableFilter.RowKeyStartsWith(prefix));
        var rows = new List<TableEntity>();
        await foreach (var row in Table.QueryAsync(new TableQuery(filter), TableClient.DefaultMaxPages, cancellationToken).ConfigureAwait(false))
        {
            if (rows.Count == MaxRowsPerContract)
            {
                throw new InvalidOperationException($"Contract {contract} has more than {MaxRowsPerContract} deposit rows of kind '{prefix}'.");
            }

            rows.Add(row);
        }

        return rows;
    }

    private static TableEntity FromAttempt(ContractId contract, CheckoutAttempt attempt) =>
        new(contract.Value, AttemptPrefix + attempt.Number.ToString("D4", CultureInfo.InvariantCulture),
        [
            new("Number", attempt.Number), new("Status", attempt.Status), new("AmountMinor", attempt.AmountMinor), new("Currency", attempt.Currency),
            new("ExpiresAt", attempt.ExpiresAt.ToDateTimeOffset()), new("CreatedAt", attempt.CreatedAt.ToDateTimeOffset()),
            new("SessionId", attempt.SessionId ?? string.Empty), new("Url", attempt.Url ?? string.Empty), new("PaymentIntentId", attempt.PaymentIntentId ?? string.Empty),
        ]);

    private static CheckoutAttempt ToAttempt(TableEntity row) =>
        new(
            row.Get("Number").AsInt32(), row.Get("Status").AsString(), row.Get("AmountMinor").AsInt64(), row.Get("Currency").AsString(),
            Instant.FromDateTimeOffset(row.Get("ExpiresAt").AsDateTime()), Instant.FromDateTimeOffset(row.Get("CreatedAt").AsDateTime()),
            NullIfEmpty(row.Get("SessionId").AsString()), NullIfEmpty(row.Get("Url").AsString()), NullIfEmpty(row.Get("PaymentIntentId").AsString()));

    private static TableEntity FromRefund(ContractId contract, DepositRefundRecord refund) =>
        new(contract.Value, RefundPrefix + refund.RequestId,
        [
            new("RequestId", refund.RequestId), new("Status", refund.Status), new("AmountMinor", refund.AmountMinor), new("Currency", refund.Currency),
            new("Reason", refund.Reason), new("RequestedBy", refund.RequestedBy), new("RequestedAt", refund.RequestedAt.ToDateTimeOffset()),
            new("RefundId", refund.RefundId ?? string.Empty),
        ]);

    private static DepositRefundRecord ToRefund(TableEntity row) =>
        new(
            row.Get("RequestId").AsString(), row.Get("Status").AsString(), row.Get("AmountMinor").AsInt64(), row.Get("Currency").AsString(),
            row.Get("Reason").AsString(), row.Get("RequestedBy").AsString(), Instant.FromDateTimeOffset(row.Get("RequestedAt").AsDateTime()),
            NullIfEmpty(row.Get("RefundId").AsString()));

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;
}
