namespace ServiceLedger.Domain.Ledger;

/// <summary>
/// The tip of a book's chain: its last sequence and last hash. The store replaces it with <c>If-Match</c> in the same
/// entity-group transaction as each append, so two writers cannot both append sequence n + 1.
/// </summary>
/// <param name="Book">The book.</param>
/// <param name="LastSequence">The last appended sequence; 0 for an empty book.</param>
/// <param name="LastHash">The last appended hash; <see cref="EntryHash.Zero"/> for an empty book.</param>
public sealed record BookHead(BookId Book, long LastSequence, EntryHash LastHash)
{
    /// <summary>The book.</summary>
    public BookId Book { get; } = Book.IsDefault ? throw new ArgumentException("A head needs a book.", nameof(Book)) : Book;

    /// <summary>The last appended sequence; 0 for an empty book.</summary>
    public long LastSequence { get; } = LastSequence >= 0 ? LastSequence : throw new ArgumentOutOfRangeException(nameof(LastSequence));

    /// <summary>The last appended hash; <see cref="EntryHash.Zero"/> for an empty book.</summary>
    public EntryHash LastHash { get; } = LastHash.IsDefault ? throw new ArgumentException("A head needs a hash.", nameof(LastHash)) : LastHash;

    /// <summary>The sequence the next entry gets.</summary>
    public long NextSequence => LastSequence + 1;

    /// <summary>The head of a book with no entries: sequence 0, the genesis hash (32 zero bytes).</summary>
    public static BookHead Empty(BookId book) => new(book, 0, EntryHash.Zero);

    /// <summary>The head after appending <paramref name="entry"/>, which must be the next entry of this book and link to this head.</summary>
    public BookHead After(JournalEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Book != Book || entry.Sequence != NextSequence || entry.PreviousHash != LastHash)
        {
            throw new ArgumentException($"Entry {entry.Id} is not the next entry after head {Book}#{LastSequence}.", nameof(entry));
        }

        return new BookHead(Book, entry.Sequence, entry.Hash);
    }
}
