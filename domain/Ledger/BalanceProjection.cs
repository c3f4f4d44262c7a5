using System.Collections.Immutable;
using NodaTime;

namespace ServiceLedger.Domain.Ledger;

using ServiceLedger.Domain.Money;

/// <summary>One balance that a stored projection and a recomputation from the journal disagree on.</summary>
/// <param name="Account">The account.</param>
/// <param name="Currency">The currency.</param>
/// <param name="Projected">The projection's totals (zero totals when the projection has no line).</param>
/// <param name="Recomputed">The journal's totals (zero totals when the journal has no line).</param>
public sealed record BalanceDifference(AccountId Account, Currency Currency, AccountBalance Projected, AccountBalance Recomputed)
{
    /// <summary>For people: both sides of the difference.</summary>
    public string Message =>
        $"{Account} {Currency}: projection has Dr {Projected.Debits.FormatAmount()} Cr {Projected.Credits.FormatAmount()}, "
        + $"the journal gives Dr {Recomputed.Debits.FormatAmount()} Cr {Recomputed.Credits.FormatAmount()}.";
}

/// <summary>A book whose last applied sequence differs between a projection and a recomputation.</summary>
/// <param name="Book">The book.</param>
/// <param name="ProjectedThrough">The projection's last applied sequence (0 for none).</param>
/// <param name="RecomputedThrough">The journal's last sequence (0 for none).</param>
public sealed record BookWatermarkDifference(BookId Book, long ProjectedThrough, long RecomputedThrough);

/// <summary>What a comparison of a projection with a recomputation found; empty lists mean they agree.</summary>
/// <param name="Balances">Balances that differ, ordered by account then currency.</param>
/// <param name="Books">Books applied through different sequences, ordered by book.</param>
public sealed record ProjectionComparison(IReadOnlyList<BalanceDifference> Balances, IReadOnlyList<BookWatermarkDifference> Books)
{
    /// <summary>True when the projection equals the recomputation.</summary>
    public bool Agrees => Balances.Count == 0 && Books.Count == 0;
}

/// <summary>
/// Account balances as a projection of the journal: totals per account and currency, plus, per book, the last sequence
/// applied. <see cref="Apply"/> takes each book's entries in sequence order, ignores an entry already applied (so replays are
/// harmless) and throws on a skipped sequence (a projector bug). Immutable; balances can always be recomputed from the
/// journal with <see cref="Recompute"/>, and <see cref="Compare"/> reports where a stored projection drifted.
/// </summary>
public sealed class BalanceProjection
{
    private readonly ImmutableSortedDictionary<BalanceKey, AccountBalance> balances;
    private readonly ImmutableSortedDictionary<BookId, long> appliedThrough;

    private BalanceProjection(
        ImmutableSortedDictionary<BalanceKey, AccountBalance> balances,
        ImmutableSortedDictionary<BookId, long> appliedThrough)
    {
        this.balances = balances;
        this.appliedThrough = appliedThrough;
    }

    /// <summary>No balances, no book applied.</summary>
    public static BalanceProjection Empty { get; } = new(
        ImmutableSortedDictionary.Create<BalanceKey, AccountBalance>(),
        ImmutableSortedDictionary.Create<BookId, long>());

    /// <summary>Per book, the last sequence applied.</summary>
    public IReadOnlyDictionary<BookId, long> AppliedThrough => appliedThrough;

    /// <summary>Every balance, ordered by account then currency code.</summary>
    public IReadOnlyList<AccountBalance> Balances => balances.Values.ToArray();

    /// <summary>Recomputes balances from journal entries of any books, in any order (each book is applied in sequence order).</summary>
    public static BalanceProjection Recompute(IEnumerable<JournalEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return entries.OrderBy(entry => entry.Id).Aggregate(Empty, (projection, entry) => projection.Apply(entry));
    }

