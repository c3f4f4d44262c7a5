using System.Text;
using NodaTime;
using ServiceLedger.Functions.Adapters.Stripe;

namespace ServiceLedger.Integration.Tests.Stripe;

/// <summary>The webhook verifier against headers made by Stripe's own npm package (stripe.webhooks.generateTestHeaderString).</summary>
public sealed class StripeWebhookSignatureTests(StripeSignedHeaders headers) : IClassFixture<StripeSignedHeaders>
{
    private static readonly Instant Now = Instant.FromUnixTimeSeconds(StripeSignedHeaders.SignedAt) + Duration.FromSeconds(5);
    private static readonly Duration Tolerance = Duration.FromSeconds(StripeWebhookSignature.DefaultToleranceSeconds);
    private static readonly byte[] Body = Encoding.UTF8.GetBytes(StripeSignedHeaders.Payload);

    [Fact]
    public void A_header_signed_by_stripe_with_our_secret_is_verified()
    {
        var check = Verify(headers.Header("valid"), Body, StripeSignedHeaders.Secret);

        Assert.Equal(StripeSignatureStatus.Verified, check.Status);
        Assert.Equal(Instant.FromUnixTimeSeconds(StripeSignedHeaders.SignedAt), check.SignedAt);
    }

    [Fact]
    public void The_test_mode_v0_signature_beside_a_good_v1_does_not_disturb_verification()
    {
        Assert.Equal(StripeSignatureStatus.Verified, Verify(headers.Header("valid-with-v0"), Body, StripeSignedHeaders.Secret).Status);
    }

    [Fact]
    public void A_valid_v0_signature_alone_is_refused_so_that_no_weaker_scheme_can_stand_in_for_v1()
    {
        Assert.Equal(StripeSignatureStatus.NoV1Signature, Verify(headers.Header("only-v0"), Body, StripeSignedHeaders.Secret).Status);
    }

    [Theory]
    [InlineData(StripeSignedHeaders.Secret)]
    [InlineData(StripeSignedHeaders.OldSecret)]
    public void While_a_secret_is_rolled_a_header_with_two_v1_signatures_verifies_with_either_secret(string configured)
    {
        Assert.Equal(StripeSignatureStatus.Verified, Verify(headers.Header("rotated"), Body, configured).Status);
    }

    [Fact]
    public void With_both_secrets_configured_a_delivery_signed_only_with_the_old_one_is_verified()
    {
        Assert.Equal(
            StripeSignatureStatus.Verified,
            Verify(headers.Header("old-only"), Body, StripeSignedHeaders.Secret, StripeSignedHeaders.OldSecret).Status);
    }

    [Fact]
    public void A_header_signed_with_another_secret_is_a_mismatch()
    {
        Assert.Equal(StripeSignatureStatus.Mismatch, Verify(headers.Header("wrong-secret"), Body, StripeSignedHeaders.Secret).Status);
    }

    [Fact]
    public void A_body_with_one_extra_trailing_space_is_a_mismatch()
    {
        var tampered = Encoding.UTF8.GetBytes(StripeSignedHeaders.Payload + " ");

        Assert.Equal(StripeSignatureStatus.Mismatch, Verify(headers.Header("valid"), tampered, StripeSignedHeaders.Secret).Status);
    }

    [Fact]
    public void A_body_with_a_changed_amount_is_a_mismatch()
    {
        var tampered = Encoding.UTF8.GetBytes(StripeSignedHeaders.Payload.Replace("\"paid\"", "\"unpaid\"", StringComparison.Ordinal));

        Assert.Equal(StripeSignatureStatus.Mismatch, Verify(headers.Header("valid"), tampered, StripeSignedHeaders.Secret).Status);
    }

    [Fact]
    public void A_replayed_signature_with_a_fresh_timestamp_is_a_mismatch_because_the_timestamp_is_signed()
    {
        var stale = headers.Header("stale");
        var refreshed = stale.Replace($"t={StripeSignedHeaders.SignedAt - 301}", $"t={StripeSignedHeaders.SignedAt}", StringComparison.Ordinal);

        Assert.NotEqual(stale, refreshed);
        Assert.Equal(StripeSignatureStatus.Mismatch, Verify(refreshed, Body, StripeSignedHeaders.Secret).Status);
    }

    [Fact]
    public void A_genuine_signature_older_than_the_tolerance_is_refused_as_outside_tolerance()
    {
        // Signed 301 s before SignedAt; the clock reads SignedAt + 5 s, so the age is 306 s.
        var check = Verify(headers.Header("stale"), Body, StripeSignedHeaders.Secret);

        Assert.Equal(StripeSignatureStatus.OutsideTolerance, check.Status);
    }

    [Fact]
    public void A_signature_exactly_at_the_tolerance_is_accepted_and_one_second_more_is_not()
    {
        var signedAt = Instant.FromUnixTimeSeconds(StripeSignedHeaders.SignedAt - 300);
        var header = headers.Header("at-tolerance");

        Assert.Equal(StripeSignatureStatus.Verified, Verify(header, Body, signedAt + Tolerance, StripeSignedHeaders.Secret).Status);
        Assert.Equal(
            StripeSignatureStatus.OutsideTolerance,
            Verify(header, Body, signedAt + Tolerance + Duration.FromSeconds(1), StripeSignedHeaders.Secret).Status);
    }

