namespace ServiceLedger.Functions.Settlement;

using System.Text.Json;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Functions.Contracts;

/// <summary>
/// The queue messages of a run, as JSON text. <c>settlement-runs</c> carries one page of a run's enumeration
/// (<see cref="EnumerationPage"/>); <c>settlement</c> carries one contract to settle (<see cref="SettleContractMessage"/>).
/// A message that does not parse is a bug or tampering: reading it throws, so it ends in the poison queue.
/// </summary>
public static class SettlementMessages
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Most UTF-8 bytes a <c>settlement</c> message may take with its contract snapshot; a larger contract is sent without one
    /// (the handler reads it). Well under the 48 KiB a base64 queue message carries.
    /// </summary>
    public const int MaxBytesWithSnapshot = 40_000;

    /// <summary>
    /// The JSON text of <paramref name="message"/>, with its contract snapshot (<see cref="SettleContractMessage.Snapshot"/>)
    /// as the contract's stored JSON when the whole text stays within <see cref="MaxBytesWithSnapshot"/>.
    /// </summary>
    public static string Write(SettleContractMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var bare = new ContractText(message.Run.Value, message.Contract.Value);
        if (message.Snapshot is { } snapshot)
        {
            var text = JsonSerializer.Serialize(bare with { Snapshot = ContractJson.Write(snapshot) }, Json);
            if (System.Text.Encoding.UTF8.GetByteCount(text) <= MaxBytesWithSnapshot)
            {
                return text;
            }
        }

        return JsonSerializer.Serialize(bare, Json);
    }

    /// <summary>The JSON text of <paramref name="page"/>.</summary>
    public static string Write(EnumerationPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return JsonSerializer.Serialize(new PageText(page.Run.Value, page.ContinuationToken, page.Number), Json);
    }

    /// <summary>Reads a <c>settlement</c> message; throws <see cref="FormatException"/> for anything we did not write.</summary>
    public static SettleContractMessage ReadContract(string text)
    {
        var parsed = Deserialize<ContractText>(text);
        if (!SettlementRunId.TryParse(parsed.RunId, out var run) || !ContractId.TryParse(parsed.ContractId, out var contract))
        {
            throw new FormatException($"Settlement message names no run or contract: {Shorten(text)}");
        }

        var snapshot = parsed.Snapshot is { } json ? ReadSnapshot(json) : null;
        return snapshot is null || snapshot.Id == contract
            ? new SettleContractMessage(run, contract) { Snapshot = snapshot }
            : throw new FormatException($"Settlement message for {contract} carries contract {snapshot.Id}: {Shorten(text)}");
    }

    /// <summary>Reads a <c>settlement-runs</c> message; throws <see cref="FormatException"/> for anything we did not write.</summary>
    public static EnumerationPage ReadPage(string text)
    {
        var parsed = Deserialize<PageText>(text);
        return SettlementRunId.TryParse(parsed.RunId, out var run) && parsed.Number >= 0
            ? new EnumerationPage(run, parsed.ContinuationToken, parsed.Number)
            : throw new FormatException($"Enumeration message names no run: {Shorten(text)}");
    }

    // The snapshot only saves the handler a read: one that no longer reads (e.g. stricter validation after a deploy, with
    // messages of the old version still queued) is dropped and the handler reads the contract, rather than poisoning the message.
    private static Contract? ReadSnapshot(string json)
    {
        try
        {
            return ContractJson.Read(json);
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or ArgumentException or FormatException or NullReferenceException)
        {
            return null;
        }
    }

    private static T Deserialize<T>(string text)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(text, Json) ?? throw new FormatException("The message is JSON null.");
        }
        catch (JsonException exception)
        {
            throw new FormatException($"The message is not JSON: {Shorten(text)}", exception);
        }
    }

    private static string Shorten(string? text) => text is null ? "(null)" : text.Length <= 200 ? text : text[..200] + "…";

    private sealed record ContractText(string? RunId, string? ContractId)
    {
        [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
        public string? Snapshot { get; init; }
    }

    private sealed record PageText(string? RunId, string? ContinuationToken, int Number);
}

/// <summary>Settle one contract for a run's period.</summary>
/// <param name="Run">The run (names the period).</param>
/// <param name="Contract">The contract.</param>
public sealed record SettleContractMessage(SettlementRunId Run, ContractId Contract)
{
    /// <summary>
    /// The contract as the run's enumeration read it, or null (a contract too large to carry, or a message from before
    /// snapshots). The handler settles from it unless the contract changed since: every replace of a contract first records
    /// its new revision in the contract's statements partition (<see cref="Statements.ContractRevisionMarker"/>), which the
    /// handler reads anyway, so a newer revision there makes it read the contract (docs/settlement-runs.md).
    /// </summary>
    public Contract? Snapshot { get; init; }
}

/// <summary>Enumerate one page of contracts for a run.</summary>
/// <param name="Run">The run.</param>
/// <param name="ContinuationToken">Where the page starts; null for the first.</param>
/// <param name="Number">0 for the first page; bounds how far an enumeration goes.</param>
public sealed record EnumerationPage(SettlementRunId Run, string? ContinuationToken, int Number);
