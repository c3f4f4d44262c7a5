using NodaTime;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Domain.Settlement;
using static ServiceLedger.Domain.Tests.Settlement.SettlementTestData;

namespace ServiceLedger.Domain.Tests.Settlement;

/// <summary>
/// Corrections after a contract's final statement (docs/settlement.md, "Corrections after the final statement"): a
/// correction-only statement of the final period, in its own version range, carrying the corrections and nothing else.
/// The contract was terminated on 2027-03-20, so March 2027 is its final period.
/// </summary>
public sealed class CorrectionOnlyStatementTest
{
    private static readonly SettlementPeriod March2027 = SettlementPeriod.Month(2027, 3);
    private static readonly ServiceWindow CutShort = ServiceWindow.Of(Monthly.Term, Date("2027-03-20"));

    private static SettlementInput FinalMarch(decimal sales, int version = 1) =>
        Input(Monthly, March2027, Figures(1000, 400, sales)) with { Service = CutShort, IsFinal = true, Version = version };

    // The final statement issued on sales of 100,000.00, and the corrections of March recomputed on other sales.
    private static IReadOnlyList<StatementLine> CorrectionsTo(decimal sales)
    {
        var issued = Settle(FinalMarch(100_000m));
        return SettlementEngine.Correct(issued.Id, issued.Lines, [], Settle(FinalMarch(sales, version: 2))).Value;
    }

    private static SettlementInput CorrectionOnly(IReadOnlyList<StatementLine> corrections, int version = StatementVersions.FirstCorrectionOnly) =>
        Input(Monthly, March2027, figures: null) with
        {
            Service = CutShort,
            CorrectionOnly = true,
            Version = version,
            IssuedOn = Date("2027-04-15"),
            Corrections = corrections,
        };

    [Fact]
    public void A_correction_after_the_final_statement_is_a_correction_only_statement_of_the_final_period_split_and_due_like_any()
    {
        // Sales 100,000.00 -> 120,000.00 after the final statement: 1.5% × 20,000.00 = +300.00; 5% platform fee.
        var statement = Settle(CorrectionOnly(CorrectionsTo(120_000m)));

        var correction = Assert.Single(statement.Lines);
        Assert.Equal((StatementLineKind.Correction, StatementLineKind.Commission, Cn(300m)), (correction.Kind, correction.Corrects!.Value, correction.Amount));
        Assert.Equal(StatementId.For(TestContract, March2027, 101), statement.Id);
        Assert.True(statement.IsCorrectionOnly);
        Assert.False(statement.IsFinal);
        Assert.Equal((Cn(300m), Cn(15m), Cn(285m), Cn(0m)), (statement.Total, statement.PlatformFee, statement.VendorShare, statement.DepositApplied));
        Assert.Equal(March2027, statement.BilledPeriod);
        Assert.Null(statement.Commission);

        // Issued Thursday 2027-04-15, five working days: Fri 16, Mon 19, Tue 20, Wed 21, Thu 22.
        Assert.Equal(Date("2027-04-22"), statement.DueOn);
        Assert.Equal(statement.CanonicalText, Settle(CorrectionOnly(CorrectionsTo(120_000m))).CanonicalText);
    }

