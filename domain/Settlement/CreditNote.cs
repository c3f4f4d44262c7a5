using NodaTime;

namespace ServiceLedger.Domain.Settlement;

using ServiceLedger.Domain.Money;

/// <summary>
/// The credit note of an accepted or partially accepted fee dispute on an earlier statement (docs/disputes.md). It was booked
/// in the contract's book when the dispute was resolved (key <c>dispute:{id}:resolution</c>), so it is never a line of a
/// later statement: the next statement lists it as a memo (<see cref="Statement.CreditNotes"/>, outside
/// <see cref="Statement.Lines"/> and the total), and the credited part of <see cref="Statement"/> was never owed, so it is
/// never overdue (<see cref="Overdue.Of"/>). Equality is by value.
/// </summary>
/// <param name="Statement">The disputed statement the credit reduces.</param>
/// <param name="Credited">The amount credited, positive, in whole minor units of the statement's currency.</param>
/// <param name="Reference">The dispute, <c>dispute:{id}</c>; 1 to <see cref="SettlementLimits.MaxReferenceLength"/> of <c>[A-Za-z0-9_-:.]</c>.</param>
/// <param name="ResolvedOn">The day the dispute was resolved, in the contract's time zone.</param>
public sealed record CreditNote(StatementId Statement, Money Credited, string Reference, LocalDate ResolvedOn);
