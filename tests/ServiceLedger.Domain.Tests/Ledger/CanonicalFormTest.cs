using System.Text;
using NodaTime;
using ServiceLedger.Domain.Ledger;
using static ServiceLedger.Domain.Tests.Ledger.LedgerTestData;

namespace ServiceLedger.Domain.Tests.Ledger;

public sealed class CanonicalFormTest
{
    // Golden values: the canonical form is v1 and stable across versions. If one of these changes, the chain of every
    // stored entry breaks; never update them to make a test pass.
    private const string DepositHash = "382d25810a95b8bb9cc6689f6b43056c9c0261b3b4938d06cb306d084291e6b5";
    private const string DepositRequestHash = "628b68d2acb70b541c2c4358e62353c4475a5900fa18fa7309a9495b79d7bbc5";
    private const string StatementHash = "3f45b99e9914142d1963faaa4db32478b786f848647423fac97c6aaa3a922a9d";
    private const string StatementRequestHash = "18ace5140f01afd79486c84a127bd9aaf9539945e373ef2df83729c629836874";

    private const string DepositText =
        ""
        + "format=15:ledger-entry/v1\n"
        + "book=21:contract:ctr_7Hq2LmN4\n"
        + "sequence=1:1\n"
        + "recorded-at=27:2027-03-01T02:15:30.123456Z\n"
        + "effective-date=10:2027-03-01\n"
        + "idempotency-key=27:stripe:evt_1PqR7sT2uV3wX4yZ\n"
        + "description=38:Deposit paid by card (Stripe Checkout)\n"
        + "reverses=0:\n"
        + "reference-count=1:2\n"
        + "reference-kind=12:stripe-event\n"
        + "reference-value=20:evt_1PqR7sT2uV3wX4yZ\n"
        + "reference-kind=13:stripe-object\n"
        + "reference-value=27:ch_3PqR7sT2uV3wX4yZ0a1b2c3d\n"
        + "posting-count=1:2\n"
        + "posting-account=27:merchant:mer_5Tz8Qa:deposit\n"
        + "posting-side=6:credit\n"
        + "posting-currency=3:CNY\n"
        + "posting-amount=8:30000.00\n"
        + "posting-account=24:platform:stripe-clearing\n"
        + "posting-side=5:debit\n"
        + "posting-currency=3:CNY\n"
        + "posting-amount=8:30000.00\n";

    private const string StatementText =
        ""
        + "format=15:ledger-entry/v1\n"
        + "book=21:contract:ctr_7Hq2LmN4\n"
        + "sequence=1:2\n"
        + "recorded-at=27:2027-04-01T01:00:00.000000Z\n"
        + "effective-date=10:2027-03-31\n"
        + "idempotency-key=33:statement:ctr_7Hq2LmN4:2027-03:v1\n"
        + "description=54:Statement 2027-03 (对账单): base fee and commission\n"
        + "reverses=0:\n"
        + "reference-count=1:1\n"
        + "reference-kind=9:statement\n"
        + "reference-value=12:stm_9Lm2Np4Q\n"
        + "posting-count=1:3\n"
        + "posting-account=30:merchant:mer_5Tz8Qa:receivable\n"
        + "posting-side=5:debit\n"
        + "posting-currency=3:CNY\n"
        + "posting-amount=8:27068.52\n"
        + "posting-account=16:platform:revenue\n"
        + "posting-side=6:credit\n"
        + "posting-currency=3:CNY\n"
        + "posting-amount=7:2706.85\n"
        + "posting-account=25:vendor:ven_3Kp9Wd:payable\n"
        + "posting-side=6:credit\n"
        + "posting-currency=3:CNY\n"
        + "posting-amount=8:24361.67\n";

    [Fact]
    public void Canonical_text_of_the_worked_example_is_byte_for_byte_the_golden_text()
    {
        var entries = CanonicalExample.Entries();

        Assert.Equal(DepositText, CanonicalForm.EntryText(entries[0]));
        Assert.Equal(StatementText, CanonicalForm.EntryText(entries[1]));
        Assert.Equal(Encoding.UTF8.GetBytes(StatementText), entries[1].CanonicalBytes());
    }

    [Fact]
    public void Golden_hashes_of_the_worked_example_do_not_change()
    {
        var entries = CanonicalExample.Entries();

        Assert.Equal(EntryHash.Zero, entries[0].PreviousHash);
        Assert.Equal(DepositHash, entries[0].Hash.Hex);
        Assert.Equal(DepositHash, entries[1].PreviousHash.Hex);
        Assert.Equal(StatementHash, entries[1].Hash.Hex);
        Assert.Equal(DepositRequestHash, entries[0].RequestHash.Hex);
        Assert.Equal(StatementRequestHash, entries[1].RequestHash.Hex);
    }

