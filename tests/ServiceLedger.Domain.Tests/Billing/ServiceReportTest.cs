namespace ServiceLedger.Domain.Tests.Billing;

using NodaTime;
using ServiceLedger.Domain.Billing;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Money;
using ServiceLedger.TestSupport.Contracts;

public sealed class ServiceReportTest
{
    private static readonly SettlementPeriod October = SettlementPeriod.Month(2026, 10);
    private static readonly Instant At = Instant.FromUtc(2026, 11, 2, 1, 0);

    internal static ServiceFigures Figures(long inquiries = 1_000, long converted = 120, string sales = "50000.00") =>
        ServiceFigures.Create(inquiries, converted, new Money(decimal.Parse(sales, System.Globalization.CultureInfo.InvariantCulture), Currency.Cny), 30, Rate.Of(0.98m), null, null, null).Value;

    private static ServiceReportHistory Empty => ServiceReportHistory.Empty(SampleContracts.Id, October);

    [Fact]
    public void First_submission_is_version_1_and_submitted()
    {
        var change = Empty.Submit(Figures(), SampleContracts.VendorUser, At).Value;

        Assert.True(change.Changed);
        Assert.Equal(1, change.Report.Version);
        Assert.Equal(ServiceReportStatus.Submitted, change.Report.Status);
        Assert.Equal(SampleContracts.VendorUser, change.Report.SubmittedBy);
    }

    [Fact]
    public void Sending_the_latest_figures_again_changes_nothing()
    {
        var history = Empty.With(Empty.Submit(Figures(), SampleContracts.VendorUser, At).Value.Report);

        var again = history.Submit(Figures(), SampleContracts.VendorUser, At.Plus(Duration.FromMinutes(5))).Value;

        Assert.False(again.Changed);
        Assert.Equal(1, again.Report.Version);
        Assert.Equal(At, again.Report.SubmittedAt);
    }

    [Fact]
    public void A_correction_is_a_new_version_and_the_old_one_stays_readable()
    {
        var history = Empty.With(Empty.Submit(Figures(), SampleContracts.VendorUser, At).Value.Report);

        var corrected = history.Submit(Figures(converted: 130), SampleContracts.VendorUser, At).Value;
        history = history.With(corrected.Report);

        Assert.Equal(2, history.Latest!.Version);
        Assert.Equal(120, history.Versions[0].Figures.ConvertedInquiries);
        Assert.Equal(130, history.Versions[1].Figures.ConvertedInquiries);
    }

    [Fact]
    public void Only_a_vendor_submits_and_only_a_merchant_reviews()
    {
        var refused = Empty.Submit(Figures(), SampleContracts.MerchantUser, At);
        var history = Empty.With(Empty.Submit(Figures(), SampleContracts.VendorUser, At).Value.Report);
        var selfConfirmed = history.Confirm(1, SampleContracts.VendorUser, At);

        Assert.Equal(BillingRule.ActorNotAllowed, Assert.Single(refused.Refusals).Code);
        Assert.Equal(BillingRule.ActorNotAllowed, Assert.Single(selfConfirmed.Refusals).Code);
    }

    [Fact]
    public void Merchant_confirms_the_latest_and_a_repeat_changes_nothing()
    {
        var history = Empty.With(Empty.Submit(Figures(), SampleContracts.VendorUser, At).Value.Report);

        var confirmed = history.Confirm(1, SampleContracts.MerchantUser, At).Value;
        history = history.With(confirmed.Report);
        var repeated = history.Confirm(1, SampleContracts.MerchantUser, At.Plus(Duration.FromHours(1))).Value;

        Assert.True(confirmed.Changed);
        Assert.Equal(ServiceReportStatus.Confirmed, history.Latest!.Status);
        Assert.False(repeated.Changed);
        Assert.Equal(At, repeated.Report.Review!.At);
    }

    [Fact]
    public void Contesting_a_confirmed_version_is_refused_as_already_reviewed()
    {
        var history = Empty.With(Empty.Submit(Figures(), SampleContracts.VendorUser, At).Value.Report);
        history = history.With(history.Confirm(1, SampleContracts.MerchantUser, At).Value.Report);

        var contested = history.Contest(1, "Sales are too high", SampleContracts.MerchantUser, At);

        Assert.Equal(BillingRule.AlreadyReviewed, Assert.Single(contested.Refusals).Code);
    }

    [Fact]
    public void A_superseded_version_cannot_be_reviewed_and_an_unknown_one_is_named()
    {
        var history = Empty.With(Empty.Submit(Figures(), SampleContracts.VendorUser, At).Value.Report);
        history = history.With(history.Submit(Figures(converted: 121), SampleContracts.VendorUser, At).Value.Report);

        Assert.Equal(BillingRule.VersionSuperseded, Assert.Single(history.Confirm(1, SampleContracts.MerchantUser, At).Refusals).Code);
        var unknown = Assert.Single(history.Confirm(3, SampleContracts.MerchantUser, At).Refusals);
        Assert.Equal((BillingRule.VersionUnknown, "version"), (unknown.Code, unknown.Field));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    public void Contest_needs_a_reason(string? reason)
    {
        var history = Empty.With(Empty.Submit(Figures(), SampleContracts.VendorUser, At).Value.Report);

        var refusal = Assert.Single(history.Contest(1, reason, SampleContracts.MerchantUser, At).Refusals);

        Assert.Equal((BillingRule.ReasonInvalid, "reason"), (refusal.Code, refusal.Field));
    }

    [Fact]
    public void Contest_records_the_trimmed_reason()
    {
        var history = Empty.With(Empty.Submit(Figures(), SampleContracts.VendorUser, At).Value.Report);

        var contested = history.Contest(1, "  Our shop export shows 100 conversions ", SampleContracts.MerchantUser, At).Value.Report;

        Assert.Equal(ServiceReportStatus.Contested, contested.Status);
        Assert.Equal("Our shop export shows 100 conversions", contested.Review!.Reason);
    }

    [Fact]
    public void History_of_stored_versions_with_a_gap_is_corrupt()
    {
        var first = Empty.Submit(Figures(), SampleContracts.VendorUser, At).Value.Report;

        Assert.Throws<InvalidOperationException>(() => ServiceReportHistory.Of(SampleContracts.Id, October, [first with { Version = 2 }]));
    }

    [Fact]
    public void Versions_stop_at_the_limit()
    {
        var history = Empty;
        for (var version = 1; version <= BillingLimits.MaxVersionsPerPeriod; version++)
        {
            history = history.With(history.Submit(Figures(converted: version % 500), SampleContracts.VendorUser, At).Value.Report);
        }

        var refused = history.Submit(Figures(converted: 999), SampleContracts.VendorUser, At);

        Assert.Equal(BillingRule.TooManyVersions, Assert.Single(refused.Refusals).Code);
        Assert.True(BillingLimits.MaxVersionsPerPeriod < Math.Pow(10, BillingLimits.VersionDigits), "the zero-padded version must hold every version");
    }
}
