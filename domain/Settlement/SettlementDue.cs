namespace ServiceLedger.Domain.Settlement;

using NodaTime;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;

/// <summary>Why a contract is or is not settled in a run for a period (the run's enumeration answer).</summary>
public enum DueDecision
{
    /// <summary>Settle it: it serves (or, fixed fee, bills) days of the period, its cycle matches, and the period has ended in its time zone.</summary>
    Due = 1,

    /// <summary>Not serving: never activated (draft, awaiting approval or deposit, or ended before that) or suspended.</summary>
    NotActive = 2,

    /// <summary>No signed terms are in force on the period's last day.</summary>
    NoTermsInForce = 3,

    /// <summary>The contract settles monthly and the period is a quarter, or the other way round.</summary>
    OtherCycle = 4,

    /// <summary>The contract's service window touches neither the period nor (fixed fee) the period it bills in advance.</summary>
    OutsideTerm = 5,

    /// <summary>The period has not ended yet in the contract's own time zone.</summary>
    NotEndedYet = 6,

    /// <summary>
    /// The contract ended (terminated or expired) before the period and its final statement's period is more than one
    /// period back: runs of that final period (or the one after it) settle it, later runs leave it alone.
    /// </summary>
    AfterService = 7,
}

/// <summary>
/// When a contract's settlement period is due, decided in the contract's own time zone. A period ends at local midnight
/// of its <see cref="SettlementPeriod.End"/> (month end for monthly contracts, quarter end for quarterly ones): for
/// Asia/Shanghai the March period ends at 2027-03-31T16:00Z. Timers are written in UTC (Flex Consumption has no time-zone
/// setting), so a timer asks which periods ended inside the window since it last fired. Pure: the instant comes in.
/// </summary>
public static class SettlementDue
{
    /// <summary>
    /// Period ends lie within this distance of a UTC month start: tz offsets span UTC−12 to UTC+14, so local midnight of the
    /// 1st is between 14 hours before and 12 hours after UTC midnight of the 1st.
    /// </summary>
    private static readonly Duration EarliestBeforeUtcMonthStart = Duration.FromHours(14);

    private static readonly Duration LatestAfterUtcMonthStart = Duration.FromHours(12);

    /// <summary>The instant <paramref name="period"/> ends in <paramref name="zone"/>: local midnight at the start of its End day.</summary>
    public static Instant EndsAt(SettlementPeriod period, DateTimeZone zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return period.End.AtStartOfDayInZone(zone).ToInstant();
    }

