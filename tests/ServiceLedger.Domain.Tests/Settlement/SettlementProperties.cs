using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ServiceLedger.Domain.Billing;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Settlement;
using ServiceLedger.TestSupport.Contracts;
using static ServiceLedger.Domain.Tests.Settlement.SettlementTestData;

namespace ServiceLedger.Domain.Tests.Settlement;

using ServiceLedger.Domain.Money;

/// <summary>Generators of valid settlement inputs of every shape: modes, cycles, partial periods, amendments, penalties, deposits.</summary>
public static class SettlementArbitraries
{
    /// <summary>Valid settlement inputs.</summary>
    public static Arbitrary<SettlementInput> Inputs() => Arb.From(InputGen());

    internal static Gen<SettlementInput> InputGen() =>
        from fixedFee in Gen.Elements(false, true)
        from quarterly in Gen.Elements(false, true)
        from feeMinor in Gen.Choose(1, 2_000_000_000)
        from platformPerMille in Gen.Choose(0, 1000)
        from amendedFeeMinor in Gen.Choose(1, 2_000_000_000)
        from amendmentDay in Gen.Choose(0, 400)
        from amend in Gen.Elements(false, true)
        from startOffset in Gen.Choose(0, 200)
        from endOffset in Gen.Choose(0, 300)
        from periodIndex in Gen.Choose(0, 4)
        from figures in FiguresGen()
        from credits in Gen.Choose(1, 5_000_000).ArrayOf().Select(values => values.Take(3).ToArray())
        from overdue in OverdueGen().ArrayOf().Select(values => values.Take(3).ToArray())
        from isFinal in Gen.Elements(false, true)
        from depositMinor in Gen.Choose(1, 2_000_000_000)
        select Build(fixedFee, quarterly, feeMinor, platformPerMille, amend ? amendedFeeMinor : null, amendmentDay, startOffset, endOffset, periodIndex, figures, credits, overdue, isFinal, depositMinor);

    internal static Gen<ServiceFigures> FiguresGen() =>
        from inquiries in Gen.Choose(0, 100_000)
        from convertedShare in Gen.Choose(0, 1000)
        from salesMinor in Gen.Choose(0, int.MaxValue)
        from firstResponse in Gen.Choose(0, 60)
        from rates in Gen.Choose(0, 100).ArrayOf(4)
        select ServiceFigures.Create(
            inquiries,
            inquiries * convertedShare / 1000,
            Money.FromMinorUnits(salesMinor * 10L, Cny),
            firstResponse,
            Rate.Of(rates[0] / 100m),
            Rate.Of(rates[1] / 100m),
            Rate.Of(rates[2] / 100m),
            Rate.Of(rates[3] / 100m)).Value;

    private static Gen<(int DueOffset, int? PaidAfter, bool OnHold, int AmountMinor, int ChargedMinor)> OverdueGen() =>
        from dueOffset in Gen.Choose(-500, 30)
        from paid in Gen.Elements(false, true)
        from paidAfter in Gen.Choose(0, 500)
        from onHold in Gen.Elements(false, true)
        from amountMinor in Gen.Choose(1, 100_000_000)
        from chargedMinor in Gen.Choose(0, 1_000_000)
        select (dueOffset, paid ? paidAfter : (int?)null, onHold, amountMinor, chargedMinor);

