using ServiceLedger.Domain.Ledger;

namespace ServiceLedger.Domain.Parties;

/// <summary>
/// A business licence number of mainland China: the 18-character unified social credit code (统一社会信用代码) of
/// GB 32100-2015. Characters are digits and upper-case letters except I, O, S, V and Z; characters 3-8 are the
/// administrative division code (digits); the 18th is a check character: with each character's value v (0-9, then
/// A=10 … Y=30 in the alphabet order above) and weights 3^(i-1) mod 31, check = 31 - (Σ v·w mod 31), 31 written as 0.
/// Input is trimmed and upper-cased. Equality is ordinal; <c>default</c> holds no code.
/// </summary>
public readonly record struct UnifiedSocialCreditCode
{
    /// <summary>The code's length.</summary>
    public const int Length = 18;

    /// <summary>The 31 characters a code is written in; a character's value is its index.</summary>
    public const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    private UnifiedSocialCreditCode(string value) => Value = value;

    /// <summary>The 18 characters, upper case.</summary>
    public string Value { get; }

    /// <summary>Parses a licence number; refuses with <see cref="PartyRule.LicenceNumberInvalid"/> naming the field and the broken part.</summary>
    public static Validated<UnifiedSocialCreditCode> Parse(string? text, string field)
    {
        var code = text?.Trim().ToUpperInvariant();
        var problem = Problem(code);
        return problem is null
            ? Validated.Valid(new UnifiedSocialCreditCode(code!))
            : Validated.Refused<UnifiedSocialCreditCode>(new Refusal(
                PartyRule.LicenceNumberInvalid,
                field,
                $"{LedgerText.Quote(text)} is not a unified social credit code: {problem}. Expected 18 characters of 0-9 and A-Y without I, O, S, V, Z, e.g. 91350100M000100Y43."));
    }

    /// <summary>The check character (the 18th) for the first 17 characters, which must be in <see cref="Alphabet"/>.</summary>
    public static char CheckCharacter(ReadOnlySpan<char> first17)
    {
        if (first17.Length != Length - 1)
        {
            throw new ArgumentException($"Expected {Length - 1} characters, got {first17.Length}.", nameof(first17));
        }

        var sum = 0;
        var weight = 1;
        foreach (var c in first17)
        {
            var value = Alphabet.IndexOf(c, StringComparison.Ordinal);
            if (value < 0)
            {
                throw new ArgumentException($"'{c}' is not in the code alphabet.", nameof(first17));
            }

            sum += value * weight;
            weight = weight * 3 % 31;
        }

        return Alphabet[(31 - (sum % 31)) % 31];
    }

    /// <summary>The code.</summary>
    public override string ToString() => Value ?? "(no licence)";

    private static string? Problem(string? code)
    {
        if (string.IsNullOrEmpty(code))
        {
            return "it is empty";
        }

        if (code.Length != Length)
        {
            return $"it has {code.Length} characters, not {Length}";
        }

        var bad = code.FirstOrDefault(c => !Alphabet.Contains(c, StringComparison.Ordinal));
        if (bad != default)
        {
            return $"'{bad}' is not allowed";
        }

        if (code.AsSpan(2, 6).ContainsAnyExceptInRange('0', '9'))
        {
            return "characters 3 to 8 (the administrative division) must be digits";
        }

        var check = CheckCharacter(code.AsSpan(0, Length - 1));
        return check == code[^1] ? null : $"the check character is '{code[^1]}' but the first 17 characters give '{check}'";
    }
}
