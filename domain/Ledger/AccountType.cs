namespace ServiceLedger.Domain.Ledger;

/// <summary>The four account types of the chart. The type fixes on which side an account's balance normally sits.</summary>
public enum AccountType
{
    /// <summary>What the platform owns or is owed (bank, Stripe balance in transit, merchant receivables); normally a debit balance.</summary>
    Asset = 1,

    /// <summary>What the platform owes (merchant deposits, vendor payables); normally a credit balance.</summary>
    Liability = 2,

    /// <summary>What the platform earns (its fee share, late penalties); normally a credit balance.</summary>
    Revenue = 3,

    /// <summary>What the platform spends (Stripe fees, dispute losses); normally a debit balance.</summary>
    Expense = 4,
}

/// <summary>The side of a posting: a debit or a credit.</summary>
public enum PostingSide
{
    /// <summary>Increases assets and expenses, decreases liabilities and revenue.</summary>
    Debit = 1,

    /// <summary>Increases liabilities and revenue, decreases assets and expenses.</summary>
    Credit = 2,
}

/// <summary>Rules attached to <see cref="AccountType"/> and <see cref="PostingSide"/>.</summary>
public static class AccountTypeRules
{
    /// <summary>The side on which the type's balance normally sits: debit for assets and expenses, credit otherwise.</summary>
    public static PostingSide NormalBalance(this AccountType type) => type switch
    {
        AccountType.Asset or AccountType.Expense => PostingSide.Debit,
        AccountType.Liability or AccountType.Revenue => PostingSide.Credit,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not an account type of the chart."),
    };

    /// <summary>The other side: a reversal swaps every posting's side.</summary>
    public static PostingSide Opposite(this PostingSide side) => side switch
    {
        PostingSide.Debit => PostingSide.Credit,
        PostingSide.Credit => PostingSide.Debit,
        _ => throw new ArgumentOutOfRangeException(nameof(side), side, "Not a posting side."),
    };

    /// <summary>The side's word in the canonical form and on the wire: <c>debit</c> or <c>credit</c>.</summary>
    public static string ToWord(this PostingSide side) => side switch
    {
        PostingSide.Debit => "debit",
        PostingSide.Credit => "credit",
        _ => throw new ArgumentOutOfRangeException(nameof(side), side, "Not a posting side."),
    };
}
