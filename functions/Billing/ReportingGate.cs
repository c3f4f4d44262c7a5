namespace ServiceLedger.Functions.Billing;

using NodaTime;
using ServiceLedger.Domain;
using ServiceLedger.Domain.Billing;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;

/// <summary>A contract and period a billing request may act on, or why it may not (<see cref="Stop"/>).</summary>
/// <param name="Contract">The contract, when found and visible.</param>
/// <param name="Period">The parsed period.</param>
/// <param name="Stop">Not found, or the refusals of the period; null when the request may go on.</param>
internal sealed record GateResult(Contract? Contract, SettlementPeriod Period, IReadOnlyList<Refusal>? Stop)
{
    public bool NotFound => Contract is null;
}

/// <summary>
/// The checks every figures request makes before its use case: the contract exists and the caller may act on it (else
/// "not found", so that ids cannot be probed), the period parses, and (for writes) it is reportable
/// (<see cref="ReportingPeriods.Check"/>) at the injected clock's now.
/// </summary>
internal sealed class ReportingGate(IContractStore contracts, IClock clock)
{
    public Instant Now => clock.GetCurrentInstant();

    public async Task<GateResult> OpenAsync(
        string? contractId, string? period, Func<Contract, bool> mayAct, bool forWrite, CancellationToken cancellationToken)
    {
        if (!ContractId.TryParse(contractId, out var id)
            || await contracts.GetAsync(id, cancellationToken).ConfigureAwait(false) is not { } stored
            || !mayAct(stored.Contract))
        {
            return new GateResult(null, default, null);
        }

        var parsed = SettlementPeriod.Parse(period, "period");
        if (!parsed.IsValid)
        {
            return new GateResult(stored.Contract, default, parsed.Refusals);
        }

        var refusals = forWrite ? ReportingPeriods.Check(stored.Contract, parsed.Value, Now, "period") : [];
        return new GateResult(stored.Contract, parsed.Value, refusals.Count > 0 ? refusals : null);
    }
}
