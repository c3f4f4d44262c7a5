namespace ServiceLedger.Domain.Tests.Settlement;

using NodaTime;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Settlement;
using ServiceLedger.Domain.Tests.Contracts;
using ServiceLedger.TestSupport.Contracts;

/// <summary>
/// Which period a run settles for contracts that start, end early or run out: the final statement of a terminated or expired
/// contract, and the first in-advance bill of a fixed-fee contract.
/// </summary>
public sealed class SettlementDueLifecycleTest
{
    private static readonly Instant Later = Instant.FromUtc(2028, 6, 1, 0, 0);

    // 2027-03-20 10:00 in Shanghai.
    private static readonly Instant TerminatedAt = Instant.FromUtc(2027, 3, 20, 2, 0);

    [Fact]
    public void A_contract_terminated_mid_March_serves_to_its_termination_day_and_its_final_statement_is_March()
    {
        var contract = Terminated(SampleTerms.Input, TerminatedAt);

        Assert.Equal(new ServiceWindow(new LocalDate(2026, 10, 1), new LocalDate(2027, 3, 20)), SettlementDue.ServiceWindowOf(contract));
        Assert.Equal(DueDecision.Due, SettlementDue.Decide(contract, SettlementPeriod.Month(2027, 2), Later));
        Assert.Equal(DueDecision.Due, SettlementDue.Decide(contract, SettlementPeriod.Month(2027, 3), Later));
        Assert.Equal(SettlementPeriod.Month(2027, 3), SettlementDue.StatementPeriod(contract, SettlementPeriod.Month(2027, 3)));
        Assert.True(SettlementDue.IsFinalStatement(SettlementDue.ServiceWindowOf(contract)!, SettlementPeriod.Month(2027, 3)));
        Assert.False(SettlementDue.IsFinalStatement(SettlementDue.ServiceWindowOf(contract)!, SettlementPeriod.Month(2027, 2)));
    }

    [Fact]
    public void The_run_of_the_period_after_the_final_one_settles_the_final_period_and_later_runs_leave_the_contract_alone()
    {
        var contract = Terminated(SampleTerms.Input, TerminatedAt);

        Assert.Equal(DueDecision.Due, SettlementDue.Decide(contract, SettlementPeriod.Month(2027, 4), Later));
        Assert.Equal(SettlementPeriod.Month(2027, 3), SettlementDue.StatementPeriod(contract, SettlementPeriod.Month(2027, 4)));
        Assert.Equal(DueDecision.AfterService, SettlementDue.Decide(contract, SettlementPeriod.Month(2027, 5), Later));
    }

    [Fact]
    public void A_contract_terminated_before_its_deposit_was_paid_or_before_its_term_started_is_never_due()
    {
        var calendar = new StubCalendar();
        var unpaid = SampleContracts.SignedByBoth(calendar).Terminate("changed our mind", SampleContracts.FinanceUser, TerminatedAt).Value;
        var beforeStart = Terminated(SampleTerms.Input, Instant.FromUtc(2026, 9, 30, 2, 0));

        Assert.Null(SettlementDue.ServiceWindowOf(unpaid));
        Assert.Null(SettlementDue.ServiceWindowOf(beforeStart));
        Assert.Equal(DueDecision.NotActive, SettlementDue.Decide(unpaid, SettlementPeriod.Month(2026, 10), Later));
        Assert.Equal(DueDecision.NotActive, SettlementDue.Decide(beforeStart, SettlementPeriod.Month(2026, 10), Later));
    }

    [Fact]
    public void An_expired_contract_is_still_due_for_its_last_month_which_is_its_final_statement()
    {
        var contract = Active(SampleTerms.Input).Expire(new LocalDate(2027, 10, 1), SampleContracts.FinanceUser, Instant.FromUtc(2027, 9, 30, 16, 1)).Value;

        Assert.Equal(DueDecision.Due, SettlementDue.Decide(contract, SettlementPeriod.Month(2027, 9), Later));
        Assert.True(SettlementDue.IsFinalStatement(SettlementDue.ServiceWindowOf(contract)!, SettlementPeriod.Month(2027, 9)));
        Assert.Equal(DueDecision.AfterService, SettlementDue.Decide(contract, SettlementPeriod.Month(2027, 11), Later));
    }

    [Fact]
    public void A_suspended_contract_is_not_due()
    {
        var contract = Active(SampleTerms.Input).Suspend("unpaid statements", SampleContracts.FinanceUser, TerminatedAt).Value;

        Assert.Equal(DueDecision.NotActive, SettlementDue.Decide(contract, SettlementPeriod.Month(2027, 3), Later));
    }