    private static SettlementInput Build(
        bool fixedFee,
        bool quarterly,
        int feeMinor,
        int platformPerMille,
        int? amendedFeeMinor,
        int amendmentDay,
        int startOffset,
        int endOffset,
        int periodIndex,
        ServiceFigures figures,
        int[] credits,
        (int DueOffset, int? PaidAfter, bool OnHold, int AmountMinor, int ChargedMinor)[] overdue,
        bool isFinal,
        int depositMinor)
    {
        var termStart = Date("2027-01-01").PlusDays(startOffset);
        var termEnd = termStart.PlusDays(365);
        var input = (fixedFee ? SampleTerms.FixedFeeInput : MonthlyInput) with
        {
            SettlementCycle = quarterly ? "Quarterly" : "Monthly",
            Seats = null,
            LumpSumBaseFee = SampleTerms.Cny(Money.FromMinorUnits(feeMinor, Cny).FormatAmount()),
            Deposit = new DepositRuleInput { Kind = "FixedAmount", Amount = SampleTerms.Cny("1000.00") },
            PlatformFeeRate = (platformPerMille / 1000m).ToString(CultureInfo.InvariantCulture),
            Term = MonthlyInput.Term! with { StartOn = Iso(termStart), EndOn = Iso(termEnd) },
        };
        var terms = Terms.Create(input).Value;
        var versions = new List<TermsInForce> { new(termStart, terms) };
        if (amendedFeeMinor is { } amended && amendmentDay > 0 && amendmentDay < 365)
        {
            var amendedTerms = Terms.Create(input with { LumpSumBaseFee = SampleTerms.Cny(Money.FromMinorUnits(amended, Cny).FormatAmount()) }).Value;
            versions.Add(new TermsInForce(termStart.PlusDays(amendmentDay), amendedTerms));
        }

        var cycle = quarterly ? SettlementCycle.Quarterly : SettlementCycle.Monthly;
        var period = SettlementPeriod.Containing(termStart, cycle);
        for (var step = 0; step < periodIndex; step++)
        {
            period = period.Next();
        }

        var lastServiceDay = LocalDateMin(termEnd, termStart.PlusDays(endOffset));
        var issuedOn = period.End;
        return new SettlementInput
        {
            Contract = TestContract,
            Merchant = TestMerchant,
            Vendor = TestVendor,
            TermsVersions = versions,
            Service = new ServiceWindow(termStart, lastServiceDay),
            Period = period,
            Figures = figures,
            IssuedOn = issuedOn,
            Version = 1,
            DisputeAdjustments = credits.Select((minor, index) => new DisputeAdjustment(Money.FromMinorUnits(minor, Cny), $"dsp_{index}")).ToArray(),
            Overdue = overdue.Select((item, index) => new OverdueItem(
                StatementId.For(TestContract, SettlementPeriod.Month(2026, 1 + index), 1),
                Money.FromMinorUnits(item.AmountMinor, Cny),
                issuedOn.PlusDays(item.DueOffset),
                item.PaidAfter is { } after ? LocalDateMin(issuedOn, issuedOn.PlusDays(item.DueOffset + after)) : null,
                item.OnHold,
                Money.FromMinorUnits(item.ChargedMinor, Cny))).ToArray(),
            IsFinal = isFinal,
            DepositHeld = isFinal ? Money.FromMinorUnits(depositMinor, Cny) : null,
            Calendar = PlainCalendar,
        };
    }

    private static NodaTime.LocalDate LocalDateMin(NodaTime.LocalDate left, NodaTime.LocalDate right) => left < right ? left : right;

    private static string Iso(NodaTime.LocalDate date) => NodaTime.Text.LocalDatePattern.Iso.Format(date);
}

[Properties(Arbitrary = [typeof(SettlementArbitraries)], MaxTest = 300)]
public sealed class SettlementProperties
{
    [Property]
    public bool Lines_always_sum_to_the_total(SettlementInput input)
    {
        var statement = Settle(input);

        return Money.Sum(statement.Lines.Select(line => line.Amount), Cny) == statement.Total
            && statement.Lines.All(line => line.Amount.IsWholeMinorUnits);
    }

    [Property]
    public bool Vendor_share_and_platform_fee_add_up_to_the_fee_bearing_total_exactly(SettlementInput input)
    {
        var statement = Settle(input);

        // The deposit is applied on the final statement only, and never beyond what is owed.
        var depositRuleHolds = statement.DepositApplied.IsZero || (input.IsFinal && !statement.DepositApplied.IsNegative && !statement.Total.IsNegative);
        return statement.VendorShare + statement.PlatformFee == statement.FeeBearingTotal
            && statement.FeeBearingTotal + statement.LatePenalties - statement.DepositApplied == statement.Total
            && depositRuleHolds;
    }

