using System.Globalization;
using NodaTime;
using ServiceLedger.Domain.Billing;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Ledger;

namespace ServiceLedger.Domain.Settlement;

using ServiceLedger.Domain.Money;

/// <summary>
/// Settles one contract for one period (DESIGN.md section 3, docs/settlement.md): a pure function of
/// <see cref="SettlementInput"/>, so the same input gives a byte-identical <see cref="Statement"/>. Every line is rounded once,
/// half away from zero, and says how it was computed. Expected problems with the input come back as refusals.
/// </summary>
public static class SettlementEngine
{
    /// <summary>
    /// Computes the statement: fee lines (base fee in arrears, or fixed fee in advance, prorated by service days, one line per
    /// terms segment), commission, SLA credits, late penalties, dispute adjustments, carried corrections, the deposit on the
    /// final statement; then the platform fee / vendor share split and the due date. A correction-only statement
    /// (<see cref="SettlementInput.CorrectionOnly"/>) has the carried corrections as its only lines. All refusals are returned together.
    /// </summary>
    public static Validated<Statement> Settle(SettlementInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var refusals = SettlementChecks.Check(input);
        if (refusals.Count > 0)
        {
            return Validated.Refused<Statement>(refusals);
        }

        var versions = input.TermsVersions;
        var governing = GoverningTerms(input);
        var currency = governing.Currency;
        if (input.CorrectionOnly)
        {
            return CorrectionOnly(input, governing);
        }

        var billed = governing.Mode == CooperationMode.FixedFee ? input.Period.Next() : input.Period;
        var feeKind = governing.Mode == CooperationMode.FixedFee ? StatementLineKind.FixedFee : StatementLineKind.BaseFee;

        var lines = new List<StatementLine>();
        lines.AddRange(FeeLines(versions, input.Service, billed, feeKind));

        var servedDays = input.Period.DaysOverlapping(input.Service.FirstDay, input.Service.LastDay.PlusDays(1));
        CommissionBasis? commission = null;
        if (governing.Mode == CooperationMode.BasePlusCommission && servedDays > 0)
        {
            var figures = input.Figures!;
            var tier = TierFor(governing, figures);
            commission = new CommissionBasis(figures.AttributedSales, figures.Inquiries, figures.ConvertedInquiries, tier);
            lines.Add(CommissionLine(commission));
        }

        if (governing.Sla is { } sla && servedDays > 0)
        {
            // Credits are judged on the period served, whatever the fee lines bill: for fixed fee that is the period before
            // the one billed, so its base is recomputed for the served period rather than read off the fee lines.
            var servedFee = governing.Mode == CooperationMode.FixedFee
                ? Money.Sum(FeeLines(versions, input.Service, input.Period, feeKind).Select(line => line.Amount), currency)
                : Money.Sum(lines.Where(line => line.Kind == feeKind).Select(line => line.Amount), currency);
            lines.AddRange(SlaCreditLines(sla, input.Figures!, servedFee));
        }

        lines.AddRange(PenaltyLines(input.Overdue, governing.LatePenalty, input.IssuedOn));
        lines.AddRange(input.DisputeAdjustments.Select(adjustment => new StatementLine(
            StatementLineKind.DisputeAdjustment,
            -adjustment.Credit.RoundToMinorUnit(),
            $"approved dispute {adjustment.Reference}: credit {Show(adjustment.Credit.RoundToMinorUnit())}")
        {
            Reference = adjustment.Reference,
        }));
        lines.AddRange(input.Corrections);

        var depositApplied = Money.Zero(currency);
        if (input.IsFinal && input.DepositHeld is { } deposit && deposit.Amount > 0m)
        {
            var owed = Money.Sum(lines.Select(line => line.Amount), currency);
            var applied = owed.IsNegative ? Money.Zero(currency) : (deposit < owed ? deposit : owed);
            depositApplied = applied;
            lines.Add(new StatementLine(
                StatementLineKind.DepositApplied,
                -applied,
                $"deposit held {Show(deposit)} applied up to the total before it {Show(owed)} = {Show(applied)}"));
        }

        var due = DueDates.Statement(input.IssuedOn, governing, input.Calendar);
        if (!due.IsValid)
        {
            return Validated.Refused<Statement>(due.Refusals);
        }

        return Validated.Valid(StatementBuilder.Build(input, governing, billed, lines, commission, depositApplied, due.Value));
    }

