using System.Globalization;
using System.Text;
using NodaTime;
using NodaTime.Text;

namespace ServiceLedger.Domain.Ledger;

using ServiceLedger.Domain.Money;

/// <summary>
/// The canonical bytes of entries (docs/ledger-canonical-form.md): UTF-8 lines <c>{name}={byteLength}:{value}\n</c> in a
/// fixed order. Every value is length-prefixed, so no value can be mistaken for a field boundary, and every value has one
/// spelling (invariant culture, ISO dates, amounts with exactly the currency's minor digits, sorted lists), so equal
/// entries give equal bytes and different entries give different bytes. The form is versioned by its first field; v1
/// never changes — a new form would be v2, and entries keep the form they were hashed with.
/// </summary>
public static class CanonicalForm
{
    /// <summary>Format tag of a sealed entry (the bytes behind the hash chain).</summary>
    public const string EntryFormat = "ledger-entry/v1";

    /// <summary>Format tag of a proposed entry's content (the bytes behind the request hash).</summary>
    public const string ContentFormat = "ledger-entry-content/v1";

    /// <summary>Format tag of a trial balance (the bytes behind a period closing's report hash).</summary>
    public const string TrialBalanceFormat = "trial-balance/v1";

    // Strict UTF-8: a stored text that does not decode is corrupt, never silently replaced with U+FFFD.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly LocalDatePattern DatePattern = LocalDatePattern.Iso;

    // Microseconds, always six digits: sealing truncates recorded-at to whole microseconds so it round-trips through
    // Table Storage (100 ns ticks) and JSON without loss.
    private static readonly InstantPattern RecordedAtPattern =
        InstantPattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss'.'ffffff'Z'");

    /// <summary>The canonical bytes of a sealed entry; the hash chain hashes the previous hash followed by these.</summary>
    public static byte[] EntryBytes(JournalEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return StrictUtf8.GetBytes(EntryText(entry));
    }

    /// <summary>The canonical form of a sealed entry as text (what a store may keep in one string property).</summary>
    public static string EntryText(JournalEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var writer = new CanonicalWriter();
        writer.Field("format", EntryFormat);
        writer.Field("book", entry.Book.Value);
        writer.Field("sequence", entry.Sequence.ToString(CultureInfo.InvariantCulture));
        writer.Field("recorded-at", RecordedAtPattern.Format(entry.RecordedAt));
        WriteContent(writer, entry.Content);
        return writer.ToString();
    }

    /// <summary>The canonical bytes of a proposed entry's content: everything but the sequence and recorded-at the store assigns.</summary>
    public static byte[] ContentBytes(ProposedEntry content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var writer = new CanonicalWriter();
        writer.Field("format", ContentFormat);
        writer.Field("book", content.Book.Value);
        WriteContent(writer, content);
        return StrictUtf8.GetBytes(writer.ToString());
    }

