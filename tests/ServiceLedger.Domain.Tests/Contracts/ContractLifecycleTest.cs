namespace ServiceLedger.Domain.Tests.Contracts;

using NodaTime;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Ledger;
using static ServiceLedger.TestSupport.Contracts.SampleContracts;
using SampleTerms = ServiceLedger.TestSupport.Contracts.SampleTerms;

public sealed class ContractLifecycleTest
{
    private static readonly StubCalendar Calendar = new();

    [Fact]
    public void A_merchant_drafts_a_contract_and_the_draft_is_recorded_with_who_and_when()
    {
        var contract = Draft();

        Assert.Equal(ContractStatus.Draft, contract.Status);
        Assert.Equal(1, contract.Revision);
        var drafted = Assert.Single(contract.History);
        Assert.Equal((ContractActions.Drafted, MerchantUser, At), (drafted.Action, drafted.By, drafted.At));
        Assert.Equal(new LocalDate(2026, 10, 1), contract.Versions[0].EffectiveFrom);
    }

    [Fact]
    public void Finance_may_draft_but_a_vendor_may_not()
    {
        Assert.True(Contract.Draft(Id, Merchant, Vendor, SampleTerms.Valid, FinanceUser, At).IsValid);
        AssertRefused(Contract.Draft(Id, Merchant, Vendor, SampleTerms.Valid, VendorUser, At), ContractRule.ActorNotAllowed, "role");
    }

    [Fact]
    public void Draft_terms_can_be_replaced_until_submission()
    {
        var replaced = Draft().ReplaceTerms(SampleTerms.WithMonthlyFee("100.00"), MerchantUser, At).Value;

        Assert.Equal(1_200m, replaced.Versions[0].Terms.AnnualValue.Amount);
        Assert.Equal(2, replaced.Revision);
        AssertIllegal(Pending().ReplaceTerms(SampleTerms.Valid, MerchantUser, At), "PendingApproval");
    }

    [Fact]
    public void Submitting_fixes_the_approvals_the_annual_value_needs()
    {
        Assert.Equal([ApprovalKind.Platform], Pending(SampleTerms.WithMonthlyFee("83333.33")).PendingVersion!.RequiredApprovals);
        Assert.Equal([ApprovalKind.Platform, ApprovalKind.Finance], Pending(SampleTerms.WithMonthlyFee("83333.34")).PendingVersion!.RequiredApprovals);
        Assert.Equal([ApprovalKind.Platform, ApprovalKind.Finance], Pending(SampleTerms.WithMonthlyFee("416666.66")).PendingVersion!.RequiredApprovals);
        Assert.Equal(
            [ApprovalKind.Platform, ApprovalKind.Finance, ApprovalKind.Executive],
            Pending(SampleTerms.WithMonthlyFee("416666.67")).PendingVersion!.RequiredApprovals);
    }

    [Fact]
    public void Submitting_twice_is_refused_naming_the_current_state()
    {
        AssertIllegal(Pending().Submit(Policy, MerchantUser, At), "PendingApproval");
    }

    [Fact]
    public void A_small_contract_is_approved_by_one_approver()
    {
        var contract = Pending(SampleTerms.WithMonthlyFee("1000.00")).Approve(Approver, At).Value;

        Assert.Equal(ContractStatus.Approved, contract.Status);
        Assert.Equal(ApprovalKind.Platform, Assert.Single(contract.Versions[0].Approvals).Kind);
    }

    [Fact]
    public void A_finance_approval_is_refused_when_the_contract_does_not_need_one()
    {
        AssertRefused(Pending(SampleTerms.WithMonthlyFee("1000.00")).Approve(FinanceUser, At), ContractRule.ApprovalNotNeeded, "role");
    }

    [Fact]
    public void Above_the_first_threshold_the_contract_waits_for_finance_after_the_platform_approval()
    {
        var platformOnly = Pending().Approve(Approver, At).Value;
        var both = platformOnly.Approve(FinanceUser, At).Value;

        Assert.Equal(ContractStatus.PendingApproval, platformOnly.Status);
        Assert.Equal([ApprovalKind.Finance], platformOnly.PendingVersion!.MissingApprovals);
        Assert.Equal(ContractStatus.Approved, both.Status);
    }

    [Fact]
    public void Finance_may_approve_before_the_platform()
    {
        var contract = Pending().Approve(FinanceUser, At).Value.Approve(Approver, At).Value;

        Assert.Equal(ContractStatus.Approved, contract.Status);
    }

    [Fact]
    public void Above_the_second_threshold_a_different_approver_gives_the_executive_approval()
    {
        var pending = Pending(SampleTerms.WithMonthlyFee("500000.00")).Approve(Approver, At).Value.Approve(FinanceUser, At).Value;

        AssertRefused(pending.Approve(Approver, At), ContractRule.ApproverAlreadyApproved, "role");
        var approved = pending.Approve(Executive, At).Value;

        Assert.Equal(ContractStatus.Approved, approved.Status);
        Assert.Equal(
            [(ApprovalKind.Platform, Approver), (ApprovalKind.Finance, FinanceUser), (ApprovalKind.Executive, Executive)],
            approved.Versions[0].Approvals.Select(approval => (approval.Kind, approval.By)));
    }

