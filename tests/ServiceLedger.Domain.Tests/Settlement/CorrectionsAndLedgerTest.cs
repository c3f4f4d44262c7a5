using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Domain.Settlement;
using ServiceLedger.TestSupport.Contracts;
using static ServiceLedger.Domain.Tests.Settlement.SettlementTestData;

namespace ServiceLedger.Domain.Tests.Settlement;

/// <summary>Corrections of settled periods, the statement's ledger entry, and its canonical form.</summary>
public sealed class CorrectionsAndLedgerTest
{
    private static readonly SettlementPeriod March2027 = SettlementPeriod.Month(2027, 3);
    private static readonly SettlementPeriod April2027 = SettlementPeriod.Month(2027, 4);

    private static Statement IssuedMarch() => Settle(Input(Monthly, March2027, Figures(1000, 400, 100_000m)));

    // The vendor corrects March's sales from 100,000.00 to 120,000.00: commission 1.5% goes from 1,500.00 to 1,800.00.
    private static Statement RecomputedMarch() => Settle(Input(Monthly, March2027, Figures(1000, 400, 120_000m)) with { Version = 2 });

    [Fact]
    public void Corrected_report_gives_one_adjustment_per_changed_kind_linked_to_both_statements()
    {
        var issued = IssuedMarch();
        var recomputed = RecomputedMarch();

        var correction = Assert.Single(SettlementEngine.Correct(issued, recomputed).Value);

        Assert.Equal(StatementLineKind.Correction, correction.Kind);
        Assert.Equal(StatementLineKind.Commission, correction.Corrects);
        Assert.Equal(Cn(300m), correction.Amount);
        Assert.Equal(issued.Id, correction.IssuedStatement);
        Assert.Equal(recomputed.Id, correction.RecomputedStatement);
        Assert.Equal(Cn(1_500m), Line(issued, StatementLineKind.Commission).Amount); // the issued statement is never edited
    }

    [Fact]
    public void Late_amendment_corrects_the_base_fee_by_the_difference()
    {
        // An amendment from 2027-03-11 to 40,000.00 a month reaches March after it was settled at 30,000.00:
        // recomputed 9,677.42 + 27,096.77 = 36,774.19, issued 30,000.00 -> +6,774.19 base fee.
        var amended = TermsOf(MonthlyInput with { Seats = [new ServiceLedger.Domain.Contracts.SeatInput { AgentType = "pre-sales", Count = 1, MonthlyRate = SampleTerms.Cny("40000.00") }] });
        var recomputed = Settle(Input(Monthly, March2027, Figures(1000, 400, 100_000m)) with
        {
            Version = 2,
            TermsVersions = [new TermsInForce(Date("2026-10-01"), Monthly), new TermsInForce(Date("2027-03-11"), amended)],
        });

        var correction = Assert.Single(SettlementEngine.Correct(IssuedMarch(), recomputed).Value);

        Assert.Equal(StatementLineKind.BaseFee, correction.Corrects);
        Assert.Equal(Cn(6_774.19m), correction.Amount);
    }

    [Fact]
    public void Nothing_changed_gives_no_correction()
    {
        Assert.Empty(SettlementEngine.Correct(IssuedMarch(), IssuedMarch()).Value);
    }

    [Fact]
    public void Statements_of_different_periods_are_not_compared()
    {
        var april = Settle(Input(Monthly, April2027, Figures(1000, 400, 100_000m)));

        Assert.Equal(SettlementRule.StatementsNotComparable, Assert.Single(SettlementEngine.Correct(IssuedMarch(), april).Refusals).Code);
    }

