using ServiceLedger.Domain.Ledger;

namespace ServiceLedger.Domain.Parties;

/// <summary>A contact as sent in a form: every field raw, so that each can be refused by name.</summary>
/// <param name="Name">The contact person's name.</param>
/// <param name="Email">An ASCII e-mail address.</param>
/// <param name="Phone">A phone number; spaces and hyphens are ignored.</param>
public sealed record ContactForm(string? Name, string? Email, string? Phone);

/// <summary>
/// Whom to reach at a merchant or vendor: a name (1 to 100 plain characters, Chinese welcome), an e-mail address
/// (ASCII <c>local@domain.tld</c>, at most 254 characters, kept as given but trimmed) and a phone number (an optional
/// <c>+</c> then 6 to 15 digits, stored without spaces or hyphens, e.g. <c>+8613800138000</c> or <c>13800138000</c>).
/// </summary>
public sealed record Contact
{
    private Contact(string name, string email, string phone)
    {
        Name = name;
        Email = email;
        Phone = phone;
    }

    /// <summary>The contact person's name.</summary>
    public string Name { get; }

    /// <summary>The e-mail address.</summary>
    public string Email { get; }

    /// <summary>The phone number: optional <c>+</c>, then digits only.</summary>
    public string Phone { get; }

    /// <summary>Checks a contact form; refusals name <c>{field}.name</c>, <c>{field}.email</c>, <c>{field}.phone</c>.</summary>
    public static Validated<Contact> Create(ContactForm? form, string field)
    {
        if (form is null)
        {
            return Validated.Refused<Contact>(new Refusal(PartyRule.FieldRequired, field, $"'{field}' is required: name, email and phone."));
        }

        var refusals = new List<Refusal>();
        var name = PartyText.Required(form.Name, $"{field}.name", PartyLimits.MaxContactNameLength, refusals);
        var email = ReadEmail(form.Email, $"{field}.email", refusals);
        var phone = ReadPhone(form.Phone, $"{field}.phone", refusals);
        return refusals.Count == 0 ? Validated.Valid(new Contact(name!, email!, phone!)) : Validated.Refused<Contact>(refusals);
    }

    /// <summary>Rebuilds a contact that was valid when stored; a stored contact that no longer validates throws.</summary>
    public static Contact Restore(string name, string email, string phone)
    {
        var contact = Create(new ContactForm(name, email, phone), "contact");
        return contact.IsValid ? contact.Value : throw new InvalidOperationException($"A stored contact breaks a rule: {contact}.");
    }

    private static string? ReadEmail(string? value, string field, List<Refusal> refusals)
    {
        var email = value?.Trim();
        if (string.IsNullOrEmpty(email))
        {
            refusals.Add(new Refusal(PartyRule.FieldRequired, field, $"'{field}' is required, e.g. finance@example.com."));
            return null;
        }

        var at = email.IndexOf('@', StringComparison.Ordinal);
        var valid = email.Length <= PartyLimits.MaxEmailLength
            && at is > 0 and <= PartyLimits.MaxEmailLocalPartLength
            && at == email.LastIndexOf('@')
            && email[..at].All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-/=?^_`{|}~.".Contains(c, StringComparison.Ordinal))
            && IsDomain(email[(at + 1)..]);
        if (!valid)
        {
            refusals.Add(new Refusal(PartyRule.EmailInvalid, field, $"{LedgerText.Quote(email)} is not an e-mail address: expected ASCII local@domain.tld, at most {PartyLimits.MaxEmailLength} characters."));
            return null;
        }

        return email;
    }

    private static bool IsDomain(string domain)
    {
        var labels = domain.Split('.');
        return labels.Length >= 2
            && labels.All(label => label.Length is >= 1 and <= 63
                && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
                && label[0] != '-' && label[^1] != '-')
            && labels[^1].All(char.IsAsciiLetter);
    }

    private static string? ReadPhone(string? value, string field, List<Refusal> refusals)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            refusals.Add(new Refusal(PartyRule.FieldRequired, field, $"'{field}' is required, e.g. +8613800138000."));
            return null;
        }

        var phone = value.Trim().Replace(" ", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal);
        var digits = phone.StartsWith('+') ? phone[1..] : phone;
        if (digits.Length is < PartyLimits.MinPhoneDigits or > PartyLimits.MaxPhoneDigits || !digits.All(char.IsAsciiDigit))
        {
            refusals.Add(new Refusal(PartyRule.PhoneInvalid, field, $"{LedgerText.Quote(value)} is not a phone number: expected an optional '+' then {PartyLimits.MinPhoneDigits} to {PartyLimits.MaxPhoneDigits} digits, e.g. +8613800138000."));
            return null;
        }

        return phone;
    }
}
