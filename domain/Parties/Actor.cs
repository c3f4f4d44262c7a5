using ServiceLedger.Domain.Ledger;

namespace ServiceLedger.Domain.Parties;

/// <summary>The roles of DESIGN.md section 7. The numeric values are not stored anywhere; the names are.</summary>
public enum ActorRole
{
    /// <summary>No role: <c>default(ActorRole)</c>, refused wherever an actor is needed.</summary>
    None = 0,

    /// <summary>A merchant, scoped to its own merchant id.</summary>
    Merchant,

    /// <summary>A vendor, scoped to its own vendor id.</summary>
    Vendor,

    /// <summary>The platform's finance team: sees every tenant.</summary>
    Finance,

    /// <summary>The platform's approver: certifies vendors and approves contracts.</summary>
    Approver,
}

/// <summary>
/// Who did something, as recorded in a history: the role they acted in and the subject that identifies them (the token's
/// subject, e.g. an Entra object id, or a party id). 1 to <see cref="MaxSubjectLength"/> characters of plain text.
/// Equality is by role and ordinal subject; <c>default(Actor)</c> names nobody (<see cref="IsDefault"/>).
/// </summary>
public readonly record struct Actor
{
    /// <summary>Longest subject we record; an Entra object id is 36 characters, a party id at most 30.</summary>
    public const int MaxSubjectLength = 128;

    private Actor(ActorRole role, string subject)
    {
        Role = role;
        Subject = subject;
    }

    /// <summary>The role the actor acted in.</summary>
    public ActorRole Role { get; }

    /// <summary>The actor's subject identifier.</summary>
    public string Subject { get; }

    /// <summary>True for <c>default(Actor)</c>.</summary>
    public bool IsDefault => Subject is null;

    /// <summary>An actor; refuses with <see cref="PartyRule.ActorInvalid"/> when the role is none or the subject is not 1 to 128 plain characters.</summary>
    public static Validated<Actor> Create(ActorRole role, string? subject, string field) =>
        Enum.IsDefined(role) && role != ActorRole.None
        && !string.IsNullOrWhiteSpace(subject) && subject.Length <= MaxSubjectLength && LedgerText.IsPlainText(subject)
            ? Validated.Valid(new Actor(role, subject))
            : Validated.Refused<Actor>(new Refusal(
                PartyRule.ActorInvalid,
                field,
                $"Role {role} with subject {LedgerText.Quote(subject)} is not an actor: expected one of merchant, vendor, finance, approver "
                + $"and a subject of 1 to {MaxSubjectLength} plain characters."));

    /// <summary>Equal when roles and subjects (ordinal) are equal.</summary>
    public bool Equals(Actor other) => Role == other.Role && string.Equals(Subject, other.Subject, StringComparison.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Role, Subject is null ? 0 : StringComparer.Ordinal.GetHashCode(Subject));

    /// <summary><c>{role}:{subject}</c>, e.g. <c>approver:3f2a…</c>.</summary>
    public override string ToString() => IsDefault ? "(nobody)" : $"{Role.ToString().ToLowerInvariant()}:{Subject}";
}
