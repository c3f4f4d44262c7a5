using System.Text.Json;
using Microsoft.Extensions.Configuration;
using ServiceLedger.Domain.Money;
using ServiceLedger.Functions.Adapters.Stripe;
using ServiceLedger.Functions.Configuration;
using ServiceLedger.TestSupport.Stripe;

namespace ServiceLedger.Integration.Tests.Stripe;

/// <summary>Amounts, keys, options and object shapes of the Stripe adapter, without a network.</summary>
public sealed class StripeValuesTests
{
    [Theory]
    [InlineData("1500.00", "EUR", 150000, "eur")]
    [InlineData("500", "JPY", 500, "jpy")]
    [InlineData("5.120", "KWD", 5120, "kwd")]
    [InlineData("0.01", "CNY", 1, "cny")]
    public void Money_becomes_stripe_minor_units_with_a_lower_case_currency(string amount, string currency, long minor, string code)
    {
        var money = new Money(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), Currency.FromCode(currency));

        Assert.Equal(new StripeAmount(minor, code), StripeAmount.FromMoney(money));
    }

    [Fact]
    public void A_three_decimal_amount_whose_last_digit_is_not_zero_is_refused_as_stripe_would()
    {
        Assert.Throws<ArgumentException>(() => StripeAmount.FromMoney(new Money(5.125m, Currency.FromCode("KWD"))));
    }

    [Fact]
    public void A_stripe_amount_in_a_known_currency_reads_back_as_domain_money_and_an_unknown_one_does_not()
    {
        Assert.True(new StripeAmount(150000, "eur").TryToMoney(out var money));
        Assert.Equal(new Money(1500m, Currency.FromCode("EUR")), money);
        Assert.False(new StripeAmount(100, "xts").TryToMoney(out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("non-ascii-ü")]
    public void An_idempotency_key_is_printable_ascii_without_spaces(string cause)
    {
        Assert.ThrowsAny<ArgumentException>(() => StripeIdempotencyKey.From(cause));
    }

    [Fact]
    public void An_idempotency_key_may_be_255_characters_and_not_256()
    {
        Assert.Equal(255, StripeIdempotencyKey.From(new string('k', 255)).Value.Length);
        Assert.Throws<ArgumentException>(() => StripeIdempotencyKey.From(new string('k', 256)));
    }

    [Fact]
    public void Options_read_the_key_the_api_base_and_every_rolled_webhook_secret_and_never_print_a_secret()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [AppSettings.StripeSecretKey] = "sk_test_options_secret_123",
            [AppSettings.StripeApiBase] = "http://127.0.0.1:12111",
            [AppSettings.StripeWebhookSecret] = " whsec_new , whsec_old ,",
        }).Build();

        var options = StripeOptions.FromConfiguration(configuration);
        var secrets = StripeWebhookSecrets.FromConfiguration(configuration);

        Assert.Equal(new Uri("http://127.0.0.1:12111/"), options.ApiBase);
        Assert.Equal(["whsec_new", "whsec_old"], secrets.Secrets);
        Assert.DoesNotContain("sk_test", options.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("whsec", secrets.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Options_without_a_secret_key_name_the_setting_and_a_publishable_key_is_refused_without_echoing_it()
    {
        var missing = Assert.Throws<InvalidOperationException>(() => StripeOptions.FromConfiguration(new ConfigurationBuilder().Build()));
        var publishable = Assert.Throws<ArgumentException>(() => new StripeOptions("pk_test_public_value"));

        Assert.Contains(AppSettings.StripeSecretKey, missing.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pk_test_public_value", publishable.Message, StringComparison.Ordinal);
        Assert.Equal(StripeOptions.DefaultApiBase, new StripeOptions("sk_test_x").ApiBase);
        Assert.Throws<InvalidOperationException>(() => StripeWebhookSecrets.FromConfiguration(new ConfigurationBuilder().Build()));
    }

    [Fact]
    public void Stripes_own_example_objects_read_into_our_models()
    {
        var json = StripeClient.SerializerOptions;

        var session = StripeFixtures.Copy("checkout.session").Deserialize<StripeCheckoutSession>(json)!;
        var refund = StripeFixtures.Copy("refund").Deserialize<StripeRefund>(json)!;
        var dispute = StripeFixtures.Copy("dispute").Deserialize<StripeDispute>(json)!;
        var transaction = StripeFixtures.Copy("balance_transaction").Deserialize<StripeBalanceTransaction>(json)!;

        Assert.Equal(("open", "unpaid", "pi_1PgafyB7WZ01zgkWSjxsAJo3"), (session.Status, session.PaymentStatus, session.PaymentIntent));
        Assert.Equal(("re_1Pgc72B7WZ01zgkWqPvrRrPE", 100L, "succeeded"), (refund.Id, refund.Amount, refund.Status));
        Assert.Equal(("warning_needs_response", 1723679999L), (dispute.Status, dispute.EvidenceDetails!.DueBy));
        Assert.Equal((100L, 0L, 100L, "charge"), (transaction.Amount, transaction.Fee, transaction.Net, transaction.ReportingCategory));
    }

    [Fact]
    public void An_expanded_object_reads_as_its_id()
    {
        var json = StripeClient.SerializerOptions;

        var session = JsonSerializer.Deserialize<StripeCheckoutSession>(
            """{"id":"cs_1","payment_intent":{"id":"pi_9","object":"payment_intent","amount":1}}""", json)!;

        Assert.Equal("pi_9", session.PaymentIntent);
    }

    [Fact]
    public void Metadata_beyond_stripes_limits_is_refused_before_sending()
    {
        Assert.Throws<ArgumentException>(() => StripeMetadataKeys.Check([new(new string('k', 41), "v")]));
        Assert.Throws<ArgumentException>(() => StripeMetadataKeys.Check([new("a[b]", "v")]));
        Assert.Throws<ArgumentException>(() => StripeMetadataKeys.Check([new("k", new string('v', 501))]));
        Assert.Throws<ArgumentException>(() => StripeMetadataKeys.Check([.. Enumerable.Range(0, 51).Select(i => new KeyValuePair<string, string>($"k{i}", "v"))]));
    }
}
