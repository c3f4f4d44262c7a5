using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using ServiceLedger.Domain.Ledger;

namespace ServiceLedger.Domain.Tests.Ledger;

using ServiceLedger.Domain.Money;

/// <summary>Generators of valid ledger entries for property tests.</summary>
public static class LedgerArbitraries
{
    private static readonly AccountId[] Accounts =
    [
        AccountId.MerchantReceivable("mer_a"), AccountId.MerchantDeposit("mer_a"), AccountId.MerchantReceivable("mer_b"),
        AccountId.VendorPayable("ven_a"), AccountId.VendorPayable("ven_b"),
        AccountId.PlatformRevenue, AccountId.PlatformStripeClearing, AccountId.PlatformBank, AccountId.PlatformProcessingFees,
        AccountId.PlatformDisputedFunds,
    ];

    private static readonly Currency[] Currencies = new[] { "CNY", "USD", "JPY", "KWD" }.Select(Currency.FromCode).ToArray();

    private static readonly string[] DescriptionWords = ["Statement", "deposit", "对账单", "fee", "🧾", "2027-03", "=", ":", "\u00e9"];

    /// <summary>Balanced entries of 1 to 8 transfers (a debit and a credit each) in up to four currencies.</summary>
    public static Arbitrary<ProposedEntry> BalancedEntries() => Arb.From(EntryGen());

    /// <summary>A sealed entry with the index of one field to change.</summary>
    public static Arbitrary<(JournalEntry Entry, int Field)> EntryAndField() =>
        Arb.From(
            from entry in EntryGen()
            from sequence in Gen.Choose(1, 1_000_000)
            from seconds in Gen.Choose(0, 86_400 * 365)
            from field in Gen.Choose(0, EntryMutations.Count - 1)
            select (JournalEntry.Seal(entry, new BookHead(entry.Book, sequence - 1, sequence == 1 ? EntryHash.Zero : EntryHash.Of([1])), Instant.FromUtc(2027, 1, 1, 0, 0).Plus(Duration.FromSeconds(seconds))), field));

    internal static Gen<ProposedEntry> EntryGen() =>
        from partyCurrency in Gen.Elements(Currencies)
        from transferCount in Gen.Choose(1, 8)
        from transfers in TransferGen(partyCurrency).ArrayOf(transferCount)
        from days in Gen.Choose(0, 730)
        from keyNumber in Gen.Choose(1, 1_000_000)
        from words in Gen.Elements(DescriptionWords).ArrayOf(3)
        from referenceCount in Gen.Choose(0, 3)
        select ProposedEntry.Create(
            BookId.ForContract("ctr_p"),
            IdempotencyKey.Parse($"prop:{keyNumber}", "idempotencyKey").Value,
            new LocalDate(2027, 1, 1).PlusDays(days),
            string.Join(' ', words),
            transfers.SelectMany(transfer => transfer).ToArray(),
            Enumerable.Range(0, referenceCount).Select(index => SourceReference.StripeObject($"ch_{keyNumber}_{index}")).ToArray()).Value;

    private static Gen<Posting[]> TransferGen(Currency partyCurrency) =>
        from debit in Gen.Elements(Accounts)
        from credit in Gen.Elements(Accounts)
        from currency in Gen.Elements(Currencies)
        from minorUnits in Gen.Choose(1, 50_000_000)
        let used = debit.IsSingleCurrency || credit.IsSingleCurrency ? partyCurrency : currency
        let amount = Money.FromMinorUnits(minorUnits, used)
        select new[] { Posting.Debit(debit, amount), Posting.Credit(credit, amount) };

