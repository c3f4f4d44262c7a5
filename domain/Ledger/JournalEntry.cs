using NodaTime;

namespace ServiceLedger.Domain.Ledger;

/// <summary>
/// An appended, immutable journal entry: a <see cref="ProposedEntry"/> sealed by the store with its sequence in the book,
/// the instant it was recorded, the previous entry's hash and its own hash, <c>SHA-256(previous hash || canonical bytes)</c>.
/// Equality is by reference; an entry is identified by <see cref="Id"/> and its content by <see cref="Hash"/>.
/// </summary>
public sealed class JournalEntry
{
    private JournalEntry(ProposedEntry content, long sequence, Instant recordedAt, EntryHash previousHash, EntryHash hash)
    {
        Content = content;
        Id = new JournalEntryId(content.Book, sequence);
        RecordedAt = recordedAt;
        PreviousHash = previousHash;
        Hash = hash;
    }

    /// <summary>Everything the proposer said: book, key, dates, description, references, postings.</summary>
    public ProposedEntry Content { get; }

    /// <summary>Book and sequence.</summary>
    public JournalEntryId Id { get; }

    /// <summary>The book the entry belongs to.</summary>
    public BookId Book => Id.Book;

    /// <summary>Position in the book, from 1, without gaps.</summary>
    public long Sequence => Id.Sequence;

    /// <summary>When the store recorded the entry (UTC, whole microseconds); beside <see cref="EffectiveDate"/>, the other time axis.</summary>
    public Instant RecordedAt { get; }

    /// <summary>The accounting date.</summary>
    public LocalDate EffectiveDate => Content.EffectiveDate;

    /// <summary>The key derived from the entry's cause.</summary>
    public IdempotencyKey IdempotencyKey => Content.IdempotencyKey;

    /// <summary>What happened.</summary>
    public string Description => Content.Description;

    /// <summary>What caused the entry outside the ledger.</summary>
    public IReadOnlyList<SourceReference> References => Content.References;

    /// <summary>The entry this one reverses, or null.</summary>
    public JournalEntryId? Reverses => Content.Reverses;

    /// <summary>The postings, in canonical order.</summary>
    public IReadOnlyList<Posting> Postings => Content.Postings;

    /// <summary>The request hash of the content (same key and same request hash = same entry).</summary>
    public EntryHash RequestHash => Content.RequestHash;

    /// <summary>The hash of the previous entry in the book; <see cref="EntryHash.Zero"/> for sequence 1.</summary>
    public EntryHash PreviousHash { get; }

    /// <summary>The hash stored with the entry; <see cref="ComputeHash"/> recomputes what it should be.</summary>
    public EntryHash Hash { get; }

    /// <summary>
    /// Seals a proposed entry as the next entry after <paramref name="head"/>: sequence = head + 1, previous hash = head's
    /// hash, recorded-at truncated to whole microseconds, hash computed. The head must be of the entry's book.
    /// </summary>
    public static JournalEntry Seal(ProposedEntry proposed, BookHead head, Instant recordedAt)
    {
        ArgumentNullException.ThrowIfNull(proposed);
        ArgumentNullException.ThrowIfNull(head);
        if (head.Book != proposed.Book)
        {
            throw new ArgumentException($"The head is of book {head.Book}; the entry is for book {proposed.Book}.", nameof(head));
        }

        var truncated = CanonicalForm.TruncateToMicroseconds(recordedAt);
        RequireRecordedAt(truncated);
        var unhashed = new JournalEntry(proposed, head.LastSequence + 1, truncated, head.LastHash, default);
        return new JournalEntry(proposed, unhashed.Sequence, truncated, head.LastHash, unhashed.ComputeHash());
    }

    /// <summary>
    /// Rebuilds an entry read from storage with the hashes stored beside it. Checks no hash (that is
    /// <see cref="ChainVerification"/>'s job, which must be able to see a tampered entry) and no business rule.
    /// </summary>
    public static JournalEntry FromStored(ProposedEntry content, long sequence, Instant recordedAt, EntryHash previousHash, EntryHash hash)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (previousHash.IsDefault || hash.IsDefault)
        {
            throw new ArgumentException("A stored entry has both a previous hash and a hash.", nameof(hash));
        }

        if (CanonicalForm.TruncateToMicroseconds(recordedAt) != recordedAt)
        {
            throw new ArgumentException($"Recorded-at {recordedAt} has digits below a microsecond; sealed entries never do.", nameof(recordedAt));
        }

        RequireRecordedAt(recordedAt);
        return new JournalEntry(content, sequence, recordedAt, previousHash, hash);
    }

    /// <summary>The canonical bytes (docs/ledger-canonical-form.md).</summary>
    public byte[] CanonicalBytes() => CanonicalForm.EntryBytes(this);

    /// <summary>What the hash should be: <c>SHA-256(previous hash || canonical bytes)</c>.</summary>
    public EntryHash ComputeHash() => EntryHash.Chain(PreviousHash, CanonicalBytes());

    /// <summary>
    /// Builds the reversal of this entry: every posting on the other side, naming this entry in <see cref="ProposedEntry.Reverses"/>,
    /// keyed <c>reversal:{sequence}</c> (so an entry is reversed at most once), for the same book, dated on this entry's date if
    /// its period is still open and otherwise on the first day of the first open period.
    /// </summary>
    public Validated<ProposedEntry> Reverse(string description, AccountingPeriods periods, IReadOnlyList<SourceReference>? references = null)
    {
        ArgumentNullException.ThrowIfNull(periods);
        return ProposedEntry.Create(
            Book,
            IdempotencyKey.ForReversal(Id),
            periods.FirstOpenDateOnOrAfter(EffectiveDate),
            description,
            Postings.Select(posting => posting.Reversed()).ToArray(),
            references,
            Id);
    }

    /// <summary>For example <c>contract:ctr_42#7 statement:ctr_42:2027-03:v1</c>.</summary>
    public override string ToString() => $"{Id} {IdempotencyKey}";

    // Table Storage keeps DateTime from 1601 to 9999; our entries are recorded after 2000.
    private static void RequireRecordedAt(Instant recordedAt)
    {
        var year = recordedAt.InUtc().Year;
        if (year is < LedgerLimits.MinEffectiveYear or > 9999)
        {
            throw new ArgumentOutOfRangeException(nameof(recordedAt), recordedAt, "Recorded-at must fall between the year 2000 and 9999 (UTC).");
        }
    }
}
