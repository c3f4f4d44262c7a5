namespace ServiceLedger.Domain.Tests.Settlement;

using NodaTime;
using ServiceLedger.Domain.Money;
using ServiceLedger.Domain.Settlement;

/// <summary>Receivables ageing: buckets by whole days overdue, payments settle the oldest due first.</summary>
public sealed class ReceivablesAgeingTest
{
    private static readonly LocalDate Today = new(2027, 6, 30);

    [Theory]
    [InlineData(0, AgeingBucket.Current)]
    [InlineData(-5, AgeingBucket.Current)]
    [InlineData(1, AgeingBucket.Days1To30)]
    [InlineData(30, AgeingBucket.Days1To30)]
    [InlineData(31, AgeingBucket.Days31To60)]
    [InlineData(60, AgeingBucket.Days31To60)]
    [InlineData(61, AgeingBucket.Days61To90)]
    [InlineData(90, AgeingBucket.Days61To90)]
    [InlineData(91, AgeingBucket.Over90)]
    public void Days_overdue_fall_in_the_bucket_that_holds_them_at_each_edge(int daysOverdue, AgeingBucket expected) =>
        Assert.Equal(expected, ReceivablesAgeing.BucketOf(Today.PlusDays(-daysOverdue), Today));

    [Fact]
    public void A_payment_settles_the_oldest_statement_first_and_the_rest_stays_in_its_bucket()
    {
        var items = new[]
        {
            Item("stm_new", dueDaysAgo: 10, "300.00"),
            Item("stm_old", dueDaysAgo: 95, "200.00"),
            Item("stm_mid", dueDaysAgo: 45, "100.00"),
        };

        var line = Assert.Single(ReceivablesAgeing.Compute(items, Paid("250.00")));

        Assert.Equal(Cny("0.00"), line.Buckets[AgeingBucket.Over90]);
        Assert.Equal(Cny("50.00"), line.Buckets[AgeingBucket.Days31To60]);
        Assert.Equal(Cny("300.00"), line.Buckets[AgeingBucket.Days1To30]);
        Assert.Equal(Cny("350.00"), line.Total);
    }

    [Fact]
    public void A_merchant_that_paid_everything_has_no_line_and_an_overpayment_creates_no_negative_bucket()
    {
        var items = new[] { Item("stm_a", dueDaysAgo: 3, "100.00") };

        Assert.Empty(ReceivablesAgeing.Compute(items, Paid("100.00")));
        Assert.Empty(ReceivablesAgeing.Compute(items, Paid("150.00")));
    }

    [Fact]
    public void Without_payments_every_statement_is_open_in_its_own_bucket()
    {
        var items = new[] { Item("stm_a", dueDaysAgo: -2, "10.00"), Item("stm_b", dueDaysAgo: 200, "20.00") };

        var line = Assert.Single(ReceivablesAgeing.Compute(items, new Dictionary<(string, Currency), Money>()));

        Assert.Equal(Cny("10.00"), line.Buckets[AgeingBucket.Current]);
        Assert.Equal(Cny("20.00"), line.Buckets[AgeingBucket.Over90]);
    }

    [Fact]
    public void A_credit_statement_is_counted_once_through_the_receivables_credits_whatever_its_due_date()
    {
        // A correction-only statement of -2,550.00 credited the receivable 2,550.00 (that is what "paid" holds); the open
        // 10,000.00 statement keeps 7,450.00, also when the credit falls due before it.
        var items = new[] { Item("stm_credit", dueDaysAgo: 40, "-2550.00"), Item("stm_owed", dueDaysAgo: 10, "10000.00") };

        var line = Assert.Single(ReceivablesAgeing.Compute(items, Paid("2550.00")));

        Assert.Equal(Cny("7450.00"), line.Buckets[AgeingBucket.Days1To30]);
        Assert.Equal(Cny("7450.00"), line.Total);
    }

    private static ReceivableItem Item(string id, int dueDaysAgo, string amount) => new(id, "mer_a", Today.PlusDays(-dueDaysAgo), Today, Cny(amount));

    private static Dictionary<(string Merchant, Currency Currency), Money> Paid(string amount) => new() { [("mer_a", Currency.Cny)] = Cny(amount) };

    private static Money Cny(string amount) => new(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), Currency.Cny);
}
