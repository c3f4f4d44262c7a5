using System.Globalization;
using System.Text.Json;

namespace ServiceLedger.Functions.Hosting;

/// <summary>
/// The body the Functions host posts to /{FunctionName} for a non-HTTP trigger (azure.md 1.4):
/// "Data" holds the trigger value under its binding name, "Metadata" the trigger metadata.
/// </summary>
/// <param name="Data">Binding name to value (a JSON string or object).</param>
/// <param name="Metadata">Trigger metadata, e.g. DequeueCount, Id, InsertionTime for a queue.</param>
public sealed record FunctionInvocationRequest(
    IReadOnlyDictionary<string, JsonElement>? Data,
    IReadOnlyDictionary<string, JsonElement>? Metadata);

/// <summary>How an invocation ended.</summary>
public enum FunctionInvocationStatus
{
    /// <summary>The handler completed.</summary>
    Succeeded,

    /// <summary>No function of that name is registered.</summary>
    UnknownFunction,

    /// <summary>The payload lacks or garbles the trigger value; <see cref="FunctionInvocationResult.Field"/> names it.</summary>
    InvalidRequest,

    /// <summary>The handler threw; the exception is logged, never returned.</summary>
    Failed,
}

/// <summary>The outcome of one invocation, with the log lines the host records for it.</summary>
/// <param name="Status">How it ended.</param>
/// <param name="Logs">Lines for the host's invocation log (Application Insights in Azure).</param>
/// <param name="Field">For <see cref="FunctionInvocationStatus.InvalidRequest"/>: the offending field, e.g. "Data.message".</param>
/// <param name="Detail">For people: what went wrong, without exception text.</param>
public sealed record FunctionInvocationResult(FunctionInvocationStatus Status, IReadOnlyList<string> Logs, string? Field = null, string? Detail = null);

/// <summary>
/// Runs one invocation of a registered function: parses the trigger value from the host's payload, resolves the
/// handler in a fresh DI scope and calls it. The HTTP endpoint and the local trigger pump both come through here, so
/// a handler sees the same values under the Functions host and locally.
/// </summary>
public sealed class FunctionInvoker(FunctionRegistry registry, IServiceScopeFactory scopes, ILogger<FunctionInvoker> logger)
{
    /// <summary>Invokes <paramref name="functionName"/>; never throws for handler faults (they become <see cref="FunctionInvocationStatus.Failed"/>).</summary>
    public async Task<FunctionInvocationResult> InvokeAsync(
        string functionName, FunctionInvocationRequest request, string invocationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var function = registry.Find(functionName);
        if (function is null)
        {
            return new FunctionInvocationResult(
                FunctionInvocationStatus.UnknownFunction, [], "FunctionName", $"No function named '{functionName}' is registered.");
        }

        var data = request.Data ?? new Dictionary<string, JsonElement>();
        var metadata = request.Metadata ?? new Dictionary<string, JsonElement>();
        var field = "Data." + function.BindingName;
        if (!data.TryGetValue(function.BindingName, out var value) || value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return Invalid(field, $"The payload has no '{function.BindingName}' value under Data; function.json must name the trigger binding '{function.BindingName}'.");
        }

        Func<object, Task> call;
        string subject;
        switch (function)
        {
            case QueueTriggerFunction:
                var read = ReadQueueTrigger(value, metadata);
                if (read is null)
                {
                    return Invalid(field, "The queue message must be a JSON string or object.");
                }

                var message = read with { InvocationId = invocationId };

                subject = $"message '{message.MessageId}' (dequeue count {message.DequeueCount})";
                call = handler => ((IQueueTriggerHandler)handler).HandleAsync(message, cancellationToken);
                break;
            case TimerTriggerFunction:
                var timer = ReadTimerTrigger(value);
                if (timer is null)
                {
                    return Invalid(field, "The timer value must be a TimerInfo object {\"ScheduleStatus\":{...},\"IsPastDue\":false}.");
                }

                subject = timer.IsPastDue ? "a past-due occurrence" : "an occurrence";
                call = handler => ((ITimerTriggerHandler)handler).HandleAsync(timer, cancellationToken);
                break;
            default:
                throw new InvalidOperationException($"Function '{function.Name}' has a trigger kind the invoker does not know: {function.GetType().Name}.");
        }

        using var scope = scopes.CreateAsyncScope();
        using var logScope = logger.BeginScope("Function {FunctionName} invocation {InvocationId}", function.Name, invocationId);
        try
        {
            await call(scope.ServiceProvider.GetRequiredService(function.HandlerType)).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The exception stays in our logs; the host only needs to know the invocation failed (it retries or poisons).
            logger.LogError(exception, "Function {FunctionName} failed on {Subject} (invocation {InvocationId})", function.Name, subject, invocationId);
            return new FunctionInvocationResult(
                FunctionInvocationStatus.Failed,
                [$"{function.Name} failed on {subject}."],
                Detail: $"Function '{function.Name}' failed; see the app's log for invocation {invocationId}.");
        }

        return new FunctionInvocationResult(FunctionInvocationStatus.Succeeded, [$"{function.Name} handled {subject}."]);
    }