    // A correction-only statement (after the final one): its lines are the corrections carried, nothing is billed (so the
    // billed period is the period itself), and it is split and due like any statement.
    private static Validated<Statement> CorrectionOnly(SettlementInput input, Terms governing)
    {
        var due = DueDates.Statement(input.IssuedOn, governing, input.Calendar);
        return due.IsValid
            ? Validated.Valid(StatementBuilder.Build(input, governing, input.Period, [.. input.Corrections], null, Money.Zero(governing.Currency), due.Value))
            : Validated.Refused<Statement>(due.Refusals);
    }

    /// <summary>
    /// The adjustment lines that bring an <paramref name="issued"/> statement to what its <paramref name="recomputed"/> period
    /// gives now (a corrected service report, a late amendment): one <see cref="StatementLineKind.Correction"/> line per kind
    /// whose sum differs (recomputed − issued), linked to both statements, to be carried onto the next open statement through
    /// <see cref="SettlementInput.Corrections"/>. The issued statement is never edited. The deposit applied is not corrected:
    /// it follows what was posted. Empty when nothing differs.
    /// </summary>
    public static Validated<IReadOnlyList<StatementLine>> Correct(Statement issued, Statement recomputed)
    {
        ArgumentNullException.ThrowIfNull(issued);
        ArgumentNullException.ThrowIfNull(recomputed);
        if (issued.Contract != recomputed.Contract || issued.Period != recomputed.Period || issued.Currency != recomputed.Currency)
        {
            return Validated.Refused<IReadOnlyList<StatementLine>>(new Refusal(
                SettlementRule.StatementsNotComparable,
                "recomputed",
                $"{issued.Id} and {recomputed.Id} must be of the same contract, period and currency to be compared."));
        }

        var kinds = Enum.GetValues<StatementLineKind>().Where(kind => kind is not (StatementLineKind.DepositApplied or StatementLineKind.Correction));
        return Validated.Valid<IReadOnlyList<StatementLine>>(CorrectionLines(issued.Id, kind => SumOf(issued.Lines, kind, issued.Currency), recomputed, kinds, string.Empty));
    }

    /// <summary>
    /// The adjustment lines a settlement run carries for a settled period whose inputs changed: what was posted for it so far
    /// (the <paramref name="issuedLines"/> of statement <paramref name="issued"/>, plus the <paramref name="carriedBefore"/>
    /// correction lines earlier statements carried for it) against what its <paramref name="recomputed"/> period gives now.
    /// Only the kinds the period's own terms and figures give are compared (<see cref="StatementLineKinds.IsPeriodKind"/>):
    /// penalties, dispute adjustments and the deposit follow what was posted. Each line links <paramref name="issued"/> and
    /// the recomputed statement; empty when nothing differs. Refused when the statements are not of one contract, period and
    /// currency, or a carried line is not a correction of <paramref name="issued"/>.
    /// </summary>
    public static Validated<IReadOnlyList<StatementLine>> Correct(
        StatementId issued, IReadOnlyList<StatementLine> issuedLines, IReadOnlyList<StatementLine> carriedBefore, Statement recomputed)
    {
        ArgumentNullException.ThrowIfNull(issuedLines);
        ArgumentNullException.ThrowIfNull(carriedBefore);
        ArgumentNullException.ThrowIfNull(recomputed);
        var samePeriod = StatementId.For(recomputed.Contract, recomputed.Period, 1).Value[..^1];
        if (issued.IsDefault || !issued.Value.StartsWith(samePeriod, StringComparison.Ordinal)
            || issuedLines.Concat(carriedBefore).Any(line => line.Amount.Currency != recomputed.Currency)
            || carriedBefore.Any(line => line.Kind != StatementLineKind.Correction || line.IssuedStatement != issued || line.Corrects is null))
        {
            return Validated.Refused<IReadOnlyList<StatementLine>>(new Refusal(
                SettlementRule.StatementsNotComparable,
                "recomputed",
                $"{issued} and {recomputed.Id} must be of the same contract, period and currency, and carried lines must correct {issued}."));
        }

        Money Posted(StatementLineKind kind) =>
            SumOf(issuedLines, kind, recomputed.Currency)
            + Money.Sum(carriedBefore.Where(line => line.Corrects == kind).Select(line => line.Amount), recomputed.Currency);
        var note = carriedBefore.Count == 0 ? string.Empty : " (with corrections carried since)";
        return Validated.Valid<IReadOnlyList<StatementLine>>(CorrectionLines(issued, Posted, recomputed, Enum.GetValues<StatementLineKind>().Where(StatementLineKinds.IsPeriodKind), note));
    }

