using NodaTime;
using ServiceLedger.Domain.Ledger;

namespace ServiceLedger.Domain.Parties;

/// <summary>A vendor's application as sent: every field raw, so each can be refused by its JSON path.</summary>
/// <param name="LegalName">The registered name of the business.</param>
/// <param name="Contact">Whom to reach.</param>
/// <param name="LicenceNumber">The business licence number: an 18-character unified social credit code.</param>
/// <param name="ServiceCategories">1 or more of the <see cref="ServiceCategory"/> names, each once.</param>
/// <param name="StaffCount">How many agents the vendor employs, 1 to <see cref="PartyLimits.MaxStaffCount"/>.</param>
/// <param name="Certifications">1 to <see cref="PartyLimits.MaxCertificationsPerVendor"/> certifications.</param>
public sealed record VendorApplication(
    string? LegalName,
    ContactForm? Contact,
    string? LicenceNumber,
    IReadOnlyList<string?>? ServiceCategories,
    int? StaffCount,
    IReadOnlyList<CertificationForm?>? Certifications);

/// <summary>
/// A vendor (乙方): its qualifications and its <see cref="CertificationStatus"/>, with the full history of how it got
/// there. One vendor per business licence: the id derives from the licence number, so a second application with the same
/// licence lands on the same id and the store refuses it. Immutable: a change returns a new vendor with one more history
/// entry. Built only by <see cref="Apply"/> or <see cref="Restore"/>.
/// </summary>
public sealed record Vendor
{
    private Vendor(
        VendorId id, string legalName, Contact contact, UnifiedSocialCreditCode licenceNumber,
        IReadOnlyList<ServiceCategory> serviceCategories, int staffCount, IReadOnlyList<Certification> certifications,
        IReadOnlyList<VendorStatusChange> history)
    {
        Id = id;
        LegalName = legalName;
        Contact = contact;
        LicenceNumber = licenceNumber;
        ServiceCategories = serviceCategories;
        StaffCount = staffCount;
        Certifications = certifications;
        History = history;
    }

    /// <summary>The vendor's id, derived from its licence number.</summary>
    public VendorId Id { get; }

    /// <summary>The registered name, trimmed.</summary>
    public string LegalName { get; }

    /// <summary>Whom to reach.</summary>
    public Contact Contact { get; }

    /// <summary>The business licence number.</summary>
    public UnifiedSocialCreditCode LicenceNumber { get; }

    /// <summary>What the vendor does, in <see cref="ServiceCategory"/> order; never empty, no repeats.</summary>
    public IReadOnlyList<ServiceCategory> ServiceCategories { get; }

    /// <summary>How many agents the vendor employs.</summary>
    public int StaffCount { get; }

    /// <summary>The vendor's certifications, in the order given; never empty.</summary>
    public IReadOnlyList<Certification> Certifications { get; }

    /// <summary>Every status change, oldest first; the first is the application. Never empty.</summary>
    public IReadOnlyList<VendorStatusChange> History { get; }

    /// <summary>The current status: the last history entry's.</summary>
    public CertificationStatus Status => History[^1].Status;

    /// <summary>The id a vendor with this licence has (or would have).</summary>
    public static VendorId IdFor(UnifiedSocialCreditCode licenceNumber) =>
        licenceNumber.Value is null
            ? throw new ArgumentException("A licence number is needed.", nameof(licenceNumber))
            : VendorId.Derive("licence:" + licenceNumber.Value);

    /// <summary>
    /// Checks an application and builds the vendor in status <see cref="CertificationStatus.Applied"/>. Every broken rule
    /// is refused with its field; a certification already expired on the application day (in
    /// <see cref="PartyLimits.PlatformTimeZoneId"/>) is refused too.
    /// </summary>
    public static Validated<Vendor> Apply(VendorApplication form, Actor by, Instant at)
    {
        ArgumentNullException.ThrowIfNull(form);
        if (by.IsDefault)
        {
            throw new ArgumentException("An application needs an actor.", nameof(by));
        }

        return Read(form, [new VendorStatusChange(CertificationStatus.Applied, by, at, "Applied")], PlatformDate(at));
    }

