namespace ServiceLedger.Functions.Disputes;

using NodaTime;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Disputes;
using ServiceLedger.Domain.Money;
using ServiceLedger.Domain.Settlement;
using ServiceLedger.Functions.Deposits;
using ServiceLedger.Functions.Payments;
using ServiceLedger.Functions.Settlement;
using ServiceLedger.Functions.Statements;
using ServiceLedger.Functions.Stripe;

/// <summary>
/// Statement lines from the statements store: line n is the n-th line of the issued statement (1-based) and the whole
/// statement is its total; what may be contested is the amount's absolute value (a credit line can be contested too).
/// A statement of another contract is not found.
/// </summary>
public sealed class StoredStatementLines(StatementStore statements) : IStatementLines
{
    /// <inheritdoc />
    public async Task<StatementLineFacts?> FindAsync(ContractId contract, string statementId, int? line, CancellationToken cancellationToken)
    {
        var statement = await statements.GetAsync(statementId, cancellationToken).ConfigureAwait(false);
        if (statement is null || statement.Contract != contract)
        {
            return null;
        }

        var amount = line switch
        {
            null => statement.Total,
            { } number when number >= 1 && number <= statement.Lines.Count => statement.Lines[number - 1].Amount,
            _ => (Money?)null,
        };
        return amount is { } found ? new StatementLineFacts(found.Amount < 0 ? -found : found) : null;
    }
}

/// <summary>Dispute markers as rows of the contract's statements partition (<see cref="DisputeMarkerStore"/>).</summary>
public sealed class StoredDisputeMarkers(DisputeMarkerStore store) : IDisputeMarkers
{
    /// <inheritdoc />
    public Task MarkAsync(ContractId contract, DisputeId dispute, CancellationToken cancellationToken) => store.MarkAsync(contract, dispute.Value, cancellationToken);

    /// <inheritdoc />
    public Task ReleaseAsync(ContractId contract, DisputeId dispute, CancellationToken cancellationToken) => store.ReleaseAsync(contract, dispute.Value, cancellationToken);
}

/// <summary>
/// A resolution's credit note: taken into its statement's payment tally (<see cref="AdmitCreditNote"/>) and recorded as a row
/// beside the statement it credits (<see cref="CreditNoteStore"/>).
/// </summary>
public sealed class StoredCreditNotes(CreditNoteStore store, AdmitCreditNote admission) : IStatementCreditNotes
{
    /// <inheritdoc />
    public Task<CreditAdmission> AdmitAsync(CreditNote note, CancellationToken cancellationToken) => admission.AdmitAsync(note, cancellationToken);

    /// <inheritdoc />
    public Task RecordAsync(ContractId contract, string disputeId, CreditNote note, string ledgerEntryId, Instant recordedAt, CancellationToken cancellationToken) =>
        store.InsertAsync(contract, disputeId, note, ledgerEntryId, recordedAt, cancellationToken);
}

