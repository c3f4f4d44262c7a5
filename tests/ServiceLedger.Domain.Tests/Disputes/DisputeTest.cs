namespace ServiceLedger.Domain.Tests.Disputes;

using NodaTime;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Disputes;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Domain.Money;
using ServiceLedger.Domain.Parties;
using ServiceLedger.Domain.Tests.Calendar;

// Days are in the shipped mainland China 2026 calendar: National Day 1–7 October, make-up working day Saturday 10 October.
public sealed class DisputeTest
{
    private static readonly WorkingDayCalendar China = CalendarTestData.MainlandChina();
    
    private static readonly ContractId Contract = ContractId.Derive("contract-under-dispute");
    private static readonly MerchantId Merchant = MerchantId.Derive("merchant-under-dispute");
    private static readonly VendorId Vendor = VendorId.Derive("vendor-under-dispute");
    private static readonly Actor MerchantUser = Actor.Create(ActorRole.Merchant, "merchant-user", "by").Value;
    private static readonly Actor VendorUser = Actor.Create(ActorRole.Vendor, "vendor-user", "by").Value;
    private static readonly Actor FinanceUser = Actor.Create(ActorRole.Finance, "finance-user", "by").Value;
    private static readonly DisputeSubject Line3 = DisputeSubject.Create("stm_2026-09_v1", 3, "subject").Value;

    [Fact]
    public void Opening_holds_the_contested_amount_and_sets_the_open_deadline_in_working_days()
    {
        // Opened Wednesday 30 September; 5 working days skip National Day: 8, 9, 10 (make-up Saturday), 12, 13 October.
        var dispute = Open(On(2026, 9, 30, MerchantUser), Cny(1_200m));

        Assert.Equal(DisputeState.Open, dispute.State);
        Assert.Equal(Cny(1_200m), dispute.OnHold);
        Assert.Equal(new LocalDate(2026, 10, 13), dispute.ResponseDueOn);
        Assert.Equal(DisputeActions.Opened, Assert.Single(dispute.Actions).Action);
    }

    [Theory]
    [InlineData("0.00")]
    [InlineData("-1.00")]
    [InlineData("5000.01")]
    [InlineData("10.005")]
    public void A_contested_amount_must_be_positive_whole_minor_units_and_at_most_the_line(string amount)
    {
        var refused = Dispute.Open(
            DisputeId.Derive("d1"), Contract, Merchant, Vendor, Line3, DisputeReason.CommissionBase,
            Cny(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture)), Cny(5_000m), "too much", [], [], On(2026, 9, 30, MerchantUser));

