namespace ServiceLedger.Domain.Contracts;

using System.Globalization;
using NodaTime;
using NodaTime.Text;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Domain.Money;


/// <summary>
/// Reads a <see cref="TermsInput"/> field by field, collecting every refusal with its full field path, so that a caller
/// sees all mistakes at once. Each read returns null (or an empty list) when its field was refused.
/// </summary>
internal sealed class TermsReader(string root)
{
    private readonly List<Refusal> refusals = [];

    public IReadOnlyList<Refusal> Refusals => refusals;

    public void Refuse(string code, string field, string message) => refusals.Add(new Refusal(code, Path(field), message));

    public T? ReadEnum<T>(string? text, string field)
        where T : struct, System.Enum
    {
        var names = string.Join(", ", System.Enum.GetNames<T>().Where(name => name != "None"));
        if (string.IsNullOrEmpty(text))
        {
            Refuse(ContractRule.FieldRequired, field, $"Give {field}: one of {names}.");
            return null;
        }

        // Names only: a number would parse as an enum value too, and "1" is not a word any client should send.
        if (System.Enum.GetNames<T>().Contains(text, StringComparer.Ordinal) && text != "None")
        {
            return System.Enum.Parse<T>(text);
        }

        Refuse(ContractRule.ValueNotRecognised, field, $"{LedgerText.Quote(text)} is not one of {names}.");
        return null;
    }

    public Currency? ReadCurrency(string? code, string field)
    {
        if (string.IsNullOrEmpty(code))
        {
            Refuse(ContractRule.FieldRequired, field, "Give the currency as an ISO 4217 code, e.g. CNY.");
            return null;
        }

        if (Currency.TryFromCode(code, out var currency))
        {
            return currency;
        }

        Refuse(ContractRule.CurrencyUnknown, field, $"{LedgerText.Quote(code)} is not an ISO 4217 currency the product supports, e.g. CNY.");
        return null;
    }

    public DateTimeZone? ReadTimeZone(string? id, string field)
    {
        var zoneId = string.IsNullOrEmpty(id) ? Terms.DefaultTimeZoneId : id;
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(zoneId);
        if (zone is null)
        {
            Refuse(ContractRule.TimeZoneUnknown, field, $"{LedgerText.Quote(id)} is not an IANA time zone id, e.g. {Terms.DefaultTimeZoneId}.");
        }

        return zone;
    }

    public Money? ReadMoney(MoneyInput? input, string field, Currency? termsCurrency)
    {
        if (input is null)
        {
            Refuse(ContractRule.FieldRequired, field, "Give an amount as { \"amount\": \"1000.00\", \"currency\": \"CNY\" }.");
            return null;
        }

        var currency = ReadCurrency(input.Currency, field + ".currency");
        if (currency is { } given && termsCurrency is { } expected && given != expected)
        {
            Refuse(ContractRule.CurrencyMustMatchTerms, field + ".currency", $"Every amount is in the terms' currency {expected}, not {given}.");
            currency = null;
        }

        // Digits with an optional point: no sign, exponent, spaces or thousands separators, so "1e3" or "-5" never slip in.
        var text = input.Amount;
        if (string.IsNullOrEmpty(text) || text.Length > 32 || text.Any(c => c is not ((>= '0' and <= '9') or '.'))
            || !decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)
            || amount <= 0m || amount > ContractLimits.MaxAmount)
        {
            Refuse(ContractRule.AmountInvalid, field + ".amount",
                $"{LedgerText.Quote(text)} is not an amount: give a positive decimal string up to {ContractLimits.MaxAmount.ToString(CultureInfo.InvariantCulture)}, e.g. \"1000.00\".");
            return null;
        }

        if (currency is null)
        {
            return null;
        }

        var money = new Money(amount, currency.Value);
        if (!money.IsWholeMinorUnits)
        {
            Refuse(ContractRule.AmountInvalid, field + ".amount", $"{text} has more decimals than {currency.Value} has minor units ({currency.Value.MinorUnits}).");
            return null;
        }

