using NodaTime;
using ServiceLedger.Domain.Deposits;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Domain.Reconciliation;
using static ServiceLedger.Domain.Tests.Ledger.LedgerTestData;

namespace ServiceLedger.Domain.Tests.Reconciliation;

using ServiceLedger.Domain.Money;

public sealed class ReconciliationChecksTest
{
    private static readonly ReconciliationPeriod March = ReconciliationPeriod.Month(new YearMonth(2027, 3));

    [Fact]
    public void A_tampered_entry_is_one_chain_broken_exception_naming_its_book_and_sequence_and_nothing_else()
    {
        var entries = Chain(Enumerable.Range(1, 4).Select(index => Valid(key: $"statement:ctr_7Hq2LmN4:2027-03:v{index}", postings: StatementPostings(100m * index))).ToArray()).ToArray();
        var original = entries[1];
        entries[1] = JournalEntry.FromStored(
            ProposedEntry.Restore(original.Book, original.IdempotencyKey, original.EffectiveDate, "edited after the fact", original.Postings, original.References, original.Reverses),
            original.Sequence,
            original.RecordedAt,
            original.PreviousHash,
            original.Hash);
        var verification = ChainVerification.Verify(Book, entries, new BookHead(Book, entries[^1].Sequence, entries[^1].Hash));

        var lines = LedgerIntegrity.FromChainProblems(verification.Problems)
            .Concat(LedgerIntegrity.FromTrialBalance(TrialBalance.Compute(new YearMonth(2027, 3), entries)))
            .ToArray();

        var line = Assert.Single(lines);
        Assert.Equal(ReconciliationKind.ChainBroken, line.Kind);
        Assert.Equal($"{Book}#2", line.Subject);
    }

    [Fact]
    public void A_clean_ledger_has_no_integrity_exceptions()
    {
        var entries = Chain(Valid(key: "statement:ctr_7Hq2LmN4:2027-03:v1", postings: StatementPostings()));
        var verification = ChainVerification.Verify(Book, entries, new BookHead(Book, entries[^1].Sequence, entries[^1].Hash));

        Assert.Empty(LedgerIntegrity.FromChainProblems(verification.Problems));
        Assert.Empty(LedgerIntegrity.FromTrialBalance(TrialBalance.Compute(new YearMonth(2027, 3), entries)));
    }

    [Fact]
    public void A_vendor_report_two_percent_above_the_merchants_export_is_a_figures_exception_for_sales_only()
    {
        var vendor = new PartyFigures(Cny(102_000m), 1_500, "servicereport:ctr_1:2027-03:v1");
        var merchant = new PartyFigures(Cny(100_000m), 1_500, "shopexport:ctr_1:2027-03");

        var line = Assert.Single(FiguresCheck.Compare("ctr_1", March, vendor, merchant, FiguresCheck.DefaultTolerance));

        Assert.Equal(ReconciliationKind.FiguresDiffer, line.Kind);
        Assert.Equal("ctr_1:2027-03:sales", line.Subject);
        Assert.Equal(("102000", "100000"), (line.Left.Figure, line.Right.Figure));
    }

    [Fact]
    public void A_difference_within_the_contracts_tolerance_is_no_exception_and_the_tolerance_edge_is_inclusive()
    {
        var merchant = new PartyFigures(Cny(100_000m), 1_000, "shopexport:ctr_1:2027-03");

        Assert.Empty(FiguresCheck.Compare("ctr_1", March, new PartyFigures(Cny(102_000m), 1_020, "r"), merchant, Rate.Of(0.02m)));
        Assert.Single(FiguresCheck.Compare("ctr_1", March, new PartyFigures(Cny(102_000.01m), 1_020, "r"), merchant, Rate.Of(0.02m)));
    }

