namespace ServiceLedger.Domain.Ledger;

/// <summary>
/// Either a value that passed every rule, or the ordered list of refusals that stopped it (never both, never neither).
/// Refusals are ordered as the rules are checked, and within one rule by the position of the offending input.
/// Build one with <see cref="Validated.Valid{T}"/> or <see cref="Validated.Refused{T}(IReadOnlyList{Refusal})"/>.
/// </summary>
/// <typeparam name="T">The validated value.</typeparam>
public sealed class Validated<T>
{
    private readonly T? value;

    internal Validated(T? value, IReadOnlyList<Refusal> refusals)
    {
        this.value = value;
        Refusals = refusals;
    }

    /// <summary>The refusals, in rule order; empty when the value is valid.</summary>
    public IReadOnlyList<Refusal> Refusals { get; }

    /// <summary>True when every rule passed and <see cref="Value"/> may be read.</summary>
    public bool IsValid => Refusals.Count == 0;

    /// <summary>The valid value; reading it from a refusal is a bug and throws.</summary>
    public T Value => IsValid
        ? value!
        : throw new InvalidOperationException($"No value: refused with {string.Join(", ", Refusals.Select(refusal => refusal.Code))}.");

    /// <summary>Lists the refusal codes, or the value.</summary>
    public override string ToString() =>
        IsValid ? $"Valid({value})" : $"Refused({string.Join(", ", Refusals.Select(refusal => refusal.Code))})";
}

/// <summary>Builds <see cref="Validated{T}"/> results.</summary>
public static class Validated
{
    /// <summary>A valid result.</summary>
    public static Validated<T> Valid<T>(T value) => new(value, []);

    /// <summary>A refusal; the list must not be empty.</summary>
    public static Validated<T> Refused<T>(IReadOnlyList<Refusal> refusals)
    {
        ArgumentNullException.ThrowIfNull(refusals);
        if (refusals.Count == 0)
        {
            throw new ArgumentException("A refused result needs at least one refusal.", nameof(refusals));
        }

        return new Validated<T>(default, refusals.ToArray());
    }

    /// <summary>A refusal with one reason.</summary>
    public static Validated<T> Refused<T>(Refusal refusal) => Refused<T>([refusal]);
}