    private static Money SumOf(IEnumerable<StatementLine> lines, StatementLineKind kind, Currency currency) =>
        Money.Sum(lines.Where(line => line.Kind == kind).Select(line => line.Amount), currency);

    // One line per kind whose sum differs, recomputed − issued, linked to both statements.
    private static List<StatementLine> CorrectionLines(
        StatementId issued, Func<StatementLineKind, Money> was, Statement recomputed, IEnumerable<StatementLineKind> kinds, string note)
    {
        var corrections = new List<StatementLine>();
        foreach (var kind in kinds)
        {
            var before = was(kind);
            var now = SumOf(recomputed.Lines, kind, recomputed.Currency);
            var difference = now - before;
            if (!difference.IsZero)
            {
                corrections.Add(new StatementLine(
                    StatementLineKind.Correction,
                    difference,
                    $"{recomputed.Period} {kind}: recomputed in {recomputed.Id} {Show(now)} - issued in {issued}{note} {Show(before)} = {Show(difference)}")
                {
                    Reference = issued.Value,
                    Corrects = kind,
                    IssuedStatement = issued,
                    RecomputedStatement = recomputed.Id,
                });
            }
        }

        return corrections;
    }

    /// <summary>
    /// The terms that govern mode, cycle, tiers, SLA, penalties, platform fee and payment terms: those in force on the last
    /// service day of the settled period (or on the first service day when service starts after it, for an in-advance bill).
    /// </summary>
    public static Terms GoverningTerms(SettlementInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var day = input.Period.LastDay;
        if (day > input.Service.LastDay)
        {
            day = input.Service.LastDay;
        }

        if (day < input.Service.FirstDay)
        {
            day = input.Service.FirstDay;
        }

        return TermsOn(input.TermsVersions, day);
    }

    private static Terms TermsOn(IReadOnlyList<TermsInForce> versions, LocalDate day) =>
        (versions.LastOrDefault(version => version.EffectiveFrom <= day) ?? versions[0]).Terms;

    // One line per stretch of the billed period under one terms version, each prorated by its own service days: an amendment
    // mid-period splits the period at its effective date (DESIGN.md section 3).
    private static List<StatementLine> FeeLines(IReadOnlyList<TermsInForce> versions, ServiceWindow service, SettlementPeriod billed, StatementLineKind kind)
    {
        var lines = new List<StatementLine>();
        var from = LocalDate.Max(billed.Start, service.FirstDay);
        var end = LocalDate.Min(billed.End, service.LastDay.PlusDays(1));
        while (from < end)
        {
            var next = versions.Select(version => version.EffectiveFrom).Where(day => day > from && day < end).DefaultIfEmpty(end).Min();
            var terms = TermsOn(versions, from);
            var days = Period.DaysBetween(from, next);

            // A version's fee is per its own cycle; scale it to the billed period's months so a lump sum per quarter bills a third a month.
            // Multiply before dividing: a fee of 0.15 over 1 day of 30 is exactly 0.005 and must round up, which 1/30 first would lose.
            var fee = terms.BaseFeePerPeriod;
            var perPeriod = new Money(fee.Amount * billed.Months.Count / terms.MonthsPerPeriod, fee.Currency);
            var amount = new Money(fee.Amount * billed.Months.Count * days / (terms.MonthsPerPeriod * billed.Days), fee.Currency).RoundToMinorUnit();
            var stretch = $"{Iso(from)}..{Iso(next.PlusDays(-1))}";
            var how = days == billed.Days
                ? $"{billed} full period {stretch}: {FeeSource(terms)} = {Show(amount)}"
                : $"{billed} {stretch}: {days} service days of {billed.Days} × {Show(perPeriod.RoundToMinorUnit())} ({FeeSource(terms)}) = {Show(amount)}";
            lines.Add(new StatementLine(kind, amount, how));
            from = next;
        }

        return lines;
    }

