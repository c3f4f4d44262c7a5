using System.Globalization;

namespace ServiceLedger.Domain.Ledger;

/// <summary>
/// Where an entry sits: its book and its sequence in that book (1, 2, 3, … without gaps). Equality is by both; ordering is
/// by book, then sequence. <c>default</c> has no book and is refused where an entry must be named.
/// </summary>
public readonly record struct JournalEntryId : IComparable<JournalEntryId>
{
    /// <summary>Names an entry; the book must be real and the sequence at least 1.</summary>
    public JournalEntryId(BookId book, long sequence)
    {
        if (book.IsDefault)
        {
            throw new ArgumentException("An entry id needs a book; default(BookId) names none.", nameof(book));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(sequence, 1L);
        Book = book;
        Sequence = sequence;
    }

    /// <summary>The book the entry belongs to.</summary>
    public BookId Book { get; }

    /// <summary>The entry's position in its book, from 1.</summary>
    public long Sequence { get; }

    /// <summary>The sequence as a zero-padded RowKey (19 digits), so that Table order is sequence order.</summary>
    public string SequenceRowKey => Sequence.ToString("D" + LedgerLimits.SequenceKeyDigits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>Orders by book, then sequence.</summary>
    public int CompareTo(JournalEntryId other)
    {
        var byBook = Book.CompareTo(other.Book);
        return byBook != 0 ? byBook : Sequence.CompareTo(other.Sequence);
    }

    /// <summary>Orders by book, then sequence.</summary>
    public static bool operator <(JournalEntryId left, JournalEntryId right) => left.CompareTo(right) < 0;

    /// <summary>Orders by book, then sequence.</summary>
    public static bool operator >(JournalEntryId left, JournalEntryId right) => left.CompareTo(right) > 0;

    /// <summary>Orders by book, then sequence.</summary>
    public static bool operator <=(JournalEntryId left, JournalEntryId right) => left.CompareTo(right) <= 0;

    /// <summary>Orders by book, then sequence.</summary>
    public static bool operator >=(JournalEntryId left, JournalEntryId right) => left.CompareTo(right) >= 0;

    /// <summary>For example <c>contract:ctr_42#7</c>.</summary>
    public override string ToString() => $"{Book}#{Sequence.ToString(CultureInfo.InvariantCulture)}";
}