    /// <summary>The latest period of <paramref name="cycle"/> that has ended by <paramref name="now"/> in <paramref name="zone"/>.</summary>
    public static SettlementPeriod LastEnded(SettlementCycle cycle, DateTimeZone zone, Instant now)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return SettlementPeriod.Containing(now.InZone(zone).Date, cycle).Previous();
    }

    /// <summary>
    /// Decides whether <paramref name="contract"/> is settled for <paramref name="period"/> as of <paramref name="now"/>.
    /// Active contracts are due for the periods their service window touches (for fixed fee also the period before service
    /// starts: its statement bills the first period in advance). Terminated and expired contracts that were active are due
    /// the same way up to their final period, and for the one period after it too (a run of that period settles a final
    /// statement a held or missed run left out; <see cref="StatementPeriod"/> names which period to settle).
    /// </summary>
    public static DueDecision Decide(Contract contract, SettlementPeriod period, Instant now)
    {
        ArgumentNullException.ThrowIfNull(contract);
        if (period.IsDefault)
        {
            throw new ArgumentException("default(SettlementPeriod) names no period.", nameof(period));
        }

        if (ServiceWindowOf(contract) is not { } window || contract.Status is not (ContractStatus.Active or ContractStatus.Terminated or ContractStatus.Expired))
        {
            return DueDecision.NotActive;
        }

        // The terms in force at the period's end decide the cycle and zone; an amendment mid-period is the engine's split.
        var terms = GoverningTerms(contract, period);
        if (terms is null)
        {
            return DueDecision.NoTermsInForce;
        }

        if (terms.Cycle != period.Cycle)
        {
            return DueDecision.OtherCycle;
        }

        var settled = StatementPeriod(contract, period);
        if (settled != period && settled.Next() != period)
        {
            return DueDecision.AfterService;
        }

        var billed = terms.Mode == CooperationMode.FixedFee ? settled.Next() : settled;
        if (!Touches(settled, window) && !Touches(billed, window))
        {
            return DueDecision.OutsideTerm;
        }

        return now >= EndsAt(period, terms.TimeZone) ? DueDecision.Due : DueDecision.NotEndedYet;
    }

    /// <summary>
    /// The terms that govern <paramref name="contract"/>'s statement for <paramref name="period"/>: those in force on its last
    /// day, else on its first, else fixed-fee terms in force on the next period's last day (the bill in advance before service
    /// starts); null when none is.
    /// </summary>
    public static Terms? GoverningTerms(Contract contract, SettlementPeriod period)
    {
        ArgumentNullException.ThrowIfNull(contract);
        return contract.TermsOn(period.LastDay) ?? contract.TermsOn(period.Start)
            ?? (contract.TermsOn(period.Next().LastDay) is { Mode: CooperationMode.FixedFee } inAdvance ? inAdvance : null);
    }

    /// <summary>
    /// The days <paramref name="contract"/> serves: its current term, cut short at the termination day for a terminated
    /// contract (the day of the terminate action in the contract's zone counts as served: service ran that day until it
    /// was stopped). Null when the contract was never active (terminated before its deposit was paid) or was terminated
    /// before its term started: it serves no day and gets no statement.
    /// </summary>
    public static ServiceWindow? ServiceWindowOf(Contract contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        if (!contract.History.Any(change => change.Action == ContractActions.Activated))
        {
            return null;
        }

        var terms = contract.CurrentVersion.Terms;
        LocalDate? lastServiceDay = null;
        if (contract.Status == ContractStatus.Terminated
            && contract.History.LastOrDefault(change => change.Action == ContractActions.Terminated) is { } terminated)
        {
            lastServiceDay = terminated.At.InZone(terms.TimeZone).Date;
            if (lastServiceDay < terms.Term.StartOn)
            {
                return null;
            }
        }

        return ServiceWindow.Of(terms.Term, lastServiceDay);
    }

    /// <summary>
    /// The period whose statement a run of <paramref name="period"/> settles for <paramref name="contract"/>: the period
    /// itself, except for a contract that has ended (terminated or expired) before it, whose final period it is.
    /// </summary>
    public static SettlementPeriod StatementPeriod(Contract contract, SettlementPeriod period)
    {
        ArgumentNullException.ThrowIfNull(contract);
        if (!contract.IsFinal || ServiceWindowOf(contract) is not { } window)
        {
            return period;
        }

        var final = FinalPeriod(window, period.Cycle);
        return final < period ? final : period;
    }

    /// <summary>
    /// The period of <paramref name="cycle"/> that holds the last day of <paramref name="window"/>: its statement is the
    /// contract's final one (<see cref="IsFinalStatement"/>), after which corrections go on correction-only statements.
    /// </summary>
    public static SettlementPeriod FinalPeriod(ServiceWindow window, SettlementCycle cycle)
    {
        ArgumentNullException.ThrowIfNull(window);
        return SettlementPeriod.Containing(window.LastDay, cycle);
    }

    /// <summary>
    /// The period whose statement is <paramref name="contract"/>'s first in-advance bill, when a run settling
    /// <paramref name="period"/> must issue it first: a fixed-fee contract with no statement yet (<paramref name="hasStatements"/>
    /// false) whose service started before <paramref name="period"/> ends, so the run before its start did not bill its first
    /// period. That is the period before the one service starts in; null when nothing is owed first.
    /// </summary>
    public static SettlementPeriod? FirstAdvanceBillBefore(Contract contract, SettlementPeriod period, bool hasStatements)
    {
        ArgumentNullException.ThrowIfNull(contract);
        if (hasStatements || ServiceWindowOf(contract) is not { } window)
        {
            return null;
        }

        var first = SettlementPeriod.Containing(window.FirstDay, period.Cycle).Previous();
        return first < period && GoverningTerms(contract, first)?.Mode == CooperationMode.FixedFee ? first : null;
    }

    /// <summary>
    /// The in-advance bills of a fixed-fee contract that no run issued because they came before the contract was active,
    /// oldest first, which the handling settling <paramref name="period"/> issues first: every period from the one before
    /// service starts (<see cref="FirstAdvanceBillBefore"/>) up to the one before <paramref name="period"/> that fixed-fee
    /// terms govern and <paramref name="issued"/> lacks. Only while no earlier run issued a statement of the contract
    /// (<paramref name="issuedByEarlierRuns"/> false: its statements, if any, are this handling's own, stored before a crash);
    /// once one did, the contract's runs bill it period by period (and finance re-runs a missed one).
    /// </summary>
    public static IReadOnlyList<SettlementPeriod> MissedAdvanceBillsBefore(
        Contract contract, SettlementPeriod period, IReadOnlyCollection<SettlementPeriod> issued, bool issuedByEarlierRuns)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(issued);
        if (FirstAdvanceBillBefore(contract, period, issuedByEarlierRuns) is not { } first)
        {
            return [];
        }

        var missed = new List<SettlementPeriod>();
        for (var billing = first; billing < period; billing = billing.Next())
        {
            if (!issued.Contains(billing) && GoverningTerms(contract, billing)?.Mode == CooperationMode.FixedFee)
            {
                missed.Add(billing);
            }
        }

        return missed;
    }

    /// <summary>True when the statement of <paramref name="period"/> is the contract's last: service ends before the next period.</summary>
    public static bool IsFinalStatement(ServiceWindow window, SettlementPeriod period)
    {
        ArgumentNullException.ThrowIfNull(window);
        return window.LastDay < period.End;
    }

    private static bool Touches(SettlementPeriod period, ServiceWindow window) =>
        period.DaysOverlapping(window.FirstDay, window.LastDay.PlusDays(1)) > 0;

    /// <summary>
    /// For a timer firing at <paramref name="now"/> whose previous firing was at <paramref name="since"/>: the period of
    /// <paramref name="contract"/> that ended in (<paramref name="since"/>, <paramref name="now"/>] and is due, or null.
    /// A window longer than one period only reports the latest ended period (older ones need a run started by finance).
    /// </summary>
    public static SettlementPeriod? EndedBetween(Contract contract, Instant since, Instant now)
    {
        ArgumentNullException.ThrowIfNull(contract);
        if (contract.Status is not (ContractStatus.Active or ContractStatus.Terminated or ContractStatus.Expired))
        {
            return null;
        }

        var terms = contract.CurrentVersion.Terms;
        var period = LastEnded(terms.Cycle, terms.TimeZone, now);
        var zone = (contract.TermsOn(period.LastDay) ?? terms).TimeZone;
        return EndsAt(period, zone) > since && Decide(contract, period, now) == DueDecision.Due ? period : null;
    }

    /// <summary>
    /// The monthly and quarterly periods whose end falls within (<paramref name="since"/>, <paramref name="now"/>] in some time
    /// zone, oldest first; empty on most hours of a month, so an hourly timer reads no contract then. A month end in zone Z is
    /// local midnight of the 1st, between 14 hours before and 12 hours after UTC midnight of the 1st.
    /// </summary>
    public static IReadOnlyList<SettlementPeriod> PeriodsEndingBetween(Instant since, Instant now)
    {
        var periods = new List<SettlementPeriod>();
        var first = (since - LatestAfterUtcMonthStart).InUtc().Date;
        var month = new YearMonth(first.Year, first.Month).PlusMonths(1);

        // A few months at most: timers fire at least daily; the bound guards a corrupt or very old "since".
        for (var visited = 0; visited < 24 && now > since; visited++, month = month.PlusMonths(1))
        {
            var utcStart = month.OnDayOfMonth(1).AtStartOfDayInZone(DateTimeZone.Utc).ToInstant();
            if (utcStart - EarliestBeforeUtcMonthStart > now)
            {
                break;
            }

            if (utcStart + LatestAfterUtcMonthStart > since)
            {
                var ended = month.PlusMonths(-1);
                periods.Add(SettlementPeriod.Month(ended));
                if (ended.Month % 3 == 0)
                {
                    periods.Add(SettlementPeriod.Quarter(ended.Year, ended.Month / 3));
                }
            }
        }

        return periods;
    }
}
