using ServiceLedger.Domain;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Domain.Reconciliation;

namespace ServiceLedger.Functions.Reconciliation;

/// <summary>How finance settles an exception.</summary>
public enum ResolutionAction
{
    /// <summary>Accept as timing: the other side lands in the neighbouring period.</summary>
    AcceptTiming = 1,

    /// <summary>Post an adjusting entry through the ledger.</summary>
    Adjust = 2,

    /// <summary>Open a dispute (with Stripe, the vendor or the merchant).</summary>
    OpenDispute = 3,
}

/// <summary>A validated resolution: the action, the comment, and for <see cref="ResolutionAction.Adjust"/> its postings.</summary>
/// <param name="Action">What to do.</param>
/// <param name="Comment">Why, for the record (1 to 1000 characters).</param>
/// <param name="Postings">The adjusting entry's postings (adjust only; empty otherwise).</param>
public sealed record ResolutionRequest(ResolutionAction Action, string Comment, IReadOnlyList<Posting> Postings)
{
    /// <summary>Longest comment.</summary>
    public const int MaxCommentLength = 1000;

    /// <summary>The action's wire name.</summary>
    public string ActionName => Action switch
    {
        ResolutionAction.AcceptTiming => "acceptTiming",
        ResolutionAction.Adjust => "adjust",
        _ => "openDispute",
    };

    /// <summary>Validates the wire form; refusals name <c>action</c>, <c>comment</c> or <c>adjustment.postings[i]…</c>.</summary>
    public static Validated<ResolutionRequest> Parse(string? action, string? comment, IReadOnlyList<(string? Account, string? Side, string? Amount, string? Currency)>? postings)
    {
        var refusals = new List<Refusal>();
        ResolutionAction? parsed = action switch
        {
            "acceptTiming" => ResolutionAction.AcceptTiming,
            "adjust" => ResolutionAction.Adjust,
            "openDispute" => ResolutionAction.OpenDispute,
            _ => null,
        };
        if (parsed is null)
        {
            refusals.Add(new Refusal(ReconciliationRule.ResolutionInvalid, "action", $"'{action}' is not an action: give acceptTiming, adjust or openDispute."));
        }

        if (string.IsNullOrWhiteSpace(comment) || comment.Length > MaxCommentLength)
        {
            refusals.Add(new Refusal(ReconciliationRule.ResolutionInvalid, "comment", $"A resolution needs a comment of 1 to {MaxCommentLength} characters."));
        }

        var parsedPostings = new List<Posting>();
        if (parsed == ResolutionAction.Adjust)
        {
            if (postings is not { Count: >= 2 })
            {
                refusals.Add(new Refusal(ReconciliationRule.ResolutionInvalid, "adjustment.postings", "adjust needs an adjustment with at least two postings that balance."));
            }
            else
            {
                for (var i = 0; i < postings.Count; i++)
                {
                    var field = $"adjustment.postings[{i}]";
                    var (accountText, sideText, amountText, currencyText) = postings[i];
                    var account = AccountId.Parse(accountText, field + ".account");
                    var money = Domain.Money.Money.Parse(amountText, currencyText, field + ".amount");
                    PostingSide? side = sideText switch { "debit" => PostingSide.Debit, "credit" => PostingSide.Credit, _ => null };
                    refusals.AddRange(account.Refusals);
                    refusals.AddRange(money.Refusals);
                    if (side is null)
                    {
                        refusals.Add(new Refusal(ReconciliationRule.ResolutionInvalid, field + ".side", $"'{sideText}' is not a side: give debit or credit."));
                    }

                    if (account.IsValid && money.IsValid && side is { } s)
                    {
                        parsedPostings.Add(new Posting(account.Value, s, money.Value));
                    }
                }
            }
        }
        else if (postings is { Count: > 0 })
        {
            refusals.Add(new Refusal(ReconciliationRule.ResolutionInvalid, "adjustment", $"Only adjust takes an adjustment; {action} does not."));
        }

        return refusals.Count > 0
            ? Validated.Refused<ResolutionRequest>(refusals)
            : Validated.Valid(new ResolutionRequest(parsed!.Value, comment!, parsedPostings));
    }
}

/// <summary>What resolving an exception answered.</summary>
public abstract record ResolveResult
{
    private ResolveResult()
    {
    }

    /// <summary>The resolution was appended (or, for a retried adjust, had been).</summary>
    public sealed record Resolved(ExceptionRecord Exception) : ResolveResult;

    /// <summary>No such run or exception.</summary>
    public sealed record NotFound : ResolveResult;

    /// <summary>Bad input or a ledger refusal; nothing was written.</summary>
    public sealed record Refused(IReadOnlyList<Refusal> Refusals) : ResolveResult;

    /// <summary>The run's state forbids it (closed).</summary>
    public sealed record Conflict(Refusal Refusal) : ResolveResult;
}

/// <summary>What closing a run answered.</summary>
public abstract record CloseRunResult
{
    private CloseRunResult()
    {
    }

    /// <summary>The period is closed (now or before).</summary>
    public sealed record Closed(ReconciliationRun Run) : CloseRunResult;

    /// <summary>No such run.</summary>
    public sealed record NotFound : CloseRunResult;

    /// <summary>Refused: unresolved exceptions, an incomplete run, or the ledger's own refusal to close.</summary>
    public sealed record Refused(IReadOnlyList<Refusal> Refusals) : CloseRunResult
    {
        /// <summary>A single refusal.</summary>
        public Refused(Refusal refusal)
            : this([refusal])
        {
        }
    }
}
