using System.Globalization;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Domain.Parties;

namespace ServiceLedger.Domain.Reconciliation;

using ServiceLedger.Domain.Money;

/// <summary>An issued statement as the postings check reads it: what it says, and the entry it says posted it.</summary>
/// <param name="StatementId">The statement (<c>stm_…</c>).</param>
/// <param name="Contract">Its contract (the book its entry is in).</param>
/// <param name="Merchant">The merchant whose receivable it debits.</param>
/// <param name="Vendor">The vendor whose payable it credits.</param>
/// <param name="Period">The period it settles.</param>
/// <param name="Version">Its version (part of the entry's idempotency key).</param>
/// <param name="Total">What the merchant owes: the receivable debit.</param>
/// <param name="VendorShare">The vendor's part: the payable credit.</param>
/// <param name="PlatformFee">The platform's part: the revenue credit.</param>
/// <param name="LedgerEntryId">The entry (<c>book#sequence</c>) the statement records as its posting; empty when nothing was posted.</param>
public sealed record IssuedStatement(
    string StatementId,
    ContractId Contract,
    MerchantId Merchant,
    VendorId Vendor,
    SettlementPeriod Period,
    int Version,
    Money Total,
    Money VendorShare,
    Money PlatformFee,
    string LedgerEntryId)
{
    /// <summary>The idempotency key its posting carries: <c>statement:{contract}:{period}:v{n}</c>.</summary>
    public IdempotencyKey PostingKey => IdempotencyKey.ForStatement(Contract.Value, Period.ToString(), Version);

    /// <summary>True when every amount is zero: such a statement is issued without an entry (there is nothing to post).</summary>
    public bool IsAllZero => Total.IsZero && VendorShare.IsZero && PlatformFee.IsZero;
}

/// <summary>
/// Ledger integrity for statements: every issued statement has exactly one posting — the entry carrying its key
/// <c>statement:{contract}:{period}:v{n}</c>, or the entry the statement names — and that entry carries the statement's
/// totals: the merchant's receivable is debited the statement total, and the vendor's payable plus platform revenue are
/// credited the vendor share plus the platform fee. Deposit applied and late penalties are not on the stored statement, so
/// the check does not read them; they balance the entry and the ledger's own balance rule already checks that.
/// </summary>
public static class StatementPostingsCheck
{
    /// <summary>
    /// One exception per statement that has no posting (<see cref="ReconciliationKind.StatementPostingMissing"/>), more than
    /// one (<see cref="ReconciliationKind.StatementPostingDuplicated"/>), or one whose totals differ
    /// (<see cref="ReconciliationKind.StatementPostingDiffers"/>). <paramref name="entries"/> must include every entry that
    /// may post the statements (any order; others are ignored). A statement of zeros without an entry is correct.
    /// </summary>
    public static IReadOnlyList<ExceptionLine> Run(IEnumerable<IssuedStatement> statements, IEnumerable<JournalEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(statements);
        ArgumentNullException.ThrowIfNull(entries);
        var byKey = new Dictionary<string, List<JournalEntry>>(StringComparer.Ordinal);
        var byId = new Dictionary<string, JournalEntry>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            byId[entry.Id.ToString()] = entry;
            if (entry.IdempotencyKey.Value.StartsWith("statement:", StringComparison.Ordinal))
            {
                if (!byKey.TryGetValue(entry.IdempotencyKey.Value, out var keyed))
                {
                    byKey[entry.IdempotencyKey.Value] = keyed = [];
                }

                keyed.Add(entry);
            }
        }

        var lines = new List<ExceptionLine>();
        foreach (var statement in statements.OrderBy(statement => statement.StatementId, StringComparer.Ordinal))
        {
            var key = statement.PostingKey.Value;
            var found = new List<JournalEntry>(byKey.GetValueOrDefault(key) ?? []);
            if (statement.LedgerEntryId.Length > 0 && byId.TryGetValue(statement.LedgerEntryId, out var named) && !found.Any(entry => entry.Id == named.Id))
            {
                found.Add(named);
            }

            if (found.Count == 0)
            {
                if (statement.LedgerEntryId.Length > 0 || !statement.IsAllZero)
                {
                    lines.Add(Line(
                        ReconciliationKind.StatementPostingMissing,
                        statement,
                        new ExceptionSide("ledger", string.Empty, [.. new[] { key, statement.LedgerEntryId }.Where(reference => reference.Length > 0).Order(StringComparer.Ordinal)]),
                        $"No ledger entry carries key {key}{(statement.LedgerEntryId.Length > 0 ? " or is the entry " + statement.LedgerEntryId + " the statement names" : string.Empty)}."));
                }

                continue;
            }

            if (found.Count > 1)
            {
                lines.Add(Line(
                    ReconciliationKind.StatementPostingDuplicated,
                    statement,
                    new ExceptionSide("ledger", found.Count.ToString(CultureInfo.InvariantCulture), [.. found.Select(entry => entry.Id.ToString()).Order(StringComparer.Ordinal)]),
                    $"{found.Count.ToString(CultureInfo.InvariantCulture)} ledger entries post this statement; exactly one should."));
                continue;
            }

            var posting = found[0];
            var currency = statement.Total.Currency;
            var receivable = Net(posting, AccountId.MerchantReceivable(statement.Merchant.Value), currency);
            var shares = -(Net(posting, AccountId.VendorPayable(statement.Vendor.Value), currency) + Net(posting, AccountId.PlatformRevenue, currency));
            if (receivable != statement.Total.Amount || shares != (statement.VendorShare + statement.PlatformFee).Amount)
            {
                lines.Add(Line(
                    ReconciliationKind.StatementPostingDiffers,
                    statement,
                    new ExceptionSide("ledger", Figure(receivable, shares, currency), [posting.Id.ToString()]),
                    $"Entry {posting.Id} debits the receivable {Text(receivable, currency)} and credits payable + revenue {Text(shares, currency)}; the statement says {Text(statement.Total.Amount, currency)} and {Text((statement.VendorShare + statement.PlatformFee).Amount, currency)}."));
            }
        }

        return lines;
    }

    // Debits minus credits of one account in one currency within one entry.
    private static decimal Net(JournalEntry entry, AccountId account, Currency currency) =>
        entry.Postings
            .Where(posting => posting.Account == account && posting.Currency == currency)
            .Sum(posting => posting.Side == PostingSide.Debit ? posting.Amount.Amount : -posting.Amount.Amount);

    private static ExceptionLine Line(ReconciliationKind kind, IssuedStatement statement, ExceptionSide ledger, string detail) =>
        ExceptionLine.Create(
            kind,
            statement.StatementId,
            statement.Total.Currency.Code,
            new ExceptionSide("statement", Figure(statement.Total.Amount, (statement.VendorShare + statement.PlatformFee).Amount, statement.Total.Currency), [statement.StatementId]),
            ledger,
            detail);

    private static string Figure(decimal receivable, decimal shares, Currency currency) => $"receivable {Text(receivable, currency)} payable+revenue {Text(shares, currency)}";

    // In the currency's minor units (100.00, not 100), so the two sides of a line read alike.
    private static string Text(decimal amount, Currency currency) => new Money(amount, currency).FormatAmount();
}
