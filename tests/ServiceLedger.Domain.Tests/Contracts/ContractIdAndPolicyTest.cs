namespace ServiceLedger.Domain.Tests.Contracts;

using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Money;
using SampleTerms = ServiceLedger.TestSupport.Contracts.SampleTerms;

public sealed class ContractIdAndPolicyTest
{
    [Fact]
    public void A_derived_contract_id_parses_back_and_names_its_ledger_book()
    {
        var id = ContractId.Derive("seed");

        Assert.StartsWith("ctr_", id.Value, StringComparison.Ordinal);
        Assert.Equal(id, ContractId.Parse(id.Value, "contractId").Value);
        Assert.Equal($"contract:{id.Value}", id.Book.Value);
        Assert.Equal(id, ContractId.Derive("seed"));
        Assert.NotEqual(id, ContractId.Derive("other seed"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("mer_7k2m9q4x8p3r")]
    [InlineData("ctr_7k2m9q4x8p3")]
    [InlineData("ctr_7K2M9Q4X8P3R")]
    [InlineData("ctr_7k2m9q4x8p3r7k2m9q4x8p3r7ab")]
    public void Anything_but_ctr_and_12_to_26_lower_case_characters_is_refused_naming_the_field(string? text)
    {
        var result = ContractId.Parse(text, "contractId");

        var refusal = Assert.Single(result.Refusals);
        Assert.Equal((ContractRule.ContractIdInvalid, "contractId"), (refusal.Code, refusal.Field));
    }

    [Fact]
    public void Thresholds_must_share_a_currency_and_be_ordered()
    {
        Assert.Throws<ArgumentException>(() => ApprovalPolicy.Create(new Money(10m, Currency.Cny), new Money(5m, Currency.Cny)));
        Assert.Throws<ArgumentException>(() => ApprovalPolicy.Create(new Money(10m, Currency.Cny), new Money(50m, Currency.FromCode("USD"))));
        Assert.Throws<ArgumentException>(() => ApprovalPolicy.Create(new Money(-1m, Currency.Cny), new Money(50m, Currency.Cny)));
    }

    [Fact]
    public void Terms_in_another_currency_than_the_thresholds_need_every_approval()
    {
        var policy = ApprovalPolicy.Create(new Money(1_000_000m, Currency.Cny), new Money(5_000_000m, Currency.Cny));
        var dollars = Terms.Create(SampleTerms.Input with
        {
            Currency = "USD",
            Seats = [new SeatInput { AgentType = "pre-sales", Count = 1, MonthlyRate = new MoneyInput { Amount = "10", Currency = "USD" } }],
        }).Value;

        Assert.Equal([ApprovalKind.Platform, ApprovalKind.Finance, ApprovalKind.Executive], policy.Required(dollars));
    }
}
