namespace ServiceLedger.Domain.Tests.Contracts;

using NodaTime;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Ledger;
using static ServiceLedger.Domain.Tests.Contracts.ContractLifecycleTest;
using static ServiceLedger.TestSupport.Contracts.SampleContracts;
using SampleTerms = ServiceLedger.TestSupport.Contracts.SampleTerms;

public sealed class AmendmentTest
{
    private static readonly StubCalendar Calendar = new();
    private static readonly LocalDate January = new(2027, 1, 1);
    private static readonly Terms MoreSeats = Terms.Create(SampleTerms.Input with
    {
        Seats = [new SeatInput { AgentType = "pre-sales", Count = 20, MonthlyRate = SampleTerms.Cny("6000.00") }],
    }).Value;

    [Fact]
    public void An_amendment_takes_effect_on_its_date_once_approved_and_signed_by_both()
    {
        var proposed = Active(Calendar).ProposeAmendment(MoreSeats, January, Policy, AccountingPeriods.None, MerchantUser, At).Value;
        var approved = proposed.Approve(Approver, At).Value.Approve(FinanceUser, At).Value;
        var signed = approved.Sign(VendorUser, At, Calendar, AccountingPeriods.None).Value.Sign(MerchantUser, At, Calendar, AccountingPeriods.None).Value;

        Assert.Equal(ContractStatus.Active, proposed.Status);
        Assert.Equal((2, VersionStatus.PendingApproval), (proposed.PendingVersion!.Number, proposed.PendingVersion.Status));
        Assert.Equal(VersionStatus.Approved, approved.Versions[1].Status);
        Assert.Equal(VersionStatus.Signed, signed.Versions[1].Status);
        Assert.Null(signed.PendingVersion);
        Assert.Same(signed.Versions[0].Terms, signed.TermsOn(January.PlusDays(-1)));
        Assert.Same(MoreSeats, signed.TermsOn(January));
        Assert.Same(MoreSeats, signed.CurrentVersion.Terms);
        Assert.Equal(ContractStatus.Active, signed.Status);
    }

    [Fact]
    public void An_amendment_follows_the_approval_thresholds_of_its_own_terms()
    {
        var bigger = SampleTerms.WithMonthlyFee("500000.00");

        var proposed = Active(Calendar).ProposeAmendment(bigger, January, Policy, AccountingPeriods.None, FinanceUser, At).Value;

        Assert.Equal([ApprovalKind.Platform, ApprovalKind.Finance, ApprovalKind.Executive], proposed.PendingVersion!.RequiredApprovals);
    }

    [Fact]
    public void Only_signed_contracts_are_amended()
    {
        AssertIllegal(Approved().ProposeAmendment(MoreSeats, January, Policy, AccountingPeriods.None, MerchantUser, At), "Approved");
    }

    [Fact]
    public void Vendors_do_not_propose_amendments()
    {
        AssertRefused(Active(Calendar).ProposeAmendment(MoreSeats, January, Policy, AccountingPeriods.None, VendorUser, At), ContractRule.ActorNotAllowed, "role");
    }

    [Fact]
    public void One_amendment_is_pending_at_a_time()
    {
        var proposed = Active(Calendar).ProposeAmendment(MoreSeats, January, Policy, AccountingPeriods.None, MerchantUser, At).Value;

        AssertRefused(proposed.ProposeAmendment(MoreSeats, January.PlusDays(1), Policy, AccountingPeriods.None, MerchantUser, At), ContractRule.AmendmentAlreadyPending, "terms");
    }

    [Fact]
    public void An_amendment_cannot_change_the_currency()
    {
        var dollars = Terms.Create(SampleTerms.Input with
        {
            Currency = "USD",
            Seats = [new SeatInput { AgentType = "pre-sales", Count = 1, MonthlyRate = new MoneyInput { Amount = "900", Currency = "USD" } }],
        }).Value;

        AssertRefused(Active(Calendar).ProposeAmendment(dollars, January, Policy, AccountingPeriods.None, MerchantUser, At), ContractRule.AmendmentCannotChangeCurrency, "terms.currency");
    }

    [Fact]
    public void An_amendment_takes_effect_after_the_version_it_replaces_and_within_its_term()
    {
        var active = Active(Calendar);

        AssertRefused(active.ProposeAmendment(MoreSeats, new LocalDate(2026, 10, 1), Policy, AccountingPeriods.None, MerchantUser, At), ContractRule.AmendmentEffectiveDateInvalid, "effectiveFrom");
        AssertRefused(active.ProposeAmendment(MoreSeats, new LocalDate(2027, 10, 1), Policy, AccountingPeriods.None, MerchantUser, At), ContractRule.AmendmentEffectiveDateInvalid, "effectiveFrom");
    }

    [Fact]
    public void An_amendment_is_never_effective_in_a_closed_period()
    {
        var closedNovember = ClosedThrough(new YearMonth(2026, 11));

        var result = Active(Calendar).ProposeAmendment(MoreSeats, new LocalDate(2026, 11, 15), Policy, closedNovember, MerchantUser, At);

        AssertRefused(result, LedgerRule.EffectiveDateInClosedPeriod, "effectiveFrom");
        Assert.True(Active(Calendar).ProposeAmendment(MoreSeats, new LocalDate(2026, 12, 1), Policy, closedNovember, MerchantUser, At).IsValid);
    }

    [Fact]
    public void A_period_closed_while_the_amendment_waited_stops_it_at_signing()
    {
        var approved = Active(Calendar).ProposeAmendment(MoreSeats, new LocalDate(2026, 11, 15), Policy, AccountingPeriods.None, MerchantUser, At).Value
            .Approve(Approver, At).Value.Approve(FinanceUser, At).Value
            .Sign(MerchantUser, At, Calendar, AccountingPeriods.None).Value;

        var result = approved.Sign(VendorUser, At, Calendar, ClosedThrough(new YearMonth(2026, 11)));

        AssertRefused(result, LedgerRule.EffectiveDateInClosedPeriod, "effectiveFrom");
    }

    [Fact]
    public void Terminating_withdraws_a_pending_amendment()
    {
        var proposed = Active(Calendar).ProposeAmendment(MoreSeats, January, Policy, AccountingPeriods.None, MerchantUser, At).Value;

        var terminated = proposed.Terminate("Merchant closed the shop", FinanceUser, At).Value;

        Assert.Equal(VersionStatus.Withdrawn, terminated.Versions[1].Status);
        Assert.Null(terminated.PendingVersion);
        Assert.Same(proposed.Versions[0].Terms, terminated.CurrentVersion.Terms);
    }

    private static AccountingPeriods ClosedThrough(YearMonth period)
    {
        var closing = AccountingPeriods.None
            .ProposeClosing(period, "finance-1", Instant.FromUtc(2026, 12, 2, 0, 0), new LocalDate(2026, 12, 2), EntryHash.Of([1, 2, 3]))
            .Value;
        return AccountingPeriods.None.With(closing);
    }
}
