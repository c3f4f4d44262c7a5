using NodaTime;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Settlement;

namespace ServiceLedger.Domain.Tests.Settlement;

using ServiceLedger.Domain.Money;

/// <summary>
/// How one earlier statement becomes overdue items (pure; no storage). A statement of 10,000.00 CNY due 2026-10-13,
/// judged on a statement issued 2026-11-01, at 0.05% a day capped at 20%.
/// </summary>
public sealed class OverdueTest
{
    private static readonly StatementId Earlier = StatementId.For(ContractId.Derive("overdue-items"), SettlementPeriod.Month(2026, 9), 1);
    private static readonly Money Total = Cny(10_000m);
    private static readonly LocalDate DueOn = new(2026, 10, 13);
    private static readonly LocalDate IssuedOn = new(2026, 11, 1);
    private static readonly LatePenalty Rule = new(Rate.Of(0.0005m), Rate.Of(0.2m));

    [Fact]
    public void A_statement_paid_in_full_by_its_due_date_is_not_overdue()
    {
        Assert.Empty(Items([Paid("4000.00", 10, 1), Paid("6000.00", 10, 13)]));
    }

    [Fact]
    public void What_was_paid_on_time_is_not_overdue_and_a_late_payment_closes_its_part_on_the_day_received()
    {
        var item = Assert.Single(Items([Paid("4000.00", 10, 13), Paid("6000.00", 10, 20)]));

        Assert.Equal(new OverdueItem(Earlier, Cny(6_000m), DueOn, new LocalDate(2026, 10, 20), false, Cny(0m)), item);
    }

    [Fact]
    public void Each_late_instalment_is_its_own_item_and_the_rest_accrues_to_the_issue_day()
    {
        var items = Items([Paid("3000.00", 10, 20), Paid("2000.00", 10, 25)]);

        Assert.Equal(
            [
                new OverdueItem(Earlier, Cny(3_000m), DueOn, new LocalDate(2026, 10, 20), false, Cny(0m)),
                new OverdueItem(Earlier, Cny(2_000m), DueOn, new LocalDate(2026, 10, 25), false, Cny(0m)),
                new OverdueItem(Earlier, Cny(5_000m), DueOn, null, false, Cny(0m)),
            ],
            items);
    }

    [Fact]
    public void A_payment_received_after_the_issue_day_does_not_count_so_a_redelivery_computes_the_same_items()
    {
        var item = Assert.Single(Items([Paid("10000.00", 11, 2)]));

        Assert.Equal(new OverdueItem(Earlier, Total, DueOn, null, false, Cny(0m)), item);
    }

    [Fact]
    public void The_part_under_dispute_is_on_hold_and_only_the_rest_accrues()
    {
        var items = Items([], held: Cny(1_500m));

        Assert.Equal(
            [
                new OverdueItem(Earlier, Cny(8_500m), DueOn, null, false, Cny(0m)),
                new OverdueItem(Earlier, Cny(1_500m), DueOn, null, true, Cny(0m)),
            ],
            items);
    }

    [Fact]
    public void A_hold_beyond_what_is_unpaid_holds_all_of_it()
    {
        var item = Assert.Single(Items([Paid("9000.00", 10, 1)], held: Cny(2_000m)));

        Assert.Equal(new OverdueItem(Earlier, Cny(1_000m), DueOn, null, true, Cny(0m)), item);
    }

    [Fact]
    public void Penalty_charged_before_is_set_against_the_parts_in_order_and_a_part_charged_in_full_is_left_out()
    {
        // Part paid 10-20: 3,000.00 × 0.05% × 7 = 10.50, all charged before; the unpaid 7,000.00 × 0.05% × 19 = 66.50, 4.50 of it charged.
        var items = Items([Paid("3000.00", 10, 20)], charged: Cny(15m));

        var item = Assert.Single(items);
        Assert.Equal(new OverdueItem(Earlier, Cny(7_000m), DueOn, null, false, Cny(4.5m)), item);
        Assert.Equal(Cny(66.5m), SettlementEngine.LatePenaltyAccrued(item, Rule, IssuedOn));
    }

    [Fact]
    public void A_credit_note_was_never_owed_so_only_the_rest_accrues_whatever_day_the_dispute_was_resolved()
    {
        // 4,000.00 of 10,000.00 accepted (resolved 2026-10-25 or after the issue day, alike): 6,000.00 × 0.05% × 19 days
        // (14 October..1 November) = 57.00, not 10,000.00 × 0.05% × 19 = 95.00.
        var item = Assert.Single(Items([], credited: Cny(4_000m)));

        Assert.Equal(new OverdueItem(Earlier, Cny(6_000m), DueOn, null, false, Cny(0m)), item);
        Assert.Equal(Cny(57m), SettlementEngine.LatePenaltyAccrued(item, Rule, IssuedOn));
    }

    [Fact]
    public void A_payment_of_the_rest_after_a_credit_note_closes_the_statement_on_the_day_received()
    {
        // 4,000.00 credited, the other 6,000.00 received 2026-10-20: 7 days × 0.05% × 6,000.00 = 21.00.
        var item = Assert.Single(Items([Paid("6000.00", 10, 20)], credited: Cny(4_000m)));

        Assert.Equal(new OverdueItem(Earlier, Cny(6_000m), DueOn, new LocalDate(2026, 10, 20), false, Cny(0m)), item);
        Assert.Equal(Cny(21m), SettlementEngine.LatePenaltyAccrued(item, Rule, IssuedOn));
    }

    [Fact]
    public void Penalty_charged_on_the_credited_part_before_the_dispute_is_set_against_what_the_rest_accrues_later()
    {
        // Before the dispute, November's statement charged 10,000.00 × 0.05% × 19 days = 95.00. 4,000.00 accepted on
        // 2026-11-20; December's statement (issued 2026-12-01, 49 days): 6,000.00 × 0.05% × 49 = 147.00, less the 95.00
        // charged = 52.00 (without the credit note: 10,000.00 × 0.05% × 49 = 245.00 − 95.00 = 150.00).
        var december = new LocalDate(2026, 12, 1);
        var item = Assert.Single(Overdue.Of(Earlier, Total, DueOn, [], Cny(0m), Cny(4_000m), Cny(95m), Rule, december));

        Assert.Equal(new OverdueItem(Earlier, Cny(6_000m), DueOn, null, false, Cny(95m)), item);
        Assert.Equal(Cny(147m), SettlementEngine.LatePenaltyAccrued(item, Rule, december));
    }

    [Fact]
    public void Credit_notes_and_payments_on_time_covering_the_total_leave_nothing_overdue()
    {
        Assert.Empty(Items([Paid("7000.00", 10, 13)], credited: Cny(3_000m)));
    }

    private static IReadOnlyList<OverdueItem> Items(IReadOnlyList<StatementPayment> payments, Money? held = null, Money? charged = null, Money? credited = null) =>
        Overdue.Of(Earlier, Total, DueOn, payments, held ?? Cny(0m), credited ?? Cny(0m), charged ?? Cny(0m), Rule, IssuedOn);

    private static StatementPayment Paid(string amount, int month, int day) =>
        StatementPayment.Restore(Earlier, $"pay-{month}-{day}", Cny(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture)), new LocalDate(2026, month, day), "bank");

    private static Money Cny(decimal amount) => new(amount, Currency.Cny);
}
