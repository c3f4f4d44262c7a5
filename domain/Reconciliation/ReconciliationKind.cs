namespace ServiceLedger.Domain.Reconciliation;

/// <summary>
/// What a reconciliation found for one item or group of items. Every kind except <see cref="Matched"/> is an exception
/// that finance resolves before the period closes. Values are stable (stored and sent on the wire by name).
/// </summary>
public enum ReconciliationKind
{
    /// <summary>Both sides agree: same amount, fee and period.</summary>
    Matched = 1,

    /// <summary>Both sides name the same Stripe object (or a rule paired them) but the amounts (or currencies) differ.</summary>
    AmountDiffers = 2,

    /// <summary>Amounts agree; Stripe's fee differs from the fee the ledger booked.</summary>
    FeeDiffers = 3,

    /// <summary>Stripe moved money in the period and no ledger entry accounts for it (a missed webhook, typically).</summary>
    InStripeOnly = 4,

    /// <summary>A ledger entry in the period names a Stripe object Stripe does not list, or has no Stripe counterpart at all.</summary>
    InLedgerOnly = 5,

    /// <summary>Both sides agree on the money but fall in different periods: in transit across the period edge.</summary>
    Timing = 6,

    /// <summary>A payout's amount is not the sum of the balance transactions Stripe says it paid out.</summary>
    PayoutDiffers = 7,

    /// <summary>The Stripe clearing account's movement in the period is not explained by the matched and excepted items.</summary>
    ClearingUnexplained = 8,

    /// <summary>A book's hash chain does not verify: an entry was changed or removed after it was written.</summary>
    ChainBroken = 9,

    /// <summary>The trial balance does not net to zero in some currency.</summary>
    TrialBalanceUnbalanced = 10,

    /// <summary>The stored balance projection differs from a recomputation from the journal.</summary>
    ProjectionDiffers = 11,

    /// <summary>The vendor's reported figures differ from the merchant's own export by more than the contract's tolerance.</summary>
    FiguresDiffer = 12,

    /// <summary>A statement is unpaid past its due date.</summary>
    StatementOverdue = 13,

    /// <summary>A deposit is still held for a contract that has ended: it should have been applied or refunded.</summary>
    DepositUnsettled = 14,

    /// <summary>An issued statement has no ledger entry posting it.</summary>
    StatementPostingMissing = 15,

    /// <summary>An issued statement is posted by more than one ledger entry.</summary>
    StatementPostingDuplicated = 16,

    /// <summary>A statement's ledger entry does not carry its totals (receivable = total; payable + revenue = vendor share + platform fee).</summary>
    StatementPostingDiffers = 17,
}

/// <summary>The action a reconciliation suggests for each kind of exception, for people.</summary>
public static class SuggestedActions
{
    /// <summary>A one-line suggestion for <paramref name="kind"/>.</summary>
    public static string For(ReconciliationKind kind) => kind switch
    {
        ReconciliationKind.Matched => "None.",
        ReconciliationKind.AmountDiffers => "Compare the Stripe object with the entry; post an adjusting entry for the difference or open a dispute.",
        ReconciliationKind.FeeDiffers => "Post an adjusting entry moving the fee difference between processing fees and Stripe clearing.",
        ReconciliationKind.InStripeOnly => "Replay the Stripe event (a webhook was probably missed) or post the entry by adjustment.",
        ReconciliationKind.InLedgerOnly => "Check the Stripe object id on the entry; reverse the entry by adjustment if Stripe never moved the money.",
        ReconciliationKind.Timing => "Accept as timing: the other side lands in the neighbouring period.",
        ReconciliationKind.PayoutDiffers => "Compare the payout's balance transactions with the payout; open a dispute with Stripe if they do not add up.",
        ReconciliationKind.ClearingUnexplained => "Find entries on Stripe clearing without a Stripe object; adjust or reference them.",
        ReconciliationKind.ChainBroken => "Stop closing: restore the book from a trusted copy and investigate who changed it.",
        ReconciliationKind.TrialBalanceUnbalanced => "Find the unbalanced entry; this is a bug or tampering, not a business difference.",
        ReconciliationKind.ProjectionDiffers => "Repair the balance projection from the journal (the journal is the truth).",
        ReconciliationKind.FiguresDiffer => "Ask the vendor and the merchant to confirm their figures; open a dispute if they disagree.",
        ReconciliationKind.StatementOverdue => "Chase the merchant; late penalties accrue from the day after the due date.",
        ReconciliationKind.DepositUnsettled => "Apply the deposit to the final statement or refund it.",
        ReconciliationKind.StatementPostingMissing => "Re-run settlement for the statement's contract and period (posting is idempotent) or post the entry by adjustment.",
        ReconciliationKind.StatementPostingDuplicated => "Reverse every entry but the one the statement names, by adjustment.",
        ReconciliationKind.StatementPostingDiffers => "Compare the statement with its entry; post an adjusting entry for the difference (the statement is what the merchant was sent).",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown reconciliation kind."),
    };
}
