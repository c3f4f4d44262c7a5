using NodaTime;
using ServiceLedger.Domain.Contracts;

namespace ServiceLedger.Domain.Settlement;

using ServiceLedger.Domain.Money;

/// <summary>How one earlier statement becomes the overdue items a new statement judges for late penalties (pure).</summary>
public static class Overdue
{
    /// <summary>
    /// The overdue items of one statement of <paramref name="total"/> due on <paramref name="dueOn"/>, judged on a statement
    /// issued on <paramref name="issuedOn"/>. Payments received by the due date reduce what is overdue; each later payment
    /// received by <paramref name="issuedOn"/> closes its part (an item paid on its day); what is still unpaid is one item
    /// accruing to <paramref name="issuedOn"/>, less the part <paramref name="held"/> by an unresolved dispute (an item on hold,
    /// which accrues nothing). <paramref name="credited"/>, the credit notes of accepted disputes on the statement, was never
    /// owed: it comes off the total before anything else, so it accrues nothing before, during or after its dispute. <paramref name="charged"/>, the penalty charged for the statement on earlier statements, is set
    /// against the items in that order, so nothing is charged twice and the cap holds across statements; an item whose
    /// penalty is charged in full is left out (it would give no line).
    /// </summary>
    public static IReadOnlyList<OverdueItem> Of(
        StatementId statement, Money total, LocalDate dueOn, IEnumerable<StatementPayment> payments, Money held, Money credited, Money charged, LatePenalty rule, LocalDate issuedOn)
    {
        ArgumentNullException.ThrowIfNull(payments);
        ArgumentNullException.ThrowIfNull(rule);
        var currency = total.Currency;
        var zero = Money.Zero(currency);
        var counted = payments
            .Where(payment => payment.ReceivedOn <= issuedOn && payment.Amount.Currency == currency)
            .OrderBy(payment => payment.ReceivedOn)
            .ThenBy(payment => payment.RequestId, StringComparer.Ordinal)
            .ToArray();
        // A credit note says the amount was wrong, not late: like a payment on time, whatever day the dispute was resolved.
        var owed = credited.Amount > 0m && credited.Currency == currency ? total - credited : total;
        var unpaid = owed - Money.Sum(counted.Where(payment => payment.ReceivedOn <= dueOn).Select(payment => payment.Amount), currency);
        var parts = new List<OverdueItem>();
        foreach (var payment in counted.Where(payment => payment.ReceivedOn > dueOn))
        {
            if (unpaid.Amount <= 0m)
            {
                break;
            }

            var part = payment.Amount < unpaid ? payment.Amount : unpaid;
            parts.Add(new OverdueItem(statement, part, dueOn, payment.ReceivedOn, false, zero));
            unpaid -= part;
        }

        if (unpaid.Amount > 0m)
        {
            var onHold = held.Amount <= 0m ? zero : held < unpaid ? held : unpaid;
            if (unpaid > onHold)
            {
                parts.Add(new OverdueItem(statement, unpaid - onHold, dueOn, null, false, zero));
            }

            if (onHold.Amount > 0m)
            {
                parts.Add(new OverdueItem(statement, onHold, dueOn, null, true, zero));
            }
        }

        var left = charged.IsNegative ? zero : charged;
        var items = new List<OverdueItem>();
        foreach (var part in parts)
        {
            if (part.OnHold)
            {
                items.Add(part);
                continue;
            }

            var accrued = SettlementEngine.LatePenaltyAccrued(part, rule, issuedOn);
            var set = left < accrued ? left : accrued;
            left -= set;
            if (accrued > set)
            {
                items.Add(part with { PenaltyCharged = set });
            }
        }

        return items;
    }
}