    /// <summary>Each changes exactly one field of a sealed entry, bypassing business rules (as tampering would).</summary>
    internal static IReadOnlyList<Func<JournalEntry, JournalEntry>> EntryMutations { get; } =
    [
        entry => Rebuild(entry, book: BookId.ForContract("ctr_q")),
        entry => Rebuild(entry, sequence: entry.Sequence + 1),
        entry => Rebuild(entry, recordedAt: entry.RecordedAt.PlusNanoseconds(1_000)),
        entry => Rebuild(entry, effectiveDate: entry.EffectiveDate.PlusDays(1)),
        entry => Rebuild(entry, key: IdempotencyKey.Parse(entry.IdempotencyKey.Value + "x", "k").Value),
        entry => Rebuild(entry, description: entry.Description + " "),
        entry => Rebuild(entry, references: [.. entry.References, SourceReference.Statement("stm_extra")]),
        entry => Rebuild(entry, reverses: new JournalEntryId(entry.Book, 7)),
        entry => Rebuild(entry, postings: [.. entry.Postings.Skip(1), entry.Postings[0].Reversed()]),
        entry => Rebuild(entry, postings: [.. entry.Postings.Skip(1), new Posting(entry.Postings[0].Account, entry.Postings[0].Side, entry.Postings[0].Amount + Money.FromMinorUnits(1, entry.Postings[0].Currency))]),
        entry => Rebuild(entry, postings: [.. entry.Postings.Skip(1), new Posting(entry.Postings[0].Account == AccountId.PlatformBank ? AccountId.PlatformRevenue : AccountId.PlatformBank, entry.Postings[0].Side, entry.Postings[0].Amount)]),
        entry => Rebuild(entry, postings: [.. entry.Postings.Skip(1), new Posting(entry.Postings[0].Account, entry.Postings[0].Side, new Money(entry.Postings[0].Amount.Amount, entry.Postings[0].Currency.Code == "USD" ? Currency.FromCode("EUR") : Currency.FromCode("USD")))]),
    ];

    private static JournalEntry Rebuild(
        JournalEntry entry,
        BookId? book = null,
        long? sequence = null,
        Instant? recordedAt = null,
        LocalDate? effectiveDate = null,
        IdempotencyKey? key = null,
        string? description = null,
        IReadOnlyList<SourceReference>? references = null,
        JournalEntryId? reverses = null,
        IReadOnlyList<Posting>? postings = null) =>
        JournalEntry.FromStored(
            ProposedEntry.Restore(
                book ?? entry.Book,
                key ?? entry.IdempotencyKey,
                effectiveDate ?? entry.EffectiveDate,
                description ?? entry.Description,
                postings ?? entry.Postings,
                references ?? entry.References,
                reverses ?? entry.Reverses),
            sequence ?? entry.Sequence,
            recordedAt ?? entry.RecordedAt,
            entry.PreviousHash,
            entry.Hash);
}

[Properties(Arbitrary = [typeof(LedgerArbitraries)], MaxTest = 200)]
public sealed class LedgerProperties
{
    [Property]
    public bool Any_balanced_entry_has_a_reversal_that_nets_every_account_to_zero(ProposedEntry entry)
    {
        var original = LedgerTestData.Chain(entry)[0];
        var reversal = original.Reverse("reversal", AccountingPeriods.None).Value;

        return BalanceProjection.Recompute(LedgerTestData.Chain(entry, reversal)).Balances.All(balance => balance.IsZero);
    }

    [Property]
    public bool Canonical_bytes_and_hash_differ_when_any_single_field_differs((JournalEntry Entry, int Field) input)
    {
        var changed = LedgerArbitraries.EntryMutations[input.Field](input.Entry);

        return !changed.CanonicalBytes().AsSpan().SequenceEqual(input.Entry.CanonicalBytes())
            && changed.ComputeHash() != input.Entry.Hash;
    }

    [Property]
    public bool Canonical_text_parses_back_to_the_same_bytes((JournalEntry Entry, int Field) input)
    {
        var text = CanonicalForm.EntryText(input.Entry);

        var parsed = CanonicalForm.ParseEntry(text, input.Entry.PreviousHash, input.Entry.Hash);

        return parsed.CanonicalBytes().AsSpan().SequenceEqual(input.Entry.CanonicalBytes()) && parsed.ComputeHash() == input.Entry.Hash;
    }

    [Property]
    public bool Request_hash_does_not_depend_on_the_order_postings_were_given_in(ProposedEntry entry)
    {
        var reordered = ProposedEntry.Create(entry.Book, entry.IdempotencyKey, entry.EffectiveDate, entry.Description, entry.Postings.Reverse().ToArray(), entry.References.Reverse().ToArray()).Value;

        return reordered.RequestHash == entry.RequestHash;
    }

    [Property]
    public bool Trial_balance_of_any_balanced_entries_balances_and_projection_equals_recomputation(ProposedEntry first, ProposedEntry second)
    {
        var entries = LedgerTestData.Chain(first, second);
        var projected = entries.Aggregate(BalanceProjection.Empty, (projection, entry) => projection.Apply(entry));

        return TrialBalance.Compute(new YearMonth(2028, 12), entries).IsBalanced
            && BalanceProjection.Compare(projected, BalanceProjection.Recompute(entries.Reverse())).Agrees;
    }
}
