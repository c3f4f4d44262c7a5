namespace ServiceLedger.Functions.Settlement;

using NodaTime;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Money;
using ServiceLedger.Domain.Settlement;
using ServiceLedger.Functions.Statements;

/// <summary>
/// The overdue amounts of a contract's earlier statements that the statement being issued judges for late penalties
/// (<see cref="SettlementInput.Overdue"/>), from what the settlement run has read already: the contract's statements and
/// their payments (one partition query, <see cref="StatementStore.ReadContractAsync"/>) and the holds. No storage request
/// of its own. Everything is as of the new statement's issue day, never the clock, so a redelivery computes the same
/// statement byte for byte: only payments received on or before that day count (docs/payments.md).
/// </summary>
public static class OverdueItems
{
    /// <summary>
    /// The overdue items for <paramref name="input"/> (its issue day, holds, governing terms) from <paramref name="prior"/>:
    /// every earlier statement in the terms' currency with a positive total, issued and due before the issue day, that was
    /// not paid in full by its due date. Oldest due date first; at most <see cref="SettlementLimits.MaxOverdueItems"/> (the
    /// oldest, which carry the most penalty; the rest are judged on a later statement).
    /// </summary>
    public static IReadOnlyList<OverdueItem> For(ContractStatements prior, SettlementInput input)
    {
        ArgumentNullException.ThrowIfNull(prior);
        ArgumentNullException.ThrowIfNull(input);
        var terms = SettlementEngine.GoverningTerms(input);
        var currency = terms.Currency;
        var issuedOn = input.IssuedOn;
        var payments = prior.Payments.ToLookup(recorded => recorded.Payment.Statement, recorded => recorded.Payment);
        var charged = prior.Statements
            .Where(statement => statement.IssuedOn < issuedOn)
            .SelectMany(statement => statement.Lines)
            .Where(line => line.Kind == StatementLineKind.LatePenalty && line.Reference is not null && line.Amount.Currency == currency)
            .ToLookup(line => line.Reference!, line => line.Amount, StringComparer.Ordinal);
        var items = new List<OverdueItem>();
        foreach (var statement in prior.Statements
            .Where(statement => statement.IssuedOn < issuedOn && statement.DueOn < issuedOn && statement.Total.Currency == currency && statement.Total.Amount > 0m)
            .OrderBy(statement => statement.DueOn)
            .ThenBy(statement => statement.Id, StringComparer.Ordinal))
        {
            var id = StatementId.For(statement.Contract, statement.Period, statement.Version);
            var held = Money.Sum(input.Held.Where(hold => hold.Statement == id && hold.Amount.Currency == currency).Select(hold => hold.Amount), currency);
            items.AddRange(Of(id, statement.Total, statement.DueOn, payments[id], held, Money.Sum(charged[id.Value], currency), terms.LatePenalty, issuedOn));
        }

        return items.Take(SettlementLimits.MaxOverdueItems).ToArray();
    }

    /// <summary>
    /// The overdue items of one statement of <paramref name="total"/> due on <paramref name="dueOn"/>, judged on a statement
    /// issued on <paramref name="issuedOn"/>. Payments received by the due date reduce what is overdue; each later payment
    /// received by <paramref name="issuedOn"/> closes its part (an item paid on its day); what is still unpaid is one item
    /// accruing to <paramref name="issuedOn"/>, less the part <paramref name="held"/> by an unresolved dispute (an item on hold,
    /// which accrues nothing). <paramref name="charged"/>, the penalty charged for the statement on earlier statements, is set
    /// against the items in that order, so nothing is charged twice and the cap holds across statements; an item whose
    /// penalty is charged in full is left out (it would give no line).
    /// </summary>
    public static IReadOnlyList<OverdueItem> Of(
        StatementId statement, Money total, LocalDate dueOn, IEnumerable<StatementPayment> payments, Money held, Money charged, LatePenalty rule, LocalDate issuedOn)
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
        var unpaid = total - Money.Sum(counted.Where(payment => payment.ReceivedOn <= dueOn).Select(payment => payment.Amount), currency);
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
