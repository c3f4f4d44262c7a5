using System.Reflection;
using System.Text.RegularExpressions;
using ServiceLedger.Functions.Errors;

namespace ServiceLedger.Api.Tests.Errors;

/// <summary>
/// A regex match timeout in the refusal path turned a 400 into a 500 under load (the first call's JIT took longer than
/// the timeout and threw <see cref="RegexMatchTimeoutException"/>). Error mapping must never depend on timing.
/// </summary>
public sealed class RegexTimeoutTests
{
    [Fact]
    public void No_generated_regex_in_the_app_has_a_match_timeout()
    {
        var withTimeout = typeof(ApiProblems).Assembly.GetTypes()
            .SelectMany(type => type.GetMethods(BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.DeclaredOnly))
            .Select(method => (method, attribute: method.GetCustomAttribute<GeneratedRegexAttribute>()))
            .Where(found => found.attribute is { MatchTimeoutMilliseconds: not Timeout.Infinite })
            .Select(found => $"{found.method.DeclaringType!.Name}.{found.method.Name}")
            .ToList();

        Assert.Empty(withTimeout);
    }

    [Fact]
    public void The_app_has_generated_regexes_for_the_check_above_to_look_at()
    {
        var generated = typeof(ApiProblems).Assembly.GetTypes()
            .SelectMany(type => type.GetMethods(BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.DeclaredOnly))
            .Count(method => method.GetCustomAttribute<GeneratedRegexAttribute>() is not null);

        Assert.True(generated >= 5, $"found {generated} [GeneratedRegex] methods");
    }

    [Fact]
    public void Words_reads_codes_as_sentences_keeping_acronyms()
    {
        Assert.Equal("Amount must be positive", ApiProblems.Words("AmountMustBePositive"));
        Assert.Equal("IBAN must be valid", ApiProblems.Words("IBANMustBeValid"));
        Assert.Equal("Book has too many accounts", ApiProblems.Words("BookHasTooManyAccounts"));
    }
}
