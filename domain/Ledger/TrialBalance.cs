using System.Globalization;
using NodaTime;

namespace ServiceLedger.Domain.Ledger;

using ServiceLedger.Domain.Money;

/// <summary>One account in one currency of a trial balance; every amount is debit-positive net except the period totals.</summary>
/// <param name="Account">The account.</param>
/// <param name="Currency">The currency.</param>
/// <param name="Opening">Net (debits − credits) of entries dated before the period.</param>
/// <param name="PeriodDebits">Debits dated in the period.</param>
/// <param name="PeriodCredits">Credits dated in the period.</param>
/// <param name="Closing">Net at the end of the period: opening + period debits − period credits.</param>
public sealed record TrialBalanceLine(AccountId Account, Currency Currency, Money Opening, Money PeriodDebits, Money PeriodCredits, Money Closing);

/// <summary>
/// The totals of one currency in a trial balance. Double entry makes period debits equal period credits and the closing
/// debit balances equal the closing credit balances; anything else means the journal is broken.
/// </summary>
/// <param name="Currency">The currency.</param>
/// <param name="PeriodDebits">Sum of debits dated in the period.</param>
/// <param name="PeriodCredits">Sum of credits dated in the period.</param>
/// <param name="ClosingDebitBalances">Sum of the closing nets that are debits.</param>
/// <param name="ClosingCreditBalances">Sum of the closing nets that are credits, as a positive amount.</param>
public sealed record TrialBalanceTotal(Currency Currency, Money PeriodDebits, Money PeriodCredits, Money ClosingDebitBalances, Money ClosingCreditBalances)
{
    /// <summary>True when debits equal credits, both in the period and at its end.</summary>
    public bool IsBalanced => PeriodDebits == PeriodCredits && ClosingDebitBalances == ClosingCreditBalances;
}

/// <summary>
/// The trial balance of an accounting period (a calendar month of effective dates): per account and currency, the opening
/// net, the period's debits and credits and the closing net; and per currency, totals that must balance. Its
/// <see cref="ReportHash"/> is what a <see cref="PeriodClosing"/> records.
/// </summary>
public sealed class TrialBalance
{
    private TrialBalance(YearMonth period, IReadOnlyList<TrialBalanceLine> lines, IReadOnlyList<TrialBalanceTotal> totals)
    {
        Period = period;
        Lines = lines;
        Totals = totals;
        ReportHash = EntryHash.Of(CanonicalBytes());
    }

    /// <summary>The period.</summary>
    public YearMonth Period { get; }

    /// <summary>Lines ordered by account, then currency code; accounts with no posting dated up to the period's end do not appear.</summary>
    public IReadOnlyList<TrialBalanceLine> Lines { get; }

    /// <summary>Totals per currency, ordered by currency code.</summary>
    public IReadOnlyList<TrialBalanceTotal> Totals { get; }

    /// <summary>True when every currency balances.</summary>
    public bool IsBalanced => Totals.All(total => total.IsBalanced);

    /// <summary>SHA-256 of the canonical form (<c>trial-balance/v1</c>, docs/ledger-canonical-form.md).</summary>
    public EntryHash ReportHash { get; }

    /// <summary>Computes the trial balance of <paramref name="period"/> from entries of every book (any order); entries dated after it are ignored.</summary>
    public static TrialBalance Compute(YearMonth period, IEnumerable<JournalEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var start = period.OnDayOfMonth(1);
        var end = period.ToDateInterval().End;
        var sums = new SortedDictionary<(string Account, string Currency), (AccountId Account, Currency Currency, decimal Opening, decimal Debits, decimal Credits)>(LedgerText.OrdinalPairs);
        foreach (var entry in entries.Where(entry => entry.EffectiveDate <= end))
        {
            var inPeriod = entry.EffectiveDate >= start;
            foreach (var posting in entry.Postings)
            {
                var key = (posting.Account.Value, posting.Currency.Code);
                var (account, currency, opening, debits, credits) = sums.TryGetValue(key, out var found) ? found : (posting.Account, posting.Currency, 0m, 0m, 0m);
                var signed = posting.Side == PostingSide.Debit ? posting.Amount.Amount : -posting.Amount.Amount;
                sums[key] = !inPeriod
                    ? (account, currency, opening + signed, debits, credits)
                    : posting.Side == PostingSide.Debit
                        ? (account, currency, opening, debits + posting.Amount.Amount, credits)
                        : (account, currency, opening, debits, credits + posting.Amount.Amount);
            }
        }

        var lines = sums.Values
            .Select(sum => new TrialBalanceLine(
                sum.Account,
                sum.Currency,
                new Money(sum.Opening, sum.Currency),
                new Money(sum.Debits, sum.Currency),
                new Money(sum.Credits, sum.Currency),
                new Money(sum.Opening + sum.Debits - sum.Credits, sum.Currency)))
            .ToArray();
        var totals = lines
            .GroupBy(line => line.Currency.Code, StringComparer.Ordinal)
            .OrderBy(group => group.Key, StringComparer.Ordinal)
            .Select(group =>
            {
                var currency = group.First().Currency;
                return new TrialBalanceTotal(
                    currency,
                    new Money(group.Sum(line => line.PeriodDebits.Amount), currency),
                    new Money(group.Sum(line => line.PeriodCredits.Amount), currency),
                    new Money(group.Where(line => line.Closing.Amount > 0m).Sum(line => line.Closing.Amount), currency),
                    new Money(-group.Where(line => line.Closing.Amount < 0m).Sum(line => line.Closing.Amount), currency));
            })
            .ToArray();
        return new TrialBalance(period, lines, totals);
    }

    /// <summary>The canonical bytes of the report: period, then each line's account, currency, opening, debits, credits, closing.</summary>
    public byte[] CanonicalBytes()
    {
        var writer = new CanonicalForm.CanonicalWriter();
        writer.Field("format", CanonicalForm.TrialBalanceFormat);
        writer.Field("period", CanonicalForm.FormatPeriod(Period));
        writer.Field("line-count", Lines.Count.ToString(CultureInfo.InvariantCulture));
        foreach (var line in Lines)
        {
            writer.Field("line-account", line.Account.Value);
            writer.Field("line-currency", line.Currency.Code);
            writer.Field("line-opening", CanonicalForm.FormatAmount(line.Opening.Amount, line.Currency));
            writer.Field("line-debits", CanonicalForm.FormatAmount(line.PeriodDebits.Amount, line.Currency));
            writer.Field("line-credits", CanonicalForm.FormatAmount(line.PeriodCredits.Amount, line.Currency));
            writer.Field("line-closing", CanonicalForm.FormatAmount(line.Closing.Amount, line.Currency));
        }

        return writer.ToBytes();
    }
}
