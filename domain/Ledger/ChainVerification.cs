using System.Collections.Immutable;
using System.Globalization;

namespace ServiceLedger.Domain.Ledger;

/// <summary>What is wrong at one point of a book's chain.</summary>
public enum ChainProblemKind
{
    /// <summary>Sequences jump: an entry is missing (expected is the missing sequence, found the next one present).</summary>
    SequenceGap = 1,

    /// <summary>A sequence repeats or goes backwards.</summary>
    SequenceOutOfOrder = 2,

    /// <summary>An entry of another book was read into this book.</summary>
    WrongBook = 3,

    /// <summary>The entry's previous hash is not the hash of the entry before it: the link between the two is broken.</summary>
    PreviousHashMismatch = 4,

    /// <summary>The entry's stored hash is not <c>SHA-256(previous hash || canonical bytes)</c>: its content changed after sealing.</summary>
    HashMismatch = 5,

    /// <summary>The book's head (last sequence and hash) does not match the last entry read: entries were added or removed behind it.</summary>
    HeadMismatch = 6,
}

/// <summary>One broken link of a chain: where (book and sequence), what was expected and what was found.</summary>
/// <param name="Kind">What is wrong.</param>
/// <param name="Book">The book.</param>
/// <param name="Sequence">The sequence of the entry where the problem shows.</param>
/// <param name="Expected">What the chain says should be there (a hash, a sequence or a book).</param>
/// <param name="Found">What is there.</param>
public sealed record ChainProblem(ChainProblemKind Kind, BookId Book, long Sequence, string Expected, string Found)
{
    /// <summary>For people, e.g. <c>HashMismatch at contract:ctr_42#7: expected 3f…, found 9a…</c>.</summary>
    public string Message => $"{Kind} at {Book}#{Sequence.ToString(CultureInfo.InvariantCulture)}: expected {Expected}, found {Found}.";
}

/// <summary>
/// Verifies one book's hash chain as a fold over its entries in sequence order (feed it page by page): each entry must be
/// the next sequence, link to the previous entry's stored hash, and carry the hash its content gives. Reports every
/// problem up to <see cref="LedgerLimits.MaxReportedChainProblems"/>, first problem first; after a gap it resumes at the
/// next entry present. Immutable: <see cref="Next"/> returns a new verification.
/// </summary>
public sealed class ChainVerification
{
    private readonly ImmutableList<ChainProblem> problems;

    private ChainVerification(BookId book, long entriesChecked, long lastSequence, EntryHash lastHash, ImmutableList<ChainProblem> problems, long problemCount)
    {
        Book = book;
        EntriesChecked = entriesChecked;
        LastSequence = lastSequence;
        LastHash = lastHash;
        this.problems = problems;
        ProblemCount = problemCount;
    }

    /// <summary>The book verified.</summary>
    public BookId Book { get; }

    /// <summary>Entries looked at so far.</summary>
    public long EntriesChecked { get; }

    /// <summary>The last sequence seen (0 before the first entry).</summary>
    public long LastSequence { get; }

    /// <summary>The stored hash of the last entry seen (the genesis hash before the first entry).</summary>
    public EntryHash LastHash { get; }

    /// <summary>The problems found, in the order met, at most <see cref="LedgerLimits.MaxReportedChainProblems"/>.</summary>
    public IReadOnlyList<ChainProblem> Problems => problems;

    /// <summary>All problems found, including those not listed.</summary>
    public long ProblemCount { get; }

    /// <summary>True when no problem was found.</summary>
    public bool IsIntact => ProblemCount == 0;

    /// <summary>The first broken link, or null.</summary>
    public ChainProblem? FirstProblem => problems.IsEmpty ? null : problems[0];

    /// <summary>Starts verifying a book from its first entry (previous hash = 32 zero bytes).</summary>
    public static ChainVerification Start(BookId book) => StartAfter(BookHead.Empty(book));

    /// <summary>Starts verifying after a checkpoint already verified, e.g. the head a previous run ended on.</summary>
    public static ChainVerification StartAfter(BookHead checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        return new ChainVerification(checkpoint.Book, 0, checkpoint.LastSequence, checkpoint.LastHash, [], 0);
    }

    /// <summary>Verifies a whole book, and its stored head when given.</summary>
    public static ChainVerification Verify(BookId book, IEnumerable<JournalEntry> entries, BookHead? head = null)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var verification = Start(book);
        foreach (var entry in entries)
        {
            verification = verification.Next(entry);
        }

        return head is null ? verification : verification.AtHead(head);
    }

    /// <summary>Checks the next entry read from the book.</summary>
    public ChainVerification Next(JournalEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var checkedCount = EntriesChecked + 1;
        if (entry.Book != Book)
        {
            return With(checkedCount, LastSequence, LastHash, new ChainProblem(ChainProblemKind.WrongBook, Book, entry.Sequence, Book.Value, entry.Book.Value));
        }

        if (entry.Sequence <= LastSequence)
        {
            return With(checkedCount, LastSequence, LastHash, new ChainProblem(
                ChainProblemKind.SequenceOutOfOrder, Book, entry.Sequence, Number(LastSequence + 1), Number(entry.Sequence)));
        }

        var found = new List<ChainProblem>();
        if (entry.Sequence > LastSequence + 1)
        {
            // The link across a gap cannot be judged: the missing entry's hash is unknown.
            found.Add(new ChainProblem(ChainProblemKind.SequenceGap, Book, LastSequence + 1, Number(LastSequence + 1), Number(entry.Sequence)));
        }
        else if (entry.PreviousHash != LastHash)
        {
            found.Add(new ChainProblem(ChainProblemKind.PreviousHashMismatch, Book, entry.Sequence, LastHash.Hex, entry.PreviousHash.Hex));
        }

        var computed = entry.ComputeHash();
        if (computed != entry.Hash)
        {
            found.Add(new ChainProblem(ChainProblemKind.HashMismatch, Book, entry.Sequence, computed.Hex, entry.Hash.Hex));
        }

        return With(checkedCount, entry.Sequence, entry.Hash, [.. found]);
    }

    /// <summary>Checks that the stored head names the last entry read; call after the last page.</summary>
    public ChainVerification AtHead(BookHead head)
    {
        ArgumentNullException.ThrowIfNull(head);
        if (head.Book != Book)
        {
            throw new ArgumentException($"The head is of book {head.Book}, not {Book}.", nameof(head));
        }

        return head.LastSequence == LastSequence && head.LastHash == LastHash
            ? this
            : With(EntriesChecked, LastSequence, LastHash, new ChainProblem(
                ChainProblemKind.HeadMismatch,
                Book,
                head.LastSequence,
                $"head #{Number(LastSequence)} {LastHash.Hex}",
                $"head #{Number(head.LastSequence)} {head.LastHash.Hex}"));
    }

    private ChainVerification With(long entriesChecked, long lastSequence, EntryHash lastHash, params ChainProblem[] found)
    {
        var listed = problems;
        foreach (var problem in found)
        {
            if (listed.Count < LedgerLimits.MaxReportedChainProblems)
            {
                listed = listed.Add(problem);
            }
        }

        return new ChainVerification(Book, entriesChecked, lastSequence, lastHash, listed, ProblemCount + found.Length);
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