    private static FunctionInvocationResult Invalid(string field, string detail) =>
        new(FunctionInvocationStatus.InvalidRequest, [], field, detail);

    /// <summary>
    /// The host JSON-serialises a string message before serialising the payload, so the text may arrive with one more
    /// level of quotes (azure.md 1.4, 8.1 item 8); the documented example has none. Both are accepted.
    /// </summary>
    internal static QueueTrigger? ReadQueueTrigger(JsonElement value, IReadOnlyDictionary<string, JsonElement> metadata)
    {
        string text;
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                text = value.GetString()!;
                if (text.Length >= 2 && text[0] == '"' && text[^1] == '"' && TryReadJsonString(text, out var unwrapped))
                {
                    text = unwrapped;
                }

                break;
            case JsonValueKind.Object or JsonValueKind.Array:
                text = value.GetRawText();
                break;
            default:
                return null;
        }

        return new QueueTrigger(
            text,
            metadata.TryGetValue("Id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString()! : string.Empty,
            metadata.TryGetValue("DequeueCount", out var count) ? ReadCount(count) : 1,
            metadata.TryGetValue("InsertionTime", out var inserted) ? ReadTime(inserted) : null);
    }

    /// <summary>TimerInfo arrives as an object (documented) or, from some hosts, as a JSON string holding the object.</summary>
    internal static TimerTrigger? ReadTimerTrigger(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            try
            {
                using var inner = JsonDocument.Parse(value.GetString()!);
                return ReadTimerTrigger(inner.RootElement.Clone());
            }
            catch (JsonException)
            {
                return null;
            }
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var isPastDue = value.TryGetProperty("IsPastDue", out var pastDue) && pastDue.ValueKind == JsonValueKind.True;
        DateTimeOffset? last = null;
        DateTimeOffset? next = null;
        if (value.TryGetProperty("ScheduleStatus", out var status) && status.ValueKind == JsonValueKind.Object)
        {
            last = status.TryGetProperty("Last", out var l) ? ReadTime(l) : null;
            next = status.TryGetProperty("Next", out var n) ? ReadTime(n) : null;
        }

        return new TimerTrigger(isPastDue, last, next);
    }

    private static bool TryReadJsonString(string json, out string text)
    {
        try
        {
            text = JsonSerializer.Deserialize<string>(json) ?? json;
            return true;
        }
        catch (JsonException)
        {
            text = json;
            return false;
        }
    }

    private static long ReadCount(JsonElement count) => count.ValueKind switch
    {
        JsonValueKind.Number when count.TryGetInt64(out var n) && n >= 1 => n,
        JsonValueKind.String when long.TryParse(count.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 => n,
        _ => 1,
    };

    private static DateTimeOffset? ReadTime(JsonElement time) =>
        time.ValueKind == JsonValueKind.String
        && DateTimeOffset.TryParse(time.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed
            : null;
}
