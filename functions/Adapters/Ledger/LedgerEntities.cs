using System.Globalization;
using NodaTime;
using NodaTime.Text;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Functions.Adapters.Tables;

namespace ServiceLedger.Functions.Adapters.Ledger;

/// <summary>
/// How ledger facts are laid out as Table entities. The journal partition of a book holds entries under 19-digit RowKeys
/// (digits sort before every other RowKey), idempotency markers under <c>idem:{key}</c> and the <c>head</c>, which also
/// carries the book's totals per account (<see cref="BookTotals"/>). An entry stores its canonical text as is
/// (docs/ledger-canonical-form.md), so what is hashed is exactly what is stored, and reading it back goes through
/// <see cref="CanonicalForm.ParseEntry"/>.
/// </summary>
internal static class LedgerEntities
{
    public const string HeadRowKey = "head";
    public const string ClosingsPartition = "closings";
    public const string BooksPartition = "books";
    public const string CurrencyRowKey = "currency";

    // RowKeys of entries are exactly 19 digits; these bounds select entries and nothing else of the partition.
    public const string FirstEntryRowKey = "0000000000000000001";
    public const string LastEntryRowKey = "9999999999999999999";

    public const string Canonical = nameof(Canonical);
    public const string PreviousHash = nameof(PreviousHash);
    public const string Hash = nameof(Hash);
    public const string EffectiveDate = nameof(EffectiveDate);
    public const string Sequence = nameof(Sequence);
    public const string RequestHash = nameof(RequestHash);
    public const string LastSequence = nameof(LastSequence);
    public const string LastHash = nameof(LastHash);
    public const string Currency = nameof(Currency);
    public const string Book = nameof(Book);
    public const string ClosedBy = nameof(ClosedBy);
    public const string ClosedAt = nameof(ClosedAt);
    public const string ReportHash = nameof(ReportHash);
    public const string LastPeriod = nameof(LastPeriod);
    public const string Currencies = nameof(Currencies);

    /// <summary>Single-currency accounts a head remembers with their currencies; beyond this they are read from the accounts table.</summary>
    public const int MaxHeadCurrencies = 32;

    private static readonly InstantPattern ClosedAtPattern = InstantPattern.ExtendedIso;

    /// <summary>True for the journal's own RowKeys: entries (19 digits), idempotency markers and the head.</summary>
    public static bool IsJournalRowKey(string rowKey) =>
        rowKey == HeadRowKey || rowKey.StartsWith(LedgerLimits.IdempotencyMarkerPrefix, StringComparison.Ordinal) || (rowKey.Length > 0 && char.IsAsciiDigit(rowKey[0]));

    public static string SequenceRowKey(long sequence) => sequence.ToString("D19", CultureInfo.InvariantCulture);

    /// <summary>The entry's row in partition <paramref name="partitionKey"/> (<see cref="BookPartitions"/>).</summary>
    public static TableEntity Entry(JournalEntry entry, string partitionKey)
    {
        var text = CanonicalForm.EntryText(entry);

        // ProposedEntry.Create refuses content above LedgerLimits.MaxEntryContentBytes, so this cannot trip unless a limit was
        // raised without checking it against the Table string property limit.
        if (text.Length > LedgerLimits.TableStringPropertyMaxChars)
        {
            throw new InvalidOperationException(
                $"Entry {entry.Id} is {text.Length} UTF-16 units; one Table string property holds {LedgerLimits.TableStringPropertyMaxChars}.");
        }

        return new TableEntity(partitionKey, entry.Id.SequenceRowKey, new Dictionary<string, TableValue>
        {
            [Canonical] = text,
            [PreviousHash] = entry.PreviousHash.Hex,
            [Hash] = entry.Hash.Hex,
            [EffectiveDate] = LocalDatePattern.Iso.Format(entry.EffectiveDate),
        });
    }

    /// <summary>Reads an entry entity back; throws <see cref="FormatException"/> when its text or hashes were altered unreadably.</summary>
    public static JournalEntry ReadEntry(TableEntity entity)
    {
        long.TryParse(entity.RowKey, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence);
        try
        {
            if (!EntryHash.TryParse(entity.Get(PreviousHash).AsString(), out var previous) || !EntryHash.TryParse(entity.Get(Hash).AsString(), out var hash))
            {
                throw new FormatException("a stored hash is malformed");
            }

            // The hashed text, not the entity's keys, says which book and sequence this is; verification compares the two.
            return CanonicalForm.ParseEntry(entity.Get(Canonical).AsString(), previous, hash);
        }
        catch (Exception exception) when (exception is FormatException or KeyNotFoundException or InvalidOperationException or ArgumentException)
        {
            throw new LedgerEntryUnreadableException(entity.PartitionKey, sequence, exception.Message, exception);
        }
    }

