namespace ServiceLedger.Domain.Billing;

using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Domain.Money;

/// <summary>
/// A vendor's figures as received (JSON body or CSV row), before validation: every member may be missing or malformed.
/// <see cref="Read"/> turns them into <see cref="ServiceFigures"/> or the refusals naming each bad field.
/// </summary>
public sealed record ServiceFiguresInput
{
    /// <summary>Inquiries handled; required.</summary>
    public long? Inquiries { get; init; }

    /// <summary>Inquiries that converted; required.</summary>
    public long? ConvertedInquiries { get; init; }

    /// <summary>Attributed sales; required.</summary>
    public MoneyInput? AttributedSales { get; init; }

    /// <summary>Average first-response seconds; optional.</summary>
    public int? FirstResponseSeconds { get; init; }

    /// <summary>Answer rate: a fraction (<c>"0.98"</c>) or a percentage (<c>"98%"</c>); optional.</summary>
    public string? AnswerRate { get; init; }

    /// <summary>First-contact resolution, as <see cref="AnswerRate"/>; optional.</summary>
    public string? FirstContactResolution { get; init; }

    /// <summary>Satisfaction, as <see cref="AnswerRate"/>; optional.</summary>
    public string? Satisfaction { get; init; }

    /// <summary>QA pass rate, as <see cref="AnswerRate"/>; optional.</summary>
    public string? QaPassRate { get; init; }

    /// <summary>
    /// Validates every member and returns all refusals together, each named under <paramref name="field"/> (empty for the
    /// top level of a JSON body, <c>rows[3]</c> for a CSV row), e.g. <c>rows[3].convertedInquiries</c>.
    /// </summary>
    public Validated<ServiceFigures> Read(string field)
    {
        var prefix = FiguresText.Prefix(field);
        var refusals = new List<Refusal>();
        var inquiries = FiguresText.Required(Inquiries, prefix + "inquiries", refusals);
        var converted = FiguresText.Required(ConvertedInquiries, prefix + "convertedInquiries", refusals);
        var sales = FiguresText.ReadMoney(AttributedSales, prefix + "attributedSales", refusals);
        var answerRate = FiguresText.ReadRate(AnswerRate, prefix + "answerRate", refusals);
        var firstContact = FiguresText.ReadRate(FirstContactResolution, prefix + "firstContactResolution", refusals);
        var satisfaction = FiguresText.ReadRate(Satisfaction, prefix + "satisfaction", refusals);
        var qaPassRate = FiguresText.ReadRate(QaPassRate, prefix + "qaPassRate", refusals);
        var figures = ServiceFigures.Create(
            inquiries ?? 0, converted ?? 0, sales ?? Money.Zero(Currency.Cny), FirstResponseSeconds, answerRate, firstContact, satisfaction, qaPassRate, field.Length == 0 ? "figures" : field);
        // The figures' own field names carry "figures." at the top level of a body; the body has the members at its root.
        refusals.AddRange(figures.Refusals.Select(refusal => field.Length == 0 ? refusal with { Field = refusal.Field["figures.".Length..] } : refusal));
        return refusals.Count > 0 ? Validated.Refused<ServiceFigures>(FiguresText.Ordered(refusals)) : figures;
    }
}

/// <summary>A merchant's shop-export figures as received, before validation.</summary>
public sealed record ShopFiguresInput
{
    /// <summary>Orders handled by customer service; required.</summary>
    public long? OrdersHandledByCustomerService { get; init; }

    /// <summary>Converted orders; required. <c>conversions</c> is accepted as another name for it.</summary>
    public long? ConvertedOrders { get; init; }

    /// <summary>Another name for <see cref="ConvertedOrders"/>; give one of the two.</summary>
    public long? Conversions { get; init; }

    /// <summary>Sales; required.</summary>
    public MoneyInput? Sales { get; init; }

    /// <summary>Validates every member, all refusals together, named as in <see cref="ServiceFiguresInput.Read"/>.</summary>
    public Validated<ShopFigures> Read(string field)
    {
        var prefix = FiguresText.Prefix(field);
        var refusals = new List<Refusal>();
        var orders = FiguresText.Required(OrdersHandledByCustomerService, prefix + "ordersHandledByCustomerService", refusals);
        if (ConvertedOrders is not null && Conversions is not null && ConvertedOrders != Conversions)
        {
            refusals.Add(new Refusal(BillingRule.ConvertedOrdersOutOfRange, prefix + "conversions", "Give convertedOrders or conversions (the same figure), not two different values."));
        }

        var converted = FiguresText.Required(ConvertedOrders ?? Conversions, prefix + "convertedOrders", refusals);
        var sales = FiguresText.ReadMoney(Sales, prefix + "sales", refusals);
        var figures = ShopFigures.Create(orders ?? 0, converted ?? 0, sales ?? Money.Zero(Currency.Cny), field.Length == 0 ? "figures" : field);
        refusals.AddRange(figures.Refusals.Select(refusal => field.Length == 0 ? refusal with { Field = refusal.Field["figures.".Length..] } : refusal));
        return refusals.Count > 0 ? Validated.Refused<ShopFigures>(FiguresText.Ordered(refusals)) : figures;
    }
}

/// <summary>Reading raw figure members: shared by service reports and shop exports.</summary>
internal static class FiguresText
{
    public static string Prefix(string field) => field.Length == 0 ? string.Empty : field + ".";

    public static long? Required(long? value, string field, List<Refusal> refusals)
    {
        if (value is null)
        {
            refusals.Add(new Refusal(BillingRule.FieldRequired, field, "Required: a whole number, 0 or more."));
        }

        return value;
    }

    public static Money? ReadMoney(MoneyInput? input, string field, List<Refusal> refusals)
    {
        if (input is null)
        {
            refusals.Add(new Refusal(BillingRule.FieldRequired, field, "Required: { \"amount\": \"12345.67\", \"currency\": \"CNY\" }."));
            return null;
        }

        var money = Money.Parse(input.Amount, input.Currency, field);
        refusals.AddRange(money.Refusals);
        return money.IsValid ? money.Value : null;
    }

    // A rate is a fraction ("0.98") on the wire; a percentage ("98%") is accepted too, because that is how SLA figures are
    // written in the spreadsheets vendors export from. A bare "98" is refused as outside 0..1, never guessed at.
    public static Rate? ReadRate(string? text, string field, List<Refusal> refusals)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var rate = text.EndsWith('%') ? Rate.ParsePercent(text, field) : Rate.Parse(text, field);
        refusals.AddRange(rate.Refusals);
        return rate.IsValid ? rate.Value : null;
    }

    // Refusals in the order of the members (a CSV row's columns), whichever check found them.
    public static IReadOnlyList<Refusal> Ordered(List<Refusal> refusals) => refusals.Distinct().ToArray();
}
