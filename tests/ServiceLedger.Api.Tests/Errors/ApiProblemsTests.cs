using ServiceLedger.Domain;
using ServiceLedger.Functions.Errors;

namespace ServiceLedger.Api.Tests.Errors;

/// <summary>The one mapping from domain refusals to problem details.</summary>
public sealed class ApiProblemsTests
{
    [Fact]
    public void A_refusal_becomes_a_400_typed_by_its_code_naming_its_field()
    {
        var problem = ApiProblems.ToProblemDetails([new Refusal("AmountMustBePositive", "postings[2].amount", "amount must be more than 0.00.")]);

        Assert.Equal(400, problem.Status);
        Assert.Equal("urn:serviceledger:problem:AmountMustBePositive", problem.Type);
        Assert.Equal("Amount must be positive", problem.Title);
        Assert.Equal("amount must be more than 0.00.", problem.Detail);
        Assert.Equal("AmountMustBePositive", problem.Extensions["code"]);
        var errors = Assert.IsType<SortedDictionary<string, string[]>>(problem.Extensions["errors"]);
        Assert.Equal(["amount must be more than 0.00."], errors["postings[2].amount"]);
    }

    [Fact]
    public void Several_refusals_keep_every_message_grouped_by_field_and_the_first_gives_the_code()
    {
        var problem = ApiProblems.ToProblemDetails(
            [
                new Refusal("EntryMustBalance", "postings", "debits and credits differ by 0.01."),
                new Refusal("CurrencyMustMatch", "postings[1].amount.currency", "use CNY like the other postings."),
                new Refusal("PostingsTooFew", "postings", "an entry needs at least two postings."),
            ],
            409);

        Assert.Equal(409, problem.Status);
        Assert.Equal("EntryMustBalance", problem.Extensions["code"]);
        var errors = Assert.IsType<SortedDictionary<string, string[]>>(problem.Extensions["errors"]);
        Assert.Equal(["debits and credits differ by 0.01.", "an entry needs at least two postings."], errors["postings"]);
        Assert.Single(errors["postings[1].amount.currency"]);
    }

    [Fact]
    public void A_refusal_without_a_field_concerns_the_whole_body()
    {
        var problem = ApiProblems.ToProblemDetails([new Refusal("ExistsWithDifferentContent", "", "that idempotency key was used for another request.")]);

        Assert.Contains("$", Assert.IsType<SortedDictionary<string, string[]>>(problem.Extensions["errors"]).Keys);
    }

    [Theory]
    [InlineData(399)]
    [InlineData(600)]
    public void A_problem_status_outside_4xx_and_5xx_is_a_bug(int status)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ApiProblems.ToProblemDetails([new Refusal("X", "x", "x")], status));
    }

    [Fact]
    public void No_refusal_is_a_bug()
    {
        Assert.Throws<ArgumentException>(() => ApiProblems.ToProblemDetails([]));
    }

    [Theory]
    [InlineData("$.postings[2].amount", "postings[2].amount")]
    [InlineData("$", "$")]
    [InlineData(null, "$")]
    [InlineData("$['odd key']", "['odd key']")]
    public void A_json_path_becomes_the_field_name_refusals_use(string? path, string field)
    {
        Assert.Equal(field, JsonProblems.Field(path));
    }

    [Theory]
    [InlineData("IBANMustBeValid", "IBAN must be valid")]
    [InlineData("EntryMustHave2Postings", "Entry must have 2 postings")]
    [InlineData("NotFound", "Not found")]
    public void A_code_reads_as_words(string code, string words)
    {
        Assert.Equal(words, ApiProblems.Words(code));
    }
}
