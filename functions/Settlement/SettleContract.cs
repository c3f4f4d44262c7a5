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
using ServiceLedger.Functions.Ledger;
using ServiceLedger.Functions.Statements;

/// <summary>
/// Settles one contract for a run's period and records the outcome in the run. Order, and why:
/// <list type="number">
/// <item>read the contract, the latest service report (missing → held) and the contract's statements (one query);</item>
/// <item>a statement for the period with the same inputs → settled already (nothing written but the outcome); with other
/// inputs → a pending correction is recorded for the next open statement (the issued statement is never edited);</item>
/// <item>compute the statement, <b>post it to the ledger first</b> (key <c>statement:{contract}:{period}:v{n}</c>), then store
/// it. The ledger is the truth and its key makes the post exactly-once: a crash after the post and before the store is
/// repaired by the redelivery, which computes the same entry (the same inputs give the same statement) and gets
/// "already appended" back, then stores the statement;</item>
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
    SettlementRunStore runs,
    ISettlementHolds holds,
    IClock clock,
    ILogger<SettleContract> logger)
{
    /// <summary>Settles the contract of <paramref name="message"/>, records and returns its outcome. I/O faults throw (the queue retries).</summary>
    public async Task<ContractRunOutcome> SettleAsync(SettleContractMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var outcome = await DecideAsync(message.Contract, message.Run.Period, cancellationToken).ConfigureAwait(false);
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

        return runs.RecordAsync(message.Run, outcome, clock.GetCurrentInstant(), cancellationToken);
    }

    /// <summary>
    /// The fingerprint of a statement's inputs: the period, the signed versions in force (number and effective date) and the
    /// service report version. A re-run with the same fingerprint is "settled already"; another one is a correction.
    /// </summary>
    public static string Fingerprint(Contract contract, SettlementPeriod period, ServiceReportVersion? report)
    {
        ArgumentNullException.ThrowIfNull(contract);
        var text = new StringBuilder()
            .Append(contract.Id.Value).Append('|').Append(period.ToString()).Append("|report:")
            .Append(report?.Version.ToString(CultureInfo.InvariantCulture) ?? "none");
        foreach (var version in contract.Versions.Where(version => version.Status == VersionStatus.Signed && version.EffectiveFrom <= period.LastDay))
        {
            text.Append("|v").Append(version.Number.ToString(CultureInfo.InvariantCulture)).Append('@').Append(version.EffectiveFrom.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..32];
    }

    private async Task<ContractRunOutcome> DecideAsync(ContractId id, SettlementPeriod period, CancellationToken cancellationToken)
    {
        var stored = await contracts.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return new ContractRunOutcome(id, ContractOutcome.Failed, $"Contract {id} does not exist.", null);
        }

        var contract = stored.Contract;
        var decision = SettlementDue.Decide(contract, period, clock.GetCurrentInstant());
        if (decision != DueDecision.Due)
        {
            return new ContractRunOutcome(id, ContractOutcome.Held, $"Not due for {period} now: {decision}.", null);
        }

        var terms = contract.TermsOn(period.LastDay) ?? contract.TermsOn(period.Start)!;
        ServiceReportVersion? report = null;
        if (NeedsServiceReport(terms))
        {
            report = await reports.ReadLatestAsync(id, period, cancellationToken).ConfigureAwait(false);
            if (report is null)
            {
                return new ContractRunOutcome(id, ContractOutcome.Held, $"No service report for {period}; a later run settles it once the vendor submits one.", null);
            }

            if (report.Contested)
            {
                return new ContractRunOutcome(id, ContractOutcome.Held, $"The merchant contested version {report.Version} of the {period} service report; a later run settles it once a new version is submitted.", null);
            }
        }

        var prior = await statements.ReadContractAsync(id, cancellationToken).ConfigureAwait(false);
        var fingerprint = Fingerprint(contract, period, report);
        if (prior.For(period) is { } issued)
        {
            if (string.Equals(issued.InputsFingerprint, fingerprint, StringComparison.Ordinal))
            {
                return new ContractRunOutcome(id, ContractOutcome.Settled, null, issued.Id);
            }

            await statements.RecordCorrectionAsync(
                new PendingCorrection(id, period, issued.Id, fingerprint, $"Inputs of {period} changed after {issued.Id} was issued (service report version {report?.Version.ToString(CultureInfo.InvariantCulture) ?? "none"}, contract versions).", clock.GetCurrentInstant()),
                cancellationToken).ConfigureAwait(false);
            return new ContractRunOutcome(id, ContractOutcome.Settled, $"Inputs changed after {issued.Id} was issued; a correction waits for the next open statement.", issued.Id);
        }

        var input = new SettlementInput
        {
            Contract = id,
            Merchant = contract.Merchant,
            Vendor = contract.Vendor,
            TermsVersions = TermsInForce.FromContract(contract),
            Service = ServiceWindow.Of(terms.Term, null),
            Period = period,
            Figures = report?.Figures,
            Held = await holds.HeldAsync(id, cancellationToken).ConfigureAwait(false),

            // Issued on the first day after the period, in the contract's zone: derived from the inputs, so a redelivery on
            // another day computes the same statement, byte for byte, and the ledger sees the same entry.
            IssuedOn = period.End,
            Version = 1,
            IsFinal = terms.Term.EndOn < period.End,
            DepositHeld = terms.Term.EndOn < period.End ? await DepositHeldAsync(contract, terms, cancellationToken).ConfigureAwait(false) : null,
            Calendar = calendar,
        };
        input = input with { Overdue = OverdueItems.For(prior, input) };
        var settled = SettlementEngine.Settle(input);
        if (!settled.IsValid)
        {
            return new ContractRunOutcome(id, ContractOutcome.Failed, "The settlement engine refused: " + Describe(settled.Refusals), null);
        }

        var statement = StatementRecord.From(settled.Value, terms.TimeZone, fingerprint);
        var entry = StatementLedgerEntry.For(settled.Value);
        if (!entry.IsValid)
        {
            if (entry.Refusals.All(refusal => refusal.Code == SettlementRule.NothingToPost))
            {
                // A statement of zeros is still the period's statement; there is just nothing to post.
                await statements.InsertAsync(statement, cancellationToken).ConfigureAwait(false);
                return new ContractRunOutcome(id, ContractOutcome.Settled, "Every amount is zero; nothing was posted.", statement.Id);
            }

            return new ContractRunOutcome(id, ContractOutcome.Failed, "The statement's ledger entry was refused: " + Describe(entry.Refusals), null);
        }

        var posted = await ledger.AppendAsync(entry.Value, cancellationToken).ConfigureAwait(false);
        var journalEntry = posted switch
        {
            AppendResult.Appended appended => appended.Entry,
            AppendResult.AlreadyAppended already => already.Entry,
            _ => null,
        };
        if (journalEntry is null)
        {
            var refusals = ((AppendResult.Refused)posted).Refusals;
            return new ContractRunOutcome(id, ContractOutcome.Failed, "The ledger refused the statement: " + Describe(refusals), null);
        }

        await statements.InsertAsync(statement with { LedgerEntryId = journalEntry.Id.ToString() }, cancellationToken).ConfigureAwait(false);
        return new ContractRunOutcome(id, ContractOutcome.Settled, null, statement.Id);
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
    // deposit (one merchant may hold deposits for several contracts). One projection read, only on the final statement.
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

    private static string Describe(IReadOnlyList<Domain.Refusal> refusals) =>
        string.Join("; ", refusals.Select(refusal => $"{refusal.Code} ({refusal.Field}): {refusal.Message}"));
}
