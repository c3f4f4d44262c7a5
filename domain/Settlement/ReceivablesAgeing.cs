namespace ServiceLedger.Domain.Settlement;

using NodaTime;
using ServiceLedger.Domain.Money;

/// <summary>How overdue an unpaid amount is, by whole days after its due date.</summary>
public enum AgeingBucket
{
    /// <summary>Not overdue: due today or later.</summary>
    Current = 1,

    /// <summary>1 to 30 days overdue.</summary>
    Days1To30 = 2,

    /// <summary>31 to 60 days overdue.</summary>
    Days31To60 = 3,

    /// <summary>61 to 90 days overdue.</summary>
    Days61To90 = 4,

    /// <summary>More than 90 days overdue.</summary>
    Over90 = 5,
}

/// <summary>One issued statement as a receivable: what the merchant owes for it, when, and today's date in its contract's zone.</summary>
/// <param name="StatementId">The statement.</param>
/// <param name="Merchant">The merchant who owes it (payments are pooled per merchant and currency).</param>
/// <param name="DueOn">The due date.</param>
/// <param name="Today">Today in the contract's time zone (the ageing's "as of").</param>
/// <param name="Amount">The statement total.</param>
public sealed record ReceivableItem(string StatementId, string Merchant, LocalDate DueOn, LocalDate Today, Money Amount);

/// <summary>A merchant's unpaid amounts in one currency, by bucket.</summary>
/// <param name="Merchant">The merchant.</param>
/// <param name="Currency">The currency.</param>
/// <param name="Buckets">Unpaid amount per bucket; every bucket present (zero when empty).</param>
public sealed record AgeingLine(string Merchant, Currency Currency, IReadOnlyDictionary<AgeingBucket, Money> Buckets)
{
    /// <summary>The merchant's unpaid total in this currency.</summary>
    public Money Total => Money.Sum(Buckets.Values, Currency);
}

/// <summary>
/// Receivables ageing: unpaid statement balances by how overdue they are. A payment that names its statement is taken off
/// that statement's item by the caller (exact allocation); the remaining credits to a merchant's receivable settle that
/// merchant's statements oldest due date first, the usual first-in-first-out allocation when a payment does not name its
/// statement. Pure: today's dates come in with the items.
/// </summary>
public static class ReceivablesAgeing
{
    /// <summary>The bucket of an amount due on <paramref name="dueOn"/> as of <paramref name="today"/>.</summary>
    public static AgeingBucket BucketOf(LocalDate dueOn, LocalDate today) => Period.DaysBetween(dueOn, today) switch
    {
        <= 0 => AgeingBucket.Current,
        <= 30 => AgeingBucket.Days1To30,
        <= 60 => AgeingBucket.Days31To60,
        <= 90 => AgeingBucket.Days61To90,
        _ => AgeingBucket.Over90,
    };

    /// <summary>
    /// One line per merchant and currency with an unpaid balance, ordered by merchant then currency. <paramref name="paid"/> is
    /// the total credited to each merchant's receivable per currency; a payment beyond what is owed is ignored here (it is a
    /// credit balance, not a receivable).
    /// </summary>
    public static IReadOnlyList<AgeingLine> Compute(IReadOnlyList<ReceivableItem> items, IReadOnlyDictionary<(string Merchant, Currency Currency), Money> paid)
    {
        var lines = new List<AgeingLine>();
        foreach (var group in Allocate(items, paid).GroupBy(open => (open.Item.Merchant, open.Item.Amount.Currency)))
        {
            var currency = group.Key.Currency;
            var buckets = Enum.GetValues<AgeingBucket>().ToDictionary(bucket => bucket, _ => Money.Zero(currency));
            foreach (var (item, open) in group)
            {
                buckets[BucketOf(item.DueOn, item.Today)] += open;
            }

            var line = new AgeingLine(group.Key.Merchant, currency, buckets);
            if (!line.Total.IsZero)
            {
                lines.Add(line);
            }
        }

        return lines;
    }

    /// <summary>
    /// What is still open on each item once <paramref name="paid"/> is allocated to its merchant's items oldest due date first
    /// (then by statement id); items fully paid are left out, and so are credit items (zero or negative: a credit statement's
    /// credit to the receivable is in <paramref name="paid"/> already). Ordered by merchant, currency, due date, statement id.
    /// </summary>
    public static IReadOnlyList<(ReceivableItem Item, Money Open)> Allocate(IReadOnlyList<ReceivableItem> items, IReadOnlyDictionary<(string Merchant, Currency Currency), Money> paid)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(paid);
        var open = new List<(ReceivableItem Item, Money Open)>();
        foreach (var group in items.GroupBy(item => (item.Merchant, item.Amount.Currency)).OrderBy(group => group.Key.Merchant, StringComparer.Ordinal).ThenBy(group => group.Key.Currency.Code, StringComparer.Ordinal))
        {
            var currency = group.Key.Currency;
            var unallocated = paid.TryGetValue(group.Key, out var payments) ? payments : Money.Zero(currency);
            foreach (var item in group.OrderBy(item => item.DueOn).ThenBy(item => item.StatementId, StringComparer.Ordinal))
            {
                // A credit statement (negative total: a credit note, a correction-only statement that lowers a period) posted
                // a credit to the receivable, so it is in paid already; allocating it too would count it twice.
                if (item.Amount.Amount <= 0m)
                {
                    continue;
                }

                var covered = unallocated >= item.Amount ? item.Amount : unallocated.IsNegative ? Money.Zero(currency) : unallocated;
                unallocated -= covered;
                var remaining = item.Amount - covered;
                if (!remaining.IsZero)
                {
                    open.Add((item, remaining));
                }
            }
        }

        return open;
    }
}
