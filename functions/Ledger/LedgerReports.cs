using ServiceLedger.Domain.Ledger;

namespace ServiceLedger.Functions.Ledger;

/// <summary>The verification of one book's chain: how many entries were checked and the problems found, first first.</summary>
/// <param name="Book">The book.</param>
/// <param name="EntriesChecked">Entries read and checked.</param>
/// <param name="ProblemCount">Every problem found (at most <see cref="LedgerLimits.MaxReportedChainProblems"/> are listed).</param>
/// <param name="Problems">The problems listed, in chain order.</param>
public sealed record BookVerification(BookId Book, long EntriesChecked, long ProblemCount, IReadOnlyList<ChainProblem> Problems)
{
    /// <summary>True when the chain holds from the first entry to the head.</summary>
    public bool IsIntact => ProblemCount == 0;
}

/// <summary>The verification of every book.</summary>
/// <param name="Books">One result per book, in book order.</param>
public sealed record LedgerVerification(IReadOnlyList<BookVerification> Books)
{
    /// <summary>True when every book's chain holds.</summary>
    public bool IsIntact => Books.All(book => book.IsIntact);

    /// <summary>The first broken link of the first broken book, or null.</summary>
    public ChainProblem? FirstProblem => Books.SelectMany(book => book.Problems).FirstOrDefault();
}

/// <summary>The stored-vs-journal check: the balances whose stored totals (the books' heads, summed through the index) differ from a recomputation.</summary>
/// <param name="EntriesRecomputed">Entries the recomputation read.</param>
/// <param name="Differences">Each (account, currency) that differs, ordered by account then currency; empty when they agree.</param>
public sealed record ProjectionCheck(long EntriesRecomputed, IReadOnlyList<BalanceDifference> Differences)
{
    /// <summary>True when the stored balances equal the recomputation.</summary>
    public bool Agrees => Differences.Count == 0;
}