    [Fact]
    public void A_correction_only_statement_posts_under_its_own_key_and_references_the_issued_and_recomputed_statements()
    {
        var statement = Settle(CorrectionOnly(CorrectionsTo(120_000m)));

        var entry = StatementLedgerEntry.For(statement).Value;

        Assert.Equal($"statement:{TestContract.Value}:2027-03:v101", entry.IdempotencyKey.Value);
        Assert.Equal(Date("2027-04-15"), entry.EffectiveDate);
        Assert.Contains(Posting.Debit(AccountId.MerchantReceivable(TestMerchant.Value), Cn(300m)), entry.Postings);
        Assert.Contains(Posting.Credit(AccountId.VendorPayable(TestVendor.Value), Cn(285m)), entry.Postings);
        Assert.Contains(Posting.Credit(AccountId.PlatformRevenue, Cn(15m)), entry.Postings);
        Assert.Equal(
            Enumerable.Range(1, 2).Append(101).Select(version => StatementId.For(TestContract, March2027, version).Value).Order(StringComparer.Ordinal),
            entry.References.Select(reference => reference.Value).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_correction_that_lowers_the_final_period_is_a_credit_that_flips_every_side()
    {
        // Sales 100,000.00 -> 80,000.00: 1.5% × -20,000.00 = -300.00.
        var statement = Settle(CorrectionOnly(CorrectionsTo(80_000m)));

        var entry = StatementLedgerEntry.For(statement).Value;

        Assert.Equal((Cn(-300m), Cn(-15m), Cn(-285m)), (statement.Total, statement.PlatformFee, statement.VendorShare));
        Assert.Contains(Posting.Credit(AccountId.MerchantReceivable(TestMerchant.Value), Cn(300m)), entry.Postings);
        Assert.Contains(Posting.Debit(AccountId.VendorPayable(TestVendor.Value), Cn(285m)), entry.Postings);
        Assert.Contains(Posting.Debit(AccountId.PlatformRevenue, Cn(15m)), entry.Postings);
    }

    [Fact]
    public void A_correction_only_statement_carries_corrections_and_nothing_else()
    {
        var corrections = CorrectionsTo(120_000m);
        var overdue = new OverdueItem(StatementId.For(TestContract, SettlementPeriod.Month(2027, 2), 1), Cn(10m), Date("2027-03-08"), null, false, Cn(0m));

        Assert.All(
            new[]
            {
                CorrectionOnly([]),
                CorrectionOnly(corrections) with { IsFinal = true },
                CorrectionOnly(corrections) with { IsFinal = true, DepositHeld = Cn(1m) },
                CorrectionOnly(corrections) with { Overdue = [overdue] },
                CorrectionOnly(corrections) with { Held = [new HeldAmount(Cn(1m), "dsp_a")] },
                CorrectionOnly(corrections) with { DisputeAdjustments = [new DisputeAdjustment(Cn(1m), "dsp_a")] },
            },
            input => Assert.Contains(SettlementEngine.Settle(input).Refusals, refusal => (refusal.Code, refusal.Field) == (SettlementRule.CorrectionOnlyInvalid, "correctionOnly")));
    }

    [Theory]
    [InlineData(true, 100)]
    [InlineData(true, 1000)]
    [InlineData(false, 101)]
    [InlineData(false, 999)]
    public void Correction_only_versions_and_other_versions_never_share_a_number(bool correctionOnly, int version)
    {
        var input = correctionOnly
            ? CorrectionOnly(CorrectionsTo(120_000m), version)
            : FinalMarch(100_000m, version);

        var refusal = Assert.Single(SettlementEngine.Settle(input).Refusals, refusal => refusal.Field == "version");
        Assert.Equal(SettlementRule.VersionInvalid, refusal.Code);
    }

    [Fact]
    public void The_last_recomputed_and_the_last_correction_only_versions_are_accepted()
    {
        Assert.True(SettlementEngine.Settle(FinalMarch(100_000m, StatementVersions.MaxRecomputed)).IsValid);
        Assert.True(SettlementEngine.Settle(CorrectionOnly(CorrectionsTo(120_000m), StatementVersions.MaxCorrectionOnly)).IsValid);
    }

    [Fact]
    public void The_next_correction_only_version_follows_the_highest_issued_and_ignores_other_versions()
    {
        Assert.Equal(101, StatementVersions.NextCorrectionOnly([]));
        Assert.Equal(101, StatementVersions.NextCorrectionOnly([1, 2, 100]));
        Assert.Equal(103, StatementVersions.NextCorrectionOnly([102, 1, 101]));
        Assert.Null(StatementVersions.NextCorrectionOnly([1, 999]));
    }

    [Fact]
    public void A_correction_only_statement_is_issued_the_day_its_latest_correction_was_noticed_in_the_contracts_zone_and_not_before_the_final_statement()
    {
        var shanghai = DateTimeZoneProviders.Tzdb["Asia/Shanghai"];
        var finalIssuedOn = Date("2027-04-01");

        // 2027-04-14T17:00Z is 01:00 on the 15th in Shanghai.
        Assert.Equal(Date("2027-04-15"), StatementVersions.CorrectionOnlyIssueDay(finalIssuedOn, [Instant.FromUtc(2027, 4, 2, 0, 0), Instant.FromUtc(2027, 4, 14, 17, 0)], shanghai));
        Assert.Equal(finalIssuedOn, StatementVersions.CorrectionOnlyIssueDay(finalIssuedOn, [Instant.FromUtc(2027, 3, 10, 0, 0)], shanghai));
        Assert.Equal(finalIssuedOn, StatementVersions.CorrectionOnlyIssueDay(finalIssuedOn, [], shanghai));
    }
}