        return money;
    }

    public Rate? ReadRate(string? text, string field)
    {
        if (text is null)
        {
            Refuse(ContractRule.FieldRequired, field, $"Give {field} as a fraction in a decimal string, e.g. \"0.035\" for 3.5%.");
            return null;
        }

        var rate = Rate.Parse(text, Path(field));
        if (rate.IsValid)
        {
            return rate.Value;
        }

        refusals.AddRange(rate.Refusals);
        return null;
    }

    public int? ReadNumber(int? value, string field, int min, int max)
    {
        if (value is null)
        {
            Refuse(ContractRule.FieldRequired, field, $"Give {field}: a whole number from {min} to {max}.");
            return null;
        }

        if (value < min || value > max)
        {
            Refuse(ContractRule.NumberOutOfRange, field, $"{value} is outside {min} to {max}.");
            return null;
        }

        return value;
    }

    public LocalDate? ReadDate(string? text, string field)
    {
        if (string.IsNullOrEmpty(text))
        {
            Refuse(ContractRule.FieldRequired, field, $"Give {field} as yyyy-MM-dd.");
            return null;
        }

        var parsed = LocalDatePattern.Iso.Parse(text);
        if (parsed.Success && parsed.Value.Year is >= 2000 and <= 2199)
        {
            return parsed.Value;
        }

        Refuse(ContractRule.DateInvalid, field, $"{LedgerText.Quote(text)} is not a date from 2000-01-01 to 2199-12-31 written yyyy-MM-dd.");
        return null;
    }

    public IReadOnlyList<SeatLine> ReadSeats(IReadOnlyList<SeatInput>? input, Currency? currency)
    {
        if (input is null || input.Count == 0)
        {
            return [];
        }

        if (input.Count > ContractLimits.MaxSeatLines)
        {
            Refuse(ContractRule.TooManyItems, "seats", $"{input.Count} seat lines; at most {ContractLimits.MaxSeatLines}.");
            return [];
        }

        var lines = new List<SeatLine>();
        var agentTypes = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var index = 0; index < input.Count; index++)
        {
            var field = $"seats[{index}]";
            var seat = input[index];
            if (seat is null)
            {
                Refuse(ContractRule.FieldRequired, field, "Give each seat line as { agentType, count, monthlyRate }.");
                continue;
            }

            var agentType = ReadText(seat.AgentType, field + ".agentType", ContractLimits.MaxAgentTypeLength);
            if (agentType is not null && !agentTypes.Add(agentType))
            {
                Refuse(ContractRule.AgentTypeRepeated, field + ".agentType", $"Agent type {LedgerText.Quote(agentType)} appears on an earlier line; give each agent type once.");
            }

            var count = ReadNumber(seat.Count, field + ".count", 1, ContractLimits.MaxSeatsPerLine);
            var rate = ReadMoney(seat.MonthlyRate, field + ".monthlyRate", currency);
            if (agentType is not null && count is not null && rate is not null)
            {
                lines.Add(new SeatLine(agentType, count.Value, rate.Value));
            }
        }

        return lines;
    }

    public IReadOnlyList<CommissionTier> ReadCommissionTiers(IReadOnlyList<CommissionTierInput>? input, CooperationMode? mode)
    {
        if (mode == CooperationMode.FixedFee)
        {
            if (input is { Count: > 0 })
            {
                Refuse(ContractRule.CommissionTiersNotAllowed, "commissionTiers", "A FixedFee contract earns no commission; leave commissionTiers out.");
            }

            return [];
        }

        if (input is null || input.Count == 0)
        {
            if (mode == CooperationMode.BasePlusCommission)
            {
                Refuse(ContractRule.CommissionTiersRequired, "commissionTiers", "A BasePlusCommission contract needs commission tiers covering 0% to 100% conversion.");
            }

            return [];
        }

        if (input.Count > ContractLimits.MaxCommissionTiers)
        {
            Refuse(ContractRule.TooManyItems, "commissionTiers", $"{input.Count} commission tiers; at most {ContractLimits.MaxCommissionTiers}.");
            return [];
        }

        var tiers = new List<CommissionTier>();
        for (var index = 0; index < input.Count; index++)
        {
            var field = $"commissionTiers[{index}]";
            var tier = input[index];
            if (tier is null)
            {
                Refuse(ContractRule.FieldRequired, field, "Give each tier as { from, fromInclusive, upTo, upToInclusive, rate }.");
                continue;
            }

            var from = ReadRate(tier.From, field + ".from");
            var fromInclusive = ReadFlag(tier.FromInclusive, field + ".fromInclusive");
            var upTo = ReadRate(tier.UpTo, field + ".upTo");
            var upToInclusive = ReadFlag(tier.UpToInclusive, field + ".upToInclusive");
            var rate = ReadRate(tier.Rate, field + ".rate");
            if (from is null || fromInclusive is null || upTo is null || upToInclusive is null || rate is null)
            {
                continue;
            }

            if (from.Value >= upTo.Value)
            {
                Refuse(ContractRule.TierBandEmpty, field + ".upTo", $"The band's upper edge {upTo} must be above its lower edge {from}.");
                continue;
            }

            tiers.Add(new CommissionTier(from.Value, fromInclusive.Value, upTo.Value, upToInclusive.Value, rate.Value));
        }

        // Coverage is only meaningful when every band was readable: a refused band would show up again as a false gap.
        if (tiers.Count == input.Count)
        {
            CheckCoverage(tiers);
        }

        return tiers;
    }

    public DepositRule? ReadDeposit(DepositRuleInput? input, Currency? currency, bool hasSeats)
    {
        if (input is null)
        {
            Refuse(ContractRule.FieldRequired, "deposit", "Give the deposit rule: { kind: FixedAmount, amount } or { kind: MonthsOfSeatRates, months }.");
            return null;
        }

        var kind = ReadEnum<DepositKind>(input.Kind, "deposit.kind");
        switch (kind)
        {
            case DepositKind.FixedAmount:
                var amount = ReadMoney(input.Amount, "deposit.amount", currency);
                return amount is null ? null : new DepositRule(DepositKind.FixedAmount, amount, null);
            case DepositKind.MonthsOfSeatRates:
                if (!hasSeats)
                {
                    Refuse(ContractRule.DepositMonthsNeedSeats, "deposit.kind", "MonthsOfSeatRates sizes the deposit from seats; with a lump-sum base fee use FixedAmount.");
                }

                var months = ReadNumber(input.Months, "deposit.months", 1, ContractLimits.MaxDepositMonths);
                return months is null || !hasSeats ? null : new DepositRule(DepositKind.MonthsOfSeatRates, null, months);
            default:
                return null;
        }
    }

    public DepositRefund? ReadRefund(DepositRefundInput? input)
    {
        if (input is null)
        {
            Refuse(ContractRule.FieldRequired, "depositRefund", "Give the refund rule: { kind: ApplyToFinalStatement | RefundInFull, withinWorkingDays }.");
            return null;
        }

        var kind = ReadEnum<DepositRefundKind>(input.Kind, "depositRefund.kind");
        var days = ReadNumber(input.WithinWorkingDays, "depositRefund.withinWorkingDays", 0, ContractLimits.MaxRefundWorkingDays);
        return kind is null || days is null ? null : new DepositRefund(kind.Value, days.Value);
    }

    public LatePenalty? ReadLatePenalty(LatePenaltyInput? input)
    {
        if (input is null)
        {
            Refuse(ContractRule.FieldRequired, "latePenalty", "Give the late penalty: { dailyRate, cap } as fractions, e.g. \"0.0005\" and \"0.2\".");
            return null;
        }

        var daily = ReadRate(input.DailyRate, "latePenalty.dailyRate");
        var cap = ReadRate(input.Cap, "latePenalty.cap");
        return daily is null || cap is null ? null : new LatePenalty(daily.Value, cap.Value);
    }

    public SlaTargets? ReadSla(SlaInput? input)
    {
        if (input is null)
        {
            return null;
        }

        var firstResponse = input.FirstResponseSeconds is null
            ? null
            : ReadNumber(input.FirstResponseSeconds, "sla.firstResponseSeconds", 1, ContractLimits.MaxFirstResponseSeconds);
        var answerRate = ReadOptionalRate(input.AnswerRate, "sla.answerRate");
        var resolution = ReadOptionalRate(input.FirstContactResolution, "sla.firstContactResolution");
        var satisfaction = ReadOptionalRate(input.Satisfaction, "sla.satisfaction");
        var qaPass = ReadOptionalRate(input.QaPassRate, "sla.qaPassRate");
        var credit = ReadRate(input.CreditPerMissedTarget, "sla.creditPerMissedTarget");
        var cap = ReadRate(input.CreditCap, "sla.creditCap");
        return credit is null || cap is null
            ? null
            : new SlaTargets(firstResponse, answerRate, resolution, satisfaction, qaPass, credit.Value, cap.Value);
    }

    public ContractTerm? ReadTerm(TermInput? input)
    {
        if (input is null)
        {
            Refuse(ContractRule.FieldRequired, "term", "Give the term: { startOn, endOn, autoRenew, noticePeriodDays }.");
            return null;
        }

        var start = ReadDate(input.StartOn, "term.startOn");
        var end = ReadDate(input.EndOn, "term.endOn");
        var autoRenew = ReadFlag(input.AutoRenew, "term.autoRenew");
        var notice = ReadNumber(input.NoticePeriodDays, "term.noticePeriodDays", 0, ContractLimits.MaxNoticePeriodDays);
        if (start is null || end is null || autoRenew is null || notice is null)
        {
            return null;
        }

        if (end <= start || end > start.Value.PlusYears(ContractLimits.MaxTermYears))
        {
            Refuse(ContractRule.TermInvalid, "term.endOn", $"The term must end after it starts ({start:yyyy-MM-dd}) and within {ContractLimits.MaxTermYears} years.");
            return null;
        }

        if (start.Value.PlusDays(notice.Value) > end.Value)
        {
            Refuse(ContractRule.NoticePeriodLongerThanTerm, "term.noticePeriodDays", $"A notice period of {notice} days is longer than the term.");
            return null;
        }

        return new ContractTerm(start.Value, end.Value, autoRenew.Value, notice.Value);
    }

    private Rate? ReadOptionalRate(string? text, string field) => text is null ? null : ReadRate(text, field);

    private bool? ReadFlag(bool? value, string field)
    {
        if (value is null)
        {
            Refuse(ContractRule.FieldRequired, field, $"Give {field}: true or false.");
        }

        return value;
    }

    private string? ReadText(string? text, string field, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > maxLength || !LedgerText.IsPlainText(text) || text.Trim() != text)
        {
            Refuse(ContractRule.TextInvalid, field, $"{LedgerText.Quote(text)}: give 1 to {maxLength} characters without control characters or surrounding spaces.");
            return null;
        }

        return text;
    }

    // Bands are given in ascending order; each must start exactly where the previous ended, with exactly one of the two
    // touching edges inclusive, so that every conversion from 0 to 1 falls in exactly one band.
    private void CheckCoverage(List<CommissionTier> tiers)
    {
        var first = tiers[0];
        if (first.From != Rate.Zero || !first.FromInclusive)
        {
            Refuse(ContractRule.TiersMustStartAtZero, "commissionTiers[0].from", $"The first band starts at {first.Band}; it must start at 0 inclusive so that a period with no conversions has a tier.");
        }

        for (var index = 1; index < tiers.Count; index++)
        {
            var previous = tiers[index - 1];
            var current = tiers[index];
            var field = $"commissionTiers[{index}].from";
            if (current.From > previous.UpTo || (current.From == previous.UpTo && !current.FromInclusive && !previous.UpToInclusive))
            {
                Refuse(ContractRule.TiersLeaveGap, field, $"Between {previous.Band} and {current.Band} some conversion rates fall in no band; start this band where the previous ends, with exactly one of the two edges inclusive.");
            }
            else if (current.From < previous.UpTo || (current.FromInclusive && previous.UpToInclusive))
            {
                Refuse(ContractRule.TiersOverlap, field, $"{previous.Band} and {current.Band} overlap; start this band where the previous ends, with exactly one of the two edges inclusive.");
            }
        }

        var last = tiers[^1];
        if (last.UpTo != Rate.One || !last.UpToInclusive)
        {
            Refuse(ContractRule.TiersMustEndAtOneHundredPercent, $"commissionTiers[{tiers.Count - 1}].upTo", $"The last band ends at {last.Band}; it must end at 1 (100%) inclusive.");
        }
    }

    private string Path(string field) => $"{root}.{field}";
}