/// <summary>
/// Stripe's <c>charge.dispute.*</c> events become chargeback disputes (replacing the deposits capability's default
/// <see cref="IStripeDisputeEvents"/>, whose stored status it keeps writing too): the first event opens the dispute, later
/// ones move it to Stripe's newest status; an inquiry (<c>warning_*</c>) is recorded like any other status.
/// </summary>
public sealed class ChargebackDisputes(DisputeDesk desk, DepositStore deposits) : IStripeDisputeEvents
{
    /// <inheritdoc />
    public async Task OnDisputeEventAsync(StripeDisputeNotice notice, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notice);
        await new StoredDisputeStatus(deposits).OnDisputeEventAsync(notice, cancellationToken).ConfigureAwait(false);
        var dispute = notice.Dispute;
        var status = dispute.Status ?? "needs_response";
        var currency = Currency.TryFromCode((dispute.Currency ?? string.Empty).ToUpperInvariant(), out var known)
            ? known
            : throw new InvalidOperationException($"Stripe dispute {dispute.Id} has currency '{dispute.Currency}', which we do not know.");
        var facts = new ChargebackFacts(
            dispute.Id,
            dispute.Charge ?? string.Empty,
            status,
            dispute.EvidenceDetails?.DueBy is { } dueBy ? Instant.FromUnixTimeSeconds(dueBy) : null,
            status.StartsWith("warning_", StringComparison.Ordinal));
        await desk.RecordChargebackAsync(notice.Contract, facts, Money.FromMinorUnits(dispute.Amount, currency), notice.EventCreated, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>
/// Settlement's holds from the disputes store: every unresolved fee dispute on the contract holds its contested amount
/// (referenced <c>dispute:{id}</c>); chargebacks hold nothing, Stripe moves that money. The contract's disputes partition is
/// read only when its statements partition carries a dispute marker (<see cref="DisputeMarkerStore"/>: every unresolved fee
/// dispute has one, written before it), so a contract without disputes costs no request here. Markers are trusted only in a
/// partition read after the process knew that the disputes opened before markers existed have theirs
/// (<see cref="ContractStatements.DisputeMarkersComplete"/>); the first call that finds it unknown reads the row recording
/// it (one request per process) and, when no process has done it yet, writes the missing markers (<see cref="BackfillAsync"/>),
/// and reads the contract's disputes anyway, as every call did before markers.
/// </summary>
public sealed class DisputeHolds(IDisputeStore disputes, DisputeMarkerStore markers, IClock clock, ILogger<DisputeHolds> logger) : ISettlementHolds, IDisposable
{
    private readonly SemaphoreSlim backfillGate = new(1, 1);

    // Set when the backfill cannot be done (too many unresolved disputes to list): this process then reads every contract's disputes.
    private volatile bool backfillImpossible;

    /// <inheritdoc />
    public async Task<IReadOnlyList<HeldAmount>> HeldAsync(ContractId contract, ContractStatements statements, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statements);
        if (statements.DisputeMarkersComplete && statements.DisputeMarkers.Count == 0)
        {
            return [];
        }

        if (!statements.DisputeMarkersComplete)
        {
            await EnsureBackfilledAsync(cancellationToken).ConfigureAwait(false);
        }

        var listed = await disputes.ListAsync(new DisputeFilter(null, contract, null, null), cancellationToken).ConfigureAwait(false);
        return [.. listed.Select(stored => stored.Dispute).Where(dispute => !dispute.OnHold.IsZero).Select(dispute => new HeldAmount(dispute.OnHold, $"dispute:{dispute.Id}")
        {
            // Names the disputed statement so that its overdue amount accrues no late penalty while the dispute lasts.
            Statement = StatementRecord.TryParseId(dispute.Subject?.StatementId, out var contractId, out var period, out var version) ? StatementId.For(contractId, period, version) : null,
        })];
    }

    /// <summary>
    /// Writes the marker of every unresolved fee dispute (idempotent), then re-reads each: one resolved meanwhile has its marker
    /// removed again (its resolution's removal may have come before this write). Answers how many were marked, or null when
    /// the unresolved disputes could not all be listed (more than <see cref="IDisputeStore.MaxListed"/> in a state).
    /// </summary>
    public async Task<int?> BackfillAsync(CancellationToken cancellationToken)
    {
        var marked = 0;
        foreach (var state in new[] { DisputeState.Open, DisputeState.UnderReview, DisputeState.Escalated })
        {
            var listed = await disputes.ListAsync(new DisputeFilter(state, null, null, null), cancellationToken).ConfigureAwait(false);
            if (listed.Count >= IDisputeStore.MaxListed)
            {
                return null;
            }

            foreach (var dispute in listed.Select(stored => stored.Dispute).Where(dispute => !dispute.OnHold.IsZero))
            {
                await markers.MarkAsync(dispute.Contract, dispute.Id.Value, cancellationToken).ConfigureAwait(false);
                if ((await disputes.GetAsync(dispute.Contract, dispute.Id, cancellationToken).ConfigureAwait(false))?.Dispute is not { IsUnresolved: true })
                {
                    await markers.ReleaseAsync(dispute.Contract, dispute.Id.Value, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                marked++;
            }
        }

        return marked;
    }

    /// <inheritdoc />
    public void Dispose() => backfillGate.Dispose();

    private async Task EnsureBackfilledAsync(CancellationToken cancellationToken)
    {
        if (markers.BackfillKnown || backfillImpossible)
        {
            return;
        }

        await backfillGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (backfillImpossible || await markers.ReadBackfilledAsync(cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            if (await BackfillAsync(cancellationToken).ConfigureAwait(false) is not { } marked)
            {
                logger.LogError("Dispute markers: more than {MaxListed} unresolved disputes in one state, so the disputes opened before markers existed cannot all be marked; this process reads every contract's disputes when settling", IDisputeStore.MaxListed);
                backfillImpossible = true;
                return;
            }

            await markers.RecordBackfilledAsync(marked, clock.GetCurrentInstant().ToDateTimeOffset(), cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Dispute markers: wrote the markers of {Count} unresolved disputes opened before markers existed", marked);
        }
        finally
        {
            backfillGate.Release();
        }
    }
}
