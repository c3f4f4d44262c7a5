using ServiceLedger.Domain.Parties;
using static ServiceLedger.Domain.Tests.Parties.PartyTestData;

namespace ServiceLedger.Domain.Tests.Parties;

public sealed class UnifiedSocialCreditCodeTest
{
    [Theory]
    [InlineData("91350100M000100Y43")]
    [InlineData(" 91350100m000100y43 ")]
    public void The_published_example_parses_trimmed_and_upper_cased(string text)
    {
        Assert.Equal("91350100M000100Y43", UnifiedSocialCreditCode.Parse(text, "licenceNumber").Value.Value);
    }

    [Fact]
    public void The_check_character_is_31_minus_the_weighted_sum_mod_31()
    {
        // Σ v·3^(i-1) mod 31 over "91350100M000100Y4" is 1640; 1640 mod 31 = 28; 31 - 28 = 3.
        Assert.Equal('3', UnifiedSocialCreditCode.CheckCharacter("91350100M000100Y4"));

        // A remainder of 0 gives 31, written as '0', so every code has a check character in the alphabet.
        var checks = Enumerable.Range(0, 200).Select(n => UnifiedSocialCreditCode.CheckCharacter($"9144030071{n:0000000}")).ToHashSet();
        Assert.All(checks, check => Assert.Contains(check, UnifiedSocialCreditCode.Alphabet));
    }

    [Theory]
    [InlineData("91350100M000100Y44", "check character")]
    [InlineData("91350100M000100Y4", "17 characters")]
    [InlineData("91350100M000100Y433", "19 characters")]
    [InlineData("", "empty")]
    [InlineData(null, "empty")]
    public void Wrong_length_or_check_character_is_refused_saying_which(string? text, string problem)
    {
        var refusal = Assert.Single(UnifiedSocialCreditCode.Parse(text, "licenceNumber").Refusals);

        Assert.Equal((PartyRule.LicenceNumberInvalid, "licenceNumber"), (refusal.Code, refusal.Field));
        Assert.Contains(problem, refusal.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData('I')]
    [InlineData('O')]
    [InlineData('S')]
    [InlineData('V')]
    [InlineData('Z')]
    [InlineData('-')]
    public void Letters_outside_the_alphabet_are_refused(char letter)
    {
        var text = $"91350100{letter}000100Y43";

        Assert.Contains($"'{letter}' is not allowed", Assert.Single(UnifiedSocialCreditCode.Parse(text, "licenceNumber").Refusals).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_administrative_division_must_be_digits_even_with_a_matching_check_character()
    {
        var text = LicenceWithCheck("91A50100M000100Y4");

        Assert.Contains("administrative division", Assert.Single(UnifiedSocialCreditCode.Parse(text, "licenceNumber").Refusals).Message, StringComparison.Ordinal);
        Assert.True(UnifiedSocialCreditCode.Parse(LicenceWithCheck("92440300MA5F1234X"), "licenceNumber").IsValid);
    }
}
