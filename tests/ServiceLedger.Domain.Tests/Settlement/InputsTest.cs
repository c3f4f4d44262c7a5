using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Domain.Settlement;
using ServiceLedger.Domain.Tests.Contracts;
using ServiceLedger.TestSupport.Contracts;
using static ServiceLedger.Domain.Tests.Settlement.SettlementTestData;

namespace ServiceLedger.Domain.Tests.Settlement;

/// <summary>Building the engine's input from a contract, and what a statement shows beside its lines.</summary>
public sealed class InputsTest
{
    [Fact]
    public void Terms_versions_are_the_signed_ones_in_effective_order_without_pending_amendments()
    {
        var calendar = new StubCalendar();
        var moreSeats = TermsOf(SampleTerms.Input with { Seats = [new SeatInput { AgentType = "pre-sales", Count = 20, MonthlyRate = SampleTerms.Cny("6000.00") }] });
        var proposed = SampleContracts.Active(calendar).ProposeAmendment(moreSeats, Date("2027-01-01"), SampleContracts.Policy, AccountingPeriods.None, SampleContracts.MerchantUser, SampleContracts.At).Value;
        var approved = proposed.Approve(SampleContracts.Approver, SampleContracts.At).Value.Approve(SampleContracts.FinanceUser, SampleContracts.At).Value;
        var signed = approved.Sign(SampleContracts.VendorUser, SampleContracts.At, calendar, AccountingPeriods.None).Value
            .Sign(SampleContracts.MerchantUser, SampleContracts.At, calendar, AccountingPeriods.None).Value;
        var withPending = signed.ProposeAmendment(Monthly, Date("2027-03-01"), SampleContracts.Policy, AccountingPeriods.None, SampleContracts.MerchantUser, SampleContracts.At).Value;

        var versions = TermsInForce.FromContract(withPending);

        Assert.Equal([signed.Versions[0].EffectiveFrom, Date("2027-01-01")], versions.Select(version => version.EffectiveFrom));
        Assert.Same(moreSeats, versions[1].Terms);
    }

    [Theory]
    [InlineData(null, "2027-09-30")]
    [InlineData("2027-03-20", "2027-03-20")]
    [InlineData("2028-01-01", "2027-09-30")] // a "termination" after the term's end changes nothing
    public void Service_window_ends_at_the_last_day_served_or_the_term_end(string? lastServiceDay, string expectedLastDay)
    {
        var window = ServiceWindow.Of(Monthly.Term, lastServiceDay is null ? null : Date(lastServiceDay));

        Assert.Equal((Date("2026-10-01"), Date(expectedLastDay)), (window.FirstDay, window.LastDay));
    }

    [Fact]
    public void Vendor_net_payable_holds_back_disputed_amounts()
    {
        // Vendor share 30,400.00 (see the first worked example) less 1,000.00 held.
        var statement = Settle(Input(Monthly, SettlementPeriod.Month(2027, 3), Figures(1000, 299, 200_000m)) with
        {
            Held = [new HeldAmount(Cn(1_000m), "dsp_9")],
        });

        Assert.Equal(Cn(29_400m), statement.VendorNetPayable);
    }

    [Fact]
    public void Statement_id_derives_from_contract_period_and_version()
    {
        var id = StatementId.For(TestContract, SettlementPeriod.Quarter(2027, 1), 2);

        Assert.Equal($"stm_{TestContract.Value[4..]}_2027-Q1_v2", id.Value);
        Assert.True(SourceReference.Parse("statement", id.Value, "reference").IsValid);
    }
}