    /// <summary>
    /// Reads a sealed entry back from its canonical text and the hashes stored beside it. Applies no business rule (an entry
    /// written under older limits stays readable) but insists on the exact canonical spelling: anything else means the
    /// stored text was altered or corrupted, and throws <see cref="FormatException"/>. The hash is not checked here;
    /// <see cref="ChainVerification"/> does that.
    /// </summary>
    public static JournalEntry ParseEntry(string canonicalText, EntryHash previousHash, EntryHash hash)
    {
        ArgumentNullException.ThrowIfNull(canonicalText);
        byte[] bytes;
        try
        {
            bytes = StrictUtf8.GetBytes(canonicalText);
        }
        catch (EncoderFallbackException exception)
        {
            throw new FormatException("The canonical text is not valid UTF-16.", exception);
        }

        var reader = new CanonicalReader(bytes);
        reader.Expect("format", EntryFormat);
        var book = BookId.TryParse(reader.Read("book"), out var parsedBook) ? parsedBook : throw Corrupt("book");
        var sequence = ParseSequence(reader.Read("sequence"), "sequence");
        var recordedAtResult = RecordedAtPattern.Parse(reader.Read("recorded-at"));
        var recordedAt = recordedAtResult.Success ? recordedAtResult.Value : throw Corrupt("recorded-at");
        var effectiveDateResult = DatePattern.Parse(reader.Read("effective-date"));
        var effectiveDate = effectiveDateResult.Success ? effectiveDateResult.Value : throw Corrupt("effective-date");
        var key = IdempotencyKey.TryParse(reader.Read("idempotency-key"), out var parsedKey) ? parsedKey : throw Corrupt("idempotency-key");
        var description = reader.Read("description");
        var reverses = ParseReverses(reader.Read("reverses"));

        var referenceCount = ParseCount(reader.Read("reference-count"), "reference-count");
        var references = new List<SourceReference>();
        for (var index = 0; index < referenceCount; index++)
        {
            var reference = SourceReference.Parse(reader.Read("reference-kind"), reader.Read("reference-value"), "reference");
            references.Add(reference.IsValid ? reference.Value : throw Corrupt("reference"));
        }

        var postingCount = ParseCount(reader.Read("posting-count"), "posting-count");
        var postings = new List<Posting>();
        for (var index = 0; index < postingCount; index++)
        {
            var account = AccountId.TryParse(reader.Read("posting-account"), out var parsedAccount) ? parsedAccount : throw Corrupt("posting-account");
            var side = reader.Read("posting-side") switch
            {
                "debit" => PostingSide.Debit,
                "credit" => PostingSide.Credit,
                _ => throw Corrupt("posting-side"),
            };
            var currency = Currency.TryFromCode(reader.Read("posting-currency"), out var parsedCurrency) ? parsedCurrency : throw Corrupt("posting-currency");
            var amount = ParseAmount(reader.Read("posting-amount"), currency);
            postings.Add(new Posting(account, side, amount));
        }

        reader.ExpectEnd();
        var content = ProposedEntry.Restore(book, key, effectiveDate, description, postings, references, reverses);
        var entry = JournalEntry.FromStored(content, sequence, recordedAt, previousHash, hash);

        // The strictest check of "canonical": writing the parsed entry must give back the very same bytes.
        if (!EntryBytes(entry).AsSpan().SequenceEqual(bytes))
        {
            throw new FormatException("The text parses but is not in canonical form (order, spelling or sorting differs).");
        }

        return entry;
    }

    /// <summary>A posting amount in canonical spelling: invariant culture, exactly the currency's minor-unit digits.</summary>
    internal static string FormatAmount(decimal amount, Currency currency) =>
        amount.ToString("F" + currency.MinorUnits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>Formats an effective date as <c>yyyy-MM-dd</c>.</summary>
    internal static string FormatDate(LocalDate date) => DatePattern.Format(date);

    /// <summary>Formats a period as <c>yyyy-MM</c>.</summary>
    internal static string FormatPeriod(YearMonth period) => YearMonthPattern.Iso.Format(period);

    /// <summary>Formats an instant as <c>yyyy-MM-ddTHH:mm:ss.ffffffZ</c>.</summary>
    internal static string FormatInstant(Instant instant) => RecordedAtPattern.Format(instant);

    /// <summary>Drops digits below a microsecond (toward the past), so an instant round-trips through storage.</summary>
    internal static Instant TruncateToMicroseconds(Instant instant)
    {
        var ticks = instant.ToUnixTimeTicks();
        return Instant.FromUnixTimeTicks(ticks - (((ticks % 10) + 10) % 10));
    }

    private static void WriteContent(CanonicalWriter writer, ProposedEntry content)
    {
        writer.Field("effective-date", DatePattern.Format(content.EffectiveDate));
        writer.Field("idempotency-key", content.IdempotencyKey.Value);
        writer.Field("description", content.Description);
        writer.Field("reverses", content.Reverses is { } reversed ? reversed.ToString() : string.Empty);
        writer.Field("reference-count", content.References.Count.ToString(CultureInfo.InvariantCulture));
        foreach (var reference in content.References)
        {
            writer.Field("reference-kind", reference.Kind);
            writer.Field("reference-value", reference.Value);
        }

        writer.Field("posting-count", content.Postings.Count.ToString(CultureInfo.InvariantCulture));
        foreach (var posting in content.Postings)
        {
            writer.Field("posting-account", posting.Account.Value);
            writer.Field("posting-side", posting.Side.ToWord());
            writer.Field("posting-currency", posting.Currency.Code);
            writer.Field("posting-amount", FormatAmount(posting.Amount.Amount, posting.Currency));
        }
    }

    private static long ParseSequence(string text, string field) =>
        IsPlainNumber(text) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= 1
            ? value
            : throw Corrupt(field);

    private static int ParseCount(string text, string field) =>
        IsPlainNumber(text) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Corrupt(field);

    private static JournalEntryId? ParseReverses(string text)
    {
        if (text.Length == 0)
        {
            return null;
        }

        var hash = text.LastIndexOf('#');
        return hash > 0 && BookId.TryParse(text[..hash], out var book)
            ? new JournalEntryId(book, ParseSequence(text[(hash + 1)..], "reverses"))
            : throw Corrupt("reverses");
    }

    private static Money ParseAmount(string text, Currency currency)
    {
        if (text.Length > 0
            && text.All(c => char.IsAsciiDigit(c) || c == '.')
            && decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)
            && FormatAmount(amount, currency) == text)
        {
            return new Money(amount, currency);
        }

        throw Corrupt("posting-amount");
    }

