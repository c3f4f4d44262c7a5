using NodaTime;
using ServiceLedger.Domain.Billing;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Parties;

namespace ServiceLedger.Domain.Settlement;

using ServiceLedger.Domain.Money;

/// <summary>
/// Everything <see cref="SettlementEngine.Settle"/> needs to settle one contract for one period; the engine reads nothing else
/// (no clock, no store). <see cref="Period"/> is the period the settlement run is for (the one that just ended in the
/// contract's time zone): base-plus-commission contracts are billed for it in arrears, fixed-fee contracts for the period
/// after it in advance (docs/settlement.md). Lists are bounded by <see cref="SettlementLimits"/>.
/// </summary>
public sealed record SettlementInput
{
    /// <summary>The contract settled; its book receives the statement's entry.</summary>
    public required ContractId Contract { get; init; }

    /// <summary>The merchant who pays.</summary>
    public required MerchantId Merchant { get; init; }

    /// <summary>The vendor who is paid.</summary>
    public required VendorId Vendor { get; init; }

    /// <summary>The signed terms versions, each with the day it took effect (e.g. <see cref="TermsInForce.FromContract"/>); ascending, at least one.</summary>
    public required IReadOnlyList<TermsInForce> TermsVersions { get; init; }

    /// <summary>The days the vendor serves: the term, cut short by a termination.</summary>
    public required ServiceWindow Service { get; init; }

    /// <summary>The period the run settles (a month or a quarter, as the terms' cycle says).</summary>
    public required SettlementPeriod Period { get; init; }

    /// <summary>
    /// The vendor's figures for <see cref="Period"/> (for a quarter, the quarter's totals). Needed when the period has service
    /// days and the contract earns commission or has SLA targets; null otherwise (e.g. a fixed-fee statement billed before service starts).
    /// </summary>
    public ServiceFigures? Figures { get; init; }

    /// <summary>The day the statement is issued, in the contract's time zone; due dates and penalty days count from it.</summary>
    public required LocalDate IssuedOn { get; init; }

    /// <summary>
    /// The statement's version for this contract and period: 1 for the period's statement, up to
    /// <see cref="StatementVersions.MaxRecomputed"/> for a recomputed one, in the correction-only range exactly when
    /// <see cref="CorrectionOnly"/> (<see cref="StatementVersions"/>).
    /// </summary>
    public required int Version { get; init; }

    /// <summary>
    /// True for a correction-only statement: the corrections that reach a contract's periods after its final statement was
    /// issued, which has no next statement to carry them (docs/settlement.md). <see cref="Period"/> is the final period; the
    /// lines are <see cref="Corrections"/> (at least one) and nothing else: no fee, commission, SLA credit, penalty, dispute
    /// adjustment, hold or deposit, and no figures needed. <see cref="CreditNotes"/> may still be listed as memo lines.
    /// </summary>
    public bool CorrectionOnly { get; init; }

    /// <summary>Approved dispute adjustments to credit on this statement.</summary>
    public IReadOnlyList<DisputeAdjustment> DisputeAdjustments { get; init; } = [];

    /// <summary>Amounts under dispute (issue 9): shown on the statement, not payable to the vendor until resolved; no line.</summary>
    public IReadOnlyList<HeldAmount> Held { get; init; } = [];

    /// <summary>Overdue amounts of earlier statements, as of <see cref="IssuedOn"/>: each may give a late-penalty line.</summary>
    public IReadOnlyList<OverdueItem> Overdue { get; init; } = [];

    /// <summary>
    /// Credit notes of resolved disputes to list on this statement as memo lines (<see cref="Statement.CreditNotes"/>): booked
    /// in the ledger when the dispute was resolved, so they change no line, total or ledger entry; each resolved on or before
    /// <see cref="IssuedOn"/>.
    /// </summary>
    public IReadOnlyList<CreditNote> CreditNotes { get; init; } = [];

    /// <summary>Correction lines from <see cref="SettlementEngine.Correct(Statement, Statement)"/> of earlier periods, carried onto this statement.</summary>
    public IReadOnlyList<StatementLine> Corrections { get; init; } = [];

