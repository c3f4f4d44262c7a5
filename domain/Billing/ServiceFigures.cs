using ServiceLedger.Domain.Ledger;

namespace ServiceLedger.Domain.Billing;

using ServiceLedger.Domain.Money;

/// <summary>
/// The vendor's figures for one contract and one period (the measurable part of a ServiceReport): inquiries, the
/// inquiries that converted, the sales attributed to customer service, and the SLA figures the contract's targets are
/// judged by (null when not measured). Built only through <see cref="Create"/>, so a value always holds figures that
/// can be true: conversions at most inquiries, sales not negative, rates within 0–100 %.
/// </summary>
public sealed record ServiceFigures
{
    /// <summary>Most inquiries one period may report; far above any real shop, low enough that sums cannot overflow.</summary>
    public const long MaxInquiries = 1_000_000_000_000;

    /// <summary>Most average first-response seconds accepted (a week); more is a typo, not a figure.</summary>
    public const int MaxFirstResponseSeconds = 7 * 24 * 3600;

    private ServiceFigures()
    {
    }

    /// <summary>Inquiries handled in the period; at least 0.</summary>
    public long Inquiries { get; private init; }

    /// <summary>Inquiries that ended in a sale; at most <see cref="Inquiries"/>.</summary>
    public long ConvertedInquiries { get; private init; }

    /// <summary>Sales attributed to customer service; not negative, in the contract's currency.</summary>
    public Money AttributedSales { get; private init; }

    /// <summary>Average first-response time in seconds, or null when not measured.</summary>
    public int? FirstResponseSeconds { get; private init; }

    /// <summary>Share of inquiries answered, or null when not measured.</summary>
    public Rate? AnswerRate { get; private init; }

    /// <summary>Share of inquiries resolved at first contact, or null when not measured.</summary>
    public Rate? FirstContactResolution { get; private init; }

    /// <summary>Share of satisfied customers, or null when not measured.</summary>
    public Rate? Satisfaction { get; private init; }

    /// <summary>QA pass rate, or null when not measured.</summary>
    public Rate? QaPassRate { get; private init; }

    /// <summary>Conversion = converted / inquiries for the whole period, exact; 0 when there were no inquiries.</summary>
    public decimal Conversion => Inquiries == 0 ? 0m : (decimal)ConvertedInquiries / Inquiries;

    /// <summary>
    /// Validates raw figures; every refusal names its field under <paramref name="field"/> (e.g.
    /// <c>rows[3].convertedInquiries</c>), and all refusals are returned together.
    /// </summary>
    public static Validated<ServiceFigures> Create(
        long inquiries,
        long convertedInquiries,
        Money attributedSales,
        int? firstResponseSeconds,
        Rate? answerRate,
        Rate? firstContactResolution,
        Rate? satisfaction,
        Rate? qaPassRate,
        string field = "figures")
    {
        var refusals = new List<Refusal>();
        if (inquiries is < 0 or > MaxInquiries)
        {
            refusals.Add(new Refusal("InquiriesOutOfRange", $"{field}.inquiries", $"Inquiries must be between 0 and {MaxInquiries}."));
        }

        if (convertedInquiries < 0)
        {
            refusals.Add(new Refusal("ConvertedInquiriesOutOfRange", $"{field}.convertedInquiries", "Converted inquiries cannot be negative."));
        }
        else if (convertedInquiries > inquiries && inquiries >= 0)
        {
            refusals.Add(new Refusal(
                "ConversionsAboveInquiries",
                $"{field}.convertedInquiries",
                $"Converted inquiries ({convertedInquiries}) cannot be more than inquiries ({inquiries})."));
        }

        if (attributedSales.Amount < 0)
        {
            refusals.Add(new Refusal("SalesMustNotBeNegative", $"{field}.attributedSales", "Attributed sales cannot be negative."));
        }

        if (firstResponseSeconds is < 0 or > MaxFirstResponseSeconds)
        {
            refusals.Add(new Refusal(
                "FirstResponseOutOfRange",
                $"{field}.firstResponseSeconds",
                $"First-response seconds must be between 0 and {MaxFirstResponseSeconds}."));
        }

        return refusals.Count > 0
            ? Validated.Refused<ServiceFigures>(refusals)
            : Validated.Valid(new ServiceFigures
            {
                Inquiries = inquiries,
                ConvertedInquiries = convertedInquiries,
                AttributedSales = attributedSales,
                FirstResponseSeconds = firstResponseSeconds,
                AnswerRate = answerRate,
                FirstContactResolution = firstContactResolution,
                Satisfaction = satisfaction,
                QaPassRate = qaPassRate,
            });
    }
}
