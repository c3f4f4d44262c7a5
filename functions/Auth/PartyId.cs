using System.Diagnostics.CodeAnalysis;

namespace ServiceLedger.Functions.Auth;

/// <summary>
/// The id of the merchant or vendor a tenant caller acts for, e.g. <c>mer_01HX7</c>: 1 to <see cref="MaxLength"/>
/// ASCII letters, digits, <c>_</c> or <c>-</c> (the ledger's party id alphabet, so it is safe in keys and URLs).
/// Compared ordinally (case matters). <c>default</c> has a null value and is never produced by <see cref="TryParse"/>.
/// </summary>
public readonly record struct PartyId
{
    /// <summary>The longest party id accepted (the ledger's limit).</summary>
    public const int MaxLength = 64;

    private PartyId(string value) => Value = value;

    /// <summary>The id as written in tokens and URLs.</summary>
    public string Value { get; }

    /// <summary>Parses <paramref name="text"/>; false when it is empty, too long or has a character outside the alphabet.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out PartyId id)
    {
        id = default;
        if (string.IsNullOrEmpty(text) || text.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            {
                return false;
            }
        }

        id = new PartyId(text);
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => Value ?? string.Empty;
}
