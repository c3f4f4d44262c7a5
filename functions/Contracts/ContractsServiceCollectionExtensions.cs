namespace ServiceLedger.Functions.Contracts;

using System.Globalization;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Domain.Money;
using ServiceLedger.Functions.Adapters.Contracts;
using ServiceLedger.Functions.Configuration;

/// <summary>Registers the contracts capability.</summary>
public static class ContractsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ContractLifecycle"/>, the Table store, the approval policy read from configuration
    /// (<see cref="AppSettings.ContractsFinanceApprovalThreshold"/>, <see cref="AppSettings.ContractsExecutiveApprovalThreshold"/>,
    /// each an amount and a currency such as <c>1000000.00 CNY</c>) and the closed periods from the ledger store. Expects an
    /// <see cref="Domain.Calendar.IWorkingDayCalendar"/>, storage and the parties' vendor store to be registered.
    /// </summary>
    public static IServiceCollection AddContracts(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton(_ => ReadPolicy(configuration));
        services.AddSingleton<IContractStore, TableContractStore>();
        services.AddSingleton<IClosedPeriods, LedgerClosedPeriods>();
        services.AddSingleton<ContractLifecycle>();
        return services;
    }

    /// <summary>Reads the approval thresholds; a missing or malformed one stops the app at first use with a message naming the key.</summary>
    public static ApprovalPolicy ReadPolicy(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return ApprovalPolicy.Create(
            ReadThreshold(configuration, AppSettings.ContractsFinanceApprovalThreshold),
            ReadThreshold(configuration, AppSettings.ContractsExecutiveApprovalThreshold));
    }

    private static Money ReadThreshold(IConfiguration configuration, string key)
    {
        var text = configuration[key];
        if (text?.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [var amountText, var code]
            && decimal.TryParse(amountText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)
            && Currency.TryFromCode(code, out var currency))
        {
            return new Money(amount, currency);
        }

        throw new InvalidOperationException($"Configuration '{key}' must be an amount and an ISO 4217 currency, e.g. '1000000.00 CNY'; it is '{text}'.");
    }
}

/// <summary>
/// Closed periods from the ledger store. Periods are closed only through the ledger store, so when none is registered
/// (a host without the ledger capability) no period can have been closed and every date is open.
/// </summary>
internal sealed class LedgerClosedPeriods(IServiceProvider services) : IClosedPeriods
{
    public Task<AccountingPeriods> ReadAsync(CancellationToken cancellationToken) =>
        services.GetService<ILedgerStore>() is { } ledger
            ? ledger.ReadPeriodsAsync(cancellationToken)
            : Task.FromResult(AccountingPeriods.None);
}
