namespace ServiceLedger.Functions.Payments;

using Microsoft.Extensions.DependencyInjection.Extensions;
using ServiceLedger.Functions.Statements;

/// <summary>Registers statement payments.</summary>
public static class PaymentsServiceCollectionExtensions
{
    /// <summary>Registers the payment rows' store and <see cref="RecordStatementPayment"/>. Needs storage, the ledger and settlement's statement store.</summary>
    public static IServiceCollection AddStatementPayments(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<StatementPaymentStore>();
        services.TryAddSingleton<CreditNoteStore>();
        services.TryAddSingleton<RecordStatementPayment>();

        // Settlement finishes a payment a crash left pending before it computes late penalties (docs/payments.md).
        services.Replace(ServiceDescriptor.Singleton<Settlement.ISettlementPendingPayments, PendingStatementPayments>());
        return services;
    }
}