    private static string FeeSource(Terms terms) =>
        terms.LumpSumBaseFee is { } lumpSum
            ? $"lump sum {Show(lumpSum)} per {terms.Cycle.ToString().ToLowerInvariant()} period"
            : string.Join(" + ", terms.Seats.Select(seat => $"{seat.Count} × {seat.AgentType} seat at {Show(seat.MonthlyRate)}"))
                + (terms.MonthsPerPeriod == 1 ? " a month" : $" a month × {terms.MonthsPerPeriod} months");

    // The tier is found on the exact ratio converted / inquiries, so an edge such as 1/3 never rounds into the wrong band.
    private static CommissionTier TierFor(Terms terms, ServiceFigures figures)
    {
        var converted = figures.ConvertedInquiries;
        var inquiries = figures.Inquiries == 0 ? 1 : figures.Inquiries;
        foreach (var tier in terms.CommissionTiers)
        {
            var fromSide = tier.From.CompareToRatio(converted, inquiries);
            var upToSide = tier.UpTo.CompareToRatio(converted, inquiries);
            var aboveFrom = tier.FromInclusive ? fromSide <= 0 : fromSide < 0;
            var belowUpTo = tier.UpToInclusive ? upToSide >= 0 : upToSide > 0;
            if (aboveFrom && belowUpTo)
            {
                return tier;
            }
        }

        throw new InvalidOperationException("Commission tiers must cover 0–100% conversion once (Terms.Create checks it); none holds this conversion.");
    }

    private static StatementLine CommissionLine(CommissionBasis basis)
    {
        var amount = basis.AttributedSales.MultiplyBy(basis.Tier.Rate);
        return new StatementLine(
            StatementLineKind.Commission,
            amount,
            $"attributed sales {Show(basis.AttributedSales)} × {basis.Tier.Rate.ToPercentString()} (tier {basis.Tier.Band}: "
            + $"{basis.ConvertedInquiries} of {basis.Inquiries} inquiries converted) = {Show(amount)}");
    }

    // A target the contract sets but the figures do not measure counts as missed: the vendor reports what the contract judges.
    private static List<StatementLine> SlaCreditLines(SlaTargets sla, ServiceFigures figures, Money baseFee)
    {
        var missed = new List<string>();
        if (sla.FirstResponseSeconds is { } firstResponse && !(figures.FirstResponseSeconds <= firstResponse))
        {
            missed.Add($"first response {Figure(figures.FirstResponseSeconds)}s above target {firstResponse}s");
        }

        AddIfBelow(missed, "answer rate", sla.AnswerRate, figures.AnswerRate);
        AddIfBelow(missed, "first-contact resolution", sla.FirstContactResolution, figures.FirstContactResolution);
        AddIfBelow(missed, "satisfaction", sla.Satisfaction, figures.Satisfaction);
        AddIfBelow(missed, "QA pass rate", sla.QaPassRate, figures.QaPassRate);

        var lines = new List<StatementLine>();
        var cap = baseFee.MultiplyBy(sla.CreditCap);
        var remaining = cap;
        foreach (var miss in missed)
        {
            var credit = baseFee.MultiplyBy(sla.CreditPerMissedTarget);
            var granted = credit <= remaining ? credit : remaining;
            remaining -= granted;
            var capNote = granted == credit ? string.Empty : $", cut to {Show(granted)} by the cap {sla.CreditCap.ToPercentString()} of base = {Show(cap)}";
            lines.Add(new StatementLine(
                StatementLineKind.SlaCredit,
                -granted,
                $"SLA missed: {miss}: {sla.CreditPerMissedTarget.ToPercentString()} × base fee {Show(baseFee)} = {Show(credit)}{capNote}"));
        }

        return lines;
    }

