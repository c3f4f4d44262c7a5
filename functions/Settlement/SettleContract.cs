namespace ServiceLedger.Functions.Settlement;

using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NodaTime;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Domain.Money;
using ServiceLedger.Domain.Settlement;
using ServiceLedger.Functions.Configuration;
using ServiceLedger.Functions.Ledger;
using ServiceLedger.Functions.Statements;

/// <summary>
/// Settles one contract for a run's period and records the outcome in the run (docs/settlement-runs.md). Order, and why:
/// <list type="number">
/// <item>read the contract's statements partition (one query: statements, corrections, payments, credit notes, dispute
/// markers, every period's service report versions and the contract's revision marker); take the contract from the message's
/// snapshot unless the marker says it changed since, else read it; the period settled is the run's, or an ended contract's
/// final period (<see cref="SettlementDue.StatementPeriod"/>); a period that needs a service report and has none usable →
/// held;</item>
/// <item>a statement for the period with the same inputs → settled already (nothing written but the outcome); with other
/// inputs → a pending correction is recorded for the next open statement (the issued statement is never edited); once the
/// contract's final statement is issued there is no next statement, so this handling carries every waiting correction on a
/// correction-only statement of the final period (<see cref="StatementVersions"/>), stored and posted as below;</item>
/// <item>a fixed-fee contract without statements gets its first in-advance bill first; every settled period whose inputs
/// changed since it was issued (a corrected report, an amendment reaching back, a termination cutting an advance bill short)
/// gets a pending correction, so nobody has to re-run it; waiting corrections of other periods are recomputed and carried (<see cref="SettlementEngine.Correct(StatementId, IReadOnlyList{StatementLine}, IReadOnlyList{StatementLine}, Statement)"/>);</item>
/// <item>compute the statement and its ledger entry (key <c>statement:{contract}:{period}:v{n}</c>). The ledger keeps the
/// contract's book in the same partition (<c>LedgerTables.ContractBooks</c>), so the statement row (naming its entry), the
/// recomputed statements it carries, the entry and the book's head are <b>one transaction</b>: stored and posted together or
/// not at all, the head taken from the partition query, not read again (<see cref="IContractBookWrites"/>). When that
/// transaction writes nothing (the row or the key exists: another delivery was first; the ledger refuses; the rows do not fit
/// one transaction) the plain path runs: <b>store it first</b> (insert only, with the recomputed statements), the row being
/// both the record and the intent to post, then post the entry <b>built from the stored record</b>. A crash between those two
/// is repaired by the redelivery or a re-run: it finds the row, asks the ledger for its key and posts the stored statement's
/// entry if missing. Either way the first computed statement is the one issued and posted, whatever changes before the
/// redelivery (a later change is a pending correction, as for any settled period). Then the carried corrections are marked
/// applied;</item>
/// <item>record the outcome row last (a crash before it leaves the row queued; the redelivery finds the statement and
/// records it as settled).</item>
/// </list>
/// </summary>
public sealed class SettleContract(
    IContractStore contracts,
    IServiceReportSource reports,
    StatementStore statements,
    IWorkingDayCalendar calendar,
    LedgerService ledger,
    IContractBookWrites book,
    SettlementOutcomeWriter outcomes,
    ISettlementHolds holds,
    ISettlementPendingPayments pendingPayments,
    IClock clock,
    ILogger<SettleContract> logger)
{
    /// <summary>
    /// Most settled periods whose corrections one statement carries, oldest first; later ones wait for the next statement.
    /// Each period gives at most one line per period kind (4), so the lines stay within <see cref="SettlementLimits.MaxCorrections"/>.
    /// </summary>
    public const int MaxCorrectedPeriodsPerStatement = SettlementLimits.MaxCorrections / 4;

    /// <summary>Settles the contract of <paramref name="message"/>, records and returns its outcome. I/O faults throw (the queue retries).</summary>
    public async Task<ContractRunOutcome> SettleAsync(SettleContractMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var outcome = await DecideAsync(message.Contract, message.Snapshot, message.Run.Period, cancellationToken).ConfigureAwait(false);
        await RecordAsync(message, outcome, cancellationToken).ConfigureAwait(false);
        return outcome;
    }

    /// <summary>Records <paramref name="outcome"/> for the message's contract in its run.</summary>
    public Task RecordAsync(SettleContractMessage message, ContractRunOutcome outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Outcome is ContractOutcome.Held or ContractOutcome.Failed)
        {
            logger.LogWarning("Run {RunId}: contract {ContractId} {Outcome} for {Period}: {Reason}", message.Run, message.Contract, outcome.Outcome, message.Run.Period, outcome.Reason);
        }

        return outcomes.RecordAsync(message.Run, outcome, clock.GetCurrentInstant(), cancellationToken);
    }

    /// <summary>
    /// The fingerprint of a statement's inputs: the period, the signed versions in force up to the end of the billed period
    /// (the period itself, or for fixed fee the next one, billed in advance; number and effective date), the
    /// service report version, the last service day when a termination cut the billed period short, and the corrections the
    /// statement carries (<see cref="PendingCorrection.Key"/>s). A re-run with the same fingerprint is "settled already";
    /// another one is a correction. The parts a contract without termination or corrections lacks add nothing, so fingerprints
    /// stored before they existed still match.
    /// </summary>
    public static string Fingerprint(Contract contract, SettlementPeriod period, ServiceReportVersion? report, ServiceWindow window, IReadOnlyList<string> appliedCorrections)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(appliedCorrections);
        var text = new StringBuilder()
            .Append(contract.Id.Value).Append('|').Append(period.ToString()).Append("|report:")
            .Append(report?.Version.ToString(CultureInfo.InvariantCulture) ?? "none");

        // A fixed-fee statement bills the next period in advance, so the versions in force up to the end of that period count:
        // an amendment effective in the billed period and signed after the statement was issued changes it.
        var billed = SettlementDue.GoverningTerms(contract, period)?.Mode == CooperationMode.FixedFee ? period.Next() : period;
        foreach (var version in contract.Versions.Where(version => version.Status == VersionStatus.Signed && version.EffectiveFrom <= billed.LastDay))
        {
            text.Append("|v").Append(version.Number.ToString(CultureInfo.InvariantCulture)).Append('@').Append(version.EffectiveFrom.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        if (contract.Status == ContractStatus.Terminated && window.LastDay < billed.LastDay)
        {
            text.Append("|last:").Append(window.LastDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        foreach (var key in appliedCorrections)
        {
            text.Append("|fix:").Append(key);
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..32];
    }

    // The order of the class summary. The run's period may name a later one than the statement settled: an ended contract's
    // final statement (SettlementDue.StatementPeriod).
    private async Task<ContractRunOutcome> DecideAsync(ContractId id, Contract? snapshot, SettlementPeriod runPeriod, CancellationToken cancellationToken)
    {
        // One query of the contract's statements partition brings its statements, corrections, payments, credit notes, dispute
        // markers, service reports and the contract's revision marker. The message's snapshot of the contract stands unless
        // the marker names a newer revision (the contract changed since the run's enumeration read it): then it is read.
        var prior = await ReadPartitionAsync(id, cancellationToken).ConfigureAwait(false);
        var contract = snapshot is not null && (prior.ContractRevision is not { } latest || latest <= snapshot.Revision)
            ? snapshot
            : (await contracts.GetAsync(id, cancellationToken).ConfigureAwait(false))?.Contract;
        if (contract is null)
        {
            return new ContractRunOutcome(id, ContractOutcome.Failed, $"Contract {id} does not exist.", null);
        }

        var decision = SettlementDue.Decide(contract, runPeriod, clock.GetCurrentInstant());
        if (decision != DueDecision.Due)
        {
            return new ContractRunOutcome(id, ContractOutcome.Held, $"Not due for {runPeriod} now: {decision}.", null);
        }

        var period = SettlementDue.StatementPeriod(contract, runPeriod);
        var window = SettlementDue.ServiceWindowOf(contract)
            ?? throw new InvalidOperationException($"Contract {id} is due for {period} but serves no day; SettlementDue.Decide must not say Due then.");
        var known = new ReportsRead(reports, contract.Id, prior);
        var report = await ReadReportAsync(known, contract, window, period, cancellationToken).ConfigureAwait(false);
        if (report.HeldBecause is { } reason)
        {
            return new ContractRunOutcome(id, ContractOutcome.Held, reason, null);
        }

        await MarkCarriedCorrectionsAsync(contract.Id, prior.CarriedButUnmarked, cancellationToken).ConfigureAwait(false);
        prior = await FinishPendingPaymentsAsync(prior, cancellationToken).ConfigureAwait(false);
        if (prior.For(period) is { } issued)
        {
            return await EnsurePostedAsync(issued, cancellationToken).ConfigureAwait(false)
                ?? await CompareWithIssuedAsync(contract, window, period, report.Version, issued, prior, known, cancellationToken).ConfigureAwait(false);
        }

        // A first bill this period's handling stored (issued on the same day as the period's own statement) may have crashed
        // before its post; the redelivery posts it before it goes on. Other periods' statements are not asked about: a
        // handling posts what it stores before storing the next, so only these can be stored and not posted.
        foreach (var catchUp in prior.Statements.Where(statement => statement.Period != period && statement.IssuedOn == period.End && statement.LedgerEntryId.Length == 0))
        {
            if (await EnsurePostedAsync(catchUp, cancellationToken).ConfigureAwait(false) is { } failed)
            {
                return failed;
            }
        }

        if (await SettleMissedAdvanceBillsAsync(contract, window, period, prior, known, cancellationToken).ConfigureAwait(false) is { } missedBillsWait)
        {
            return missedBillsWait;
        }

        prior = await NoticeChangedPeriodsAsync(contract, window, period, prior, known, cancellationToken).ConfigureAwait(false);
        var input = await InputAsync(contract, window, period, report.Version, prior, known, cancellationToken).ConfigureAwait(false);
        return await SettleAndPostAsync(contract, input.Input, input.Applied, input.Recomputed, report.Version, window, cancellationToken).ConfigureAwait(false);
    }

    // A statement for the period exists: the same inputs are "settled already"; other inputs are a pending correction for the
    // next open statement (the issued statement is never edited). Once the final statement is issued there is no next one, so
    // this handling carries the waiting corrections on a correction-only statement itself.
    private async Task<ContractRunOutcome> CompareWithIssuedAsync(
        Contract contract, ServiceWindow window, SettlementPeriod period, ServiceReportVersion? report, StatementRecord issued, ContractStatements prior, ReportsRead known, CancellationToken cancellationToken)
    {
        var correction = await RecordIfChangedAsync(contract, window, period, report, issued, cancellationToken).ConfigureAwait(false);
        if (prior.For(SettlementDue.FinalPeriod(window, period.Cycle)) is { } final)
        {
            // The other settled periods are checked too (as a new statement checks them), so a corrected report of an earlier
            // period is carried without a finance run of that period.
            prior = await NoticeChangedPeriodsAsync(contract, window, period, WithRecorded(prior, correction), known, cancellationToken).ConfigureAwait(false);
            return await IssueCorrectionOnlyAsync(contract, window, issued, final, correction, prior, known, cancellationToken).ConfigureAwait(false);
        }

        return correction is null
            ? new ContractRunOutcome(contract.Id, ContractOutcome.Settled, null, issued.Id)
            : new ContractRunOutcome(contract.Id, ContractOutcome.Settled, $"Inputs changed after {issued.Id} was issued; a correction waits for the next open statement.", issued.Id);
    }

    private async Task<PendingCorrection?> RecordIfChangedAsync(
        Contract contract, ServiceWindow window, SettlementPeriod period, ServiceReportVersion? report, StatementRecord issued, CancellationToken cancellationToken)
    {
        var fingerprint = Fingerprint(contract, period, report, window, issued.AppliedCorrections);
        return string.Equals(issued.InputsFingerprint, fingerprint, StringComparison.Ordinal)
            ? null
            : await RecordChangeAsync(contract, window, period, report, issued, fingerprint, cancellationToken).ConfigureAwait(false);
    }

    private async Task<PendingCorrection> RecordChangeAsync(
        Contract contract, ServiceWindow window, SettlementPeriod period, ServiceReportVersion? report, StatementRecord issued, string fingerprint, CancellationToken cancellationToken)
    {
        var correction = new PendingCorrection(
            contract.Id,
            period,
            issued.Id,
            fingerprint,
            $"Inputs of {period} changed after {issued.Id} was issued (service report version {report?.Version.ToString(CultureInfo.InvariantCulture) ?? "none"}, contract versions, last service day {window.LastDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}).",
            clock.GetCurrentInstant());
        await statements.RecordCorrectionAsync(correction, cancellationToken).ConfigureAwait(false);
        return correction;
    }

    // A fixed-fee contract bills each period in advance, so its first period is billed by the statement of the period before
    // service starts. When runs came before the contract was active (signed and activated after a period ended), the
    // contract's first run issues every bill they missed too, oldest first, on the same day as its own statement
    // (docs/settlement-runs.md, "First bill"). A missed bill whose period needs a service report (SLA targets) and has none
    // usable holds the handling, as the period's own run would have. Statements this handling stored before a crash are
    // issued already (same issue day), so a redelivery issues only the rest.
    private async Task<ContractRunOutcome?> SettleMissedAdvanceBillsAsync(
        Contract contract, ServiceWindow window, SettlementPeriod period, ContractStatements prior, ReportsRead known, CancellationToken cancellationToken)
    {
        var missed = SettlementDue.MissedAdvanceBillsBefore(
            contract,
            period,
            [.. prior.Statements.Select(statement => statement.Period)],
            issuedByEarlierRuns: prior.Statements.Any(statement => statement.IssuedOn != period.End));
        foreach (var billing in missed)
        {
            var report = await ReadReportAsync(known, contract, window, billing, cancellationToken).ConfigureAwait(false);
            if (report.HeldBecause is { } reason)
            {
                return new ContractRunOutcome(contract.Id, ContractOutcome.Held, $"The missed advance bill of {billing} waits, so {period} waits too: {reason}", null);
            }

            var input = BaseInput(contract, window, billing, report.Version, issuedOn: period.End, version: 1);
            var outcome = await SettleAndPostAsync(contract, input, [], [], report.Version, window, cancellationToken).ConfigureAwait(false);
            if (outcome.Outcome == ContractOutcome.Failed)
            {
                return outcome with { Reason = $"The missed advance bill of {billing} failed, so {period} waits: {outcome.Reason}" };
            }
        }

        return null;
    }

    // Every settled period whose inputs changed since its statement was issued gets a pending correction here, so the
    // statement being settled carries it and nobody has to re-run the settled period: a corrected service report, an
    // amendment reaching back, a termination cutting an advance bill short (the last service day is in the fingerprint).
    // No request when nothing changed (the reports and statements are read already); one insert per change noticed. A period
    // whose report is now missing or contested waits (a later handling notices it once a usable version is submitted); a
    // change noticed before (its correction stored, waiting or carried) is not recorded again.
    private async Task<ContractStatements> NoticeChangedPeriodsAsync(
        Contract contract, ServiceWindow window, SettlementPeriod period, ContractStatements prior, ReportsRead known, CancellationToken cancellationToken)
    {
        var noticed = new List<PendingCorrection>();
        foreach (var settled in prior.Statements.Select(statement => statement.Period).Where(settled => settled != period).Distinct())
        {
            var issued = prior.For(settled)!;
            if (SettlementDue.GoverningTerms(contract, settled) is null)
            {
                continue;
            }

            var report = await ReadReportAsync(known, contract, window, settled, cancellationToken).ConfigureAwait(false);
            var fingerprint = Fingerprint(contract, settled, report.Version, window, issued.AppliedCorrections);
            if (report.HeldBecause is not null
                || string.Equals(issued.InputsFingerprint, fingerprint, StringComparison.Ordinal)
                || prior.Corrections.Any(correction => correction.Period == settled && string.Equals(correction.InputsFingerprint, fingerprint, StringComparison.Ordinal)))
            {
                continue;
            }

            noticed.Add(await RecordChangeAsync(contract, window, settled, report.Version, issued, fingerprint, cancellationToken).ConfigureAwait(false));
        }

        return noticed.Count == 0 ? prior : prior with { Corrections = [.. prior.Corrections, .. noticed] };
    }

    // The contract's rows with a correction just recorded; the stored row wins when it was recorded before (its RecordedAt and
    // AppliedBy are the ones a redelivery reads).
    private static ContractStatements WithRecorded(ContractStatements prior, PendingCorrection? recorded) =>
        recorded is null || prior.Corrections.Any(existing => existing.Key == recorded.Key)
            ? prior
            : prior with { Corrections = [.. prior.Corrections, recorded] };

    // After the final statement there is no next statement to carry a correction, so the handling that records one (or finds
    // some waiting) issues a correction-only statement of the final period (version 101, 102, …, StatementVersions) carrying
    // every waiting correction, through the same path as any statement: CarryCorrectionsAsync recomputes and compares, and
    // SettleAndPostAsync stores it first with its recomputed statements and applied keys, then posts the entry built from the
    // stored row. Issued on the day its latest correction was noticed (a stored input, so a redelivery computes the same
    // statement). A difference of zero issues nothing. A correction-only statement stored and not posted (a crash came
    // between) is posted before another is computed.
    private async Task<ContractRunOutcome> IssueCorrectionOnlyAsync(
        Contract contract,
        ServiceWindow window,
        StatementRecord issued,
        StatementRecord final,
        PendingCorrection? recorded,
        ContractStatements prior,
        ReportsRead known,
        CancellationToken cancellationToken)
    {
        foreach (var unconfirmed in prior.Statements.Where(statement => statement.IsCorrectionOnly && statement.LedgerEntryId.Length == 0))
        {
            if (await EnsurePostedAsync(unconfirmed, cancellationToken).ConfigureAwait(false) is { } failed)
            {
                return failed;
            }
        }

        var changed = recorded is null ? "Settled periods' inputs changed after they were issued" : $"Inputs changed after {issued.Id} was issued";
        ContractRunOutcome Settled(string? reason, string statementId) => new(contract.Id, ContractOutcome.Settled, reason, statementId);
        if (prior.Waiting.Count == 0)
        {
            var carrier = recorded is null ? null : prior.CarrierOf(recorded.Key)?.Id ?? recorded.AppliedBy;
            return Settled(carrier is null ? null : $"{changed}; {carrier} carried the difference.", issued.Id);
        }

        var (lines, applied, recomputed) = await CarryCorrectionsAsync(contract, window, settling: null, prior, known, cancellationToken).ConfigureAwait(false);
        if (applied.Count == 0)
        {
            return Settled($"{changed}; the correction waits: its period's service report is missing or contested, or its recomputation was refused (logged).", issued.Id);
        }

        if (lines.Count == 0)
        {
            return Settled($"{changed}; recomputed, no amount differs from what was posted: no correction-only statement was issued, nothing to post.", issued.Id);
        }

        if (StatementVersions.NextCorrectionOnly(prior.Statements.Where(statement => statement.Period == final.Period).Select(statement => statement.Version)) is not { } version)
        {
            return new ContractRunOutcome(contract.Id, ContractOutcome.Failed, $"{changed}; the final period {final.Period} has used every correction-only version up to {StatementVersions.MaxCorrectionOnly}.", issued.Id);
        }

        var noticed = prior.Corrections.Where(correction => applied.Contains(correction.Key, StringComparer.Ordinal)).Select(correction => correction.RecordedAt);
        var input = BaseInput(contract, window, final.Period, report: null, StatementVersions.CorrectionOnlyIssueDay(final.IssuedOn, noticed, final.TimeZone), version) with
        {
            CorrectionOnly = true,
            Corrections = lines,
        };
        input = input with { CreditNotes = CreditNoteMemos.For(prior, input) };
        var outcome = await SettleAndPostAsync(contract, input, applied, recomputed, null, window, cancellationToken).ConfigureAwait(false);
        return outcome.Outcome == ContractOutcome.Settled
            ? outcome with { Reason = $"{changed}; the final statement {final.Id} has no next statement, so correction-only statement {outcome.StatementId} carries the difference." + (outcome.Reason is { } note ? " " + note : string.Empty) }
            : outcome;
    }

    // The statement's input: the period's own inputs, the holds, the deposit on the final statement, and the corrections
    // carried from settled periods whose inputs changed (with the keys of the corrections they apply).
    private async Task<(SettlementInput Input, IReadOnlyList<string> Applied, IReadOnlyList<StatementRecord> Recomputed)> InputAsync(
        Contract contract, ServiceWindow window, SettlementPeriod period, ServiceReportVersion? report, ContractStatements prior, ReportsRead known, CancellationToken cancellationToken)
    {
        var terms = SettlementDue.GoverningTerms(contract, period)!;
        var isFinal = SettlementDue.IsFinalStatement(window, period);
        var (corrections, applied, recomputed) = await CarryCorrectionsAsync(contract, window, settling: period, prior, known, cancellationToken).ConfigureAwait(false);
        var input = BaseInput(contract, window, period, report, issuedOn: period.End, version: 1) with
        {
            Held = await holds.HeldAsync(contract.Id, prior, cancellationToken).ConfigureAwait(false),
            Corrections = corrections,
            IsFinal = isFinal,
            DepositHeld = isFinal ? await DepositHeldAsync(contract, terms, cancellationToken).ConfigureAwait(false) : null,
        };
        input = input with { Overdue = OverdueItems.For(prior, input), CreditNotes = CreditNoteMemos.For(prior, input) };
        return (input, applied, recomputed);
    }

    // Every waiting correction of a period other than the one being settled (all of them for a correction-only statement,
    // settling null), oldest first and at most MaxCorrectedPeriodsPerStatement periods: the period
    // is recomputed with today's inputs (version n+1, stored beside the statement that carries it, so its id can be read; only
    // its difference is posted) and compared with what was posted for it (the issued lines and the corrections carried since). A period whose report is missing or contested again,
    // or that the engine refuses (also past StatementVersions.MaxRecomputed), keeps waiting.
    private async Task<(IReadOnlyList<StatementLine> Lines, IReadOnlyList<string> Applied, IReadOnlyList<StatementRecord> Recomputed)> CarryCorrectionsAsync(
        Contract contract, ServiceWindow window, SettlementPeriod? settling, ContractStatements prior, ReportsRead known, CancellationToken cancellationToken)
    {
        var lines = new List<StatementLine>();
        var applied = new List<string>();
        var recomputedStatements = new List<StatementRecord>();
        var waiting = prior.Waiting.Where(correction => correction.Period != settling).GroupBy(correction => correction.Period).Take(MaxCorrectedPeriodsPerStatement);
        foreach (var group in waiting)
        {
            var corrected = group.Key;
            var report = await ReadReportAsync(known, contract, window, corrected, cancellationToken).ConfigureAwait(false);
            if (prior.For(corrected) is not { } issued || report.HeldBecause is not null)
            {
                continue;
            }

            var issuedId = StatementId.For(issued.Contract, issued.Period, issued.Version);
            var carriedBefore = prior.Statements
                .SelectMany(statement => statement.Lines)
                .Where(line => line.Kind == StatementLineKind.Correction && line.IssuedStatement == issuedId)
                .ToArray();
            var recomputedVersion = issued.Version + 1 + carriedBefore.Select(line => line.RecomputedStatement).Distinct().Count();
            var recomputed = SettlementEngine.Settle(BaseInput(contract, window, corrected, report.Version, corrected.End, recomputedVersion) with
            {
                IsFinal = SettlementDue.IsFinalStatement(window, corrected),
            });
            var difference = recomputed.IsValid ? SettlementEngine.Correct(issuedId, issued.Lines, carriedBefore, recomputed.Value) : Validated.Refused<IReadOnlyList<StatementLine>>(recomputed.Refusals);
            if (!difference.IsValid)
            {
                logger.LogWarning("Contract {ContractId}: the correction of {Period} waits, its recomputation was refused: {Refusals}", contract.Id, corrected, Describe(difference.Refusals));
                continue;
            }

            lines.AddRange(difference.Value);
            applied.AddRange(group.Select(correction => correction.Key));
            var fingerprint = Fingerprint(contract, corrected, report.Version, window, issued.AppliedCorrections);
            recomputedStatements.Add(StatementRecord.From(recomputed.Value, issued.TimeZone, fingerprint) with { RecomputedFor = issued.Id });
        }

        applied.Sort(StringComparer.Ordinal);
        return (lines, applied, recomputedStatements);
    }

    // The period's own inputs (terms, service window, figures, issue day, version); holds, corrections and the deposit are added by the caller.
    private SettlementInput BaseInput(Contract contract, ServiceWindow window, SettlementPeriod period, ServiceReportVersion? report, LocalDate issuedOn, int version) => new()
    {
        Contract = contract.Id,
        Merchant = contract.Merchant,
        Vendor = contract.Vendor,
        TermsVersions = TermsInForce.FromContract(contract),
        Service = window,
        Period = period,
        Figures = report?.Figures,

        // Issued on the first day after the run's period, in the contract's zone: derived from the inputs, so a redelivery on
        // another day computes the same statement, byte for byte, and the ledger sees the same entry.
        IssuedOn = issuedOn,
        Version = version,
        Calendar = calendar,
    };

    // Compute, store first (with the recomputed statements it carries), then post the stored statement's entry (the class
    // summary says why), then mark the carried corrections applied. When another delivery or run stored the period's statement
    // first, that one is issued and posted, not ours.
    private async Task<ContractRunOutcome> SettleAndPostAsync(
        Contract contract,
        SettlementInput input,
        IReadOnlyList<string> applied,
        IReadOnlyList<StatementRecord> recomputed,
        ServiceReportVersion? report,
        ServiceWindow window,
        CancellationToken cancellationToken)
    {
        var id = contract.Id;
        var settled = SettlementEngine.Settle(input);
        if (!settled.IsValid)
        {
            return new ContractRunOutcome(id, ContractOutcome.Failed, "The settlement engine refused: " + Describe(settled.Refusals), null);
        }

        var terms = SettlementDue.GoverningTerms(contract, input.Period)!;
        var fingerprint = Fingerprint(contract, input.Period, report, window, applied);
        var statement = StatementRecord.From(settled.Value, terms.TimeZone, fingerprint) with { AppliedCorrections = applied };
        var entry = StatementLedgerEntry.For(statement.Posting());
        var nothingToPost = !entry.IsValid && entry.Refusals.All(refusal => refusal.Code == SettlementRule.NothingToPost);
        if (!entry.IsValid && !nothingToPost)
        {
            return new ContractRunOutcome(id, ContractOutcome.Failed, "The statement's ledger entry was refused: " + Describe(entry.Refusals), null);
        }

        var carried = recomputed.Select(row => row with { CarriedBy = statement.Id }).ToArray();
        if (!nothingToPost
            && await book.TryAppendWithAsync(entry.Value, journalEntry => StatementStore.Rows(statement with { LedgerEntryId = journalEntry.Id.ToString() }, carried), cancellationToken).ConfigureAwait(false) is not null)
        {
            // The statement, the statements it carries and its entry, in one transaction of the partition they share.
            await MarkAppliedAsync(id, applied, statement.Id, cancellationToken).ConfigureAwait(false);
            return new ContractRunOutcome(id, ContractOutcome.Settled, null, statement.Id);
        }

        if (!await statements.InsertAsync(statement, carried, cancellationToken).ConfigureAwait(false))
        {
            var first = await statements.GetAsync(statement.Id, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Statement {statement.Id} was refused as stored already, and is not stored.");
            var failed = await EnsurePostedAsync(first, cancellationToken).ConfigureAwait(false);
            await MarkAppliedAsync(id, first.AppliedCorrections, first.Id, cancellationToken).ConfigureAwait(false);
            return failed ?? new ContractRunOutcome(id, ContractOutcome.Settled, null, first.Id);
        }

        if (nothingToPost)
        {
            // A statement of zeros is still the period's statement; there is just nothing to post.
            await MarkAppliedAsync(id, applied, statement.Id, cancellationToken).ConfigureAwait(false);
            return new ContractRunOutcome(id, ContractOutcome.Settled, "Every amount is zero; nothing was posted.", statement.Id);
        }

        // Just stored, so not posted by us yet: append without asking first (an uncontended append is one request). The row
        // keeps LedgerEntryId empty; writing it back would cost a request per statement, and readers find the entry by its key.
        var posted = await ledger.AppendAsync(entry.Value, cancellationToken).ConfigureAwait(false);
        if (posted is AppendResult.Refused refused)
        {
            return new ContractRunOutcome(id, ContractOutcome.Failed, $"Statement {statement.Id} is stored, but the ledger refused its entry: " + Describe(refused.Refusals), statement.Id);
        }

        await MarkAppliedAsync(id, applied, statement.Id, cancellationToken).ConfigureAwait(false);
        return new ContractRunOutcome(id, ContractOutcome.Settled, null, statement.Id);
    }

    // A statement stored before its post whose post is not confirmed on its row: the handling that stored it may have crashed
    // before posting. Ask the ledger for its key (two point reads) and post the entry built from the stored record if it is
    // missing, then confirm it on the row so no later handling asks again. Null when the statement is posted (or has nothing to
    // post); the failed outcome when the ledger holds other content under the key or refuses the entry.
    private async Task<ContractRunOutcome?> EnsurePostedAsync(StatementRecord stored, CancellationToken cancellationToken)
    {
        if (stored.LedgerEntryId.Length > 0)
        {
            return null;
        }

        var entry = StatementLedgerEntry.For(stored.Posting());
        if (!entry.IsValid)
        {
            return entry.Refusals.All(refusal => refusal.Code == SettlementRule.NothingToPost)
                ? null
                : new ContractRunOutcome(stored.Contract, ContractOutcome.Failed, $"Stored statement {stored.Id} has an entry the ledger cannot take: " + Describe(entry.Refusals), stored.Id);
        }

        var existing = await ledger.FindAsync(entry.Value.Book, entry.Value.IdempotencyKey, cancellationToken).ConfigureAwait(false);
        if (existing is null)
        {
            logger.LogWarning("Contract {ContractId}: statement {StatementId} was stored but not posted (a crash came between); posting the stored statement now", stored.Contract, stored.Id);
        }

        var posted = existing is null
            ? await ledger.AppendAsync(entry.Value, cancellationToken).ConfigureAwait(false)
            : AppendDecision.ForExistingKey(entry.Value, existing);
        var journalEntry = posted switch
        {
            AppendResult.Appended appended => appended.Entry,
            AppendResult.AlreadyAppended already => already.Entry,
            _ => null,
        };
        if (journalEntry is null)
        {
            return new ContractRunOutcome(stored.Contract, ContractOutcome.Failed, $"The ledger refused stored statement {stored.Id}: " + Describe(((AppendResult.Refused)posted).Refusals), stored.Id);
        }

        await statements.ConfirmPostedAsync(stored, journalEntry.Id.ToString(), cancellationToken).ConfigureAwait(false);
        return null;
    }

    private async Task MarkAppliedAsync(ContractId contract, IReadOnlyList<string> applied, string statementId, CancellationToken cancellationToken)
    {
        foreach (var key in applied)
        {
            await statements.MarkCorrectionAppliedAsync(contract, key, statementId, clock.GetCurrentInstant(), cancellationToken).ConfigureAwait(false);
        }
    }

    // A payment a crash left pending on a statement's tally (admitted, maybe posted, no payment row) is finished first, so the
    // late penalties and balances computed below see it: otherwise the merchant would be charged a penalty on money paid.
    // Costs nothing when none is pending (the partition read shows the tallies); a few requests and one re-read when one is.
    private async Task<ContractStatements> FinishPendingPaymentsAsync(ContractStatements prior, CancellationToken cancellationToken)
    {
        var pending = prior.Statements.Where(statement => prior.StatementsWithPendingPayments.Contains(statement.Id, StringComparer.Ordinal)).ToArray();
        if (pending.Length == 0)
        {
            return prior;
        }

        foreach (var statement in pending)
        {
            await pendingPayments.FinishAsync(statement, cancellationToken).ConfigureAwait(false);
        }

        return await ReadPartitionAsync(pending[0].Contract, cancellationToken).ConfigureAwait(false);
    }

    // The contract's statements partition; when the ledger keeps the contract's book there, the book's head the query read is
    // handed to it, so the statement's append sends its transaction without reading the head first.
    private async Task<ContractStatements> ReadPartitionAsync(ContractId contract, CancellationToken cancellationToken)
    {
        var read = await statements.ReadContractAsync(contract, cancellationToken).ConfigureAwait(false);
        book.RememberHead(contract.Book, StorageNames.StatementsTable, contract.Value, read.BookHead);
        return read;
    }

    // Repairs a crash between a statement's insert and its corrections' marks: the statement lists them, so mark them now.
    private async Task MarkCarriedCorrectionsAsync(ContractId contract, IReadOnlyList<(PendingCorrection Correction, string Statement)> unmarked, CancellationToken cancellationToken)
    {
        foreach (var (correction, statement) in unmarked)
        {
            await statements.MarkCorrectionAppliedAsync(contract, correction.Key, statement, clock.GetCurrentInstant(), cancellationToken).ConfigureAwait(false);
        }
    }

    // The period's latest service report when the statement needs one (service days in the period, and commission or SLA
    // targets); the reason to hold the statement when it is missing or contested.
    private static async Task<(ServiceReportVersion? Version, string? HeldBecause)> ReadReportAsync(
        ReportsRead known, Contract contract, ServiceWindow window, SettlementPeriod period, CancellationToken cancellationToken)
    {
        var terms = SettlementDue.GoverningTerms(contract, period)!;
        var served = period.DaysOverlapping(window.FirstDay, window.LastDay.PlusDays(1)) > 0;
        if (!served || !NeedsServiceReport(terms))
        {
            return (null, null);
        }

        var report = await known.LatestAsync(period, cancellationToken).ConfigureAwait(false);
        if (report is null)
        {
            return (null, $"No service report for {period}; a later run settles it once the vendor submits one.");
        }

        return report.Contested
            ? (report, $"The merchant contested version {report.Version} of the {period} service report; a later run settles it once a new version is submitted.")
            : (report, null);
    }

    /// <summary>
    /// True when a statement under <paramref name="terms"/> needs the period's service report: commission is earned on
    /// attributed sales, and SLA credits are judged on the reported figures.
    /// </summary>
    public static bool NeedsServiceReport(Terms terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        return terms.Mode == CooperationMode.BasePlusCommission || terms.Sla is not null;
    }

    // The deposit to apply on the final statement: what the merchant's deposit account holds, at most this contract's
    // deposit (one merchant may hold deposits for several contracts). One balance read (its index, then the heads of the books that
    // posted it), only on the final statement.
    private async Task<Money?> DepositHeldAsync(Contract contract, Terms terms, CancellationToken cancellationToken)
    {
        var balances = await ledger.ReadBalancesAsync(AccountId.MerchantDeposit(contract.Merchant.Value), cancellationToken).ConfigureAwait(false);
        var held = balances.FirstOrDefault(balance => balance.Currency == terms.Currency)?.Balance;
        if (held is not { IsNegative: false, IsZero: false } amount)
        {
            return null;
        }

        return amount < terms.DepositAmount ? amount : terms.DepositAmount;
    }

    // The contract's latest service reports, taken once per handling on first need: from the statements partition already
    // read when the source stores them there (no request), else read (one partition query). The period settled, the settled
    // periods checked for changes and the corrections recomputed share them.
    private sealed class ReportsRead(IServiceReportSource source, ContractId contract, ContractStatements partition)
    {
        private IReadOnlyDictionary<SettlementPeriod, ServiceReportVersion>? latest;

        public async Task<ServiceReportVersion?> LatestAsync(SettlementPeriod period, CancellationToken cancellationToken)
        {
            latest ??= source.LatestFrom(partition) ?? await source.ReadLatestAsync(contract, cancellationToken).ConfigureAwait(false);
            return latest.GetValueOrDefault(period);
        }
    }

    private static string Describe(IReadOnlyList<Domain.Refusal> refusals) =>
        string.Join("; ", refusals.Select(refusal => $"{refusal.Code} ({refusal.Field}): {refusal.Message}"));
}
