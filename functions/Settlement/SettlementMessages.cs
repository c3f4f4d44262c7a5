namespace ServiceLedger.Functions.Settlement;

using System.Text.Json;
using ServiceLedger.Domain.Contracts;

/// <summary>
/// The queue messages of a run, as JSON text. <c>settlement-runs</c> carries one page of a run's enumeration
/// (<see cref="EnumerationPage"/>); <c>settlement</c> carries one contract to settle (<see cref="SettleContractMessage"/>).
/// A message that does not parse is a bug or tampering: reading it throws, so it ends in the poison queue.
/// </summary>
public static class SettlementMessages
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The JSON text of <paramref name="message"/>.</summary>
    public static string Write(SettleContractMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return JsonSerializer.Serialize(new ContractText(message.Run.Value, message.Contract.Value), Json);
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
        return SettlementRunId.TryParse(parsed.RunId, out var run) && ContractId.TryParse(parsed.ContractId, out var contract)
            ? new SettleContractMessage(run, contract)
            : throw new FormatException($"Settlement message names no run or contract: {Shorten(text)}");
    }

    /// <summary>Reads a <c>settlement-runs</c> message; throws <see cref="FormatException"/> for anything we did not write.</summary>
    public static EnumerationPage ReadPage(string text)
    {
        var parsed = Deserialize<PageText>(text);
        return SettlementRunId.TryParse(parsed.RunId, out var run) && parsed.Number >= 0
            ? new EnumerationPage(run, parsed.ContinuationToken, parsed.Number)
            : throw new FormatException($"Enumeration message names no run: {Shorten(text)}");
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

    private sealed record ContractText(string? RunId, string? ContractId);

    private sealed record PageText(string? RunId, string? ContinuationToken, int Number);
}

/// <summary>Settle one contract for a run's period.</summary>
/// <param name="Run">The run (names the period).</param>
/// <param name="Contract">The contract.</param>
public sealed record SettleContractMessage(SettlementRunId Run, ContractId Contract);

/// <summary>Enumerate one page of contracts for a run.</summary>
/// <param name="Run">The run.</param>
/// <param name="ContinuationToken">Where the page starts; null for the first.</param>
/// <param name="Number">0 for the first page; bounds how far an enumeration goes.</param>
public sealed record EnumerationPage(SettlementRunId Run, string? ContinuationToken, int Number);
