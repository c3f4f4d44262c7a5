using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Domain.Money;
using ServiceLedger.Functions.Adapters.Tables;

namespace ServiceLedger.Functions.Adapters.Ledger;

/// <summary>
/// One book's debit and credit totals per (account, currency), as its head carries them. The head is replaced with
/// <c>If-Match</c> in the same entity-group transaction as each entry, so these totals are exactly the sum of the book's
/// entries up to the head, never behind it: an account's balance is the sum of its books' totals (docs/ledger-store.md,
/// "Balances"). Stored as text <c>account|CUR|debits|credits;…</c> in ordinal order of account then currency, split over
/// <c>Totals</c>, <c>Totals1</c>, … properties of at most <see cref="MaxCharsPerProperty"/> characters (one Table string
/// property holds 32,768). Immutable.
/// </summary>
internal sealed class BookTotals
{
    /// <summary>Name of the first property; the next ones are <c>Totals1</c>, <c>Totals2</c>, ….</summary>
    public const string Property = "Totals";

    /// <summary>Characters per property, below the 32,768 a Table string property holds.</summary>
    public const int MaxCharsPerProperty = 30_000;

    /// <summary>
    /// Properties the totals may take: <see cref="LedgerLimits.MaxAccountsPerBook"/> pairs of at most ~170 characters each
    /// (a 100-character account id, a currency, two decimal totals) need at most 12; the head stays far below 1 MiB.
    /// </summary>
    public const int MaxProperties = 12;

    private readonly ImmutableSortedDictionary<(string Account, string Currency), AccountBalance> totals;

    private BookTotals(ImmutableSortedDictionary<(string Account, string Currency), AccountBalance> totals) => this.totals = totals;

    /// <summary>A book with no entries.</summary>
    public static BookTotals Empty { get; } = new(ImmutableSortedDictionary.Create<(string Account, string Currency), AccountBalance>(KeyOrder.Instance));

    /// <summary>(account, currency) pairs the book has posted.</summary>
    public int Count => totals.Count;

    /// <summary>Every pair's totals, ordered by account then currency code.</summary>
    public IEnumerable<AccountBalance> Balances => totals.Values;

    /// <summary>The property names a head's totals may occupy, for a <c>$select</c>.</summary>
    public static IReadOnlyList<string> PropertyNames { get; } = Enumerable.Range(0, MaxProperties).Select(NameOf).ToArray();

    /// <summary>The totals of the book's entries, in any order.</summary>
    public static BookTotals Of(IEnumerable<JournalEntry> entries) => entries.Aggregate(Empty, (sum, entry) => sum.With(entry));

    /// <summary>
    /// The totals a head carries; null when it carries none: a book with no entry, or a head written before heads carried
    /// totals (its totals are then recomputed from the journal).
    /// </summary>
    public static BookTotals? Read(TableEntity head)
    {
        ArgumentNullException.ThrowIfNull(head);
        if (!head.Properties.ContainsKey(Property))
        {
            return null;
        }

        var text = new StringBuilder();
        for (var index = 0; index < MaxProperties && head.Properties.TryGetValue(NameOf(index), out var part); index++)
        {
            text.Append(part.AsString());
        }

        var builder = ImmutableSortedDictionary.CreateBuilder<(string Account, string Currency), AccountBalance>(KeyOrder.Instance);
        foreach (var item in text.ToString().Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = item.Split('|');
            if (fields.Length != 4 || !AccountId.TryParse(fields[0], out var account)
                || !decimal.TryParse(fields[2], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var debits)
                || !decimal.TryParse(fields[3], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var credits))
            {
                throw new FormatException($"Book {head.PartitionKey}: the head's totals hold '{item}'.");
            }

            var currency = Currency.FromCode(fields[1]);
            builder[(account.Value, currency.Code)] = new AccountBalance(account, new Money(debits, currency), new Money(credits, currency));
        }

        return new BookTotals(builder.ToImmutable());
    }

    /// <summary>The totals after <paramref name="entry"/>.</summary>
    public BookTotals With(JournalEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var builder = totals.ToBuilder();
        foreach (var posting in entry.Postings)
        {
            var key = (posting.Account.Value, posting.Currency.Code);
            var current = builder.TryGetValue(key, out var found) ? found : AccountBalance.Zero(posting.Account, posting.Currency);
            builder[key] = current.Add(posting);
        }

        return new BookTotals(builder.ToImmutable());
    }

    /// <summary>
    /// The totals with a zero balance for each pair of <paramref name="pairs"/> not held yet: the book's accounts opened before
    /// their first posting (<see cref="TableLedgerStore.OpenAccountsAsync"/>), so that posting finds them bound and indexed.
    /// </summary>
    public BookTotals Opening(IEnumerable<KeyValuePair<AccountId, Currency>> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var builder = totals.ToBuilder();
        foreach (var (account, currency) in pairs)
        {
            builder.TryAdd((account.Value, currency.Code), AccountBalance.Zero(account, currency));
        }

        return new BookTotals(builder.ToImmutable());
    }

    /// <summary>True when the book has posted (or opened) <paramref name="account"/> in <paramref name="currency"/>.</summary>
    public bool Holds(AccountId account, Currency currency) => totals.ContainsKey((account.Value, currency.Code));

    /// <summary>The book's totals on <paramref name="account"/>, one per currency, ordered by currency code.</summary>
    public IEnumerable<AccountBalance> Of(AccountId account) =>
        totals.Where(pair => pair.Key.Account == account.Value).Select(pair => pair.Value);

    /// <summary>Writes the totals into a head's properties.</summary>
    public void WriteTo(IDictionary<string, TableValue> properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        var index = 0;
        var part = new StringBuilder();
        foreach (var balance in totals.Values)
        {
            // '|' and ';' are not account id characters ([A-Za-z0-9_-:]) and never appear in a currency code or a decimal.
            var item = string.Create(
                CultureInfo.InvariantCulture,
                $"{balance.Account.Value}|{balance.Currency.Code}|{balance.Debits.Amount}|{balance.Credits.Amount};");
            if (part.Length + item.Length > MaxCharsPerProperty)
            {
                properties[NameOf(index++)] = part.ToString();
                part.Clear();
            }

            part.Append(item);
        }

        if (index >= MaxProperties)
        {
            // LedgerLimits.MaxAccountsPerBook is refused before an append gets here; this only trips if that limit was raised alone.
            throw new InvalidOperationException($"A head's totals of {totals.Count} accounts need more than {MaxProperties} properties.");
        }

        properties[NameOf(index)] = part.ToString();
    }

    private static string NameOf(int index) => index == 0 ? Property : Property + index.ToString(CultureInfo.InvariantCulture);

    private sealed class KeyOrder : IComparer<(string Account, string Currency)>
    {
        public static KeyOrder Instance { get; } = new();

        public int Compare((string Account, string Currency) x, (string Account, string Currency) y)
        {
            var byAccount = string.CompareOrdinal(x.Account, y.Account);
            return byAccount != 0 ? byAccount : string.CompareOrdinal(x.Currency, y.Currency);
        }
    }
}