    /// <summary>True for the contract's final statement (the service window ends before the next billing).</summary>
    public bool IsFinal { get; init; }

    /// <summary>The deposit held, to apply to the final statement (only with <see cref="IsFinal"/>); null when none is applied.</summary>
    public Money? DepositHeld { get; init; }

    /// <summary>The working-day calendar of the contract's jurisdiction, for the due date.</summary>
    public required IWorkingDayCalendar Calendar { get; init; }
}

/// <summary>One signed terms version and the first day it is in force; it stays in force until the next version's day.</summary>
/// <param name="EffectiveFrom">The first day the terms apply.</param>
/// <param name="Terms">The terms.</param>
public sealed record TermsInForce(LocalDate EffectiveFrom, Terms Terms)
{
    /// <summary>The signed versions of a contract, in the order they took effect.</summary>
    public static IReadOnlyList<TermsInForce> FromContract(Contract contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        return contract.Versions
            .Where(version => version.Status == VersionStatus.Signed)
            .OrderBy(version => version.EffectiveFrom)
            .Select(version => new TermsInForce(version.EffectiveFrom, version.Terms))
            .ToArray();
    }
}

/// <summary>The days of service, both inclusive: from the term's start to its end, or to the last day before a termination.</summary>
/// <param name="FirstDay">The first day of service.</param>
/// <param name="LastDay">The last day of service, not before <paramref name="FirstDay"/>.</param>
public sealed record ServiceWindow(LocalDate FirstDay, LocalDate LastDay)
{
    /// <summary>
    /// The window of a term, cut short when the contract ends early: <paramref name="lastServiceDay"/> is the last day served
    /// (not the first day without service); null when the contract runs its term.
    /// </summary>
    public static ServiceWindow Of(ContractTerm term, LocalDate? lastServiceDay)
    {
        ArgumentNullException.ThrowIfNull(term);
        var last = lastServiceDay is { } cut && cut < term.EndOn ? cut : term.EndOn;
        return new ServiceWindow(term.StartOn, last);
    }

    /// <summary>True when <paramref name="date"/> is a service day.</summary>
    public bool Contains(LocalDate date) => date >= FirstDay && date <= LastDay;
}

/// <summary>An approved dispute outcome that credits the merchant on the next statement.</summary>
/// <param name="Credit">The credit, positive; the line is its negative.</param>
/// <param name="Reference">The dispute id; 1 to <see cref="SettlementLimits.MaxReferenceLength"/> of <c>[A-Za-z0-9_-:.]</c>.</param>
public sealed record DisputeAdjustment(Money Credit, string Reference);

/// <summary>An amount under dispute, shown on the statement and held back from the vendor until the dispute ends.</summary>
/// <param name="Amount">The amount held, positive.</param>
/// <param name="Reference">The dispute or statement it concerns; same shape as <see cref="DisputeAdjustment.Reference"/>.</param>
public sealed record HeldAmount(Money Amount, string Reference)
{
    /// <summary>
    /// The statement whose amount is held, when the hold names one (a fee dispute on a statement line); null otherwise. Not
    /// part of the statement's canonical form: it only tells which overdue amount accrues no late penalty.
    /// </summary>
    public StatementId? Statement { get; init; }
}

/// <summary>
/// An amount of an earlier statement unpaid after its due date. Penalty days are calendar days from the day after
/// <paramref name="DueOn"/> to <paramref name="PaidOn"/> (inclusive) or, while unpaid, to the issue date (inclusive).
/// </summary>
/// <param name="Statement">The earlier statement.</param>
/// <param name="Amount">The amount overdue, positive.</param>
/// <param name="DueOn">The earlier statement's due date.</param>
/// <param name="PaidOn">The day it was paid, not after the issue date; null while unpaid.</param>
/// <param name="OnHold">True when the amount is under dispute: it accrues no penalty.</param>
/// <param name="PenaltyCharged">Penalty already charged for it on earlier statements; the new line is what accrued beyond it.</param>
public sealed record OverdueItem(StatementId Statement, Money Amount, LocalDate DueOn, LocalDate? PaidOn, bool OnHold, Money PenaltyCharged);
