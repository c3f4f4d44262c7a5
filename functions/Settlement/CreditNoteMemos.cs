namespace ServiceLedger.Functions.Settlement;

using ServiceLedger.Domain.Settlement;
using ServiceLedger.Functions.Statements;

/// <summary>
/// The credit notes the statement being issued lists as memo lines (<see cref="SettlementInput.CreditNotes"/>), from what the
/// settlement run has read already (the credit note rows of the one partition query, <see cref="StatementStore.ReadContractAsync"/>):
/// no storage request of its own.
/// </summary>
public static class CreditNoteMemos
{
    /// <summary>
    /// Every credit note in the terms' currency resolved on or before <paramref name="input"/>'s issue day that no stored
    /// statement of <paramref name="prior"/> lists yet, oldest first, at most <see cref="SettlementLimits.MaxCreditNotes"/>
    /// (the rest go on the next statement). "Not listed yet" rather than "resolved since the previous issue day": a credit
    /// note resolved on an issue day after that statement was computed still reaches the next one, and none is listed twice.
    /// </summary>
    public static IReadOnlyList<CreditNote> For(ContractStatements prior, SettlementInput input)
    {
        ArgumentNullException.ThrowIfNull(prior);
        ArgumentNullException.ThrowIfNull(input);
        var currency = SettlementEngine.GoverningTerms(input).Currency;
        var listed = prior.Statements.SelectMany(statement => statement.CreditNotes).Select(note => note.Reference).ToHashSet(StringComparer.Ordinal);
        return [.. prior.CreditNotes
            .Where(note => note.ResolvedOn <= input.IssuedOn && note.Credited.Currency == currency && !listed.Contains(note.Reference))
            .Take(SettlementLimits.MaxCreditNotes)];
    }
}
