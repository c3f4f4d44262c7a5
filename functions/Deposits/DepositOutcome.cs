using ServiceLedger.Domain;

namespace ServiceLedger.Functions.Deposits;

/// <summary>What a deposit use case answered.</summary>
/// <typeparam name="T">The answer when done.</typeparam>
public abstract record DepositOutcome<T>
{
    private DepositOutcome()
    {
    }

    /// <summary>Done; <paramref name="Created"/> when this call started something new (a session, a refund).</summary>
    public sealed record Done(T Value, bool Created) : DepositOutcome<T>;

    /// <summary>No such contract, or not one the caller may see (the two are indistinguishable on purpose).</summary>
    public sealed record NotFound : DepositOutcome<T>;

    /// <summary>Refused; nothing was written. <paramref name="Status"/> is 400 for bad input, 409 for the contract's or deposit's state, 502 when Stripe failed.</summary>
    public sealed record Refused(IReadOnlyList<Refusal> Refusals, int Status) : DepositOutcome<T>;
}
