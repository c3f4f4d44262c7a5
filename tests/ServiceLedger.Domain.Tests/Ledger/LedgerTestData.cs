using NodaTime;
using ServiceLedger.Domain.Ledger;

namespace ServiceLedger.Domain.Tests.Ledger;

using ServiceLedger.Domain.Money;

/// <summary>Builders for ledger test data: fixed parties, currencies and a valid entry to vary.</summary>
internal static class LedgerTestData
{
    public const string MerchantId = "mer_5Tz8Qa";
    public const string VendorId = "ven_3Kp9Wd";
    public const string ContractId = "ctr_7Hq2LmN4";

    public static readonly Currency Yuan = Currency.FromCode("CNY");
    public static readonly Currency Dollar = Currency.FromCode("USD");
    public static readonly Currency Yen = Currency.FromCode("JPY");

    public static readonly BookId Book = BookId.ForContract(ContractId);
    public static readonly AccountId Receivable = AccountId.MerchantReceivable(MerchantId);
    public static readonly AccountId Deposit = AccountId.MerchantDeposit(MerchantId);
    public static readonly AccountId Payable = AccountId.VendorPayable(VendorId);
    public static readonly AccountId Revenue = AccountId.PlatformRevenue;
    public static readonly AccountId Clearing = AccountId.PlatformStripeClearing;
    public static readonly AccountId Bank = AccountId.PlatformBank;
    public static readonly AccountId Fees = AccountId.PlatformProcessingFees;

    public static readonly Instant RecordedAt = Instant.FromUtc(2027, 4, 1, 1, 0);

    public static Money Cny(decimal amount) => new(amount, Yuan);

    public static Money Usd(decimal amount) => new(amount, Dollar);

    public static IdempotencyKey Key(string text) => IdempotencyKey.Parse(text, "idempotencyKey").Value;

    /// <summary>A statement-like entry: Dr receivable 100.00 / Cr payable 90.00 + revenue 10.00.</summary>
    public static Posting[] StatementPostings(decimal total = 100m, decimal revenue = 10m) =>
    [
        Posting.Debit(Receivable, Cny(total)),
        Posting.Credit(Payable, Cny(total - revenue)),
        Posting.Credit(Revenue, Cny(revenue)),
    ];

    public static Validated<ProposedEntry> Propose(
        IReadOnlyList<Posting>? postings = null,
        string key = "statement:ctr_7Hq2LmN4:2027-03:v1",
        LocalDate? effectiveDate = null,
        string description = "Statement 2027-03",
        IReadOnlyList<SourceReference>? references = null,
        BookId? book = null,
        JournalEntryId? reverses = null) =>
        ProposedEntry.Create(
            book ?? Book,
            Key(key),
            effectiveDate ?? new LocalDate(2027, 3, 31),
            description,
            postings ?? StatementPostings(),
            references,
            reverses);

    public static ProposedEntry Valid(
        IReadOnlyList<Posting>? postings = null,
        string key = "statement:ctr_7Hq2LmN4:2027-03:v1",
        LocalDate? effectiveDate = null,
        string description = "Statement 2027-03",
        BookId? book = null) =>
        Propose(postings, key, effectiveDate, description, book: book).Value;

    /// <summary>Seals entries one after another on an empty book, one minute apart.</summary>
    public static IReadOnlyList<JournalEntry> Chain(params ProposedEntry[] proposals)
    {
        var sealedEntries = new List<JournalEntry>();
        var heads = new Dictionary<BookId, BookHead>();
        foreach (var proposal in proposals)
        {
            var head = heads.TryGetValue(proposal.Book, out var found) ? found : BookHead.Empty(proposal.Book);
            var entry = JournalEntry.Seal(proposal, head, RecordedAt.Plus(Duration.FromMinutes(sealedEntries.Count)));
            heads[proposal.Book] = head.After(entry);
            sealedEntries.Add(entry);
        }

        return sealedEntries;
    }

    /// <summary>A ledger whose months up to and including <paramref name="lastClosed"/> are closed.</summary>
    public static AccountingPeriods ClosedThrough(YearMonth lastClosed)
    {
        var closing = AccountingPeriods.None.ProposeClosing(
            lastClosed, "fin_ada", RecordedAt, lastClosed.PlusMonths(1).OnDayOfMonth(1), EntryHash.Of([1, 2, 3]));
        return AccountingPeriods.None.With(closing.Value);
    }

    public static IReadOnlyList<string> Codes(IEnumerable<Refusal> refusals) => refusals.Select(refusal => refusal.Code).ToArray();
}