    [Property]
    public bool Commission_never_falls_when_sales_rise(SettlementInput input, PositiveInt extraMinor)
    {
        var figures = input.Figures!;
        var more = ServiceFigures.Create(
            figures.Inquiries,
            figures.ConvertedInquiries,
            figures.AttributedSales + Money.FromMinorUnits(extraMinor.Get, Cny),
            figures.FirstResponseSeconds,
            figures.AnswerRate,
            figures.FirstContactResolution,
            figures.Satisfaction,
            figures.QaPassRate).Value;

        var before = Commission(Settle(input));
        var after = Commission(Settle(input with { Figures = more }));

        return after >= before;
    }

    [Property]
    public bool Same_input_gives_the_same_canonical_bytes(SettlementInput input)
    {
        var first = Settle(input);
        var second = Settle(input with { Overdue = input.Overdue.Reverse().ToArray() });

        return first.CanonicalText == second.CanonicalText && first.ContentHash == second.ContentHash;
    }

    [Property]
    public bool Memo_lines_change_no_line_total_share_or_entry_and_their_order_changes_no_byte(SettlementInput input, PositiveInt creditedMinor)
    {
        var notes = Enumerable.Range(0, 3).Select(index => new CreditNote(
            StatementId.For(TestContract, SettlementPeriod.Month(2026, 1 + index), 1),
            Money.FromMinorUnits(creditedMinor.Get + index, Cny),
            $"dispute:dsp_{index}",
            input.IssuedOn.PlusDays(-index))).ToArray();
        var plain = Settle(input);
        var listed = Settle(input with { CreditNotes = notes });
        var reversed = Settle(input with { CreditNotes = [.. notes.Reverse()] });
        var (plainEntry, listedEntry) = (StatementLedgerEntry.For(plain), StatementLedgerEntry.For(listed));

        return listed.Lines.SequenceEqual(plain.Lines) && listed.Total == plain.Total && listed.VendorShare == plain.VendorShare && listed.PlatformFee == plain.PlatformFee
            && plainEntry.IsValid == listedEntry.IsValid && (!plainEntry.IsValid || plainEntry.Value.Postings.SequenceEqual(listedEntry.Value.Postings))
            && listed.CreditNotes.Count == 3 && listed.CanonicalText == reversed.CanonicalText;
    }

    [Property]
    public bool Every_statement_with_an_amount_posts_a_balanced_entry(SettlementInput input)
    {
        var statement = Settle(input);
        var entry = StatementLedgerEntry.For(statement);

        var anyAmount = !statement.Total.IsZero || !statement.FeeBearingTotal.IsZero || !statement.LatePenalties.IsZero || !statement.DepositApplied.IsZero;
        return anyAmount ? entry.IsValid : entry.Refusals.Single().Code == SettlementRule.NothingToPost;
    }