    /// <summary>Rebuilds a stored vendor by the same rules (expiry not checked); a stored vendor that breaks one throws.</summary>
    public static Vendor Restore(VendorApplication form, IReadOnlyList<VendorStatusChange> history)
    {
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(history);
        if (history.Count is 0 or > PartyLimits.MaxHistoryEntries || history[0].Status != CertificationStatus.Applied
            || history.Any(change => change.Status == CertificationStatus.None || !Enum.IsDefined(change.Status)))
        {
            throw new InvalidOperationException(
                $"A stored vendor's history must start with its application and hold 1 to {PartyLimits.MaxHistoryEntries} known statuses; it has {history.Count} entries.");
        }

        var vendor = Read(form, history.ToArray(), checkExpiryOn: null);
        if (!vendor.IsValid)
        {
            throw new InvalidOperationException($"A stored vendor breaks a rule: {vendor}.");
        }

        return vendor.Value;
    }

    /// <summary>The application that builds this vendor's qualifications again: what the store keeps besides the history.</summary>
    public VendorApplication ToApplication() => new(
        LegalName,
        new ContactForm(Contact.Name, Contact.Email, Contact.Phone),
        LicenceNumber.Value,
        ServiceCategories.Select(category => (string?)category.ToString()).ToArray(),
        StaffCount,
        Certifications.Select(certification => (CertificationForm?)certification.ToForm()).ToArray());

    /// <summary>
    /// An approver certifies the vendor (from Applied or Suspended). Refused when the actor is no approver, the reason is
    /// missing, the status does not allow it, the history is full, or a certification has expired on the day of the decision.
    /// </summary>
    public Validated<Vendor> Certify(Actor by, Instant at, string? reason)
    {
        var refusals = new List<Refusal>();
        foreach (var certification in Certifications.Where(c => c.IsExpiredOn(PlatformDate(at))))
        {
            refusals.Add(ExpiredRefusal(certification, PlatformDate(at), "be certified", $"certifications[{IndexOf(certification)}].expiresOn"));
        }

        return Change(CertificationStatus.Certified, [CertificationStatus.Applied, CertificationStatus.Suspended], by, at, reason, refusals);
    }

    /// <summary>An approver suspends a certified vendor; refused as for <see cref="Certify"/> when not allowed.</summary>
    public Validated<Vendor> Suspend(Actor by, Instant at, string? reason) =>
        Change(CertificationStatus.Suspended, [CertificationStatus.Certified], by, at, reason, []);

    /// <summary>An approver revokes the vendor, or rejects its application; final. Refused when already revoked.</summary>
    public Validated<Vendor> Revoke(Actor by, Instant at, string? reason) =>
        Change(CertificationStatus.Revoked, [CertificationStatus.Applied, CertificationStatus.Certified, CertificationStatus.Suspended], by, at, reason, []);

    /// <summary>The calendar day of an instant in the platform's zone, the day on which expiry is judged.</summary>
    public static LocalDate PlatformDate(Instant at) =>
        at.InZone(DateTimeZoneProviders.Tzdb[PartyLimits.PlatformTimeZoneId]).Date;

    /// <summary>A refusal naming a certification that has expired on a date.</summary>
    internal Refusal ExpiredRefusal(Certification certification, LocalDate date, string action, string field) =>
        new(
            PartyRule.CertificationExpired,
            field,
            $"Vendor {Id} cannot {action} on {PartyText.Format(date)}: certification '{certification}' was valid through {PartyText.Format(certification.ExpiresOn)}.");

    private int IndexOf(Certification certification)
    {
        for (var index = 0; index < Certifications.Count; index++)
        {
            if (ReferenceEquals(Certifications[index], certification))
            {
                return index;
            }
        }

        throw new ArgumentException($"Certification '{certification}' is not vendor {Id}'s.", nameof(certification));
    }

    private Validated<Vendor> Change(
        CertificationStatus target, CertificationStatus[] allowedFrom, Actor by, Instant at, string? reason, List<Refusal> refusals)
    {
        if (by.Role != ActorRole.Approver)
        {
            refusals.Insert(0, new Refusal(PartyRule.ActorMustBeApprover, "actor", $"Only an approver may change a vendor's certification; {by} is not one."));
        }

        if (!allowedFrom.Contains(Status))
        {
            refusals.Add(new Refusal(
                PartyRule.TransitionNotAllowed,
                "status",
                $"Vendor {Id} is {Status}; it can become {target} only from {string.Join(" or ", allowedFrom)}."));
        }

        if (History.Count >= PartyLimits.MaxHistoryEntries)
        {
            refusals.Add(new Refusal(PartyRule.HistoryFull, "status", $"Vendor {Id} has {History.Count} status changes, the most one vendor keeps."));
        }

        var text = PartyText.Required(reason, "reason", PartyLimits.MaxReasonLength, refusals);
        return refusals.Count == 0
            ? Validated.Valid(new Vendor(Id, LegalName, Contact, LicenceNumber, ServiceCategories, StaffCount, Certifications, [.. History, new VendorStatusChange(target, by, at, text!)]))
            : Validated.Refused<Vendor>(refusals);
    }

