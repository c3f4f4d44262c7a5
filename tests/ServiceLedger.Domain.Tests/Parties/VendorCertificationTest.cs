using NodaTime;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Domain.Parties;
using static ServiceLedger.Domain.Tests.Parties.PartyTestData;

namespace ServiceLedger.Domain.Tests.Parties;

public sealed class VendorCertificationTest
{
    private static readonly Instant Later = Now + Duration.FromDays(1);

    public static TheoryData<string, string, bool> Transitions => new()
    {
        // from, action, allowed
        { "Applied", "certify", true },
        { "Applied", "suspend", false },
        { "Applied", "revoke", true },
        { "Certified", "certify", false },
        { "Certified", "suspend", true },
        { "Certified", "revoke", true },
        { "Suspended", "certify", true },
        { "Suspended", "suspend", false },
        { "Suspended", "revoke", true },
        { "Revoked", "certify", false },
        { "Revoked", "suspend", false },
        { "Revoked", "revoke", false },
    };

    private static Vendor In(string status) => status switch
    {
        "Applied" => Applied(),
        "Certified" => Certified(),
        "Suspended" => Certified().Suspend(Approver, Now, "Missed SLA three months running").Value,
        "Revoked" => Applied().Revoke(Approver, Now, "Licence is forged").Value,
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    private static Validated<Vendor> Act(Vendor vendor, string action, Actor by, Instant at, string? reason) => action switch
    {
        "certify" => vendor.Certify(by, at, reason),
        "suspend" => vendor.Suspend(by, at, reason),
        "revoke" => vendor.Revoke(by, at, reason),
        _ => throw new ArgumentOutOfRangeException(nameof(action)),
    };

    [Theory]
    [MemberData(nameof(Transitions))]
    public void Each_change_is_allowed_only_from_its_statuses_and_a_refusal_names_the_current_one(string from, string action, bool allowed)
    {
        var vendor = In(from);

        var result = Act(vendor, action, Approver, Later, "Reviewed by the board");

        Assert.Equal(allowed, result.IsValid);
        if (allowed)
        {
            var change = result.Value.History[^1];
            Assert.Equal(vendor.History.Count + 1, result.Value.History.Count);
            Assert.Equal((Approver, Later, "Reviewed by the board"), (change.By, change.At, change.Reason));
            Assert.Equal(vendor.History, result.Value.History.Take(vendor.History.Count));
        }
        else
        {
            var refusal = Assert.Single(result.Refusals);
            Assert.Equal((PartyRule.TransitionNotAllowed, "status"), (refusal.Code, refusal.Field));
            Assert.Contains($"is {from};", refusal.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_statuses_reached_are_certified_suspended_and_revoked()
    {
        Assert.Equal(CertificationStatus.Certified, In("Certified").Status);
        Assert.Equal(CertificationStatus.Suspended, In("Suspended").Status);
        Assert.Equal(CertificationStatus.Revoked, In("Revoked").Status);
        Assert.Equal(CertificationStatus.Certified, In("Suspended").Certify(Approver, Later, "Back on track").Value.Status);
    }

    [Theory]
    [InlineData(ActorRole.Finance)]
    [InlineData(ActorRole.Merchant)]
    [InlineData(ActorRole.Vendor)]
    public void Only_an_approver_may_change_a_certification(ActorRole role)
    {
        var actor = Actor.Create(role, "someone", "actor").Value;

        var refusal = Assert.Single(Applied().Certify(actor, Later, "Looks fine").Refusals);

        Assert.Equal(PartyRule.ActorMustBeApprover, refusal.Code);
    }

    [Theory]
    [InlineData(null, PartyRule.FieldRequired)]
    [InlineData("  ", PartyRule.FieldRequired)]
    [InlineData("bad\u0000reason", PartyRule.TextMustBePlain)]
    public void A_reason_is_required(string? reason, string code)
    {
        var refusal = Assert.Single(Applied().Certify(Approver, Later, reason).Refusals);

        Assert.Equal((code, "reason"), (refusal.Code, refusal.Field));
    }

    [Fact]
    public void Reasons_are_bounded_at_500_characters_and_may_be_chinese()
    {
        Assert.True(Applied().Certify(Approver, Later, new string('审', 500)).IsValid);
        Assert.Equal(PartyRule.TextTooLong, Assert.Single(Applied().Certify(Approver, Later, new string('审', 501)).Refusals).Code);
    }

    [Fact]
    public void Certifying_is_refused_when_a_certification_expired_by_the_day_of_the_decision()
    {
        // The telecom licence is valid through 2027-06-30; on 2027-07-01 in Shanghai it has expired.
        var decision = Instant.FromUtc(2027, 6, 30, 16, 0);

        var refusal = Assert.Single(Applied().Certify(Approver, decision, "Checked").Refusals);

        Assert.Equal((PartyRule.CertificationExpired, "certifications[1].expiresOn"), (refusal.Code, refusal.Field));
        Assert.Contains("B2-20240001", refusal.Message, StringComparison.Ordinal);
        Assert.True(Applied().Certify(Approver, decision - Duration.FromMinutes(1), "Checked").IsValid);
    }

    [Fact]
    public void History_takes_at_most_100_entries()
    {
        var vendor = Certified();
        while (vendor.History.Count < PartyLimits.MaxHistoryEntries)
        {
            vendor = (vendor.Status == CertificationStatus.Certified
                ? vendor.Suspend(Approver, Later, "Pause")
                : vendor.Certify(Approver, Later, "Resume")).Value;
        }

        var refusal = Assert.Single(vendor.Revoke(Approver, Later, "Enough").Refusals);

        Assert.Equal(PartyRule.HistoryFull, refusal.Code);
        Assert.Equal(PartyLimits.MaxHistoryEntries, Vendor.Restore(vendor.ToApplication(), vendor.History).History.Count);
    }
}
