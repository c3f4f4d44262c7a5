namespace ServiceLedger.Functions.Disputes;

using Microsoft.Extensions.DependencyInjection.Extensions;
using ServiceLedger.Domain.Disputes;
using ServiceLedger.Functions.Adapters.Disputes;
using ServiceLedger.Functions.Configuration;
using ServiceLedger.Functions.Hosting;
using ServiceLedger.Functions.Payments;
using ServiceLedger.Functions.Settlement;
using ServiceLedger.Functions.Statements;
using ServiceLedger.Functions.Stripe;

/// <summary>Registers the disputes capability.</summary>
public static class DisputesServiceCollectionExtensions
{
    /// <summary>Name of the timer function that escalates overdue disputes.</summary>
    public const string EscalationFunctionName = "EscalateOverdueDisputes";

    /// <summary>Its schedule: hourly at minute 5 (UTC). Hourly, because "today" differs by contract time zone.</summary>
    public const string EscalationSchedule = "0 5 * * * *";

    /// <summary>
    /// Registers <see cref="DisputeDesk"/> (scoped: it uses the typed Stripe client), the Table store, the deadlines from
    /// configuration section <c>Disputes</c> (<see cref="AppSettings.DisputesOpenWorkingDays"/> and siblings; each 1 to
    /// <see cref="DisputeDeadlines.MaxWorkingDays"/>, checked at start) and the escalation timer. Expects storage, the
    /// ledger, contracts, Stripe, deposits, statements and a working-day calendar to be registered;
    /// replaces the deposits' <see cref="IStripeDisputeEvents"/> so that chargebacks become disputes, and settlement's
    /// <see cref="ISettlementHolds"/> so that unresolved disputes hold their amounts on the vendor's statement.
    /// </summary>
    public static IServiceCollection AddDisputes(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<DisputeOptions>()
            .Bind(configuration.GetSection("Disputes"))
            .Validate(options => options.Deadlines.IsValid, $"Disputes deadlines ({AppSettings.DisputesOpenWorkingDays}, {AppSettings.DisputesUnderReviewWorkingDays}, {AppSettings.DisputesEscalatedWorkingDays}) must each be 1 to {DisputeDeadlines.MaxWorkingDays} working days.")
            .ValidateOnStart();
        services.AddSingleton<IDisputeStore, TableDisputeStore>();
        services.AddScoped<DisputeDesk>();
        services.TryAddSingleton<IStatementLines, StoredStatementLines>();
        services.TryAddSingleton<CreditNoteStore>();
        services.TryAddSingleton<StatementPaymentStore>();
        services.TryAddSingleton<AdmitCreditNote>();
        services.TryAddSingleton<IStatementCreditNotes, StoredCreditNotes>();
        services.TryAddSingleton<DisputeMarkerStore>();
        services.TryAddSingleton<IDisputeMarkers, StoredDisputeMarkers>();
        services.Replace(ServiceDescriptor.Scoped<IStripeDisputeEvents, ChargebackDisputes>());
        services.Replace(ServiceDescriptor.Singleton<ISettlementHolds, DisputeHolds>());
        services.AddTimerFunction<EscalateOverdueDisputes>(EscalationFunctionName, EscalationSchedule);
        return services;
    }
}

/// <summary>The timer function: escalates disputes past their response deadline and notifies the parties.</summary>
public sealed class EscalateOverdueDisputes(DisputeDesk desk, ILogger<EscalateOverdueDisputes> logger) : ITimerTriggerHandler
{
    /// <inheritdoc />
    public async Task HandleAsync(TimerTrigger trigger, CancellationToken cancellationToken)
    {
        var escalated = await desk.EscalateOverdueAsync(cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Escalated {Count} overdue disputes.", escalated);
    }
}
