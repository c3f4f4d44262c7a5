using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Ledger;

namespace ServiceLedger.Domain.Settlement;

using ServiceLedger.Domain.Money;

/// <summary>The input rules of <see cref="SettlementEngine.Settle"/>, each refusal naming the input field.</summary>
internal static class SettlementChecks
{
    public static List<Refusal> Check(SettlementInput input)
    {
        if (input.Contract.IsDefault || input.Merchant.IsDefault || input.Vendor.IsDefault || input.Period.IsDefault)
        {
            throw new ArgumentException("A settlement needs a contract, a merchant, a vendor and a period.", nameof(input));
        }

        ArgumentNullException.ThrowIfNull(input.TermsVersions);
        ArgumentNullException.ThrowIfNull(input.Service);
        ArgumentNullException.ThrowIfNull(input.Calendar);
        ArgumentNullException.ThrowIfNull(input.DisputeAdjustments);
        ArgumentNullException.ThrowIfNull(input.Held);
        ArgumentNullException.ThrowIfNull(input.Overdue);
        ArgumentNullException.ThrowIfNull(input.Corrections);
        ArgumentNullException.ThrowIfNull(input.CreditNotes);

        var refusals = new List<Refusal>();
        var versions = input.TermsVersions;
        if (versions.Count is 0 || versions.Count > SettlementLimits.MaxTermsVersions
            || versions.Zip(versions.Skip(1)).Any(pair => pair.Second.EffectiveFrom <= pair.First.EffectiveFrom))
        {
            refusals.Add(new Refusal(
                SettlementRule.TermsVersionsInvalid,
                "termsVersions",
                $"Give 1 to {SettlementLimits.MaxTermsVersions} signed terms versions in ascending order of their effective dates."));
            return refusals;
        }

        var currency = versions[0].Terms.Currency;
        if (versions.Any(version => version.Terms.Currency != currency))
        {
            refusals.Add(new Refusal(SettlementRule.CurrencyMismatch, "termsVersions", $"Every terms version must be in {currency}; a contract keeps one currency."));
            return refusals;
        }

        if (input.Service.LastDay < input.Service.FirstDay)
        {
            refusals.Add(new Refusal(SettlementRule.ServiceWindowInvalid, "service.lastDay", "The last service day must not be before the first."));
            return refusals;
        }

        var governing = SettlementEngine.GoverningTerms(input);
        if (governing.Cycle != input.Period.Cycle)
        {
            refusals.Add(new Refusal(
                SettlementRule.PeriodCycleMismatch,
                "period",
                $"The contract settles {governing.Cycle.ToString().ToLowerInvariant()}; {input.Period} is not such a period."));
        }

        if (input.CorrectionOnly ? !StatementVersions.IsCorrectionOnly(input.Version) : input.Version is < 1 or > StatementVersions.MaxRecomputed)
        {
            // The ranges keep a correction-only statement's id and ledger key apart from every recomputed version of the period.
            refusals.Add(new Refusal(
                SettlementRule.VersionInvalid,
                "version",
                input.CorrectionOnly
                    ? $"A correction-only statement is version {StatementVersions.FirstCorrectionOnly} to {StatementVersions.MaxCorrectionOnly}."
                    : $"A statement version is 1 to {StatementVersions.MaxRecomputed}; {StatementVersions.FirstCorrectionOnly} and above are correction-only statements."));
        }

        if (input.CorrectionOnly)
        {
            CheckCorrectionOnly(refusals, input);
        }

        var served = input.Period.DaysOverlapping(input.Service.FirstDay, input.Service.LastDay.PlusDays(1)) > 0;
        if (served && !input.CorrectionOnly && input.Figures is null && (governing.Mode == CooperationMode.BasePlusCommission || governing.Sla is not null))
        {
            refusals.Add(new Refusal(
                SettlementRule.FiguresRequired,
                "figures",
                $"{input.Period} has service days and the contract earns commission or has SLA targets: give the period's service figures."));
        }

        if (input.Figures is { } figures && figures.AttributedSales.Currency != currency)
        {
            refusals.Add(new Refusal(SettlementRule.CurrencyMismatch, "figures.attributedSales", $"Attributed sales must be in {currency}."));
        }

        CheckCount(refusals, input.DisputeAdjustments.Count, SettlementLimits.MaxDisputeAdjustments, "disputeAdjustments");
        for (var index = 0; index < input.DisputeAdjustments.Count && index < SettlementLimits.MaxDisputeAdjustments; index++)
        {
            var adjustment = input.DisputeAdjustments[index];
            CheckPositive(refusals, adjustment.Credit, currency, $"disputeAdjustments[{index}].credit");
            CheckReference(refusals, adjustment.Reference, $"disputeAdjustments[{index}].reference");
        }

        CheckCount(refusals, input.Held.Count, SettlementLimits.MaxHeldAmounts, "held");
        for (var index = 0; index < input.Held.Count && index < SettlementLimits.MaxHeldAmounts; index++)
        {
            CheckPositive(refusals, input.Held[index].Amount, currency, $"held[{index}].amount");
            CheckReference(refusals, input.Held[index].Reference, $"held[{index}].reference");
        }

        CheckCount(refusals, input.Overdue.Count, SettlementLimits.MaxOverdueItems, "overdue");
        for (var index = 0; index < input.Overdue.Count && index < SettlementLimits.MaxOverdueItems; index++)
        {
            var item = input.Overdue[index];
            CheckPositive(refusals, item.Amount, currency, $"overdue[{index}].amount");
            if (item.Statement.IsDefault || item.PaidOn > input.IssuedOn || item.PenaltyCharged.Currency != currency || item.PenaltyCharged.IsNegative)
            {
                refusals.Add(new Refusal(
                    SettlementRule.OverdueItemInvalid,
                    $"overdue[{index}]",
                    $"An overdue item names its statement, is paid (if at all) on or before the issue date, and has a penalty charged of zero or more in {currency}."));
            }
        }

        CheckCount(refusals, input.CreditNotes.Count, SettlementLimits.MaxCreditNotes, "creditNotes");
        for (var index = 0; index < input.CreditNotes.Count && index < SettlementLimits.MaxCreditNotes; index++)
        {
            var note = input.CreditNotes[index];
            CheckPositive(refusals, note.Credited, currency, $"creditNotes[{index}].credited");
            CheckReference(refusals, note.Reference, $"creditNotes[{index}].reference");
            if (note.Statement.IsDefault || note.ResolvedOn > input.IssuedOn)
            {
                refusals.Add(new Refusal(
                    SettlementRule.CreditNoteInvalid,
                    $"creditNotes[{index}]",
                    "A credit note names the statement it credits and was resolved on or before the issue date (a later one goes on the next statement)."));
            }
        }

        CheckCount(refusals, input.Corrections.Count, SettlementLimits.MaxCorrections, "corrections");
        for (var index = 0; index < input.Corrections.Count && index < SettlementLimits.MaxCorrections; index++)
        {
            var line = input.Corrections[index];
            if (line.Kind != StatementLineKind.Correction || line.Corrects is null || line.IssuedStatement is null || line.RecomputedStatement is null
                || line.Amount.Currency != currency || !line.Amount.IsWholeMinorUnits)
            {
                refusals.Add(new Refusal(
                    SettlementRule.CorrectionInvalid,
                    $"corrections[{index}]",
                    $"A carried correction is a line from SettlementEngine.Correct: kind Correction, linked to both statements, whole minor units of {currency}."));
            }
        }

        if (input.DepositHeld is { } deposit)
        {
            if (!input.IsFinal)
            {
                refusals.Add(new Refusal(SettlementRule.DepositOnlyOnFinalStatement, "depositHeld", "The deposit is applied on the final statement only; set isFinal or leave it out."));
            }

            CheckPositive(refusals, deposit, currency, "depositHeld");
        }

        return refusals;
    }

