namespace ServiceLedger.Functions.Billing;

using ServiceLedger.Domain;

/// <summary>What a billing use case answered: done, refused (nothing written), or not found (or not visible: the same).</summary>
/// <typeparam name="T">What a successful use case returns.</typeparam>
public abstract record BillingOutcome<T>
{
    private BillingOutcome()
    {
    }

    /// <summary>Done; <paramref name="Created"/> when something new was stored, false for a repeated request that changed nothing.</summary>
    public sealed record Done(T Value, bool Created) : BillingOutcome<T>;

    /// <summary>Refused by a rule; nothing was written. <paramref name="Status"/> is the HTTP status the refusal maps to.</summary>
    public sealed record Refused(IReadOnlyList<Refusal> Refusals, int Status = StatusCodes.Status400BadRequest) : BillingOutcome<T>;

    /// <summary>No such contract, or not one the caller may see in this role.</summary>
    public sealed record NotFound : BillingOutcome<T>;
}
