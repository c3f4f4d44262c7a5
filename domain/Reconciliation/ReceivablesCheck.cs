using System.Globalization;
using NodaTime;

namespace ServiceLedger.Domain.Reconciliation;

using ServiceLedger.Domain.Money;

/// <summary>An issued statement with what is still unpaid on it.</summary>
/// <param name="StatementId">The statement (<c>stm_…</c>).</param>
/// <param name="ContractId">Its contract.</param>
/// <param name="DueDate">The day it falls due; overdue from the day after.</param>
/// <param name="Outstanding">What the merchant still owes on it.</param>
public sealed record OpenStatement(string StatementId, string ContractId, LocalDate DueDate, Money Outstanding);

/// <summary>A deposit the ledger still holds for a contract, and when the contract ended (null while it runs).</summary>
/// <param name="ContractId">The contract.</param>
/// <param name="Held">The deposit balance.</param>
/// <param name="ContractEndedOn">The last day of service, or null for a running contract.</param>
public sealed record HeldDeposit(string ContractId, Money Held, LocalDate? ContractEndedOn);

/// <summary>
/// Receivables at the end of a period: statements unpaid past their due date, aged in the usual buckets, and deposits still
/// held for contracts that ended in or before the period (they should have been applied to the final statement or refunded).
/// </summary>
public static class ReceivablesCheck
{
    /// <summary>The ageing bucket of a statement <paramref name="daysOverdue"/> days past due: <c>1-30</c>, <c>31-60</c>, <c>61-90</c>, <c>90+</c>.</summary>
    public static string AgeingBucket(int daysOverdue) => daysOverdue switch
    {
        <= 0 => "current",
        <= 30 => "1-30",
        <= 60 => "31-60",
        <= 90 => "61-90",
        _ => "90+",
    };

    /// <summary>Exceptions for overdue statements and unsettled deposits as of the period's last day.</summary>
    public static IReadOnlyList<ExceptionLine> Run(ReconciliationPeriod period, IEnumerable<OpenStatement> statements, IEnumerable<HeldDeposit> deposits)
    {
        ArgumentNullException.ThrowIfNull(statements);
        ArgumentNullException.ThrowIfNull(deposits);
        var asOf = period.End.PlusDays(-1);
        var lines = new List<ExceptionLine>();
        foreach (var statement in statements.Where(statement => statement.Outstanding.Amount > 0m && statement.DueDate < asOf))
        {
            var days = Period.DaysBetween(statement.DueDate, asOf);
            lines.Add(ExceptionLine.Create(
                ReconciliationKind.StatementOverdue,
                statement.StatementId,
                statement.Outstanding.Currency.Code,
                new ExceptionSide("due", statement.DueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), [statement.ContractId]),
                new ExceptionSide("outstanding", statement.Outstanding.Amount.ToString(CultureInfo.InvariantCulture), [statement.StatementId]),
                $"Unpaid {days.ToString(CultureInfo.InvariantCulture)} days past due (ageing {AgeingBucket(days)})."));
        }

        foreach (var deposit in deposits.Where(deposit => deposit.Held.Amount > 0m && deposit.ContractEndedOn is { } ended && ended <= asOf))
        {
            lines.Add(ExceptionLine.Create(
                ReconciliationKind.DepositUnsettled,
                deposit.ContractId,
                deposit.Held.Currency.Code,
                new ExceptionSide("expected", "0", []),
                new ExceptionSide("held", deposit.Held.Amount.ToString(CultureInfo.InvariantCulture), [deposit.ContractId]),
                $"The contract ended on {deposit.ContractEndedOn!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} and its deposit is still held."));
        }

        return lines;
    }
}