    // Digits without a sign or leading zeros, so that each number has one spelling.
    private static bool IsPlainNumber(string text) =>
        text.Length > 0 && text.All(char.IsAsciiDigit) && (text == "0" || text[0] != '0');

    private static FormatException Corrupt(string field) => new($"The canonical field '{field}' is malformed.");

    /// <summary>Writes <c>{name}={byteLength}:{value}\n</c> lines.</summary>
    internal sealed class CanonicalWriter
    {
        private readonly StringBuilder text = new();

        /// <summary>Appends one field.</summary>
        public void Field(string name, string value)
        {
            text.Append(name).Append('=')
                .Append(StrictUtf8.GetByteCount(value).ToString(CultureInfo.InvariantCulture)).Append(':')
                .Append(value).Append('\n');
        }

        /// <summary>The UTF-8 bytes written so far.</summary>
        public byte[] ToBytes() => StrictUtf8.GetBytes(text.ToString());

        /// <summary>The text written so far.</summary>
        public override string ToString() => text.ToString();
    }

    /// <summary>Reads fields written by <see cref="CanonicalWriter"/>, insisting on the expected names in order.</summary>
    private sealed class CanonicalReader(byte[] bytes)
    {
        // A value cannot be longer than the whole text; the length prefix is bounded by the bytes left.
        private const int MaxLengthDigits = 10;

        private int position;

        public string Read(string name)
        {
            foreach (var expected in Encoding.ASCII.GetBytes(name + "="))
            {
                if (position >= bytes.Length || bytes[position] != expected)
                {
                    throw new FormatException($"Expected the canonical field '{name}' at byte {position}.");
                }

                position++;
            }

            var lengthStart = position;
            while (position < bytes.Length && bytes[position] != (byte)':' && position - lengthStart <= MaxLengthDigits)
            {
                position++;
            }

            var lengthText = Encoding.ASCII.GetString(bytes, lengthStart, position - lengthStart);
            if (position >= bytes.Length || bytes[position] != (byte)':' || !IsPlainNumber(lengthText)
                || !int.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out var length)
                || length > bytes.Length - position - 2)
            {
                throw new FormatException($"The length of the canonical field '{name}' is malformed.");
            }

            position++;
            string value;
            try
            {
                value = StrictUtf8.GetString(bytes, position, length);
            }
            catch (DecoderFallbackException exception)
            {
                throw new FormatException($"The canonical field '{name}' is not valid UTF-8.", exception);
            }

            position += length;
            if (bytes[position] != (byte)'\n')
            {
                throw new FormatException($"The canonical field '{name}' does not end where its length says.");
            }

            position++;
            return value;
        }

        public void Expect(string name, string value)
        {
            var found = Read(name);
            if (!string.Equals(found, value, StringComparison.Ordinal))
            {
                throw new FormatException($"Expected {name} '{value}', found {LedgerText.Quote(found)}.");
            }
        }

        public void ExpectEnd()
        {
            if (position != bytes.Length)
            {
                throw new FormatException($"Unexpected bytes after the last canonical field, at byte {position}.");
            }
        }
    }
}
