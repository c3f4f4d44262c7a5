namespace ServiceLedger.Domain.Billing;

using NodaTime;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Money;

/// <summary>
/// Which periods a contract's figures (the vendor's service report, the merchant's shop export) may be given for. A period
/// is reportable when the contract is or was in service (Active, Suspended, Terminated or Expired: service happened), the
/// period is of the contract's settlement cycle (a monthly contract reports months, a quarterly one whole quarters, so that
/// the quarter's tier comes from the quarter's own totals), it overlaps the contract's term, and it has ended in the
/// contract's time zone (figures for a running period cannot be complete).
/// </summary>
public static class ReportingPeriods
{
    /// <summary>The contract states whose periods can be reported: service ran (or runs) in them.</summary>
    public static IReadOnlySet<ContractStatus> InService { get; } = new HashSet<ContractStatus>
    {
        ContractStatus.Active,
        ContractStatus.Suspended,
        ContractStatus.Terminated,
        ContractStatus.Expired,
    };

    /// <summary>
    /// The terms a period is reported under: those in force on its last day, or the current version's when the period
    /// ends before the term starts (the period is then refused as outside the term anyway).
    /// </summary>
    public static Terms TermsFor(Contract contract, SettlementPeriod period)
    {
        ArgumentNullException.ThrowIfNull(contract);
        return contract.TermsOn(period.LastDay) ?? contract.CurrentVersion.Terms;
    }

    /// <summary>
    /// The refusals (empty when reportable) of reporting <paramref name="period"/> for <paramref name="contract"/> at
    /// <paramref name="now"/>; each names <paramref name="field"/> (e.g. <c>period</c> or <c>rows[3].period</c>).
    /// </summary>
    public static IReadOnlyList<Refusal> Check(Contract contract, SettlementPeriod period, Instant now, string field)
    {
        ArgumentNullException.ThrowIfNull(contract);
        if (!InService.Contains(contract.Status))
        {
            return [new Refusal(
                BillingRule.ContractNotInService,
                field,
                $"Contract {contract.Id} is {contract.Status}; figures are reported once it is Active (and for its periods after it is suspended or ends).")];
        }

        var terms = TermsFor(contract, period);
        if (period.Cycle != terms.Cycle)
        {
            return [new Refusal(
                BillingRule.PeriodNotOfContractCycle,
                field,
                $"Contract {contract.Id} settles {terms.Cycle}; give a {(terms.Cycle == SettlementCycle.Monthly ? "month such as '2027-03'" : "quarter such as '2027-Q1'")}, not '{period}'.")];
        }

        var term = terms.Term;
        if (period.LastDay < term.StartOn || period.Start > term.EndOn)
        {
            return [new Refusal(
                BillingRule.PeriodOutsideTerm,
                field,
                $"{period} is outside contract {contract.Id}'s term ({term.StartOn:yyyy-MM-dd} to {term.EndOn:yyyy-MM-dd}).")];
        }

        var today = now.InZone(terms.TimeZone).Date;
        if (today < period.End)
        {
            return [new Refusal(
                BillingRule.PeriodNotEnded,
                field,
                $"{period} ends on {period.LastDay:yyyy-MM-dd} ({terms.TimeZone.Id}); its figures can be reported from {period.End:yyyy-MM-dd}.")];
        }

        return [];
    }

    /// <summary>A refusal naming <paramref name="field"/> when <paramref name="amount"/> is not in the currency of the terms for the period; null otherwise.</summary>
    public static Refusal? CheckCurrency(Contract contract, SettlementPeriod period, Money amount, string field)
    {
        var currency = TermsFor(contract, period).Currency;
        return amount.Currency == currency
            ? null
            : new Refusal(BillingRule.CurrencyMustMatchContract, field, $"Contract {contract.Id} is in {currency}; give the amount in {currency}, not {amount.Currency}.");
    }
}
