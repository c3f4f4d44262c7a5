namespace ServiceLedger.Functions.Billing;

using ServiceLedger.Domain;
using ServiceLedger.Domain.Billing;
using ServiceLedger.Domain.Ledger;

/// <summary>
/// The service-report use cases: the vendor submits figures for a contract and period (a new version, or nothing when they
/// equal the latest), the merchant confirms or contests the latest version, and the contract's parties and finance read all
/// versions. Every write is an insert of a new row; when another request took the same version first the use case reads
/// again and decides again, at most <see cref="MaxWriteAttempts"/> times, so a retried request never stores twice.
/// </summary>
internal sealed class ServiceReporting(ReportingGate gate, IServiceReportStore reports, ILogger<ServiceReporting> log)
{
    /// <summary>Reads-and-inserts tried before a version race is answered 409: two rounds of losing is already unusual.</summary>
    public const int MaxWriteAttempts = 3;

    /// <summary>The vendor of the contract sends its figures for a period; 404 for anyone else.</summary>
    public async Task<BillingOutcome<ServiceReportHistory>> SubmitAsync(
        BillingCaller caller, string contractId, string period, ServiceFiguresInput? body, CancellationToken cancellationToken)
    {
        var opened = await gate.OpenAsync(contractId, period, caller.IsVendorOf, forWrite: true, cancellationToken).ConfigureAwait(false);
        if (opened.NotFound)
        {
            return new BillingOutcome<ServiceReportHistory>.NotFound();
        }

        var figures = (body ?? new ServiceFiguresInput()).Read(string.Empty);
        var refusals = (opened.Stop ?? []).Concat(figures.Refusals).ToList();
        if (figures.IsValid && opened.Stop is null && ReportingPeriods.CheckCurrency(opened.Contract!, opened.Period, figures.Value.AttributedSales, "attributedSales.currency") is { } currency)
        {
            refusals.Add(currency);
        }

        if (refusals.Count > 0)
        {
            return new BillingOutcome<ServiceReportHistory>.Refused(refusals);
        }

        return await WriteAsync(
            opened.Contract!.Id.Value,
            opened.Period.ToString(),
            () => reports.ReadAsync(opened.Contract.Id, opened.Period, cancellationToken),
            history => history.Submit(figures.Value, caller.Actor, gate.Now),
            reports.TryAddVersionAsync,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>All versions, for the contract's vendor and merchant and for staff.</summary>
    public async Task<BillingOutcome<ServiceReportHistory>> ReadAsync(BillingCaller caller, string contractId, string period, CancellationToken cancellationToken)
    {
        var opened = await gate.OpenAsync(contractId, period, caller.CanRead, forWrite: false, cancellationToken).ConfigureAwait(false);
        if (opened.NotFound)
        {
            return new BillingOutcome<ServiceReportHistory>.NotFound();
        }

        return opened.Stop is { } stop
            ? new BillingOutcome<ServiceReportHistory>.Refused(stop)
            : new BillingOutcome<ServiceReportHistory>.Done(await reports.ReadAsync(opened.Contract!.Id, opened.Period, cancellationToken).ConfigureAwait(false), Created: false);
    }

    /// <summary>The contract's merchant confirms (<paramref name="reason"/> null) or contests the latest version.</summary>
    public async Task<BillingOutcome<ServiceReportHistory>> ReviewAsync(
        BillingCaller caller, string contractId, string period, int? version, bool contest, string? reason, CancellationToken cancellationToken)
    {
        var opened = await gate.OpenAsync(contractId, period, caller.IsMerchantOf, forWrite: false, cancellationToken).ConfigureAwait(false);
        if (opened.NotFound)
        {
            return new BillingOutcome<ServiceReportHistory>.NotFound();
        }

        if (opened.Stop is { } stop)
        {
            return new BillingOutcome<ServiceReportHistory>.Refused(stop);
        }

        if (version is not { } number)
        {
            return new BillingOutcome<ServiceReportHistory>.Refused([new Refusal(BillingRule.FieldRequired, "version", "Name the version you reviewed, e.g. { \"version\": 2 }.")]);
        }

        return await WriteAsync(
            opened.Contract!.Id.Value,
            opened.Period.ToString(),
            () => reports.ReadAsync(opened.Contract.Id, opened.Period, cancellationToken),
            history => contest ? history.Contest(number, reason, caller.Actor, gate.Now) : history.Confirm(number, caller.Actor, gate.Now),
            reports.TryAddReviewAsync,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Decides on the current history and inserts the change; on a lost race reads again (bounded).</summary>
    internal async Task<BillingOutcome<ServiceReportHistory>> WriteAsync(
        string contractId,
        string period,
        Func<Task<ServiceReportHistory>> read,
        Func<ServiceReportHistory, Validated<ServiceReportChange>> decide,
        Func<ServiceReport, CancellationToken, Task<bool>> insert,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= MaxWriteAttempts; attempt++)
        {
            var history = await read().ConfigureAwait(false);
            var change = decide(history);
            if (!change.IsValid)
            {
                return new BillingOutcome<ServiceReportHistory>.Refused(change.Refusals, StatusFor(change.Refusals[0].Code));
            }

            if (!change.Value.Changed)
            {
                return new BillingOutcome<ServiceReportHistory>.Done(history, Created: false);
            }

            if (await insert(change.Value.Report, cancellationToken).ConfigureAwait(false))
            {
                return new BillingOutcome<ServiceReportHistory>.Done(history.With(change.Value.Report), Created: true);
            }

            log.LogInformation("Service report {ContractId} {Period} v{Version}: another request stored it first (attempt {Attempt}); deciding again.", contractId, period, change.Value.Report.Version, attempt);
        }

        return new BillingOutcome<ServiceReportHistory>.Refused(
            [new Refusal("ConcurrentChange", "version", $"The service report of {contractId} {period} kept changing under this request ({MaxWriteAttempts} attempts); read it and try again.")],
            StatusCodes.Status409Conflict);
    }

    // Reviewing a superseded or already-reviewed version conflicts with the report's state; other refusals are bad input.
    internal static int StatusFor(string code) => code switch
    {
        BillingRule.VersionSuperseded or BillingRule.AlreadyReviewed or BillingRule.TooManyVersions => StatusCodes.Status409Conflict,
        BillingRule.ActorNotAllowed => StatusCodes.Status403Forbidden,
        _ => StatusCodes.Status400BadRequest,
    };
}
