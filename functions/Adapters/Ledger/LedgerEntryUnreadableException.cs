namespace ServiceLedger.Functions.Adapters.Ledger;

/// <summary>
/// A stored journal entry cannot be read back in its canonical form: it was altered or corrupted in storage. Verification
/// reports it as a broken chain at <see cref="Sequence"/>; any other read fails loudly with it.
/// </summary>
public sealed class LedgerEntryUnreadableException : FormatException
{
    /// <summary>Creates the exception for the entry at <paramref name="book"/>#<paramref name="sequence"/>.</summary>
    public LedgerEntryUnreadableException(string book, long sequence, string reason, Exception innerException)
        : base($"Journal entry {book}#{sequence} cannot be read back: {reason}. It was altered in storage.", innerException)
    {
        Book = book;
        Sequence = sequence;
        Reason = reason;
    }

    /// <summary>Creates the exception with a message only.</summary>
    public LedgerEntryUnreadableException()
    {
    }

    /// <summary>Creates the exception with a message only.</summary>
    public LedgerEntryUnreadableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and inner exception.</summary>
    public LedgerEntryUnreadableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The book (the entity's partition).</summary>
    public string Book { get; } = string.Empty;

    /// <summary>The sequence (the entity's RowKey; 0 when that is not a number either).</summary>
    public long Sequence { get; }

    /// <summary>What could not be read.</summary>
    public string Reason { get; } = string.Empty;
}