    private static Validated<Vendor> Read(VendorApplication form, VendorStatusChange[] history, LocalDate? checkExpiryOn)
    {
        var refusals = new List<Refusal>();
        var legalName = PartyText.Required(form.LegalName, "legalName", PartyLimits.MaxLegalNameLength, refusals);
        var contact = Contact.Create(form.Contact, "contact");
        refusals.AddRange(contact.Refusals);
        var licence = UnifiedSocialCreditCode.Parse(form.LicenceNumber, "licenceNumber");
        refusals.AddRange(licence.Refusals);
        var categories = ReadCategories(form.ServiceCategories, refusals);
        if (form.StaffCount is not (>= 1 and <= PartyLimits.MaxStaffCount))
        {
            refusals.Add(new Refusal(PartyRule.StaffCountOutOfRange, "staffCount", $"Staff count {form.StaffCount?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(none)"} is outside 1..{PartyLimits.MaxStaffCount}."));
        }

        var certifications = ReadCertifications(form.Certifications, checkExpiryOn, refusals);
        return refusals.Count == 0
            ? Validated.Valid(new Vendor(IdFor(licence.Value), legalName!, contact.Value, licence.Value, categories, form.StaffCount!.Value, certifications, history))
            : Validated.Refused<Vendor>(refusals);
    }

    private static ServiceCategory[] ReadCategories(IReadOnlyList<string?>? names, List<Refusal> refusals)
    {
        var known = Enum.GetValues<ServiceCategory>().Where(category => category != ServiceCategory.None).ToArray();
        if (names is null || names.Count == 0)
        {
            refusals.Add(new Refusal(PartyRule.ServiceCategoriesRequired, "serviceCategories", $"At least one service category is required: {string.Join(", ", known)}."));
            return [];
        }

        var categories = new List<ServiceCategory>();
        for (var index = 0; index < names.Count; index++)
        {
            var field = $"serviceCategories[{index}]";
            var category = known.FirstOrDefault(candidate => string.Equals(candidate.ToString(), names[index], StringComparison.Ordinal));
            if (category == ServiceCategory.None)
            {
                refusals.Add(new Refusal(PartyRule.ServiceCategoryUnknown, field, $"{LedgerText.Quote(names[index])} is not a service category: expected one of {string.Join(", ", known)}."));
            }
            else if (categories.Contains(category))
            {
                refusals.Add(new Refusal(PartyRule.ServiceCategoryDuplicated, field, $"Service category {category} is listed twice; list each once."));
            }
            else
            {
                categories.Add(category);
            }
        }

        // Sorted, so that the same categories in another order are the same vendor (and the same stored bytes).
        categories.Sort();
        return [.. categories];
    }

    private static Certification[] ReadCertifications(IReadOnlyList<CertificationForm?>? forms, LocalDate? checkExpiryOn, List<Refusal> refusals)
    {
        if (forms is null || forms.Count == 0)
        {
            refusals.Add(new Refusal(PartyRule.CertificationsRequired, "certifications", "At least one certification is required: [{ \"name\": …, \"number\": …, \"expiresOn\": \"yyyy-MM-dd\" }]."));
            return [];
        }

        if (forms.Count > PartyLimits.MaxCertificationsPerVendor)
        {
            refusals.Add(new Refusal(PartyRule.TooManyCertifications, "certifications", $"{forms.Count} certifications sent; a vendor holds at most {PartyLimits.MaxCertificationsPerVendor}."));
            return [];
        }

        var certifications = new List<Certification>();
        for (var index = 0; index < forms.Count; index++)
        {
            var field = $"certifications[{index}]";
            var certification = Certification.Create(forms[index], field);
            refusals.AddRange(certification.Refusals);
            if (!certification.IsValid)
            {
                continue;
            }

            var value = certification.Value;
            if (certifications.Any(held => held.Name == value.Name && held.Number == value.Number))
            {
                refusals.Add(new Refusal(PartyRule.CertificationDuplicated, field, $"Certification '{value}' is listed twice; list each once."));
                continue;
            }

            if (checkExpiryOn is { } day && value.IsExpiredOn(day))
            {
                refusals.Add(new Refusal(PartyRule.CertificationExpired, $"{field}.expiresOn", $"Certification '{value}' expired after {PartyText.Format(value.ExpiresOn)}; apply with certifications valid on {PartyText.Format(day)}."));
                continue;
            }

            certifications.Add(value);
        }

        return [.. certifications];
    }
}
