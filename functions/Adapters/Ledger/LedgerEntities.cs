using System.Globalization;
using NodaTime;
using NodaTime.Text;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Functions.Adapters.Tables;

namespace ServiceLedger.Functions.Adapters.Ledger;

/// <summary>
/// How ledger facts are laid out as Table entities. The journal partition of a book holds entries under 19-digit RowKeys
/// (digits sort before every other RowKey), idempotency markers under <c>idem:{key}</c>, the <c>head</c> and the
/// projection watermark <c>head.projected</c> (named so that one RowKey range holds exactly the head and the watermark, and
/// a cold process reads both in one request). An entry stores its canonical text as is (docs/ledger-canonical-form.md), so what
/// is hashed is exactly what is stored, and reading it back goes through <see cref="CanonicalForm.ParseEntry"/>.
/// </summary>
internal static class LedgerEntities
{
    public const string HeadRowKey = "head";
    // Sorts right after "head" and before "idem:…": the range [head, head.projected] holds these two rows and nothing else.
    public const string ProjectedRowKey = "head.projected";
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
    public const string AppliedThrough = nameof(AppliedThrough);
    public const string Debits = nameof(Debits);
    public const string Credits = nameof(Credits);
    public const string Currency = nameof(Currency);
    public const string Account = nameof(Account);
    public const string Book = nameof(Book);
    public const string ClosedBy = nameof(ClosedBy);
    public const string ClosedAt = nameof(ClosedAt);
    public const string ReportHash = nameof(ReportHash);
    public const string LastPeriod = nameof(LastPeriod);
    public const string Currencies = nameof(Currencies);
    public const string LastEntry = nameof(LastEntry);
    public const string LastPreviousHash = nameof(LastPreviousHash);

    /// <summary>Single-currency accounts a head remembers with their currencies; beyond this they are read from the accounts table.</summary>
    public const int MaxHeadCurrencies = 32;

    private static readonly InstantPattern ClosedAtPattern = InstantPattern.ExtendedIso;

    public static string SequenceRowKey(long sequence) => sequence.ToString("D19", CultureInfo.InvariantCulture);

    public static TableEntity Entry(JournalEntry entry)
    {
        var text = CanonicalForm.EntryText(entry);

        // ProposedEntry.Create refuses content above LedgerLimits.MaxEntryContentBytes, so this cannot trip unless a limit was
        // raised without checking it against the Table string property limit.
        if (text.Length > LedgerLimits.TableStringPropertyMaxChars)
        {
            throw new InvalidOperationException(
                $"Entry {entry.Id} is {text.Length} UTF-16 units; one Table string property holds {LedgerLimits.TableStringPropertyMaxChars}.");
        }

        return new TableEntity(entry.Book.Value, entry.Id.SequenceRowKey, new Dictionary<string, TableValue>
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

    public static TableEntity Marker(JournalEntry entry) =>
        new(entry.Book.Value, entry.IdempotencyKey.MarkerRowKey, new Dictionary<string, TableValue>
        {
            [Sequence] = entry.Sequence,
            [RequestHash] = entry.RequestHash.Hex,
        });

    public static TableEntity Head(BookHead head) => Head(head, new Dictionary<AccountId, Domain.Money.Currency>(), null);

    /// <summary>
    /// The head with the currencies of the single-currency accounts the book has posted (<c>account=CUR;…</c>, ordinal order)
    /// and a copy of the last entry (its canonical text and previous hash). A binding never changes, and every one listed was
    /// confirmed before the append that wrote it, so a cold process learns them with the head instead of reading each account's
    /// binding; the copy, written in the same transaction as the entry, lets it apply the last entry to the balance projection
    /// without reading the journal.
    /// </summary>
    public static TableEntity Head(BookHead head, IReadOnlyDictionary<AccountId, Domain.Money.Currency> currencies, JournalEntry? last)
    {
        var properties = new Dictionary<string, TableValue>
        {
            [LastSequence] = head.LastSequence,
            [LastHash] = head.LastHash.Hex,
        };
        if (last is not null)
        {
            // Same size bound as the entry's own Canonical property (checked in Entry), so the head stays within one property.
            properties[LastEntry] = CanonicalForm.EntryText(last);
            properties[LastPreviousHash] = last.PreviousHash.Hex;
        }

        if (currencies.Count > 0)
        {
            // '=' and ';' are not account id characters ([A-Za-z0-9_-:]), so the list splits back unambiguously.
            properties[Currencies] = string.Join(';', currencies.OrderBy(pair => pair.Key).Select(pair => pair.Key.Value + "=" + pair.Value.Code));
        }

        return new TableEntity(head.Book.Value, HeadRowKey, properties);
    }

    public static BookHead ReadHead(BookId book, TableEntity entity) =>
        new(book, entity.Get(LastSequence).AsInt64(), EntryHash.Parse(entity.Get(LastHash).AsString()));

    /// <summary>
    /// The last entry as copied into the head, when the copy is there and is the entry the head names (book, sequence, and a
    /// recomputed hash equal to the head's); else null, and the entry is read from the journal.
    /// </summary>
    public static JournalEntry? ReadHeadLastEntry(TableEntity entity, BookHead head)
    {
        if (!entity.Properties.TryGetValue(LastEntry, out var text) || !entity.Properties.TryGetValue(LastPreviousHash, out var previous)
            || !EntryHash.TryParse(previous.AsString(), out var previousHash))
        {
            return null;
        }

        try
        {
            var entry = CanonicalForm.ParseEntry(text.AsString(), previousHash, head.LastHash);
            // Hash-checked like the chain: a copy that is not exactly the entry the head names is not used.
            return entry.Sequence == head.LastSequence && entry.Book == head.Book && entry.ComputeHash() == head.LastHash ? entry : null;
        }
        catch (FormatException)
        {
            // An unreadable copy is only a missed shortcut: the journal holds the entry, and verify reports it if it is broken too.
            return null;
        }
    }

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

    /// <summary>The projection watermark of <paramref name="book"/>: its balance rows hold every entry up to <paramref name="appliedThrough"/>.</summary>
    public static TableEntity Watermark(BookId book, long appliedThrough) =>
        new(book.Value, ProjectedRowKey, new Dictionary<string, TableValue> { [AppliedThrough] = appliedThrough });

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
