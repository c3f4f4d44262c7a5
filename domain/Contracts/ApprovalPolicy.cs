namespace ServiceLedger.Domain.Contracts;

using ServiceLedger.Domain.Money;


/// <summary>
/// Which approvals a version needs, from its annual value (<see cref="Terms.AnnualValue"/>): always
/// <see cref="ApprovalKind.Platform"/>; above <see cref="FinanceThreshold"/> also <see cref="ApprovalKind.Finance"/>; above
/// <see cref="ExecutiveThreshold"/> also <see cref="ApprovalKind.Executive"/>. "Above" is strictly greater. Terms in another
/// currency than the thresholds cannot be compared without an exchange rate, so they need every approval.
/// </summary>
public sealed record ApprovalPolicy
{
    private ApprovalPolicy(Money financeThreshold, Money executiveThreshold)
    {
        FinanceThreshold = financeThreshold;
        ExecutiveThreshold = executiveThreshold;
    }

    /// <summary>Annual value above which finance must approve.</summary>
    public Money FinanceThreshold { get; }

    /// <summary>Annual value above which an executive must approve too; at least <see cref="FinanceThreshold"/>.</summary>
    public Money ExecutiveThreshold { get; }

    /// <summary>A policy; thresholds must share a currency, be non-negative and ordered (a configuration bug otherwise, which throws).</summary>
    public static ApprovalPolicy Create(Money financeThreshold, Money executiveThreshold)
    {
        if (financeThreshold.Currency != executiveThreshold.Currency || financeThreshold.IsNegative || executiveThreshold < financeThreshold)
        {
            throw new ArgumentException(
                $"Approval thresholds must share a currency and satisfy 0 <= finance ({financeThreshold}) <= executive ({executiveThreshold}).",
                nameof(executiveThreshold));
        }

        return new ApprovalPolicy(financeThreshold, executiveThreshold);
    }

    /// <summary>The approvals terms need, in the order they are usually given.</summary>
    public IReadOnlyList<ApprovalKind> Required(Terms terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        var value = terms.AnnualValue;
        if (value.Currency != FinanceThreshold.Currency)
        {
            return [ApprovalKind.Platform, ApprovalKind.Finance, ApprovalKind.Executive];
        }

        if (value > ExecutiveThreshold)
        {
            return [ApprovalKind.Platform, ApprovalKind.Finance, ApprovalKind.Executive];
        }

        return value > FinanceThreshold ? [ApprovalKind.Platform, ApprovalKind.Finance] : [ApprovalKind.Platform];
    }
}
