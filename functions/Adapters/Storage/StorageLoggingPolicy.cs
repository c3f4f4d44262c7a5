using System.Diagnostics;
using Azure.Core;
using Azure.Core.Pipeline;

namespace ServiceLedger.Functions.Adapters.Storage;

/// <summary>
/// Logs each storage attempt: verb, path without the query, status, duration and client request id. It never logs
/// headers, query strings or bodies, so keys, signatures, bearer tokens and pop receipts cannot leak into logs.
/// Server errors and transport failures are warnings (they are retried); everything else is debug, because 404, 409
/// and 412 are normal answers the callers handle.
/// </summary>
internal sealed class StorageLoggingPolicy(ILogger logger, StorageService service) : HttpPipelinePolicy
{
    /// <inheritdoc />
    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ArgumentNullException.ThrowIfNull(message);
        var started = Stopwatch.GetTimestamp();
        try
        {
            await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogFailure(message, exception, started);
            throw;
        }

        LogResponse(message, started);
    }

    /// <inheritdoc />
    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ArgumentNullException.ThrowIfNull(message);
        var started = Stopwatch.GetTimestamp();
        try
        {
            ProcessNext(message, pipeline);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogFailure(message, exception, started);
            throw;
        }

        LogResponse(message, started);
    }

    private void LogResponse(HttpMessage message, long started)
    {
        var status = message.Response.Status;
        var level = status >= 500 ? LogLevel.Warning : LogLevel.Debug;
        if (!logger.IsEnabled(level))
        {
            return;
        }

        logger.Log(
            level,
            "Storage {Service} {Method} {Path} answered {Status} in {ElapsedMs} ms (client request id {ClientRequestId})",
            service,
            message.Request.Method.Method,
            message.Request.Uri.Path,
            status,
            (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            message.Request.ClientRequestId);
    }

    private void LogFailure(HttpMessage message, Exception exception, long started) =>
        logger.LogWarning(
            "Storage {Service} {Method} {Path} failed after {ElapsedMs} ms (client request id {ClientRequestId}): {Error}",
            service,
            message.Request.Method.Method,
            message.Request.Uri.Path,
            (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            message.Request.ClientRequestId,
            exception.GetType().Name + ": " + exception.Message);
}
