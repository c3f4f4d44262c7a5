namespace ServiceLedger.Domain.Deposits;

/// <summary>
/// The deposit flow's refusal codes (checkout, refunds): rule-shaped names that clients may switch on. A code is never
/// renamed or reused for another rule. (<c>Contracts.DepositRule</c> is the terms' deposit sizing, not a refusal code.)
/// </summary>
public static class DepositFlowRule
{
    /// <summary>A deposit checkout was asked for a contract that is not <c>Signed</c> (awaiting its deposit).</summary>
    public const string ContractNotAwaitingDeposit = nameof(ContractNotAwaitingDeposit);

    /// <summary>The contract's terms ask for no deposit (amount zero), so there is nothing to pay.</summary>
    public const string NoDepositDue = nameof(NoDepositDue);

    /// <summary>A refund was asked before any deposit was paid.</summary>
    public const string DepositNotPaid = nameof(DepositNotPaid);

    /// <summary>A refund amount is not a positive amount in the deposit's currency with whole minor units.</summary>
    public const string RefundAmountInvalid = nameof(RefundAmountInvalid);

    /// <summary>A refund asks for more than the unused deposit (paid, less applied, refunded and pending refunds).</summary>
    public const string RefundExceedsUnusedDeposit = nameof(RefundExceedsUnusedDeposit);

    /// <summary>A refund request id is missing or not 1 to 64 of <c>[A-Za-z0-9_-]</c>.</summary>
    public const string RequestIdInvalid = nameof(RequestIdInvalid);

    /// <summary>A refund reason is missing, too long or not plain text.</summary>
    public const string ReasonInvalid = nameof(ReasonInvalid);

    /// <summary>A refund request id was used before for another amount.</summary>
    public const string RequestIdReused = nameof(RequestIdReused);
}
