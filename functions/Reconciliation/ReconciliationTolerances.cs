using System.Text.RegularExpressions;
using NodaTime;
using ServiceLedger.Domain;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Money;
using ServiceLedger.Domain.Reconciliation;
using ServiceLedger.Functions.Adapters.Tables;

namespace ServiceLedger.Functions.Reconciliation;

/// <summary>A contract's tolerance for comparing the vendor's figures with the merchant's, and who set it.</summary>
/// <param name="ContractId">The contract.</param>
/// <param name="Tolerance">The tolerance: a difference beyond this fraction of the merchant's figure is an exception.</param>
/// <param name="IsDefault">True when finance never set one and <see cref="FiguresCheck.DefaultTolerance"/> applies.</param>
/// <param name="SetBy">Who set it; null for the default.</param>
/// <param name="SetAt">When; null for the default.</param>
/// <param name="RequestId">The request id it was set with, if the request gave one.</param>
public sealed record ContractTolerance(string ContractId, Rate Tolerance, bool IsDefault, string? SetBy, Instant? SetAt, string? RequestId);

/// <summary>What setting a tolerance answered.</summary>
public abstract record SetToleranceResult
{
    private SetToleranceResult()
    {
    }

    /// <summary>Stored (or already stored by the same request).</summary>
    public sealed record Stored(ContractTolerance Tolerance) : SetToleranceResult;

    /// <summary>No such contract.</summary>
    public sealed record NotFound : SetToleranceResult;

    /// <summary>Bad input (400) or a request id reused for another rate (409); nothing was written.</summary>
    public sealed record Refused(IReadOnlyList<Refusal> Refusals, int Status) : SetToleranceResult;
}

/// <summary>
/// Per-contract reconciliation tolerances, set by finance, in the <c>recontolerances</c> table (PartitionKey = contract id,
/// RowKey <c>tolerance</c>, one row per contract, replaced when finance changes it). A contract without a row uses
/// <see cref="FiguresCheck.DefaultTolerance"/> (1%). The rate is a fraction on the wire, like every <see cref="Rate"/>
/// (<c>"0.02"</c> for 2%).
/// </summary>
public sealed partial class ReconciliationTolerances(TableClient table, IContractStore contracts, IClock clock)
{
    /// <summary>Longest request id accepted.</summary>
    public const int MaxRequestIdLength = 64;

    private const string RowKey = "tolerance";

    /// <summary>The contract's tolerance (its own or the default); null when there is no such contract.</summary>
    public async Task<ContractTolerance?> GetAsync(string contractId, CancellationToken cancellationToken)
    {
        if (!ContractId.TryParse(contractId, out var contract) || await contracts.GetAsync(contract, cancellationToken).ConfigureAwait(false) is null)
        {
            return null;
        }

        return await ReadAsync(contract, cancellationToken).ConfigureAwait(false) ?? Default(contract);
    }

    /// <summary>The tolerance finance set for the contract, or null when none was (the run then applies the default).</summary>
    public async Task<Rate?> FindAsync(ContractId contract, CancellationToken cancellationToken) =>
        (await ReadAsync(contract, cancellationToken).ConfigureAwait(false))?.Tolerance;

    /// <summary>
    /// Sets the contract's tolerance to <paramref name="rateText"/> (a fraction 0 to 1). The same request id with the same rate
    /// answers what it stored; with another rate it is refused (409), so a retried request never overwrites a later change.
    /// </summary>
    public async Task<SetToleranceResult> SetAsync(string contractId, string? rateText, string? requestId, string setBy, CancellationToken cancellationToken)
    {
        var refusals = new List<Refusal>();
        var rate = Rate.Parse(rateText, "rate");
        refusals.AddRange(rate.Refusals);
        if (requestId is not null && !RequestIdPattern().IsMatch(requestId))
        {
            refusals.Add(new Refusal(ReconciliationRule.ToleranceInvalid, "requestId", $"A request id is 1 to {MaxRequestIdLength} of A-Z a-z 0-9 _ -."));
        }

        if (!ContractId.TryParse(contractId, out var contract) || await contracts.GetAsync(contract, cancellationToken).ConfigureAwait(false) is null)
        {
            return new SetToleranceResult.NotFound();
        }

        if (refusals.Count > 0)
        {
            return new SetToleranceResult.Refused(refusals, StatusCodes.Status400BadRequest);
        }

        var current = await ReadAsync(contract, cancellationToken).ConfigureAwait(false);
        if (requestId is not null && current?.RequestId == requestId)
        {
            return current.Tolerance == rate.Value
                ? new SetToleranceResult.Stored(current)
                : new SetToleranceResult.Refused(
                    [new Refusal(ReconciliationRule.ToleranceRequestIdReused, "requestId", $"Request {requestId} set the tolerance to {current.Tolerance}; use a new requestId for another rate.")],
                    StatusCodes.Status409Conflict);
        }

        var tolerance = new ContractTolerance(contract.Value, rate.Value, IsDefault: false, setBy, clock.GetCurrentInstant(), requestId);
        var properties = new List<KeyValuePair<string, TableValue>>
        {
            new("Rate", tolerance.Tolerance.ToString()),
            new("SetBy", setBy),
            new("SetAt", tolerance.SetAt!.Value.ToDateTimeOffset()),
        };
        if (requestId is not null)
        {
            properties.Add(new("RequestId", requestId));
        }

        await table.UpsertAsync(new TableEntity(contract.Value, RowKey, properties), cancellationToken).ConfigureAwait(false);
        return new SetToleranceResult.Stored(tolerance);
    }

    private static ContractTolerance Default(ContractId contract) => new(contract.Value, FiguresCheck.DefaultTolerance, IsDefault: true, null, null, null);

    private async Task<ContractTolerance?> ReadAsync(ContractId contract, CancellationToken cancellationToken)
    {
        var entity = await table.GetAsync(contract.Value, RowKey, null, cancellationToken).ConfigureAwait(false);
        if (entity is null)
        {
            return null;
        }

        // Written only by SetAsync after validation; a rate that no longer parses was changed outside the app.
        var rate = Rate.Parse(entity.Get("Rate").AsString(), "Rate");
        return rate.IsValid
            ? new ContractTolerance(
                contract.Value,
                rate.Value,
                IsDefault: false,
                entity.Get("SetBy").AsString(),
                Instant.FromDateTimeOffset(entity.Get("SetAt").AsDateTime()),
                entity.TryGet("RequestId", out var request) ? request.AsString() : null)
            : throw new InvalidOperationException($"The stored tolerance of {contract} no longer parses: {rate}.");
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex RequestIdPattern();
}