    public static TableEntity Marker(JournalEntry entry, string partitionKey) =>
        new(partitionKey, entry.IdempotencyKey.MarkerRowKey, new Dictionary<string, TableValue>
        {
            [Sequence] = entry.Sequence,
            [RequestHash] = entry.RequestHash.Hex,
        });

    /// <summary>A head as written before heads carried currencies and totals (tests use it to stand for such a stored head).</summary>
    public static TableEntity Head(BookHead head, string partitionKey) => new(partitionKey, HeadRowKey, HeadProperties(head));

    /// <summary>
    /// The head with the currencies of the single-currency accounts the book has posted (<c>account=CUR;…</c>, ordinal order)
    /// and the book's totals per account after its last entry. A binding never changes, and every one listed was confirmed
    /// before the append that wrote it, so a cold process learns them with the head instead of reading each account's binding;
    /// the totals, written in the same transaction as the entry, are the book's share of every account balance.
    /// </summary>
    public static TableEntity Head(BookHead head, string partitionKey, IReadOnlyDictionary<AccountId, Domain.Money.Currency> currencies, BookTotals totals)
    {
        var properties = HeadProperties(head);
        if (currencies.Count > 0)
        {
            // '=' and ';' are not account id characters ([A-Za-z0-9_-:]), so the list splits back unambiguously.
            properties[Currencies] = string.Join(';', currencies.OrderBy(pair => pair.Key).Select(pair => pair.Key.Value + "=" + pair.Value.Code));
        }

        totals.WriteTo(properties);
        return new TableEntity(partitionKey, HeadRowKey, properties);
    }

    private static Dictionary<string, TableValue> HeadProperties(BookHead head) => new()
    {
        [LastSequence] = head.LastSequence,
        [LastHash] = head.LastHash.Hex,
    };

    public static BookHead ReadHead(BookId book, TableEntity entity) =>
        new(book, entity.Get(LastSequence).AsInt64(), EntryHash.Parse(entity.Get(LastHash).AsString()));

    /// <summary>The account currencies a head lists; none for a head written before heads carried them.</summary>
    public static IReadOnlyDictionary<AccountId, Domain.Money.Currency> ReadHeadCurrencies(TableEntity entity)
    {
        var result = new Dictionary<AccountId, Domain.Money.Currency>();
        if (!entity.Properties.TryGetValue(Currencies, out var stored))
        {
            return result;
        }

        foreach (var pair in stored.AsString().Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var split = pair.Split('=');
            if (split.Length != 2 || !AccountId.TryParse(split[0], out var account))
            {
                throw new FormatException($"Book {entity.PartitionKey}: the head's currency list holds '{pair}'.");
            }

            result[account] = Domain.Money.Currency.FromCode(split[1]);
        }

        return result;
    }

    public static TableEntity BookRow(BookId book) => new(BooksPartition, book.Value);

    public static TableEntity CurrencyBinding(AccountId account, Domain.Money.Currency currency) =>
        new(account.Value, CurrencyRowKey, new Dictionary<string, TableValue> { [Currency] = currency.Code });

    public static TableEntity Closing(PeriodClosing closing) =>
        new(ClosingsPartition, YearMonthPattern.Iso.Format(closing.Period), new Dictionary<string, TableValue>
        {
            [ClosedBy] = closing.ClosedBy,
            [ClosedAt] = ClosedAtPattern.Format(closing.ClosedAt),
            [ReportHash] = closing.ReportHash.Hex,
            [PreviousHash] = closing.PreviousHash.Hex,
            [Hash] = closing.Hash.Hex,
        });

    public static PeriodClosing ReadClosing(TableEntity entity) =>
        PeriodClosing.FromStored(
            YearMonthPattern.Iso.Parse(entity.RowKey).GetValueOrThrow(),
            entity.Get(ClosedBy).AsString(),
            ClosedAtPattern.Parse(entity.Get(ClosedAt).AsString()).GetValueOrThrow(),
            EntryHash.Parse(entity.Get(ReportHash).AsString()),
            EntryHash.Parse(entity.Get(PreviousHash).AsString()),
            EntryHash.Parse(entity.Get(Hash).AsString()));

    public static TableEntity ClosingsHead(PeriodClosing last) =>
        new(ClosingsPartition, HeadRowKey, new Dictionary<string, TableValue>
        {
            [LastPeriod] = YearMonthPattern.Iso.Format(last.Period),
            [LastHash] = last.Hash.Hex,
        });

    public static LocalDate ParseDate(string text) => LocalDatePattern.Iso.Parse(text).GetValueOrThrow();

    public static string FormatDate(LocalDate date) => LocalDatePattern.Iso.Format(date);
}