    [Fact]
    public void An_approver_approving_again_when_nothing_more_is_needed_is_told_so()
    {
        var pending = Pending().Approve(Approver, At).Value;

        AssertRefused(pending.Approve(Executive, At), ContractRule.ApprovalNotNeeded, "role");
    }

    [Fact]
    public void Merchants_and_vendors_do_not_approve()
    {
        AssertRefused(Pending().Approve(MerchantUser, At), ContractRule.ActorNotAllowed, "role");
        AssertRefused(Pending().Approve(VendorUser, At), ContractRule.ActorNotAllowed, "role");
    }

    [Fact]
    public void A_draft_cannot_be_approved_and_the_refusal_names_its_state()
    {
        AssertIllegal(Draft().Approve(Approver, At), "Draft");
    }

    [Fact]
    public void Approving_a_version_other_than_the_pending_one_is_refused()
    {
        AssertRefused(Pending().Approve(Approver, At, version: 2), ContractRule.VersionMismatch, "version");
    }

    [Fact]
    public void Both_parties_sign_and_only_then_the_contract_is_signed()
    {
        var merchantSigned = Approved().Sign(MerchantUser, At, Calendar, AccountingPeriods.None).Value;
        var signed = merchantSigned.Sign(VendorUser, At, Calendar, AccountingPeriods.None).Value;

        Assert.Equal(ContractStatus.Approved, merchantSigned.Status);
        Assert.Null(merchantSigned.SignedOn);
        Assert.Equal(ContractStatus.Signed, signed.Status);
        Assert.Equal(VersionStatus.Signed, signed.Versions[0].Status);
        Assert.Equal(new LocalDate(2026, 9, 29), signed.SignedOn);
        Assert.Equal(new LocalDate(2026, 10, 1), signed.FirstBaseFeeDueOn);
    }

    [Fact]
    public void The_vendor_may_sign_first()
    {
        var signed = Approved().Sign(VendorUser, At, Calendar, AccountingPeriods.None).Value.Sign(MerchantUser, At, Calendar, AccountingPeriods.None).Value;

        Assert.Equal(ContractStatus.Signed, signed.Status);
    }

    [Fact]
    public void The_signing_day_is_the_day_in_the_contracts_time_zone()
    {
        // 2026-09-29T17:30Z is already Wednesday 2026-09-30 01:30 in Shanghai.
        var signed = SignedByBoth(Calendar, signedAt: Instant.FromUtc(2026, 9, 29, 17, 30));

        Assert.Equal(new LocalDate(2026, 9, 30), signed.SignedOn);
        Assert.Equal(new LocalDate(2026, 10, 2), signed.FirstBaseFeeDueOn);
    }

    [Fact]
    public void A_party_signs_once()
    {
        var merchantSigned = Approved().Sign(MerchantUser, At, Calendar, AccountingPeriods.None).Value;

        AssertRefused(merchantSigned.Sign(MerchantUser, At, Calendar, AccountingPeriods.None), ContractRule.AlreadySigned, "role");
    }

    [Fact]
    public void Signing_before_approval_is_refused_naming_the_state()
    {
        AssertIllegal(Pending().Sign(MerchantUser, At, Calendar, AccountingPeriods.None), "PendingApproval");
    }

    [Fact]
    public void Finance_and_approvers_do_not_sign()
    {
        AssertRefused(Approved().Sign(FinanceUser, At, Calendar, AccountingPeriods.None), ContractRule.ActorNotAllowed, "role");
        AssertRefused(Approved().Sign(Approver, At, Calendar, AccountingPeriods.None), ContractRule.ActorNotAllowed, "role");
    }

    [Fact]
    public void Signing_in_a_year_the_calendar_does_not_know_is_refused_and_nothing_is_signed()
    {
        var approved = Approved();
        var late = Instant.FromUtc(2027, 12, 31, 2, 0);

        var merchantSigned = approved.Sign(MerchantUser, late, Calendar, AccountingPeriods.None).Value;
        var result = merchantSigned.Sign(VendorUser, late, Calendar, AccountingPeriods.None);

        Assert.False(result.IsValid);
        Assert.Equal("HolidayScheduleMissing", Assert.Single(result.Refusals).Code);
    }

    [Fact]
    public void The_deposit_activates_a_signed_contract_once()
    {
        var signed = SignedByBoth(Calendar);

        var active = signed.Activate("contract:x:deposit", FinanceUser, At).Value;
        var again = active.Activate("contract:x:deposit", FinanceUser, At).Value;

        Assert.Equal(ContractStatus.Active, active.Status);
        Assert.Equal("contract:x:deposit", active.DepositEntryRef);
        Assert.Same(active, again);
        AssertIllegal(active.Activate("contract:x:another", FinanceUser, At), "Active");
    }