        var refusal = Assert.Single(refused.Refusals);
        Assert.Equal((DisputeRule.ContestedAmountOutOfRange, "amount"), (refusal.Code, refusal.Field));
    }

    [Fact]
    public void Finance_cannot_open_a_fee_dispute_and_chargeback_is_not_a_reason_a_party_picks()
    {
        var byFinance = Dispute.Open(DisputeId.Derive("d2"), Contract, Merchant, Vendor, Line3, DisputeReason.Chargeback, Cny(1m), Cny(5m), null, [], [], On(2026, 9, 30, FinanceUser));

        Assert.Equal(
            [(DisputeRule.RoleNotAllowed, "role"), (DisputeRule.SubjectInvalid, "reason")],
            byFinance.Refusals.Select(refusal => (refusal.Code, refusal.Field)));
    }

    [Fact]
    public void A_second_dispute_on_the_same_line_is_refused_while_the_first_is_unresolved_and_allowed_after()
    {
        var first = Open(On(2026, 9, 30, MerchantUser), Cny(100m));

        var second = Dispute.Open(DisputeId.Derive("d3"), Contract, Merchant, Vendor, Line3, DisputeReason.SlaCredit, Cny(50m), Cny(5_000m), null, [], [first], On(2026, 10, 8, VendorUser));
        var wholeStatement = Dispute.Open(
            DisputeId.Derive("d4"), Contract, Merchant, Vendor, DisputeSubject.Create("stm_2026-09_v1", null, "subject").Value,
            DisputeReason.Other, Cny(50m), Cny(5_000m), null, [], [first], On(2026, 10, 8, VendorUser));
        var otherLine = Dispute.Open(
            DisputeId.Derive("d5"), Contract, Merchant, Vendor, DisputeSubject.Create("stm_2026-09_v1", 4, "subject").Value,
            DisputeReason.Other, Cny(50m), Cny(5_000m), null, [], [first], On(2026, 10, 8, VendorUser));

        Assert.Equal(DisputeRule.AlreadyDisputed, Assert.Single(second.Refusals).Code);
        Assert.Equal(DisputeRule.AlreadyDisputed, Assert.Single(wholeStatement.Refusals).Code);
        Assert.True(otherLine.IsValid);

        var rejected = Resolved(first, DisputeOutcome.Rejected, null);
        Assert.True(Dispute.Open(DisputeId.Derive("d3"), Contract, Merchant, Vendor, Line3, DisputeReason.SlaCredit, Cny(50m), Cny(5_000m), null, [], [rejected], On(2026, 10, 20, VendorUser)).IsValid);
    }

    [Fact]
    public void The_full_lifecycle_keeps_every_action_with_who_and_when_and_hides_internal_notes_from_the_parties()
    {
        var opened = Open(On(2026, 11, 2, MerchantUser), Cny(300m));
        var commented = opened.Comment("The vendor counted refunded orders.", On(2026, 11, 3, VendorUser)).Value;
        var evidenced = commented.AddEvidence(
            "Order export attached.",
            [EvidenceDocument.Create("orders.csv", "text/csv", 2_048, new string('a', 64), "documents[0]").Value],
            On(2026, 11, 3, MerchantUser)).Value;
        var noted = evidenced.AddInternalNote("Vendor has a history of this.", On(2026, 11, 4, FinanceUser)).Value;
        var reviewing = noted.StartReview(null, On(2026, 11, 4, FinanceUser)).Value;
        var resolved = reviewing.Resolve(DisputeOutcome.PartiallyAccepted, Cny(120m), "Half the refunds were in the period.", On(2026, 11, 6, FinanceUser)).Value;
        var closed = resolved.Close(null, On(2026, 11, 9, FinanceUser)).Value;

        Assert.Equal(DisputeState.Closed, closed.State);
        Assert.Equal(7, closed.Revision);
        Assert.Equal(
            [DisputeActions.Opened, DisputeActions.Commented, DisputeActions.EvidenceAdded, DisputeActions.InternalNote, DisputeActions.ReviewStarted, DisputeActions.Resolved, DisputeActions.Closed],
            closed.ActionsVisibleTo(ActorRole.Finance).Select(action => action.Action));
        Assert.DoesNotContain(closed.ActionsVisibleTo(ActorRole.Vendor), action => action.Action == DisputeActions.InternalNote);
        Assert.Equal(6, closed.ActionsVisibleTo(ActorRole.Merchant).Count);
        Assert.Equal(VendorUser, closed.Actions[1].By);
        Assert.Equal(Cny(120m), closed.ResolvedAmount);
        Assert.Equal(Cny(0m), closed.OnHold);
    }

    [Fact]
    public void The_resolution_instant_stays_the_decision_s_when_comments_and_the_close_follow()
    {
        var reviewing = Open(On(2026, 11, 2, MerchantUser), Cny(300m)).StartReview(null, On(2026, 11, 4, FinanceUser)).Value;
        Assert.Null(reviewing.ResolvedAt);
        var resolved = reviewing.Resolve(DisputeOutcome.Accepted, null, "Agreed.", On(2026, 11, 6, FinanceUser)).Value;

        var closed = resolved.Comment("Thanks.", On(2026, 11, 7, MerchantUser)).Value.Close(null, On(2026, 11, 9, FinanceUser)).Value;

        Assert.Equal(Instant.FromUtc(2026, 11, 6, 2, 0), closed.ResolvedAt);
        Assert.Equal(new LocalDate(2026, 11, 9), closed.StateSince);
    }

    [Fact]
    public void Parties_cannot_review_resolve_or_close_and_finance_cannot_resolve_an_open_dispute_without_review()
    {
        var opened = Open(On(2026, 11, 2, MerchantUser), Cny(300m));

        Assert.Equal(DisputeRule.RoleNotAllowed, Assert.Single(opened.StartReview(null, On(2026, 11, 3, VendorUser)).Refusals).Code);
        Assert.Equal(DisputeRule.IllegalTransition, Assert.Single(opened.Resolve(DisputeOutcome.Rejected, null, "no", On(2026, 11, 3, FinanceUser)).Refusals).Code);
        Assert.Equal(DisputeRule.IllegalTransition, Assert.Single(opened.Close(null, On(2026, 11, 3, FinanceUser)).Refusals).Code);
        Assert.Equal(DisputeRule.RoleNotAllowed, Assert.Single(opened.AddInternalNote("x", On(2026, 11, 3, MerchantUser)).Refusals).Code);
    }

    [Theory]
    [InlineData(DisputeOutcome.Accepted, "300.00", true)]
    [InlineData(DisputeOutcome.Accepted, "299.99", false)]
    [InlineData(DisputeOutcome.PartiallyAccepted, "300.00", false)]
    [InlineData(DisputeOutcome.PartiallyAccepted, "0.00", false)]
    [InlineData(DisputeOutcome.PartiallyAccepted, "0.01", true)]
    [InlineData(DisputeOutcome.Rejected, "0.00", true)]
    [InlineData(DisputeOutcome.Rejected, "1.00", false)]
    public void The_resolved_amount_must_fit_the_outcome(DisputeOutcome outcome, string amount, bool accepted)
    {
        var reviewing = Open(On(2026, 11, 2, MerchantUser), Cny(300m)).StartReview(null, On(2026, 11, 3, FinanceUser)).Value;

        var result = reviewing.Resolve(outcome, Cny(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture)), "decided", On(2026, 11, 4, FinanceUser));

        Assert.Equal(accepted, result.IsValid);
        if (!accepted)
        {
            Assert.Equal((DisputeRule.ResolvedAmountInvalid, "amount"), (result.Refusals[0].Code, result.Refusals[0].Field));
        }
    }

    [Fact]
    public void The_timer_escalates_only_after_the_deadline_and_only_once()
    {
        var opened = Open(On(2026, 11, 2, MerchantUser), Cny(300m)); // Monday; 5 working days → Monday 9 November.
        Assert.Equal(new LocalDate(2026, 11, 9), opened.ResponseDueOn);

        Assert.Null(opened.EscalateIfOverdue(On(2026, 11, 9, FinanceUser)));
        var escalated = opened.EscalateIfOverdue(On(2026, 11, 10, FinanceUser));

        Assert.NotNull(escalated);
        Assert.Equal(DisputeState.Escalated, escalated.State);
        Assert.Equal(DisputeActions.DeadlineEscalated, escalated.Actions[^1].Action);
        Assert.Equal(new LocalDate(2026, 12, 8), escalated.ResponseDueOn); // 20 working days from 10 November.
        Assert.Null(escalated.EscalateIfOverdue(On(2026, 12, 30, FinanceUser)));
        Assert.Equal(Cny(300m), escalated.OnHold);
    }

    [Fact]
    public void A_deadline_beyond_the_known_holiday_schedules_is_left_unset_rather_than_guessed()
    {
        var opened = Open(On(2026, 12, 28, MerchantUser), Cny(300m));

        Assert.Null(opened.ResponseDueOn);
        Assert.False(opened.IsOverdue(new LocalDate(2027, 6, 1)));
    }

    [Fact]
    public void An_accepted_dispute_books_a_credit_note_split_between_platform_and_vendor_and_a_rejected_one_books_nothing()
    {
        var reviewing = Open(On(2026, 11, 2, MerchantUser), Cny(333.33m)).StartReview(null, On(2026, 11, 3, FinanceUser)).Value;
        var accepted = reviewing.Resolve(DisputeOutcome.Accepted, null, "Agreed.", On(2026, 11, 4, FinanceUser)).Value;
        var rejected = reviewing.Resolve(DisputeOutcome.Rejected, null, "Figures stand.", On(2026, 11, 4, FinanceUser)).Value;

        var entry = accepted.ResolutionEntry(Rate.Of(0.1m), new LocalDate(2026, 11, 4))!.Value;

        Assert.Equal($"dispute:{accepted.Id}:resolution", entry.IdempotencyKey.ToString());
        Assert.Equal(Contract.Book, entry.Book);
        Assert.Contains(Posting.Credit(AccountId.MerchantReceivable(Merchant.Value), Cny(333.33m)), entry.Postings);
        Assert.Contains(Posting.Debit(AccountId.PlatformRevenue, Cny(33.33m)), entry.Postings);
        Assert.Contains(Posting.Debit(AccountId.VendorPayable(Vendor.Value), Cny(300.00m)), entry.Postings);
        Assert.Null(rejected.ResolutionEntry(Rate.Of(0.1m), new LocalDate(2026, 11, 4)));
        Assert.Null(reviewing.ResolutionEntry(Rate.Of(0.1m), new LocalDate(2026, 11, 4)));
    }

    [Fact]
    public void A_chargeback_follows_stripe_statuses_ignoring_older_observations_and_holds_nothing()
    {
        var start = Instant.FromUtc(2026, 11, 2, 8, 0);
        var facts = new ChargebackFacts("dp_1", "ch_1", "warning_needs_response", start.Plus(Duration.FromDays(7)), IsInquiry: true);
        var opened = Dispute.OpenChargeback(Contract, Merchant, Vendor, Cny(500m), facts, start, On(2026, 11, 2, FinanceUser));

        var reviewing = opened.RecordStripeStatus(facts with { Status = "under_review", IsInquiry = false }, start.Plus(Duration.FromHours(2)), On(2026, 11, 2, FinanceUser));
        var lost = reviewing.RecordStripeStatus(facts with { Status = "lost", IsInquiry = false }, start.Plus(Duration.FromDays(30)), On(2026, 12, 2, FinanceUser));
        var stale = lost.RecordStripeStatus(facts with { Status = "needs_response", IsInquiry = false }, start.Plus(Duration.FromHours(1)), On(2026, 12, 3, FinanceUser));

        Assert.Equal(Dispute.ChargebackId("dp_1"), opened.Id);
        Assert.Equal(DisputeState.Open, opened.State);
        Assert.Equal(DisputeState.UnderReview, reviewing.State);
        Assert.Equal((DisputeState.Resolved, DisputeOutcome.Accepted), (lost.State, lost.Outcome));
        Assert.Same(lost, stale);
        Assert.Equal(Cny(0m), opened.OnHold);
        Assert.Null(lost.ResolutionEntry(Rate.Of(0.1m), new LocalDate(2026, 12, 2)));
        Assert.Equal(DisputeRule.IllegalTransition, Assert.Single(reviewing.Resolve(DisputeOutcome.Rejected, null, "x", On(2026, 11, 3, FinanceUser)).Refusals).Code);
    }

    [Fact]
    public void Evidence_documents_are_validated_naming_each_field()
    {
        var refused = EvidenceDocument.Create("", "pdf", 0, "ABC", "documents[1]");

        Assert.Equal(
            ["documents[1].name", "documents[1].contentType", "documents[1].sizeBytes", "documents[1].sha256"],
            refused.Refusals.Select(refusal => refusal.Field));
    }

    private static Dispute Open(DisputeClock clock, Money amount) =>
        Dispute.Open(DisputeId.Derive($"d-{clock.At}"), Contract, Merchant, Vendor, Line3, DisputeReason.CommissionBase, amount, Cny(5_000m), "Sales include refunds.", [], [], clock).Value;

    private static Dispute Resolved(Dispute dispute, DisputeOutcome outcome, Money? amount) =>
        dispute.StartReview(null, On(2026, 10, 9, FinanceUser)).Value.Resolve(outcome, amount, "decided", On(2026, 10, 9, FinanceUser)).Value;

    private static DisputeClock On(int year, int month, int day, Actor by) =>
        new(by, Instant.FromUtc(year, month, day, 2, 0), new LocalDate(year, month, day), DisputeDeadlines.Default, China);

    private static Money Cny(decimal amount) => new(amount, Currency.Cny);
}