    [Property]
    public Property Corrections_of_a_corrected_report_or_late_amendment_carry_exactly_the_difference_onto_a_balanced_next_statement()
    {
        var gen =
            from input in SettlementArbitraries.InputGen()
            from corrected in SettlementArbitraries.FiguresGen()
            from next in SettlementArbitraries.InputGen()
            from lateAmendment in Gen.Elements(false, true)
            from amendmentDay in Gen.Choose(1, 80)
            from newFeeMinor in Gen.Choose(1, 2_000_000_000)
            select (input, corrected, next, lateAmendment, amendmentDay, newFeeMinor);
        return Prop.ForAll(gen.ToArbitrary(), sample =>
        {
            var issued = Settle(sample.input);

            // Either the vendor corrects the figures, or an amendment signed late reaches the settled period.
            var last = sample.input.TermsVersions[^1];
            var amendedOn = last.EffectiveFrom.PlusDays(1) > sample.input.Period.Start.PlusDays(sample.amendmentDay)
                ? last.EffectiveFrom.PlusDays(1)
                : sample.input.Period.Start.PlusDays(sample.amendmentDay);
            var amended = last.Terms with { LumpSumBaseFee = Money.FromMinorUnits(sample.newFeeMinor, Cny) };
            var recomputed = Settle(sample.lateAmendment
                ? sample.input with { TermsVersions = [.. sample.input.TermsVersions, new TermsInForce(amendedOn, amended)], Version = 2 }
                : sample.input with { Figures = sample.corrected, Version = 2 });
            var corrections = SettlementEngine.Correct(issued, recomputed).Value;

            var carried = Settle(sample.next with { Corrections = corrections });

            var kindsRestored = Enum.GetValues<StatementLineKind>()
                .Where(kind => kind is not (StatementLineKind.DepositApplied or StatementLineKind.Correction))
                .All(kind => Sum(issued, kind) + corrections.Where(line => line.Corrects == kind).Sum(line => line.Amount.Amount) == Sum(recomputed, kind));
            return kindsRestored
                && corrections.All(line => line.IssuedStatement == issued.Id && line.RecomputedStatement == recomputed.Id)
                && carried.VendorShare + carried.PlatformFee == carried.FeeBearingTotal
                && Money.Sum(carried.Lines.Select(line => line.Amount), Cny) == carried.Total;
        });
    }

    [Property]
    public Property A_correction_only_statement_carries_exactly_the_run_correction_balanced_and_posts_the_same_entry_from_its_stored_figures()
    {
        var gen =
            from input in SettlementArbitraries.InputGen()
            from corrected in SettlementArbitraries.FiguresGen()
            select (input, corrected);
        return Prop.ForAll(gen.ToArbitrary(), sample =>
        {
            var issued = Settle(sample.input);
            var recomputed = Settle(sample.input with { Figures = sample.corrected, Version = 2 });
            var corrections = SettlementEngine.Correct(issued.Id, issued.Lines, [], recomputed).Value;
            var correctionOnly = SettlementEngine.Settle(sample.input with
            {
                CorrectionOnly = true,
                Version = StatementVersions.FirstCorrectionOnly,
                Corrections = corrections,
                Figures = null,
                IsFinal = false,
                DepositHeld = null,
                DisputeAdjustments = [],
                Held = [],
                Overdue = [],
            });
            if (corrections.Count == 0)
            {
                return correctionOnly.Refusals.Any(refusal => refusal.Code == SettlementRule.CorrectionOnlyInvalid);
            }

            var statement = correctionOnly.Value;
            var fromRow = StatementPosting.FromIssued(
                statement.Contract, statement.Merchant, statement.Vendor, statement.Period, statement.Version, statement.IssuedOn, statement.Lines, statement.Total, statement.VendorShare, statement.PlatformFee);
            var entry = StatementLedgerEntry.For(statement);
            return statement.Lines.SequenceEqual(corrections)
                && statement.Total.Amount == corrections.Sum(line => line.Amount.Amount)
                && statement.VendorShare + statement.PlatformFee == statement.Total
                && (entry.IsValid
                    ? StatementLedgerEntry.For(fromRow).Value.RequestHash == entry.Value.RequestHash
                    : statement.Total.IsZero && statement.PlatformFee.IsZero && statement.VendorShare.IsZero);
        });
    }

    private static decimal Sum(Statement statement, StatementLineKind kind) =>
        statement.Lines.Where(line => line.Kind == kind).Sum(line => line.Amount.Amount);

    private static decimal Commission(Statement statement) =>
        statement.Lines.Where(line => line.Kind == StatementLineKind.Commission).Sum(line => line.Amount.Amount);
}