    [Fact]
    public void Correction_appears_on_the_next_open_statement_and_is_fee_bearing()
    {
        var corrections = SettlementEngine.Correct(IssuedMarch(), RecomputedMarch()).Value;

        var april = Settle(Input(Monthly, April2027, Figures(1000, 400, 100_000m)) with { Corrections = corrections });

        // April: 30,000.00 + 1,500.00 + 300.00 correction = 31,800.00; 5% = 1,590.00.
        Assert.Equal(Cn(300m), Line(april, StatementLineKind.Correction).Amount);
        Assert.Equal(Cn(31_800m), april.Total);
        Assert.Equal(Cn(1_590m), april.PlatformFee);
        var entry = StatementLedgerEntry.For(april).Value;
        Assert.Equal(
            new[] { corrections[0].IssuedStatement!.Value.Value, corrections[0].RecomputedStatement!.Value.Value, april.Id.Value }.Order(StringComparer.Ordinal),
            entry.References.Select(reference => reference.Value));
    }

    [Fact]
    public void A_line_that_is_not_a_correction_cannot_be_carried_as_one()
    {
        var notACorrection = Line(IssuedMarch(), StatementLineKind.Commission);

        var result = SettlementEngine.Settle(Input(Monthly, April2027, Figures(1000, 400, 1m)) with { Corrections = [notACorrection] });

        Assert.Equal("corrections[0]", Assert.Single(result.Refusals).Field);
    }

    [Fact]
    public void Statement_posts_receivable_against_vendor_payable_and_platform_revenue_under_its_key()
    {
        var statement = Settle(Input(Monthly, March2027, Figures(1000, 299, 200_000m)));

        var entry = StatementLedgerEntry.For(statement).Value;

        Assert.Equal(TestContract.Book, entry.Book);
        Assert.Equal($"statement:{TestContract.Value}:2027-03:v1", entry.IdempotencyKey.Value);
        Assert.Equal(statement.IssuedOn, entry.EffectiveDate);
        Assert.Equal(
            [
                $"debit merchant:{TestMerchant.Value}:receivable 32000.00 CNY",
                "credit platform:revenue 1600.00 CNY",
                $"credit vendor:{TestVendor.Value}:payable 30400.00 CNY",
            ],
            entry.Postings.Select(posting => posting.ToString()).OrderBy(text => text.StartsWith("credit", StringComparison.Ordinal)).ThenBy(text => text, StringComparer.Ordinal));
    }

    [Fact]
    public void Credit_note_statement_flips_every_side()
    {
        var terms = TermsOf(SampleTerms.FixedFeeInput);
        var statement = Settle(Input(terms, SettlementPeriod.Quarter(2027, 3), MissingTargets(1)) with { IsFinal = true });

        var entry = StatementLedgerEntry.For(statement).Value;

        Assert.Contains(Posting.Credit(AccountId.MerchantReceivable(TestMerchant.Value), Cn(1_000m)), entry.Postings);
        Assert.Contains(Posting.Debit(AccountId.VendorPayable(TestVendor.Value), Cn(950m)), entry.Postings);
        Assert.Contains(Posting.Debit(AccountId.PlatformRevenue, Cn(50m)), entry.Postings);
    }

    [Fact]
    public void Deposit_applied_debits_the_deposit_and_penalties_credit_penalty_revenue()
    {
        var input = Input(Monthly, March2027, Figures(1000, 400, 100_000m)) with
        {
            IsFinal = true,
            DepositHeld = Cn(10_000m),
            Overdue = [new OverdueItem(StatementId.For(TestContract, SettlementPeriod.Month(2027, 1), 1), Cn(10_000m), Date("2027-03-01"), Date("2027-03-11"), false, Cn(0m))],
        };
        var statement = Settle(input);

        var entry = StatementLedgerEntry.For(statement).Value;

        // Owed 31,500.00 + 50.00 penalty = 31,550.00; deposit 10,000.00 -> receivable 21,550.00.
        Assert.Contains(Posting.Debit(AccountId.MerchantDeposit(TestMerchant.Value), Cn(10_000m)), entry.Postings);
        Assert.Contains(Posting.Debit(AccountId.MerchantReceivable(TestMerchant.Value), Cn(21_550m)), entry.Postings);
        Assert.Contains(Posting.Credit(AccountId.PlatformPenaltyRevenue, Cn(50m)), entry.Postings);
    }

