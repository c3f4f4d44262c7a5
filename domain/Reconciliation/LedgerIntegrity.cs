using System.Globalization;
using ServiceLedger.Domain.Ledger;

namespace ServiceLedger.Domain.Reconciliation;

/// <summary>
/// Maps the ledger's own checks (chain verification, trial balance, projection check) to exceptions, one per failure:
/// a broken link names the book and sequence, an unbalanced currency names its totals, a projection difference names the
/// account and both balances. Reuses the ledger's checks rather than repeating them.
/// </summary>
public static class LedgerIntegrity
{
    /// <summary>One <see cref="ReconciliationKind.ChainBroken"/> exception per reported problem.</summary>
    public static IEnumerable<ExceptionLine> FromChainProblems(IEnumerable<ChainProblem> problems) =>
        problems.Select(problem => ExceptionLine.Create(
            ReconciliationKind.ChainBroken,
            $"{problem.Book}#{problem.Sequence.ToString(CultureInfo.InvariantCulture)}",
            string.Empty,
            new ExceptionSide("expected", problem.Expected, []),
            new ExceptionSide("found", problem.Found, [$"{problem.Book}#{problem.Sequence.ToString(CultureInfo.InvariantCulture)}"]),
            problem.Message));

    /// <summary>One <see cref="ReconciliationKind.TrialBalanceUnbalanced"/> exception per currency whose totals do not net.</summary>
    public static IEnumerable<ExceptionLine> FromTrialBalance(TrialBalance trialBalance)
    {
        ArgumentNullException.ThrowIfNull(trialBalance);
        return trialBalance.Totals.Where(total => !total.IsBalanced).Select(total => ExceptionLine.Create(
            ReconciliationKind.TrialBalanceUnbalanced,
            $"trial-balance:{trialBalance.Period.ToString("yyyy-MM", CultureInfo.InvariantCulture)}:{total.Currency}",
            total.Currency.Code,
            new ExceptionSide("debits", Text(total.PeriodDebits.Amount), []),
            new ExceptionSide("credits", Text(total.PeriodCredits.Amount), []),
            $"Debits and credits of {total.Currency} differ in the period's trial balance."));
    }

    /// <summary>One <see cref="ReconciliationKind.ProjectionDiffers"/> exception per account and currency that differs.</summary>
    public static IEnumerable<ExceptionLine> FromProjection(IEnumerable<BalanceDifference> differences) =>
        differences.Select(difference => ExceptionLine.Create(
            ReconciliationKind.ProjectionDiffers,
            $"{difference.Account}:{difference.Currency}",
            difference.Currency.Code,
            new ExceptionSide("recomputed", Text(difference.Recomputed.Net.Amount), []),
            new ExceptionSide("projected", Text(difference.Projected.Net.Amount), [difference.Account.ToString()]),
            $"The stored balance of {difference.Account} differs from the journal's."));

    private static string Text(decimal amount) => amount.ToString(CultureInfo.InvariantCulture);
}