    // A correction-only statement carries corrections and nothing else: what else a period gives was settled on its own statement.
    private static void CheckCorrectionOnly(List<Refusal> refusals, SettlementInput input)
    {
        if (input.Corrections.Count == 0 || input.IsFinal || input.DepositHeld is not null
            || input.DisputeAdjustments.Count > 0 || input.Overdue.Count > 0 || input.Held.Count > 0)
        {
            refusals.Add(new Refusal(
                SettlementRule.CorrectionOnlyInvalid,
                "correctionOnly",
                "A correction-only statement carries at least one correction and no dispute adjustment, overdue item, hold or deposit, and is not the final statement."));
        }
    }

    private static void CheckCount(List<Refusal> refusals, int count, int max, string field)
    {
        if (count > max)
        {
            refusals.Add(new Refusal(SettlementRule.TooManyItems, field, $"{count} items; one statement takes at most {max}."));
        }
    }

    private static void CheckPositive(List<Refusal> refusals, Money amount, Currency currency, string field)
    {
        if (amount.Currency != currency)
        {
            refusals.Add(new Refusal(SettlementRule.CurrencyMismatch, field, $"The amount must be in {currency}, the contract's currency."));
        }
        else if (amount.Amount <= 0m || !amount.IsWholeMinorUnits)
        {
            refusals.Add(new Refusal(SettlementRule.AmountMustBePositive, field, $"{amount} must be positive, in whole minor units of {currency}."));
        }
    }

    private static void CheckReference(List<Refusal> refusals, string? reference, string field)
    {
        if (!LedgerText.IsKey(reference, SettlementLimits.MaxReferenceLength))
        {
            refusals.Add(new Refusal(
                SettlementRule.ReferenceInvalid,
                field,
                $"{LedgerText.Quote(reference)} is not a reference: give 1 to {SettlementLimits.MaxReferenceLength} of [A-Za-z0-9_-:.]."));
        }
    }
}
