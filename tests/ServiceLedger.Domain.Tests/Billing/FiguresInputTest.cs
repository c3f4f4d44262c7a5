namespace ServiceLedger.Domain.Tests.Billing;

using ServiceLedger.Domain.Billing;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Money;

public sealed class FiguresInputTest
{
    private static readonly ServiceFiguresInput Good = new()
    {
        Inquiries = 1_000,
        ConvertedInquiries = 120,
        AttributedSales = new MoneyInput { Amount = "50000.00", Currency = "CNY" },
        AnswerRate = "0.98",
        Satisfaction = "96.5%",
    };

    [Fact]
    public void Good_figures_read_with_rates_as_fraction_or_percentage()
    {
        var figures = Good.Read("rows[1]").Value;

        Assert.Equal(0.98m, figures.AnswerRate!.Value.Fraction);
        Assert.Equal(0.965m, figures.Satisfaction!.Value.Fraction);
        Assert.Equal(0.12m, figures.Conversion);
    }

    [Fact]
    public void Conversions_above_inquiries_are_refused_naming_the_row_and_field()
    {
        var refusal = Assert.Single((Good with { ConvertedInquiries = 1_001 }).Read("rows[7]").Refusals);

        Assert.Equal((BillingRule.ConversionsAboveInquiries, "rows[7].convertedInquiries"), (refusal.Code, refusal.Field));
    }

    [Fact]
    public void Negative_sales_are_refused()
    {
        var refusal = Assert.Single((Good with { AttributedSales = new MoneyInput { Amount = "-0.01", Currency = "CNY" } }).Read(string.Empty).Refusals);

        Assert.Equal((BillingRule.SalesMustNotBeNegative, "attributedSales"), (refusal.Code, refusal.Field));
    }

    [Theory]
    [InlineData("1.000001")]
    [InlineData("100.01%")]
    [InlineData("-0.1")]
    [InlineData("98")]
    public void Rates_outside_0_to_100_percent_are_refused(string rate)
    {
        var refusal = Assert.Single((Good with { AnswerRate = rate }).Read("rows[2]").Refusals);

        Assert.Equal("rows[2].answerRate", refusal.Field);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("100%")]
    [InlineData("0")]
    public void Rates_at_the_edges_are_accepted(string rate) =>
        Assert.True((Good with { QaPassRate = rate }).Read(string.Empty).IsValid);

    [Fact]
    public void Every_missing_required_member_is_named_at_once()
    {
        var fields = new ServiceFiguresInput().Read(string.Empty).Refusals.Select(refusal => refusal.Field).ToArray();

        Assert.Equal(["inquiries", "convertedInquiries", "attributedSales"], fields);
    }

    [Fact]
    public void Shop_figures_accept_conversions_as_another_name_and_refuse_more_than_orders()
    {
        var sales = new MoneyInput { Amount = "100.00", Currency = "CNY" };
        var named = new ShopFiguresInput { OrdersHandledByCustomerService = 10, Conversions = 4, Sales = sales }.Read(string.Empty);
        var refused = new ShopFiguresInput { OrdersHandledByCustomerService = 10, ConvertedOrders = 11, Sales = sales }.Read(string.Empty);

        Assert.Equal(4, named.Value.ConvertedOrders);
        Assert.Equal("convertedOrders", Assert.Single(refused.Refusals).Field);
    }

    [Fact]
    public void Billing_rule_codes_are_the_codes_service_figures_refuse_with()
    {
        var codes = ServiceFigures.Create(-1, -1, new Money(-1m, Currency.Cny), -1, null, null, null, null).Refusals.Select(refusal => refusal.Code).ToArray();
        var over = ServiceFigures.Create(1, 2, Money.Zero(Currency.Cny), null, null, null, null, null).Refusals.Single().Code;

        Assert.Contains(BillingRule.InquiriesOutOfRange, codes);
        Assert.Contains(BillingRule.ConvertedInquiriesOutOfRange, codes);
        Assert.Contains(BillingRule.SalesMustNotBeNegative, codes);
        Assert.Equal(BillingRule.ConversionsAboveInquiries, over);
    }
}