    /// <summary>
    /// An account's balances per currency from the entries dated on or before <paramref name="asOf"/> (effective date, inclusive),
    /// ordered by currency code. Entries of other accounts are ignored.
    /// </summary>
    public static IReadOnlyList<AccountBalance> AsOf(AccountId account, LocalDate asOf, IEnumerable<JournalEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var totals = new SortedDictionary<string, AccountBalance>(StringComparer.Ordinal);
        foreach (var entry in entries.Where(entry => entry.EffectiveDate <= asOf))
        {
            foreach (var posting in entry.Postings.Where(posting => posting.Account == account))
            {
                var current = totals.TryGetValue(posting.Currency.Code, out var found) ? found : AccountBalance.Zero(account, posting.Currency);
                totals[posting.Currency.Code] = current.Add(posting);
            }
        }

        return totals.Values.ToArray();
    }

    /// <summary>Compares a stored projection with a recomputation from the journal, both ways.</summary>
    public static ProjectionComparison Compare(BalanceProjection projected, BalanceProjection recomputed)
    {
        ArgumentNullException.ThrowIfNull(projected);
        ArgumentNullException.ThrowIfNull(recomputed);
        var balanceDifferences = new List<BalanceDifference>();
        foreach (var key in projected.balances.Keys.Union(recomputed.balances.Keys).Order())
        {
            var currency = Currency.FromCode(key.Currency);
            var mine = projected.balances.GetValueOrDefault(key) ?? AccountBalance.Zero(key.Account, currency);
            var theirs = recomputed.balances.GetValueOrDefault(key) ?? AccountBalance.Zero(key.Account, currency);
            if (mine.Debits != theirs.Debits || mine.Credits != theirs.Credits)
            {
                balanceDifferences.Add(new BalanceDifference(key.Account, currency, mine, theirs));
            }
        }

        var bookDifferences = projected.AppliedThrough.Keys.Union(recomputed.AppliedThrough.Keys).Order()
            .Select(book => new BookWatermarkDifference(book, projected.AppliedThrough.GetValueOrDefault(book), recomputed.AppliedThrough.GetValueOrDefault(book)))
            .Where(difference => difference.ProjectedThrough != difference.RecomputedThrough)
            .ToArray();
        return new ProjectionComparison(balanceDifferences, bookDifferences);
    }

    /// <summary>The balances of one account, one per currency, ordered by currency code.</summary>
    public IReadOnlyList<AccountBalance> BalancesOf(AccountId account) =>
        balances.Where(pair => pair.Key.Account == account).Select(pair => pair.Value).ToArray();

    /// <summary>
    /// The projection after <paramref name="entry"/>: unchanged when its book is already applied through its sequence; throws
    /// when it skips a sequence of its book (entries must be applied in order).
    /// </summary>
    public BalanceProjection Apply(JournalEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var through = AppliedThrough.GetValueOrDefault(entry.Book);
        if (entry.Sequence <= through)
        {
            return this;
        }

        if (entry.Sequence != through + 1)
        {
            throw new InvalidOperationException(
                $"Entry {entry.Id} cannot be applied: book {entry.Book} is applied through #{through}, so #{through + 1} comes first.");
        }

        var updated = balances;
        foreach (var posting in entry.Postings)
        {
            var key = new BalanceKey(posting.Account, posting.Currency.Code);
            var current = updated.GetValueOrDefault(key) ?? AccountBalance.Zero(posting.Account, posting.Currency);
            updated = updated.SetItem(key, current.Add(posting));
        }

        return new BalanceProjection(updated, appliedThrough.SetItem(entry.Book, entry.Sequence));
    }

    // Ordinal order on account, then currency code: the order of every balance list.
    private readonly record struct BalanceKey(AccountId Account, string Currency) : IComparable<BalanceKey>
    {
        public int CompareTo(BalanceKey other)
        {
            var byAccount = Account.CompareTo(other.Account);
            return byAccount != 0 ? byAccount : string.CompareOrdinal(Currency, other.Currency);
        }
    }
}
