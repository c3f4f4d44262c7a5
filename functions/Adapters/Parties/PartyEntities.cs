using System.Text.Json;
using NodaTime;
using NodaTime.Text;
using ServiceLedger.Domain.Parties;
using ServiceLedger.Functions.Adapters.Tables;

namespace ServiceLedger.Functions.Adapters.Parties;

/// <summary>
/// How party fields sit in Table entities: contacts and actors as plain properties, lists as JSON strings, and a long JSON
/// string (a vendor's history) split over numbered properties because one string property holds at most 32,768 UTF-16
/// code units (azure.md 2.5) while a history of 100 changes with 500-character reasons does not fit one.
/// JSON is written ASCII-only (Chinese as <c>\uXXXX</c>): Azurite 3.37 corrupts a multibyte UTF-8 character that
/// straddles a 64 KiB chunk of a request body, single inserts included (seen at the 65,536th byte of a history). Keeping
/// large properties ASCII and writing them after the short plain-text ones keeps every multibyte byte in the first
/// kilobytes of the body. The cost is size: the worst history is about 400,000 characters (PartyStoreLimitsTest).
/// </summary>
internal static class PartyEntities
{
    /// <summary>Characters per chunk of a split string property; below the 32,768 limit with room to spare.</summary>
    internal const int ChunkChars = 30_000;

    /// <summary>Most chunks one split property may use: the worst history needs 14 (PartyStoreLimitsTest).</summary>
    internal const int MaxChunks = 16;

    /// <summary>JSON for storage: web names, and the default encoder, which escapes every non-ASCII character (see above).</summary>
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The contact as three properties.</summary>
    internal static IEnumerable<KeyValuePair<string, TableValue>> ContactProperties(Contact contact) =>
    [
        new("ContactName", contact.Name),
        new("ContactEmail", contact.Email),
        new("ContactPhone", contact.Phone),
    ];

    /// <summary>The contact form read back from its three properties.</summary>
    internal static ContactForm ReadContact(TableEntity entity) =>
        new(entity.Get("ContactName").AsString(), entity.Get("ContactEmail").AsString(), entity.Get("ContactPhone").AsString());

    /// <summary>An actor as <c>{role}:{subject}</c>-free JSON-less pair of properties.</summary>
    internal static IEnumerable<KeyValuePair<string, TableValue>> ActorProperties(string prefix, Actor actor) =>
    [
        new(prefix + "Role", actor.Role.ToString()),
        new(prefix + "Subject", actor.Subject),
    ];

    /// <summary>An actor read back; a stored actor that is no longer valid is a broken invariant.</summary>
    internal static Actor ReadActor(TableEntity entity, string prefix) =>
        ToActor(entity.Get(prefix + "Role").AsString(), entity.Get(prefix + "Subject").AsString());

    /// <summary>An actor from stored role and subject texts.</summary>
    internal static Actor ToActor(string role, string subject) =>
        Enum.TryParse<ActorRole>(role, out var parsed) && Actor.Create(parsed, subject, "actor") is { IsValid: true } actor
            ? actor.Value
            : throw new InvalidOperationException($"A stored actor is not valid: role '{role}', subject '{subject}'.");

    /// <summary>An instant as stored (ISO 8601, UTC).</summary>
    internal static string FormatInstant(Instant instant) => InstantPattern.ExtendedIso.Format(instant);

    /// <summary>An instant read back.</summary>
    internal static Instant ParseInstant(string text) => InstantPattern.ExtendedIso.Parse(text).GetValueOrThrow();

    /// <summary>Splits a long string over <c>{name}0</c>, <c>{name}1</c>, … and records the count in <c>{name}Chunks</c>.</summary>
    internal static IEnumerable<KeyValuePair<string, TableValue>> SplitProperty(string name, string value)
    {
        var chunks = value.Chunk(ChunkChars).Select(chars => new string(chars)).ToArray();
        if (chunks.Length > MaxChunks)
        {
            throw new InvalidOperationException($"Property {name} needs {chunks.Length} chunks; at most {MaxChunks} are written.");
        }

        yield return new(name + "Chunks", chunks.Length);
        for (var index = 0; index < chunks.Length; index++)
        {
            yield return new(name + index.ToString(System.Globalization.CultureInfo.InvariantCulture), chunks[index]);
        }
    }

    /// <summary>Joins what <see cref="SplitProperty"/> wrote.</summary>
    internal static string JoinProperty(TableEntity entity, string name)
    {
        var count = entity.Get(name + "Chunks").AsInt32();
        if (count is < 0 or > MaxChunks)
        {
            throw new InvalidOperationException($"{entity}: property {name} claims {count} chunks.");
        }

        return string.Concat(Enumerable.Range(0, count).Select(index =>
            entity.Get(name + index.ToString(System.Globalization.CultureInfo.InvariantCulture)).AsString()));
    }
}
