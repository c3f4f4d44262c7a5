namespace ServiceLedger.Functions.Settlement;

using Microsoft.Extensions.DependencyInjection.Extensions;
using ServiceLedger.Functions.Configuration;
using ServiceLedger.Functions.Hosting;
using ServiceLedger.Functions.Statements;

/// <summary>Registers settlement runs and statements.</summary>
public static class SettlementServiceCollectionExtensions
{
    /// <summary>Name of the queue function that settles one contract.</summary>
    public const string SettleContractFunction = "SettleContract";

    /// <summary>Name of the queue function that records a contract whose settlement message was given up on (queue <c>settlement-poison</c>).</summary>
    public const string SettleContractPoisonFunction = "SettleContractPoison";

    /// <summary>Name of the queue function that enumerates one page of a run's contracts.</summary>
    public const string EnumerateSettlementRunFunction = "EnumerateSettlementRun";

    /// <summary>
    /// Registers the run and statement stores, the use cases, the queue functions <c>SettleContract</c> (queue
    /// <c>settlement</c>), <c>SettleContractPoison</c> (queue <c>settlement-poison</c>) and <c>EnumerateSettlementRun</c>
    /// (queue <c>settlement-runs</c>) and the timer
    /// <c>StartSettlementRuns</c>; the outcome writer, gathering for <see cref="AppSettings.SettlementOutcomeBatchMilliseconds"/>
    /// when <paramref name="configuration"/> sets it (0 to 1,000; checked here), else for
    /// <see cref="SettlementOutcomeBatching.Default"/>, unless another <see cref="SettlementOutcomeBatching"/> is registered first; and, unless registered already, the service report source over the service reports store (<c>AddBilling</c>).
    /// Needs storage, the ledger, contracts, billing and a working-day calendar.
    /// </summary>
    public static IServiceCollection AddSettlement(this IServiceCollection services, IConfiguration? configuration = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (configuration?[AppSettings.SettlementOutcomeBatchMilliseconds] is { Length: > 0 } window)
        {
            services.TryAddSingleton(OutcomeBatchingFrom(window));
        }

        services.TryAddSingleton<SettlementRunStore>();
        services.TryAddSingleton<StatementStore>();
        services.TryAddSingleton<CreditNoteStore>();
        services.TryAddSingleton<DisputeMarkerStore>();
        services.TryAddSingleton<Payments.StatementPaymentStore>();
        services.TryAddSingleton<ISettlementHolds, NoSettlementHolds>();
        services.TryAddSingleton<ISettlementPendingPayments, NoSettlementPendingPayments>();
        services.TryAddSingleton<IServiceReportSource, StoredServiceReports>();
        services.TryAddSingleton<SettlementRuns>();
        services.TryAddSingleton(SettlementOutcomeBatching.Default);
        // The window is real time whatever clock the app is given: it bounds a wait for storage, not a business date, and a test
        // clock that only moves by hand would hold every handling.
        services.TryAddSingleton(provider => new SettlementOutcomeWriter(
            provider.GetRequiredService<SettlementRunStore>(), provider.GetRequiredService<SettlementOutcomeBatching>(), TimeProvider.System));
        services.TryAddSingleton<SettleContract>();
        services.TryAddSingleton<StatementQueries>();
        services.AddQueueFunction<SettleContractHandler>(SettleContractFunction, StorageNames.SettlementQueue);
        services.AddPoisonQueueFunction<SettleContractPoisonHandler>(SettleContractPoisonFunction, StorageNames.SettlementQueue);
        services.AddQueueFunction<EnumerateSettlementRunHandler>(EnumerateSettlementRunFunction, StorageNames.SettlementRunsQueue);
        services.AddTimerFunction<StartSettlementRunsHandler>(StartSettlementRunsHandler.FunctionName, StartSettlementRunsHandler.Schedule);
        return services;
    }

    private static SettlementOutcomeBatching OutcomeBatchingFrom(string milliseconds) =>
        int.TryParse(milliseconds, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) && value <= 1_000
            ? new SettlementOutcomeBatching(TimeSpan.FromMilliseconds(value))
            : throw new InvalidOperationException($"{AppSettings.SettlementOutcomeBatchMilliseconds} is '{milliseconds}'; it is a whole number of milliseconds from 0 (each outcome written alone) to 1000.");
}