    [Fact]
    public void A_fixed_fee_contract_is_due_for_the_period_before_service_starts_because_that_statement_bills_the_first_period()
    {
        var quarterly = Active(SampleTerms.FixedFeeInput);
        var baseFee = Active(SampleTerms.Input);

        Assert.Equal(DueDecision.Due, SettlementDue.Decide(quarterly, SettlementPeriod.Quarter(2026, 3), Later));
        Assert.Equal(CooperationMode.FixedFee, SettlementDue.GoverningTerms(quarterly, SettlementPeriod.Quarter(2026, 3))!.Mode);
        Assert.Equal(DueDecision.NoTermsInForce, SettlementDue.Decide(quarterly, SettlementPeriod.Quarter(2026, 2), Later));
        Assert.Equal(DueDecision.NoTermsInForce, SettlementDue.Decide(baseFee, SettlementPeriod.Month(2026, 9), Later));
    }

    [Fact]
    public void A_timer_window_reports_the_final_period_of_a_contract_terminated_in_it()
    {
        var contract = Terminated(SampleTerms.Input, TerminatedAt);

        Assert.Equal(SettlementPeriod.Month(2027, 3), SettlementDue.EndedBetween(contract, Instant.FromUtc(2027, 3, 31, 15, 5), Instant.FromUtc(2027, 3, 31, 16, 5)));
        Assert.Null(SettlementDue.EndedBetween(contract, Instant.FromUtc(2027, 5, 31, 15, 5), Instant.FromUtc(2027, 5, 31, 16, 5)));
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(15, true)]
    [InlineData(15, false)]
    [InlineData(31, true)]
    [InlineData(31, false)]
    public void The_first_two_statements_of_a_fixed_fee_contract_bill_its_first_two_months_once_each_whichever_run_sees_it_first(int startDay, bool seenBySeptembersRun)
    {
        // 31,000.00 a month from 2026-10-{startDay}: October is billed (32 − startDay)/31 of the fee, November in full.
        var terms = Terms.Create(SampleTerms.FixedFeeInput with
        {
            SettlementCycle = "Monthly",
            LumpSumBaseFee = SampleTerms.Cny("31000.00"),
            Sla = null,
            Term = new TermInput { StartOn = $"2026-10-{startDay:D2}", EndOn = "2027-09-30", AutoRenew = false, NoticePeriodDays = 30 },
        }).Value;
        var contract = SampleContracts.Active(new StubCalendar(), terms);
        var september = SettlementPeriod.Month(2026, 9);
        var october = SettlementPeriod.Month(2026, 10);

        var settled = new List<SettlementPeriod>();
        if (seenBySeptembersRun)
        {
            Assert.Equal(DueDecision.Due, SettlementDue.Decide(contract, september, Later));
            Assert.Null(SettlementDue.FirstAdvanceBillBefore(contract, september, hasStatements: false));
            settled.Add(september);
        }

        settled.AddRange(SettlementDue.FirstAdvanceBillBefore(contract, october, hasStatements: settled.Count > 0) is { } first ? [first] : []);
        settled.Add(october);
        var statements = settled.Select(period => SettlementTestData.Settle(SettlementTestData.Input(terms, period, null))).ToArray();

        Assert.Equal([october, october.Next()], statements.Select(statement => statement.BilledPeriod));
        Assert.Equal(
            SettlementTestData.Cn(Math.Round(31_000m * (32 - startDay) / 31, 2, MidpointRounding.AwayFromZero) + 31_000m),
            Domain.Money.Money.Sum(statements.Select(statement => statement.Total), SettlementTestData.Cny));
    }

    [Fact]
    public void The_first_run_of_a_late_fixed_fee_contract_issues_every_missed_advance_bill_once_and_later_runs_none()
    {
        var contract = Active(SampleTerms.FixedFeeInput with
        {
            SettlementCycle = "Monthly",
            Sla = null,
            Term = new TermInput { StartOn = "2026-10-15", EndOn = "2027-09-30", AutoRenew = false, NoticePeriodDays = 30 },
        });
        var september = SettlementPeriod.Month(2026, 9);
        var december = SettlementPeriod.Month(2026, 12);

        // December's handling, first to see the contract: September (bills October), October and November.
        Assert.Equal([september, september.Next(), september.Next().Next()], SettlementDue.MissedAdvanceBillsBefore(contract, december, [], issuedByEarlierRuns: false));

        // Redelivered after storing September's and October's: only November is left.
        Assert.Equal([september.Next().Next()], SettlementDue.MissedAdvanceBillsBefore(contract, december, [september, september.Next()], issuedByEarlierRuns: false));

        // Once a run issued a statement, the runs bill period by period: nothing is caught up (finance re-runs a missed one).
        Assert.Empty(SettlementDue.MissedAdvanceBillsBefore(contract, december, [september], issuedByEarlierRuns: true));

        // The run of the period before service starts has nothing missed before it.
        Assert.Empty(SettlementDue.MissedAdvanceBillsBefore(contract, september, [], issuedByEarlierRuns: false));
    }

    private static Contract Active(TermsInput input) => SampleContracts.Active(new StubCalendar(), Terms.Create(input).Value);

    private static Contract Terminated(TermsInput input, Instant at) => Active(input).Terminate("material breach", SampleContracts.FinanceUser, at).Value;
}
