using NodaTime;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Domain.Reconciliation;
using static ServiceLedger.Domain.Tests.Ledger.LedgerTestData;

namespace ServiceLedger.Domain.Tests.Reconciliation;

public sealed class StatementPostingsCheckTest
{
    private const string Contract = "ctr_recon0postings1";
    private const string Merchant = "mer_recon0postings1";
    private const string Vendor = "ven_recon0postings1";
    private const string StatementKey = $"statement:{Contract}:2027-03:v1";
    private static readonly BookId ContractBook = BookId.ForContract(Contract);

    [Fact]
    public void A_statement_posted_once_with_its_totals_is_clean()
    {
        var entries = Chain(Valid(book: ContractBook, key: StatementKey, postings: Postings(100m, 10m)));

        Assert.Empty(StatementPostingsCheck.Run([Statement(100m, 10m, entries[0].Id.ToString())], entries));
    }

    [Fact]
    public void A_statement_whose_entry_carries_another_total_is_exactly_one_totals_differ_exception_naming_both_references()
    {
        var entries = Chain(Valid(book: ContractBook, key: StatementKey, postings: Postings(100.01m, 10m)));

        var line = Assert.Single(StatementPostingsCheck.Run([Statement(100m, 10m, entries[0].Id.ToString())], entries));

        Assert.Equal(ReconciliationKind.StatementPostingDiffers, line.Kind);
        Assert.Equal(StatementIdText, line.Subject);
        Assert.Equal(["stm_recon0postings1_2027-03_v1"], line.Left.Refs.ToArray());
        Assert.Equal([entries[0].Id.ToString()], line.Right.Refs.ToArray());
        Assert.Equal("receivable 100.00 payable+revenue 100.00", line.Left.Figure);
        Assert.Equal("receivable 100.01 payable+revenue 100.01", line.Right.Figure);
        Assert.False(string.IsNullOrWhiteSpace(line.SuggestedAction));
    }

    [Fact]
    public void A_split_between_payable_and_revenue_that_still_adds_up_is_not_an_exception()
    {
        // Payable + revenue is compared with vendor share + platform fee: the split between them is settlement's business.
        var entries = Chain(Valid(book: ContractBook, key: StatementKey, postings: Postings(100m, 12m)));

        Assert.Empty(StatementPostingsCheck.Run([Statement(100m, 10m, entries[0].Id.ToString())], entries));
    }

    [Fact]
    public void A_statement_without_an_entry_is_missing_and_names_the_key_and_the_entry_it_claims()
    {
        var line = Assert.Single(StatementPostingsCheck.Run([Statement(100m, 10m, $"{ContractBook}#7")], []));

        Assert.Equal(ReconciliationKind.StatementPostingMissing, line.Kind);
        Assert.Contains(StatementKey, line.Right.Refs);
    }

    [Fact]
    public void A_statement_of_zeros_needs_no_entry()
    {
        Assert.Empty(StatementPostingsCheck.Run([Statement(0m, 0m, string.Empty)], []));
    }

    [Fact]
    public void A_statement_posted_in_two_books_is_one_duplicate_exception_naming_both_entries()
    {
        var entries = Chain(
            Valid(book: ContractBook, key: StatementKey, postings: Postings(100m, 10m)),
            Valid(key: StatementKey, postings: Postings(100m, 10m), book: BookId.PlatformGeneral));

        var line = Assert.Single(StatementPostingsCheck.Run([Statement(100m, 10m, entries[0].Id.ToString())], entries));

        Assert.Equal(ReconciliationKind.StatementPostingDuplicated, line.Kind);
        Assert.Equal(entries.Select(entry => entry.Id.ToString()).Order(StringComparer.Ordinal), line.Right.Refs);
    }

    [Fact]
    public void Entries_of_other_statements_and_other_flows_are_ignored()
    {
        var entries = Chain(
            Valid(book: ContractBook, key: StatementKey, postings: Postings(100m, 10m)),
            Valid(book: ContractBook, key: $"statement:{Contract}:2027-04:v1", postings: Postings(300m, 10m), effectiveDate: new LocalDate(2027, 4, 30)));

        Assert.Empty(StatementPostingsCheck.Run([Statement(100m, 10m, entries[0].Id.ToString())], entries));
    }

    private static string StatementIdText => "stm_recon0postings1_2027-03_v1";

    // As StatementLedgerEntry posts a statement: Dr receivable total / Cr payable (total - fee) + revenue fee.
    private static Posting[] Postings(decimal total, decimal platformFee) =>
    [
        Posting.Debit(AccountId.MerchantReceivable(Merchant), Cny(total)),
        Posting.Credit(AccountId.VendorPayable(Vendor), Cny(total - platformFee)),
        Posting.Credit(AccountId.PlatformRevenue, Cny(platformFee)),
    ];

    private static IssuedStatement Statement(decimal total, decimal platformFee, string entryId) => new(
        StatementIdText,
        Domain.Contracts.ContractId.Parse(Contract, "contract").Value,
        Domain.Parties.MerchantId.Parse(Merchant, "merchant").Value,
        Domain.Parties.VendorId.Parse(Vendor, "vendor").Value,
        SettlementPeriod.Month(2027, 3),
        1,
        Cny(total),
        Cny(total - platformFee),
        Cny(platformFee),
        entryId);
}
