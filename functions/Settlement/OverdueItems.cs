namespace ServiceLedger.Functions.Settlement;

using ServiceLedger.Domain.Money;
using ServiceLedger.Domain.Settlement;
using ServiceLedger.Functions.Statements;

/// <summary>
/// The overdue amounts of a contract's earlier statements that the statement being issued judges for late penalties
/// (<see cref="SettlementInput.Overdue"/>), from what the settlement run has read already: the contract's statements and
/// their payments and credit notes (one partition query, <see cref="StatementStore.ReadContractAsync"/>) and the holds. No storage request
/// of its own. Everything is as of the new statement's issue day, never the clock, so a redelivery computes the same
/// statement byte for byte: only payments received on or before that day count (docs/payments.md). A credit note counts whatever its day: its
/// part was never owed, and while its dispute was open the part was on hold, so either way it accrues nothing.
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
        var credited = prior.CreditNotes.Where(note => note.Credited.Currency == currency).ToLookup(note => note.Statement, note => note.Credited);
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
            items.AddRange(Overdue.Of(id, statement.Total, statement.DueOn, payments[id], held, Money.Sum(credited[id], currency), Money.Sum(charged[id.Value], currency), terms.LatePenalty, issuedOn));
        }

        return items.Take(SettlementLimits.MaxOverdueItems).ToArray();
    }
}