    [Fact]
    public void An_unsigned_contract_cannot_be_activated()
    {
        AssertIllegal(Approved().Activate("contract:x:deposit", FinanceUser, At), "Approved");
    }

    [Fact]
    public void Suspension_needs_a_reason_and_can_be_lifted()
    {
        var active = Active(Calendar);

        AssertRefused(active.Suspend(" ", FinanceUser, At), ContractRule.TextInvalid, "reason");
        var suspended = active.Suspend("Two statements unpaid", FinanceUser, At).Value;
        var resumed = suspended.Resume(Approver, At).Value;

        Assert.Equal((ContractStatus.Suspended, "Two statements unpaid"), (suspended.Status, suspended.Reason));
        Assert.Equal((ContractStatus.Active, null), (resumed.Status, resumed.Reason));
        AssertIllegal(resumed.Resume(Approver, At), "Active");
    }

    [Fact]
    public void Only_active_contracts_are_suspended()
    {
        AssertIllegal(SignedByBoth(Calendar).Suspend("why", FinanceUser, At), "Signed");
    }

    [Fact]
    public void Termination_records_its_reason_and_is_final()
    {
        var terminated = Active(Calendar).Terminate("Material breach: SLA missed three periods running", Approver, At).Value;

        Assert.Equal(ContractStatus.Terminated, terminated.Status);
        Assert.True(terminated.IsFinal);
        var last = terminated.History[^1];
        Assert.Equal((ContractActions.Terminated, ContractStatus.Active, ContractStatus.Terminated, Approver), (last.Action, last.From, last.To, last.By));
        Assert.Equal("Material breach: SLA missed three periods running", last.Reason);
        AssertIllegal(terminated.Terminate("again", Approver, At), "Terminated");
        AssertIllegal(terminated.Suspend("later", Approver, At), "Terminated");
    }

    [Fact]
    public void Merchants_do_not_terminate()
    {
        AssertRefused(Active(Calendar).Terminate("leaving", MerchantUser, At), ContractRule.ActorNotAllowed, "role");
    }

    [Fact]
    public void A_contract_expires_only_after_its_last_day_and_only_without_auto_renewal()
    {
        var active = Active(Calendar);

        AssertRefused(active.Expire(new LocalDate(2027, 9, 30), FinanceUser, At), ContractRule.TermNotEnded, "status");
        Assert.Equal(ContractStatus.Expired, active.Expire(new LocalDate(2027, 10, 1), FinanceUser, At).Value.Status);

        var renewing = Active(Calendar, Terms.Create(SampleTerms.Input with { Term = SampleTerms.Input.Term! with { AutoRenew = true } }).Value);
        AssertRefused(renewing.Expire(new LocalDate(2028, 1, 1), FinanceUser, At), ContractRule.TermNotEnded, "status");
    }

    [Fact]
    public void Each_action_raises_the_revision_by_one_and_appends_one_event()
    {
        var contract = Active(Calendar);

        Assert.Equal(contract.History.Count, contract.Revision);
        Assert.Equal(
            [ContractActions.Drafted, ContractActions.Submitted, ContractActions.Approved, ContractActions.Approved, ContractActions.Signed, ContractActions.Signed, ContractActions.Activated],
            contract.History.Select(entry => entry.Action));
        Assert.Equal(
            [ContractStatus.Draft, ContractStatus.PendingApproval, ContractStatus.PendingApproval, ContractStatus.Approved, ContractStatus.Approved, ContractStatus.Signed, ContractStatus.Active],
            contract.History.Select(entry => entry.To));
    }

    [Fact]
    public void Restoring_a_contract_with_two_pending_versions_throws()
    {
        var active = Active(Calendar);
        var broken = active.Versions.Select(version => version with { Status = VersionStatus.PendingApproval }).ToArray();

        Assert.Throws<InvalidOperationException>(() => Contract.Restore(
            active.Id, active.Merchant, active.Vendor, active.Status, [.. broken, broken[0] with { Number = 2 }], active.History, active.Revision, null, null, null, null));
    }

    [Fact]
    public void Restoring_what_a_contract_holds_gives_an_equal_contract()
    {
        var active = Active(Calendar);

        var restored = Contract.Restore(
            active.Id, active.Merchant, active.Vendor, active.Status, active.Versions, active.History, active.Revision,
            active.SignedOn, active.FirstBaseFeeDueOn, active.DepositEntryRef, active.Reason);

        Assert.Equal(active, restored);
    }

    internal static void AssertRefused(Validated<Contract> result, string code, string field)
    {
        Assert.False(result.IsValid, $"expected {code} at {field}");
        Assert.Contains(result.Refusals, refusal => refusal.Code == code && refusal.Field == field);
    }

    internal static void AssertIllegal(Validated<Contract> result, string currentState)
    {
        var refusal = Assert.Single(result.Refusals);
        Assert.Equal(ContractRule.IllegalTransition, refusal.Code);
        Assert.Contains($"is {currentState}", refusal.Message, StringComparison.Ordinal);
    }
}
