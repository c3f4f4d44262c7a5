namespace ServiceLedger.Functions.Billing;

using ServiceLedger.Domain.Billing;

/// <summary>
/// The merchant's shop exports per contract and period (for reconciliation against the vendor's service report): the
/// contract's merchant sends them (a new version, or nothing when equal to the latest); its merchant and staff read them.
/// </summary>
internal sealed class ShopExporting(ReportingGate gate, IShopExportStore exports, ILogger<ShopExporting> log)
{
    /// <summary>The merchant of the contract sends its export for a period; 404 for anyone else.</summary>
    public async Task<BillingOutcome<IReadOnlyList<ShopExport>>> SubmitAsync(
        BillingCaller caller, string contractId, string period, ShopFiguresInput? body, CancellationToken cancellationToken)
    {
        var opened = await gate.OpenAsync(contractId, period, caller.IsMerchantOf, forWrite: true, cancellationToken).ConfigureAwait(false);
        if (opened.NotFound)
        {
            return new BillingOutcome<IReadOnlyList<ShopExport>>.NotFound();
        }

        var figures = (body ?? new ShopFiguresInput()).Read(string.Empty);
        var refusals = (opened.Stop ?? []).Concat(figures.Refusals).ToList();
        if (figures.IsValid && opened.Stop is null && ReportingPeriods.CheckCurrency(opened.Contract!, opened.Period, figures.Value.Sales, "sales.currency") is { } currency)
        {
            refusals.Add(currency);
        }

        if (refusals.Count > 0)
        {
            return new BillingOutcome<IReadOnlyList<ShopExport>>.Refused(refusals);
        }

        var contract = opened.Contract!.Id;
        for (var attempt = 1; attempt <= ServiceReporting.MaxWriteAttempts; attempt++)
        {
            var versions = await exports.ReadAsync(contract, opened.Period, cancellationToken).ConfigureAwait(false);
            var change = ShopExport.Next(contract, opened.Period, versions, figures.Value, caller.Actor, gate.Now);
            if (!change.IsValid)
            {
                return new BillingOutcome<IReadOnlyList<ShopExport>>.Refused(change.Refusals, ServiceReporting.StatusFor(change.Refusals[0].Code));
            }

            if (!change.Value.Changed)
            {
                return new BillingOutcome<IReadOnlyList<ShopExport>>.Done(versions, Created: false);
            }

            if (await exports.TryAddAsync(change.Value.Export, cancellationToken).ConfigureAwait(false))
            {
                return new BillingOutcome<IReadOnlyList<ShopExport>>.Done([.. versions, change.Value.Export], Created: true);
            }

            log.LogInformation("Shop export {ContractId} {Period} v{Version}: another request stored it first (attempt {Attempt}).", contract, opened.Period, change.Value.Export.Version, attempt);
        }

        return new BillingOutcome<IReadOnlyList<ShopExport>>.Refused(
            [new Domain.Refusal("ConcurrentChange", "version", $"The shop export of {contract} {opened.Period} kept changing under this request; read it and try again.")],
            StatusCodes.Status409Conflict);
    }

    /// <summary>All versions, for the contract's merchant and staff (not the vendor: these are the merchant's own books).</summary>
    public async Task<BillingOutcome<IReadOnlyList<ShopExport>>> ReadAsync(BillingCaller caller, string contractId, string period, CancellationToken cancellationToken)
    {
        var opened = await gate.OpenAsync(
            contractId, period, contract => caller.IsMerchantOf(contract) || caller.Actor.Role is Domain.Parties.ActorRole.Finance or Domain.Parties.ActorRole.Approver, forWrite: false, cancellationToken).ConfigureAwait(false);
        if (opened.NotFound)
        {
            return new BillingOutcome<IReadOnlyList<ShopExport>>.NotFound();
        }

        return opened.Stop is { } stop
            ? new BillingOutcome<IReadOnlyList<ShopExport>>.Refused(stop)
            : new BillingOutcome<IReadOnlyList<ShopExport>>.Done(await exports.ReadAsync(opened.Contract!.Id, opened.Period, cancellationToken).ConfigureAwait(false), Created: false);
    }
}
