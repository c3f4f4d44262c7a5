namespace ServiceLedger.Functions.Payments;

using System.Globalization;
using ServiceLedger.Functions.Contracts;
using ServiceLedger.Functions.Statements;

/// <summary>One recorded payment on the wire.</summary>
/// <param name="StatementId">The statement paid.</param>
/// <param name="RequestId">The request id it was recorded under.</param>
/// <param name="Amount">The amount received.</param>
/// <param name="ReceivedOn">The day received, <c>yyyy-MM-dd</c>.</param>
/// <param name="Reference">The bank reference.</param>
/// <param name="LedgerEntryId">The ledger entry that posted it.</param>
/// <param name="RecordedAt">When it was recorded, UTC ISO 8601.</param>
public sealed record StatementPaymentView(string StatementId, string RequestId, MoneyView Amount, string ReceivedOn, string Reference, string LedgerEntryId, string RecordedAt)
{
    /// <summary>The wire form of <paramref name="recorded"/>.</summary>
    public static StatementPaymentView Of(RecordedPayment recorded)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        var payment = recorded.Payment;
        return new(
            payment.Statement.Value,
            payment.RequestId,
            MoneyView.Of(payment.Amount),
            StatementView.IsoDate(payment.ReceivedOn),
            payment.Reference,
            recorded.LedgerEntryId,
            recorded.RecordedAt.ToString("uuuu-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
    }
}

/// <summary>The answer to recording a payment: the payment and the statement's balance after it.</summary>
/// <param name="Payment">The payment.</param>
/// <param name="Total">The statement's total.</param>
/// <param name="Paid">All recorded payments of the statement.</param>
/// <param name="Outstanding">What is still owed.</param>
public sealed record StatementPaymentRecordedView(StatementPaymentView Payment, MoneyView Total, MoneyView Paid, MoneyView Outstanding)
{
    /// <summary>The wire form of a recorded payment.</summary>
    public static StatementPaymentRecordedView Of(PaymentResult.Recorded recorded)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        return new(StatementPaymentView.Of(recorded.Payment), MoneyView.Of(recorded.Balance.Total), MoneyView.Of(recorded.Balance.Paid), MoneyView.Of(recorded.Balance.Outstanding));
    }
}

/// <summary>Adds what is paid to a statement's wire form.</summary>
public static class StatementViewPayments
{
    /// <summary><paramref name="view"/> with <c>paid</c>, <c>outstanding</c> and <c>payments</c> set from <paramref name="payments"/> of <paramref name="statement"/>.</summary>
    public static StatementView WithPayments(this StatementView view, StatementRecord statement, IReadOnlyList<RecordedPayment> payments)
    {
        ArgumentNullException.ThrowIfNull(view);
        var balance = StatementBalance.Of(statement, payments);
        return view with
        {
            Paid = MoneyView.Of(balance.Paid),
            Outstanding = MoneyView.Of(balance.Outstanding),
            Payments = payments.Select(StatementPaymentView.Of).ToArray(),
        };
    }
}