    [Fact]
    public void A_signature_dated_further_ahead_than_the_tolerance_is_refused()
    {
        // Signed 400 s after SignedAt; the clock reads SignedAt + 5 s, so it is 395 s ahead.
        Assert.Equal(StripeSignatureStatus.OutsideTolerance, Verify(headers.Header("far-future"), Body, StripeSignedHeaders.Secret).Status);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void A_missing_or_empty_header_is_refused(string? header)
    {
        Assert.Equal(StripeSignatureStatus.MissingHeader, Verify(header, Body, StripeSignedHeaders.Secret).Status);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("v1=1c652e1a45be32cb86c6e1e92c9bab5a4d1d617ab63865b0102161ff31046524")]
    [InlineData("t=abc,v1=1c652e1a45be32cb86c6e1e92c9bab5a4d1d617ab63865b0102161ff31046524")]
    [InlineData("t=-1,v1=1c652e1a45be32cb86c6e1e92c9bab5a4d1d617ab63865b0102161ff31046524")]
    [InlineData("t=1,t=2,v1=1c652e1a45be32cb86c6e1e92c9bab5a4d1d617ab63865b0102161ff31046524")]
    [InlineData("t=99999999999999999999,v1=1c652e1a45be32cb86c6e1e92c9bab5a4d1d617ab63865b0102161ff31046524")]
    public void A_header_without_one_numeric_timestamp_is_malformed(string header)
    {
        Assert.Equal(StripeSignatureStatus.Malformed, Verify(header, Body, StripeSignedHeaders.Secret).Status);
    }

    [Fact]
    public void A_header_past_the_part_or_length_limit_is_malformed_before_any_hmac_is_computed()
    {
        var manyParts = "t=1" + string.Concat(Enumerable.Repeat(",v1=00", StripeWebhookSignature.MaxHeaderParts));
        var tooLong = "t=1,v1=" + new string('a', StripeWebhookSignature.MaxHeaderLength);

        Assert.Equal(StripeSignatureStatus.Malformed, Verify(manyParts, Body, StripeSignedHeaders.Secret).Status);
        Assert.Equal(StripeSignatureStatus.Malformed, Verify(tooLong, Body, StripeSignedHeaders.Secret).Status);
    }

    [Fact]
    public void A_v1_that_is_not_hex_is_skipped_and_a_good_v1_after_it_still_verifies()
    {
        var good = headers.Header("valid");
        var withJunk = good.Replace(",v1=", ",v1=zz-not-hex,v1=", StringComparison.Ordinal);

        Assert.Equal(StripeSignatureStatus.Verified, Verify(withJunk, Body, StripeSignedHeaders.Secret).Status);
    }

    [Fact]
    public void Reasons_never_contain_the_secret_or_the_signature()
    {
        var header = headers.Header("wrong-secret");
        var signature = header[(header.IndexOf("v1=", StringComparison.Ordinal) + 3)..];

        foreach (var check in new[]
        {
            Verify(header, Body, StripeSignedHeaders.Secret),
            Verify(headers.Header("stale"), Body, StripeSignedHeaders.Secret),
        })
        {
            Assert.DoesNotContain(StripeSignedHeaders.Secret, check.Reason, StringComparison.Ordinal);
            Assert.DoesNotContain(signature, check.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Stripe_node_accepts_the_v1_signature_our_code_computes_for_ascii_and_unicode_bodies()
    {
        // ComputeV1 signs the local Stripe peer's deliveries; stripe-node's constructEvent is the judge.
        Assert.Equal("ok", headers.NodeVerdict("csharp"));
        Assert.Equal("ok", headers.NodeVerdict("csharp-unicode"));
    }

    [Fact]
    public void The_vector_in_the_stripe_reference_verifies_without_node()
    {
        // shared/reference/stripe.md §3.2, checked there with stripe-node 23.1.0 and openssl.
        const string payload = "{\"id\":\"evt_test_1\",\"object\":\"event\",\"type\":\"checkout.session.completed\",\"data\":{\"object\":{\"id\":\"cs_test_1\",\"object\":\"checkout.session\",\"client_reference_id\":\"contract-42\",\"payment_status\":\"paid\"}}}";
        const string header = "t=1700000000,v1=1c652e1a45be32cb86c6e1e92c9bab5a4d1d617ab63865b0102161ff31046524";

        var check = StripeWebhookSignature.Verify(
            header, Encoding.UTF8.GetBytes(payload), ["whsec_test_secret"], Instant.FromUnixTimeSeconds(1_700_000_010), Tolerance);

        Assert.Equal(StripeSignatureStatus.Verified, check.Status);
    }

    [Fact]
    public void Verifying_without_a_secret_or_with_a_zero_tolerance_is_a_programming_error()
    {
        Assert.Throws<ArgumentException>(() => StripeWebhookSignature.Verify(headers.Header("valid"), Body, [], Now, Tolerance));
        Assert.Throws<ArgumentException>(() => StripeWebhookSignature.Verify(headers.Header("valid"), Body, [" "], Now, Tolerance));
        Assert.Throws<ArgumentOutOfRangeException>(
            () => StripeWebhookSignature.Verify(headers.Header("valid"), Body, [StripeSignedHeaders.Secret], Now, Duration.Zero));
    }

    private static StripeSignatureCheck Verify(string? header, byte[] body, params string[] secrets) =>
        StripeWebhookSignature.Verify(header, body, secrets, Now, Tolerance);

    private static StripeSignatureCheck Verify(string? header, byte[] body, Instant now, params string[] secrets) =>
        StripeWebhookSignature.Verify(header, body, secrets, now, Tolerance);
}
