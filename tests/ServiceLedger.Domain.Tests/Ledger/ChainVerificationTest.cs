using NodaTime;
using ServiceLedger.Domain.Ledger;
using static ServiceLedger.Domain.Tests.Ledger.LedgerTestData;

namespace ServiceLedger.Domain.Tests.Ledger;

public sealed class ChainVerificationTest
{
    private static IReadOnlyList<JournalEntry> FiveEntries() => Chain(Enumerable.Range(1, 5)
        .Select(index => Valid(key: $"statement:ctr_7Hq2LmN4:2027-03:v{index}", postings: StatementPostings(100m * index)))
        .ToArray());

    private static BookHead HeadOf(IReadOnlyList<JournalEntry> entries) => new(Book, entries[^1].Sequence, entries[^1].Hash);

    // What an attacker with write access to storage could do: change content but keep the stored hashes.
    private static JournalEntry Tampered(JournalEntry entry, string description) => JournalEntry.FromStored(
        ProposedEntry.Restore(entry.Book, entry.IdempotencyKey, entry.EffectiveDate, description, entry.Postings, entry.References, entry.Reverses),
        entry.Sequence,
        entry.RecordedAt,
        entry.PreviousHash,
        entry.Hash);

    [Fact]
    public void Untouched_chain_verifies_up_to_its_head()
    {
        var entries = FiveEntries();

        var verification = ChainVerification.Verify(Book, entries, HeadOf(entries));

        Assert.True(verification.IsIntact);
        Assert.Equal(5, verification.EntriesChecked);
        Assert.Equal(entries[^1].Hash, verification.LastHash);
    }

    [Fact]
    public void Tampered_entry_is_reported_at_its_sequence_with_expected_and_found_hash()
    {
        var entries = FiveEntries().ToList();
        entries[2] = Tampered(entries[2], "Statement 2027-03 (edited)");

        var verification = ChainVerification.Verify(Book, entries, HeadOf(entries));

        var problem = Assert.Single(verification.Problems);
        Assert.Equal((ChainProblemKind.HashMismatch, Book, 3L), (problem.Kind, problem.Book, problem.Sequence));
        Assert.Equal(entries[2].ComputeHash().Hex, problem.Expected);
        Assert.Equal(entries[2].Hash.Hex, problem.Found);
        Assert.Contains("HashMismatch at contract:ctr_7Hq2LmN4#3", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tampered_entry_rehashed_by_the_attacker_breaks_the_next_link()
    {
        var entries = FiveEntries().ToList();
        var edited = ProposedEntry.Restore(Book, entries[2].IdempotencyKey, entries[2].EffectiveDate, "edited", entries[2].Postings, [], null);
        entries[2] = JournalEntry.Seal(edited, new BookHead(Book, 2, entries[1].Hash), entries[2].RecordedAt);

        var verification = ChainVerification.Verify(Book, entries);

        var problem = Assert.Single(verification.Problems);
        Assert.Equal((ChainProblemKind.PreviousHashMismatch, 4L), (problem.Kind, problem.Sequence));
        Assert.Equal(entries[2].Hash.Hex, problem.Expected);
    }

    [Fact]
    public void Missing_entry_is_reported_as_a_gap_naming_the_missing_sequence()
    {
        var entries = FiveEntries().ToList();
        entries.RemoveAt(1);

        var verification = ChainVerification.Verify(Book, entries);

        var problem = Assert.Single(verification.Problems);
        Assert.Equal((ChainProblemKind.SequenceGap, 2L, "2", "3"), (problem.Kind, problem.Sequence, problem.Expected, problem.Found));
    }

    [Fact]
    public void Entries_removed_from_the_end_show_against_the_head()
    {
        var entries = FiveEntries();

        var verification = ChainVerification.Verify(Book, entries.Take(3), HeadOf(entries));

        Assert.Equal(ChainProblemKind.HeadMismatch, Assert.Single(verification.Problems).Kind);
    }

    [Fact]
    public void Repeated_sequence_and_foreign_book_are_reported()
    {
        var entries = FiveEntries();
        var foreign = Chain(Valid(book: BookId.PlatformStripe, postings: [Posting.Debit(Bank, Cny(1m)), Posting.Credit(Clearing, Cny(1m))]))[0];

        var verification = ChainVerification.Verify(Book, [entries[0], entries[1], entries[1], foreign, entries[2]]);

        Assert.Equal([ChainProblemKind.SequenceOutOfOrder, ChainProblemKind.WrongBook], verification.Problems.Select(problem => problem.Kind));
        Assert.Equal(3, verification.LastSequence);
    }

    [Fact]
    public void Verification_fed_page_by_page_equals_verification_in_one_go()
    {
        var entries = FiveEntries().ToList();
        entries[3] = Tampered(entries[3], "edited");

        var pageByPage = entries.Chunk(2).Aggregate(ChainVerification.Start(Book), (state, page) => page.Aggregate(state, (inner, entry) => inner.Next(entry)));

        Assert.Equal(ChainVerification.Verify(Book, entries).Problems, pageByPage.Problems);
    }

    [Fact]
    public void Verification_can_resume_after_a_verified_checkpoint()
    {
        var entries = FiveEntries();

        var resumed = entries.Skip(3).Aggregate(ChainVerification.StartAfter(new BookHead(Book, 3, entries[2].Hash)), (state, entry) => state.Next(entry));

        Assert.True(resumed.IsIntact);
        Assert.Equal(2, resumed.EntriesChecked);
    }

    [Fact]
    public void Problems_listed_are_bounded_but_all_are_counted()
    {
        var entries = FiveEntries();
        var many = Enumerable.Repeat(entries[0], LedgerLimits.MaxReportedChainProblems + 10).Prepend(entries[0]);

        var verification = ChainVerification.Verify(Book, many);

        Assert.Equal(LedgerLimits.MaxReportedChainProblems, verification.Problems.Count);
        Assert.Equal(LedgerLimits.MaxReportedChainProblems + 10, verification.ProblemCount);
    }

    [Fact]
    public void Sealing_links_each_entry_to_the_previous_hash_and_the_head_follows()
    {
        var entries = FiveEntries();

        Assert.Equal(EntryHash.Zero, entries[0].PreviousHash);
        Assert.All(entries.Skip(1).Zip(entries), pair => Assert.Equal(pair.Second.Hash, pair.First.PreviousHash));
        Assert.Equal([1L, 2, 3, 4, 5], entries.Select(entry => entry.Sequence));
        Assert.Throws<ArgumentException>(() => BookHead.Empty(Book).After(entries[1]));
        Assert.Throws<ArgumentException>(() => JournalEntry.Seal(Valid(), BookHead.Empty(BookId.PlatformStripe), RecordedAt));
    }

    [Fact]
    public void Stored_entry_with_sub_microsecond_recorded_at_is_a_broken_invariant()
    {
        var entry = FiveEntries()[0];

        Assert.Throws<ArgumentException>(() => JournalEntry.FromStored(entry.Content, 1, entry.RecordedAt.PlusNanoseconds(100), entry.PreviousHash, entry.Hash));
        Assert.Throws<ArgumentOutOfRangeException>(() => JournalEntry.Seal(entry.Content, BookHead.Empty(Book), Instant.FromUtc(1999, 12, 31, 0, 0)));
    }
}
