using NodaTime;
using ServiceLedger.Domain.Ledger;

namespace ServiceLedger.Domain.Parties;

/// <summary>A certification as sent in a form.</summary>
/// <param name="Name">What the certification is, e.g. ISO 9001 or 增值电信业务经营许可证.</param>
/// <param name="Number">The certificate's number.</param>
/// <param name="ExpiresOn">The last day it is valid, <c>yyyy-MM-dd</c>.</param>
public sealed record CertificationForm(string? Name, string? Number, string? ExpiresOn);

/// <summary>
/// A qualification a vendor holds: a name, the certificate number and the last day it is valid. Valid on a date up to and
/// including <see cref="ExpiresOn"/>; expired on every later date. Two certifications are the same when name and number are.
/// </summary>
public sealed record Certification
{
    private Certification(string name, string number, LocalDate expiresOn)
    {
        Name = name;
        Number = number;
        ExpiresOn = expiresOn;
    }

    /// <summary>What the certification is.</summary>
    public string Name { get; }

    /// <summary>The certificate's number.</summary>
    public string Number { get; }

    /// <summary>The last day the certification is valid (inclusive).</summary>
    public LocalDate ExpiresOn { get; }

    /// <summary>True when the certification is no longer valid on <paramref name="date"/> (the day after <see cref="ExpiresOn"/> onward).</summary>
    public bool IsExpiredOn(LocalDate date) => date > ExpiresOn;

    /// <summary>Checks a certification form; refusals name <c>{field}.name</c>, <c>{field}.number</c>, <c>{field}.expiresOn</c>.</summary>
    public static Validated<Certification> Create(CertificationForm? form, string field)
    {
        if (form is null)
        {
            return Validated.Refused<Certification>(new Refusal(PartyRule.FieldRequired, field, $"'{field}' is required: name, number and expiresOn."));
        }

        var refusals = new List<Refusal>();
        var name = PartyText.Required(form.Name, $"{field}.name", PartyLimits.MaxCertificationNameLength, refusals);
        var number = PartyText.Required(form.Number, $"{field}.number", PartyLimits.MaxCertificationNumberLength, refusals);
        var expiresOn = PartyText.Date(form.ExpiresOn, $"{field}.expiresOn", refusals);
        return refusals.Count == 0
            ? Validated.Valid(new Certification(name!, number!, expiresOn!.Value))
            : Validated.Refused<Certification>(refusals);
    }

    /// <summary>The form that creates this certification again.</summary>
    public CertificationForm ToForm() => new(Name, Number, PartyText.Format(ExpiresOn));

    /// <summary><c>{name} {number}</c>.</summary>
    public override string ToString() => $"{Name} {Number}";
}
