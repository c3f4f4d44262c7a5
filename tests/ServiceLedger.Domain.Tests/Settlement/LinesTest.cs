using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Settlement;
using static ServiceLedger.Domain.Tests.Settlement.SettlementTestData;

namespace ServiceLedger.Domain.Tests.Settlement;

/// <summary>Penalties, dispute adjustments, held amounts and refusals: the lines around the fees.</summary>
public sealed class LinesTest
{
    private static readonly SettlementPeriod March2027 = SettlementPeriod.Month(2027, 3);
    private static readonly StatementId Earlier = StatementId.For(TestContract, SettlementPeriod.Month(2027, 1), 1);

    private static SettlementInput March() => Input(Monthly, March2027, Figures(1000, 299, 200_000m));

    [Fact]
    public void Late_penalty_on_an_unpaid_amount_runs_to_the_issue_date()
    {
        // Due 2027-01-05, unpaid on 2027-04-01: 86 days × 0.05% × 10,000.00 = 430.00.
        var statement = Settle(March() with { Overdue = [new OverdueItem(Earlier, Cn(10_000m), Date("2027-01-05"), null, false, Cn(0m))] });

        var penalty = Line(statement, StatementLineKind.LatePenalty);
        Assert.Equal(Cn(430m), penalty.Amount);
        Assert.Equal(Earlier.Value, penalty.Reference);
        Assert.Contains("86 days late (2027-01-06..2027-04-01)", penalty.How, StringComparison.Ordinal);
        Assert.Equal(Cn(430m), statement.LatePenalties);
        Assert.Equal(Cn(32_430m), statement.Total);
        Assert.Equal(Cn(1_600m), statement.PlatformFee); // the penalty is not fee-bearing
    }

    [Fact]
    public void Late_penalty_on_a_late_payment_runs_to_the_day_paid()
    {
        // Due 2027-03-01, paid 2027-03-11: 10 days × 0.05% × 10,000.00 = 50.00.
        var statement = Settle(March() with { Overdue = [new OverdueItem(Earlier, Cn(10_000m), Date("2027-03-01"), Date("2027-03-11"), false, Cn(0m))] });

        Assert.Equal(Cn(50m), Line(statement, StatementLineKind.LatePenalty).Amount);
    }

    [Fact]
    public void Late_penalty_is_capped_and_charges_only_what_accrued_beyond_earlier_statements()
    {
        // Due 2026-02-01, unpaid on 2027-04-01: 424 days × 0.05% = 21.2%, capped at 20% = 2,000.00; 1,500.00 charged before.
        var statement = Settle(March() with { Overdue = [new OverdueItem(Earlier, Cn(10_000m), Date("2026-02-01"), null, false, Cn(1_500m))] });

        Assert.Equal(Cn(500m), Line(statement, StatementLineKind.LatePenalty).Amount);
    }

    [Theory]
    [InlineData("2027-04-01", null, false, 0)] // due on the issue day: not late yet
    [InlineData("2027-03-01", "2027-03-01", false, 0)] // paid on the due date
    [InlineData("2027-01-05", null, true, 0)] // on hold: a disputed amount accrues none
    [InlineData("2026-02-01", null, false, 2_000)] // fully capped, nothing charged before
    public void Late_penalty_accrues_only_after_the_due_date_and_never_on_hold(string dueOn, string? paidOn, bool onHold, decimal expected)
    {
        var item = new OverdueItem(Earlier, Cn(10_000m), Date(dueOn), paidOn is null ? null : Date(paidOn), onHold, Cn(0m));

        var statement = Settle(March() with { Overdue = [item] });

        Assert.Equal(expected, statement.LatePenalties.Amount);
        Assert.Equal(expected == 0 ? 0 : 1, statement.Lines.Count(line => line.Kind == StatementLineKind.LatePenalty));
    }

    [Fact]
    public void Dispute_adjustment_is_a_negative_fee_bearing_line()
    {
        // 32,000.00 - 500.00 = 31,500.00; 5% = 1,575.00; vendor 29,925.00.
        var statement = Settle(March() with { DisputeAdjustments = [new DisputeAdjustment(Cn(500m), "dsp_42")] });

        var adjustment = Line(statement, StatementLineKind.DisputeAdjustment);
        Assert.Equal(Cn(-500m), adjustment.Amount);
        Assert.Equal("dsp_42", adjustment.Reference);
        Assert.Equal(Cn(1_575m), statement.PlatformFee);
        Assert.Equal(Cn(29_925m), statement.VendorShare);
    }

