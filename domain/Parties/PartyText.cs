using NodaTime;
using NodaTime.Text;
using ServiceLedger.Domain.Ledger;

namespace ServiceLedger.Domain.Parties;

/// <summary>Reads the free-text and date fields of party forms, adding a refusal per broken rule.</summary>
internal static class PartyText
{
    private static readonly LocalDatePattern IsoDate = LocalDatePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd");

    /// <summary>The trimmed text, or null after adding a refusal (required, too long, not plain).</summary>
    internal static string? Required(string? value, string field, int maxLength, List<Refusal> refusals)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            refusals.Add(new Refusal(PartyRule.FieldRequired, field, $"'{field}' is required: 1 to {maxLength} characters."));
            return null;
        }

        if (text.Length > maxLength)
        {
            refusals.Add(new Refusal(PartyRule.TextTooLong, field, $"'{field}' has {text.Length} characters; at most {maxLength} are accepted."));
            return null;
        }

        if (!LedgerText.IsPlainText(text))
        {
            refusals.Add(new Refusal(PartyRule.TextMustBePlain, field, $"'{field}' has control characters or broken Unicode; send plain text."));
            return null;
        }

        return text;
    }

    /// <summary>An ISO <c>yyyy-MM-dd</c> date, or null after adding a refusal.</summary>
    internal static LocalDate? Date(string? value, string field, List<Refusal> refusals)
    {
        var result = value is null ? null : IsoDate.Parse(value.Trim());
        if (result is { Success: true })
        {
            return result.Value;
        }

        refusals.Add(new Refusal(PartyRule.DateInvalid, field, $"{LedgerText.Quote(value)} is not a date: expected yyyy-MM-dd, e.g. 2027-06-30."));
        return null;
    }

    /// <summary>An ISO date for messages and storage.</summary>
    internal static string Format(LocalDate date) => IsoDate.Format(date);
}
