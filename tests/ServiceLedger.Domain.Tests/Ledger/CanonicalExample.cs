using NodaTime;
using ServiceLedger.Domain.Ledger;
using static ServiceLedger.Domain.Tests.Ledger.LedgerTestData;

namespace ServiceLedger.Domain.Tests.Ledger;

/// <summary>The worked example of docs/ledger-canonical-form.md: a deposit paid, then a statement issued, in one contract book.</summary>
internal static class CanonicalExample
{
    public static ProposedEntry DepositPaid => ProposedEntry.Create(
        Book,
        IdempotencyKey.ForStripeEvent("evt_1PqR7sT2uV3wX4yZ"),
        new LocalDate(2027, 3, 1),
        "Deposit paid by card (Stripe Checkout)",
        [Posting.Debit(Clearing, Cny(30000m)), Posting.Credit(Deposit, Cny(30000m))],
        [SourceReference.StripeObject("ch_3PqR7sT2uV3wX4yZ0a1b2c3d"), SourceReference.StripeEvent("evt_1PqR7sT2uV3wX4yZ")]).Value;

    public static ProposedEntry StatementIssued => ProposedEntry.Create(
        Book,
        IdempotencyKey.ForStatement(ContractId, "2027-03", 1),
        new LocalDate(2027, 3, 31),
        "Statement 2027-03 (对账单): base fee and commission",
        [Posting.Debit(Receivable, Cny(27068.52m)), Posting.Credit(Payable, Cny(24361.67m)), Posting.Credit(Revenue, Cny(2706.85m))],
        [SourceReference.Statement("stm_9Lm2Np4Q")]).Value;

    public static IReadOnlyList<JournalEntry> Entries()
    {
        var first = JournalEntry.Seal(DepositPaid, BookHead.Empty(Book), Instant.FromUtc(2027, 3, 1, 2, 15, 30).PlusNanoseconds(123_456_789));
        var second = JournalEntry.Seal(StatementIssued, BookHead.Empty(Book).After(first), Instant.FromUtc(2027, 4, 1, 1, 0));
        return [first, second];
    }
}
