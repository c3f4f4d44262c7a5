using NodaTime;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Domain.Money;

namespace ServiceLedger.Domain.Parties;

/// <summary>A merchant's sign-up form as sent: every field raw, so each can be refused by its JSON path.</summary>
/// <param name="LegalName">The registered name of the business (Chinese welcome).</param>
/// <param name="Contact">Whom to reach.</param>
/// <param name="Shops">1 to <see cref="PartyLimits.MaxShopsPerMerchant"/> shops, each on one platform.</param>
/// <param name="BillingCurrency">The ISO 4217 code statements are issued in, e.g. <c>CNY</c>.</param>
/// <param name="TimeZone">An IANA zone id; absent or blank means <see cref="PartyLimits.DefaultTimeZoneId"/>.</param>
public sealed record MerchantSignUp(
    string? LegalName,
    ContactForm? Contact,
    IReadOnlyList<ShopForm?>? Shops,
    string? BillingCurrency,
    string? TimeZone);

/// <summary>
/// A signed-up merchant (甲方): legal name, contact, the shops it runs (each shop belongs to one merchant only — the store
/// enforces that across merchants, <see cref="SignUp"/> within one), the currency it is billed in and the time zone its
/// periods and due dates are counted in. Immutable; built only by <see cref="SignUp"/> or <see cref="Restore"/>.
/// </summary>
public sealed record Merchant
{
    private Merchant(
        MerchantId id, string legalName, Contact contact, IReadOnlyList<Shop> shops, Currency billingCurrency,
        DateTimeZone timeZone, Actor signedUpBy, Instant signedUpAt)
    {
        Id = id;
        LegalName = legalName;
        Contact = contact;
        Shops = shops;
        BillingCurrency = billingCurrency;
        TimeZone = timeZone;
        SignedUpBy = signedUpBy;
        SignedUpAt = signedUpAt;
    }

    /// <summary>The merchant's id.</summary>
    public MerchantId Id { get; }

    /// <summary>The registered name, trimmed.</summary>
    public string LegalName { get; }

    /// <summary>Whom to reach.</summary>
    public Contact Contact { get; }

    /// <summary>The shops, in the order signed up; never empty, no two equal.</summary>
    public IReadOnlyList<Shop> Shops { get; }

    /// <summary>The currency statements are issued in.</summary>
    public Currency BillingCurrency { get; }

    /// <summary>The zone the merchant's periods and due dates are counted in.</summary>
    public DateTimeZone TimeZone { get; }

    /// <summary>Who signed the merchant up.</summary>
    public Actor SignedUpBy { get; }

    /// <summary>When the merchant signed up.</summary>
    public Instant SignedUpAt { get; }

    /// <summary>
    /// Checks a sign-up form and builds the merchant; every broken rule is refused, with fields such as
    /// <c>shops[1].shopId</c>. The time zone is checked against the tzdb built into NodaTime (no file is read).
    /// </summary>
    public static Validated<Merchant> SignUp(MerchantId id, MerchantSignUp form, Actor by, Instant at)
    {
        ArgumentNullException.ThrowIfNull(form);
        if (id.IsDefault || by.IsDefault)
        {
            throw new ArgumentException("A sign-up needs a merchant id and an actor.", id.IsDefault ? nameof(id) : nameof(by));
        }

        var refusals = new List<Refusal>();
        var legalName = PartyText.Required(form.LegalName, "legalName", PartyLimits.MaxLegalNameLength, refusals);
        var contact = Collect(Contact.Create(form.Contact, "contact"), refusals);
        var shops = ReadShops(form.Shops, refusals);
        var currency = ReadCurrency(form.BillingCurrency, refusals);
        var zone = ReadTimeZone(form.TimeZone, refusals);
        return refusals.Count == 0
            ? Validated.Valid(new Merchant(id, legalName!, contact!, shops, currency, zone!, by, at))
            : Validated.Refused<Merchant>(refusals);
    }

    /// <summary>Rebuilds a stored merchant by the same rules; a stored merchant that breaks one is a broken invariant and throws.</summary>
    public static Merchant Restore(MerchantId id, MerchantSignUp form, Actor by, Instant at)
    {
        var merchant = SignUp(id, form, by, at);
        return merchant.IsValid ? merchant.Value : throw new InvalidOperationException($"Stored merchant {id} breaks a rule: {merchant}.");
    }

    /// <summary>The form that signs this merchant up again: what the store keeps, and what a retried sign-up is compared with.</summary>
    public MerchantSignUp ToForm() => new(
        LegalName,
        new ContactForm(Contact.Name, Contact.Email, Contact.Phone),
        Shops.Select(shop => (ShopForm?)new ShopForm(shop.Platform.ToString(), shop.ShopId)).ToArray(),
        BillingCurrency.Code,
        TimeZone.Id);

    /// <summary>True when <paramref name="other"/> holds the same signed-up details (legal name, contact, shops, currency, zone).</summary>
    public bool SameDetailsAs(Merchant other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return LegalName == other.LegalName && Contact == other.Contact && Shops.SequenceEqual(other.Shops)
            && BillingCurrency == other.BillingCurrency && TimeZone.Id == other.TimeZone.Id;
    }

    private static T? Collect<T>(Validated<T> validated, List<Refusal> refusals)
        where T : class
    {
        refusals.AddRange(validated.Refusals);
        return validated.IsValid ? validated.Value : null;
    }

    private static List<Shop> ReadShops(IReadOnlyList<ShopForm?>? forms, List<Refusal> refusals)
    {
        var shops = new List<Shop>();
        if (forms is null || forms.Count == 0)
        {
            refusals.Add(new Refusal(PartyRule.ShopsRequired, "shops", "At least one shop is required: [{ \"platform\": \"Tmall\", \"shopId\": \"58203911\" }]."));
            return shops;
        }

        if (forms.Count > PartyLimits.MaxShopsPerMerchant)
        {
            refusals.Add(new Refusal(PartyRule.TooManyShops, "shops", $"{forms.Count} shops sent; a merchant signs up with at most {PartyLimits.MaxShopsPerMerchant}."));
            return shops;
        }

        for (var index = 0; index < forms.Count; index++)
        {
            var shop = Shop.Create(forms[index], $"shops[{index}]");
            refusals.AddRange(shop.Refusals);
            if (!shop.IsValid)
            {
                continue;
            }

            if (shops.Contains(shop.Value))
            {
                refusals.Add(new Refusal(PartyRule.ShopDuplicated, $"shops[{index}]", $"Shop {shop.Value} is listed twice; list each shop once."));
                continue;
            }

            shops.Add(shop.Value);
        }

        return shops;
    }

    private static Currency ReadCurrency(string? code, List<Refusal> refusals)
    {
        if (Currency.TryFromCode(code?.Trim(), out var currency))
        {
            return currency;
        }

        refusals.Add(new Refusal(
            PartyRule.CurrencyUnknown,
            "billingCurrency",
            $"{LedgerText.Quote(code)} is not a billing currency: expected one of {string.Join(", ", Currency.All)}."));
        return default;
    }

    private static DateTimeZone? ReadTimeZone(string? zoneId, List<Refusal> refusals)
    {
        var id = string.IsNullOrWhiteSpace(zoneId) ? PartyLimits.DefaultTimeZoneId : zoneId.Trim();
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(id);
        if (zone is null)
        {
            refusals.Add(new Refusal(
                PartyRule.TimeZoneUnknown,
                "timeZone",
                $"{LedgerText.Quote(zoneId)} is not an IANA time zone: expected e.g. Asia/Shanghai (the default when absent), Asia/Hong_Kong, Europe/London."));
        }

        return zone;
    }
}