    [Fact]
    public void Held_amounts_are_shown_but_change_no_line_or_share()
    {
        var plain = Settle(March());

        var statement = Settle(March() with { Held = [new HeldAmount(Cn(700m), "dsp_7"), new HeldAmount(Cn(300m), "dsp_3")] });

        Assert.Equal(plain.Lines.Count, statement.Lines.Count);
        Assert.Equal(plain.VendorShare, statement.VendorShare);
        Assert.Equal(Cn(1_000m), statement.HeldTotal);
        Assert.Equal(["dsp_3", "dsp_7"], statement.Held.Select(item => item.Reference));
    }

    [Fact]
    public void Credit_notes_are_memo_lines_that_change_no_line_total_share_or_ledger_entry()
    {
        var plain = Settle(March());
        var notes = new[]
        {
            new CreditNote(Earlier, Cn(1_200m), "dispute:dsp_b", Date("2027-03-20")),
            new CreditNote(Earlier, Cn(300m), "dispute:dsp_a", Date("2027-03-05")),
        };

        var statement = Settle(March() with { CreditNotes = notes });

        Assert.Equal(plain.Lines, statement.Lines);
        Assert.Equal(plain.Total, statement.Total);
        Assert.Equal(plain.VendorShare, statement.VendorShare);
        Assert.Equal(plain.PlatformFee, statement.PlatformFee);
        Assert.Equal(StatementLedgerEntry.For(plain).Value.Postings, StatementLedgerEntry.For(statement).Value.Postings);
        Assert.Equal(["dispute:dsp_a", "dispute:dsp_b"], statement.CreditNotes.Select(note => note.Reference));
        Assert.Contains($"credit-note=1200.00|dispute:dsp_b|{Earlier.Value}|2027-03-20\n", statement.CanonicalText, StringComparison.Ordinal);
        Assert.NotEqual(plain.ContentHash, statement.ContentHash);
    }

    [Fact]
    public void A_statement_without_credit_notes_keeps_the_canonical_form_it_had_before_memo_lines()
    {
        Assert.DoesNotContain("credit-note=", Settle(March()).CanonicalText, StringComparison.Ordinal);
    }

    [Fact]
    public void A_credit_note_resolved_after_the_issue_day_or_in_another_currency_is_refused_naming_it()
    {
        var input = March() with
        {
            CreditNotes =
            [
                new CreditNote(Earlier, Cn(100m), "dispute:dsp_late", Date("2027-04-02")),
                new CreditNote(Earlier, new ServiceLedger.Domain.Money.Money(100m, ServiceLedger.Domain.Money.Currency.FromCode("JPY")), "dispute:dsp_jpy", Date("2027-03-02")),
            ],
        };

        var result = SettlementEngine.Settle(input);

        Assert.Equal(["creditNotes[0]", "creditNotes[1].credited"], result.Refusals.Select(refusal => refusal.Field));
        Assert.Equal([SettlementRule.CreditNoteInvalid, SettlementRule.CurrencyMismatch], result.Refusals.Select(refusal => refusal.Code));
    }

    [Fact]
    public void Missing_figures_for_a_served_commission_period_are_refused_naming_the_field()
    {
        var result = SettlementEngine.Settle(Input(Monthly, March2027, figures: null));

        var refusal = Assert.Single(result.Refusals);
        Assert.Equal(SettlementRule.FiguresRequired, refusal.Code);
        Assert.Equal("figures", refusal.Field);
    }

    [Fact]
    public void Bad_input_is_refused_all_at_once_naming_each_field()
    {
        var input = March() with
        {
            Version = 0,
            DisputeAdjustments = [new DisputeAdjustment(Cn(-5m), "bad ref")],
            DepositHeld = Cn(100m),
            Overdue = [new OverdueItem(Earlier, Cn(10m), Date("2027-03-01"), Date("2027-04-02"), false, Cn(0m))],
        };

        var result = SettlementEngine.Settle(input);

        Assert.Equal(
            ["version", "disputeAdjustments[0].credit", "disputeAdjustments[0].reference", "overdue[0]", "depositHeld"],
            result.Refusals.Select(refusal => refusal.Field));
    }

    [Fact]
    public void A_quarterly_period_for_a_monthly_contract_is_refused()
    {
        var result = SettlementEngine.Settle(Input(Monthly, SettlementPeriod.Quarter(2027, 1), Figures(1000, 400, 1m)));

        Assert.Equal(SettlementRule.PeriodCycleMismatch, Assert.Single(result.Refusals).Code);
    }

    [Fact]
    public void A_due_date_in_a_year_without_a_holiday_schedule_is_refused_not_guessed()
    {
        var only2027 = new WorkingDayCalendar("CN", [Calendar.CalendarTestData.PlainYear("CN", 2027)]);

        var result = SettlementEngine.Settle(Input(Monthly, SettlementPeriod.Month(2027, 12), Figures(1000, 400, 1m)) with { Calendar = only2027 });

        Assert.Equal(CalendarRule.HolidayScheduleMissing, Assert.Single(result.Refusals).Code);
    }
}