    [Fact]
    public void An_unpaid_statement_past_due_is_overdue_with_its_ageing_and_an_ended_contracts_deposit_is_unsettled()
    {
        var statements = new[]
        {
            new OpenStatement("stm_late", "ctr_1", new LocalDate(2027, 1, 20), Cny(500m)),
            new OpenStatement("stm_current", "ctr_2", new LocalDate(2027, 4, 5), Cny(800m)),
            new OpenStatement("stm_paid", "ctr_3", new LocalDate(2027, 1, 5), Cny(0m)),
        };
        var deposits = new[]
        {
            new HeldDeposit("ctr_ended", Cny(3_000m), new LocalDate(2027, 3, 15)),
            new HeldDeposit("ctr_running", Cny(3_000m), null),
        };

        var lines = ReceivablesCheck.Run(March, statements, deposits);

        Assert.Equal(
            [(ReconciliationKind.StatementOverdue, "stm_late"), (ReconciliationKind.DepositUnsettled, "ctr_ended")],
            lines.Select(line => (line.Kind, line.Subject)).ToArray());
        Assert.Contains("ageing 61-90", lines[0].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Ledger_items_carry_stripes_signs_gross_amount_and_fee()
    {
        // The deposit names its Checkout Session; the processing fee is its own entry naming the balance transaction and the
        // charge it was taken on (docs/deposits.md): the fee entry's clearing movement is Stripe's fee, gross zero.
        var paid = StripeLedgerEntries.DepositPaid("cs_1", "ctr_1", "mer_1", Cny(300m), new LocalDate(2027, 3, 4)).Value;
        var fee = StripeLedgerEntries.ProcessingFee("txn_1", Cny(8.70m), new LocalDate(2027, 3, 4), "ch_1").Value;
        var refunded = StripeLedgerEntries.DepositRefunded("re_1", "ctr_1", "mer_1", Cny(50m), new LocalDate(2027, 3, 5)).Value;
        var payout = StripeLedgerEntries.PayoutPaid("po_1", Cny(241.30m), new LocalDate(2027, 3, 6)).Value;
        var entries = Chain(paid).Concat(Chain(fee)).Concat(Chain(refunded)).Concat(Chain(payout));

        var items = LedgerItems.From(entries);

        Assert.Equal(
            [("cs_1", 30_000L, 0L), ("ch_1", 0L, 870L), ("re_1", -5_000L, 0L), ("po_1", -24_130L, 0L)],
            items.Select(item => (item.StripeObjectId!, item.AmountMinor, item.FeeMinor)).ToArray());
    }

    [Fact]
    public void An_exceptions_id_derives_from_its_content_so_a_rerun_names_the_same_exception()
    {
        static ExceptionLine Make(string figure) => ExceptionLine.Create(
            ReconciliationKind.InStripeOnly, "ch_1", "CNY", new ExceptionSide("stripe", figure, ["txn_1"]), new ExceptionSide("ledger", string.Empty, []), "detail");

        Assert.Equal(Make("1.00").ExceptionId, Make("1.00").ExceptionId);
        Assert.NotEqual(Make("1.00").ExceptionId, Make("1.01").ExceptionId);
        Assert.Matches("^exc_[0-9a-f]{20}$", Make("1.00").ExceptionId);
    }

    [Theory]
    [InlineData("2027-03", "2027-03-01", "2027-04-01")]
    [InlineData("2027-Q2", "2027-04-01", "2027-07-01")]
    [InlineData("2027", "2027-01-01", "2028-01-01")]
    public void A_period_reads_as_a_month_quarter_or_year_and_writes_back_the_same(string text, string start, string end)
    {
        var period = ReconciliationPeriod.Parse(text, "period").Value;

        Assert.Equal((start, end), (period.Start.ToString("yyyy-MM-dd", null), period.End.ToString("yyyy-MM-dd", null)));
        Assert.Equal(text, period.ToString());
    }

    [Theory]
    [InlineData("2027-13")]
    [InlineData("2027-Q5")]
    [InlineData("1999")]
    [InlineData("2027-3")]
    [InlineData(null)]
    public void Anything_else_is_refused_naming_the_field(string? text)
    {
        var refusal = Assert.Single(ReconciliationPeriod.Parse(text, "period").Refusals);

        Assert.Equal((ReconciliationRule.PeriodInvalid, "period"), (refusal.Code, refusal.Field));
    }
}