    [Fact]
    public void Same_inputs_give_a_byte_identical_canonical_form_and_hash()
    {
        var first = Settle(Input(Monthly, March2027, Figures(1000, 400, 100_000m)) with { Held = [new HeldAmount(Cn(1m), "dsp_b"), new HeldAmount(Cn(2m), "dsp_a")] });
        var second = Settle(Input(Monthly, March2027, Figures(1000, 400, 100_000m)) with { Held = [new HeldAmount(Cn(2m), "dsp_a"), new HeldAmount(Cn(1m), "dsp_b")] });
        var other = Settle(Input(Monthly, March2027, Figures(1000, 400, 100_001m)));

        Assert.Equal(first.CanonicalText, second.CanonicalText);
        Assert.Equal(first.ContentHash, second.ContentHash);
        Assert.NotEqual(first.ContentHash, other.ContentHash);
        Assert.StartsWith("service-ledger-statement/1\nid=stm_", first.CanonicalText, StringComparison.Ordinal);
        Assert.Contains("\nline=BaseFee|30000.00|-|-|-|-|2027-03 full period 2027-03-01..2027-03-31: 1 × pre-sales seat at 30,000.00 CNY a month = 30,000.00 CNY\n", first.CanonicalText, StringComparison.Ordinal);
    }
    [Fact]
    public void A_second_correction_of_a_period_carries_only_what_the_first_did_not()
    {
        // Sales 100,000.00 issued (1,500.00), corrected to 120,000.00 (+300.00 carried on April), then to 90,000.00:
        // recomputed 1,350.00 against posted 1,500.00 + 300.00 = 1,800.00 -> -450.00, not -150.00 against the issued lines alone.
        var issued = IssuedMarch();
        var carriedOnApril = SettlementEngine.Correct(issued, RecomputedMarch()).Value;
        var third = Settle(Input(Monthly, March2027, Figures(1000, 400, 90_000m)) with { Version = 3 });

        var correction = Assert.Single(SettlementEngine.Correct(issued.Id, issued.Lines, carriedOnApril, third).Value);

        Assert.Equal(StatementLineKind.Commission, correction.Corrects);
        Assert.Equal(Cn(-450m), correction.Amount);
        Assert.Equal((issued.Id, third.Id), (correction.IssuedStatement!.Value, correction.RecomputedStatement!.Value));
        Assert.Contains("with corrections carried since", correction.How, StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_correction_compares_only_the_kinds_a_period_gives_so_penalties_and_disputes_stay_as_posted()
    {
        var issued = IssuedMarch();
        var postedLines = issued.Lines.Append(new StatementLine(StatementLineKind.LatePenalty, Cn(115m), "penalty on February")).ToArray();

        var correction = Assert.Single(SettlementEngine.Correct(issued.Id, postedLines, [], RecomputedMarch()).Value);

        Assert.Equal((StatementLineKind.Commission, Cn(300m)), (correction.Corrects!.Value, correction.Amount));
    }

    [Fact]
    public void A_run_correction_refuses_a_statement_of_another_period_or_a_carried_line_of_another_statement()
    {
        var issued = IssuedMarch();
        var april = Settle(Input(Monthly, SettlementPeriod.Month(2027, 4), Figures(1000, 400, 100_000m)));
        var foreign = new StatementLine(StatementLineKind.Correction, Cn(1m), "x") { Corrects = StatementLineKind.Commission, IssuedStatement = april.Id, RecomputedStatement = april.Id };

        Assert.Equal(SettlementRule.StatementsNotComparable, Assert.Single(SettlementEngine.Correct(issued.Id, issued.Lines, [], april).Refusals).Code);
        Assert.Equal(SettlementRule.StatementsNotComparable, Assert.Single(SettlementEngine.Correct(issued.Id, issued.Lines, [foreign], RecomputedMarch()).Refusals).Code);
    }
}