    [Fact]
    public void Hash_is_sha256_of_the_previous_hash_bytes_followed_by_the_canonical_bytes()
    {
        var entry = CanonicalExample.Entries()[1];
        var input = Convert.FromHexString(DepositHash).Concat(Encoding.UTF8.GetBytes(StatementText)).ToArray();

        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(input)), entry.Hash.Hex);
    }

    [Fact]
    public void The_specification_page_shows_the_golden_example_unchanged()
    {
        var page = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "ledger-canonical-form.md"));

        Assert.Contains("```text\n" + DepositText + "```", page, StringComparison.Ordinal);
        Assert.Contains("```text\n" + StatementText + "```", page, StringComparison.Ordinal);
        Assert.Contains(DepositHash, page, StringComparison.Ordinal);
        Assert.Contains(StatementHash, page, StringComparison.Ordinal);
        Assert.Contains(DepositRequestHash, page, StringComparison.Ordinal);
        Assert.Contains(StatementRequestHash, page, StringComparison.Ordinal);
    }

    [Fact]
    public void Recorded_at_is_kept_to_the_microsecond()
    {
        Assert.Equal(Instant.FromUtc(2027, 3, 1, 2, 15, 30).PlusNanoseconds(123_456_000), CanonicalExample.Entries()[0].RecordedAt);
    }

    [Fact]
    public void Parsing_the_canonical_text_gives_back_the_same_entry()
    {
        foreach (var entry in CanonicalExample.Entries())
        {
            var parsed = CanonicalForm.ParseEntry(CanonicalForm.EntryText(entry), entry.PreviousHash, entry.Hash);

            Assert.Equal(entry.CanonicalBytes(), parsed.CanonicalBytes());
            Assert.Equal(entry.Id, parsed.Id);
            Assert.Equal(entry.RecordedAt, parsed.RecordedAt);
            Assert.Equal(entry.Postings, parsed.Postings);
            Assert.Equal(entry.References, parsed.References);
            Assert.Equal(entry.Hash, parsed.ComputeHash());
        }
    }

    [Fact]
    public void Reversal_reference_survives_the_round_trip()
    {
        var original = CanonicalExample.Entries()[1];
        var reversal = JournalEntry.Seal(original.Reverse("withdrawn", AccountingPeriods.None).Value, BookHead.Empty(Book).After(CanonicalExample.Entries()[0]).After(original), RecordedAt);

        var text = CanonicalForm.EntryText(reversal);
        var parsed = CanonicalForm.ParseEntry(text, reversal.PreviousHash, reversal.Hash);

        Assert.Contains("reverses=23:contract:ctr_7Hq2LmN4#2\n", text, StringComparison.Ordinal);
        Assert.Equal(original.Id, parsed.Reverses);
    }

    [Theory]
    [InlineData("posting-amount=8:30000.00", "posting-amount=7:30000.0")]
    [InlineData("posting-amount=8:30000.00", "posting-amount=9:030000.00")]
    [InlineData("sequence=1:1", "sequence=2:01")]
    [InlineData("reference-count=1:2", "reference-count=1:1")]
    [InlineData("posting-side=5:debit", "posting-side=5:DEBIT")]
    [InlineData("description=38:Deposit paid by card (Stripe Checkout)", "description=39:Deposit paid by card (Stripe Checkout)")]
    [InlineData("book=21:", "book=022:")]
    public void Text_that_is_not_exactly_canonical_does_not_parse(string canonical, string altered)
    {
        var entry = CanonicalExample.Entries()[0];
        var text = CanonicalForm.EntryText(entry);
        Assert.Contains(canonical, text, StringComparison.Ordinal);

        Assert.Throws<FormatException>(() => CanonicalForm.ParseEntry(text.Replace(canonical, altered, StringComparison.Ordinal), entry.PreviousHash, entry.Hash));
    }

    [Fact]
    public void Postings_out_of_canonical_order_do_not_parse()
    {
        var entry = CanonicalExample.Entries()[0];
        var text = CanonicalForm.EntryText(entry);
        var deposit = "posting-account=27:merchant:mer_5Tz8Qa:deposit\nposting-side=6:credit\nposting-currency=3:CNY\nposting-amount=8:30000.00\n";
        var clearing = "posting-account=24:platform:stripe-clearing\nposting-side=5:debit\nposting-currency=3:CNY\nposting-amount=8:30000.00\n";

        var swapped = text.Replace(deposit + clearing, clearing + deposit, StringComparison.Ordinal);

        Assert.NotEqual(text, swapped);
        Assert.Throws<FormatException>(() => CanonicalForm.ParseEntry(swapped, entry.PreviousHash, entry.Hash));
    }

    [Fact]
    public void Truncated_or_extended_text_does_not_parse()
    {
        var entry = CanonicalExample.Entries()[0];
        var text = CanonicalForm.EntryText(entry);

        Assert.Throws<FormatException>(() => CanonicalForm.ParseEntry(text[..^1], entry.PreviousHash, entry.Hash));
        Assert.Throws<FormatException>(() => CanonicalForm.ParseEntry(text + "x", entry.PreviousHash, entry.Hash));
        Assert.Throws<FormatException>(() => CanonicalForm.ParseEntry(string.Empty, entry.PreviousHash, entry.Hash));
    }

    [Fact]
    public void Equal_amounts_with_different_decimal_scale_give_the_same_bytes()
    {
        var scaled = ProposedEntry.Create(
            Book, Key("k"), new LocalDate(2027, 3, 1), "d", [Posting.Debit(Clearing, Cny(5.5m)), Posting.Credit(Revenue, Cny(5.50m))]).Value;
        var plain = ProposedEntry.Create(
            Book, Key("k"), new LocalDate(2027, 3, 1), "d", [Posting.Debit(Clearing, Cny(5.500m)), Posting.Credit(Revenue, Cny(5.5m))]).Value;

        Assert.Equal(plain.RequestHash, scaled.RequestHash);
    }

    internal static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Serverless.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Serverless.sln not found above the test binaries.");
    }
}