    private static void AddIfBelow(List<string> missed, string name, Rate? target, Rate? figure)
    {
        if (target is { } wanted && !(figure >= wanted))
        {
            missed.Add($"{name} {(figure is { } got ? got.ToPercentString() : "not reported")} below target {wanted.ToPercentString()}");
        }
    }

    private static string Figure(int? value) => value is { } known ? known.ToString(CultureInfo.InvariantCulture) : "not reported ";

    /// <summary>
    /// The whole late penalty <paramref name="item"/> has accrued by <paramref name="issuedOn"/> under <paramref name="rule"/>,
    /// before what was charged on earlier statements: <c>amount × daily rate × days</c>, capped at <c>cap × amount</c>, rounded
    /// to the minor unit; zero on hold or when not late. Days are calendar days from the day after the due date to the day
    /// paid, or to <paramref name="issuedOn"/> while unpaid (both inclusive).
    /// </summary>
    public static Money LatePenaltyAccrued(OverdueItem item, LatePenalty rule, LocalDate issuedOn)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(rule);
        var days = Period.DaysBetween(item.DueOn, item.PaidOn ?? issuedOn);
        if (item.OnHold || days <= 0)
        {
            return Money.Zero(item.Amount.Currency);
        }

        var accrued = item.Amount * (rule.DailyRate.Fraction * days);
        var cap = item.Amount * rule.Cap.Fraction;
        return (accrued <= cap ? accrued : cap).RoundToMinorUnit();
    }

    // Calendar days, not working days: the penalty runs from the day after the due date to the day paid (or the issue date).
    private static List<StatementLine> PenaltyLines(IReadOnlyList<OverdueItem> overdue, LatePenalty rule, LocalDate issuedOn)
    {
        var lines = new List<StatementLine>();
        foreach (var item in overdue.OrderBy(item => item.DueOn).ThenBy(item => item.Statement))
        {
            var until = item.PaidOn ?? issuedOn;
            var days = Period.DaysBetween(item.DueOn, until);
            if (item.OnHold || days <= 0)
            {
                continue;
            }

            var accrued = item.Amount * (rule.DailyRate.Fraction * days);
            var cap = item.Amount * rule.Cap.Fraction;
            var penalty = LatePenaltyAccrued(item, rule, issuedOn);
            var line = penalty - item.PenaltyCharged;
            if (line.Amount <= 0m)
            {
                continue;
            }

            var capNote = accrued <= cap ? string.Empty : $", capped at {rule.Cap.ToPercentString()} = {Show(cap.RoundToMinorUnit())}";
            lines.Add(new StatementLine(
                StatementLineKind.LatePenalty,
                line,
                $"{item.Statement} {Show(item.Amount)} due {Iso(item.DueOn)}, {(item.PaidOn is null ? "unpaid" : "paid " + Iso(until))}: "
                + $"{days} days late ({Iso(item.DueOn.PlusDays(1))}..{Iso(until)}) × {rule.DailyRate.ToPercentString()} a day = {Show(penalty)}{capNote}"
                + $"; charged before {Show(item.PenaltyCharged)}")
            {
                Reference = item.Statement.Value,
            });
        }

        return lines;
    }

    /// <summary>An amount for people, e.g. <c>30,000.00 CNY</c>; the canonical form uses the plain amount instead.</summary>
    internal static string Show(Money amount) =>
        amount.Amount.ToString("N" + amount.Currency.MinorUnits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + " " + amount.Currency.Code;

    internal static string Iso(LocalDate date) => NodaTime.Text.LocalDatePattern.Iso.Format(date);
}
