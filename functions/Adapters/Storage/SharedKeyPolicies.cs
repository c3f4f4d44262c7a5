using System.Globalization;
using Azure.Core;
using Azure.Core.Pipeline;
using NodaTime;

namespace ServiceLedger.Functions.Adapters.Storage;

/// <summary>
/// Signs each attempt of a Table request with SharedKeyLite (the official Tables SDK's scheme). Runs per retry so that
/// every attempt carries a fresh x-ms-date (the service refuses requests older than 15 minutes).
/// </summary>
internal sealed class TableSharedKeyPolicy(StorageSharedKey sharedKey, IClock clock) : HttpPipelineSynchronousPolicy
{
    /// <inheritdoc />
    public override void OnSendingRequest(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var date = SharedKeyDate.Now(clock);

        // Never send a Date header beside x-ms-date: Azurite prefers Date when both are present (azure.md 2.8).
        message.Request.Headers.Remove("Date");
        message.Request.Headers.SetValue("x-ms-date", date);
        var stringToSign = SharedKeySigning.TableStringToSign(date, sharedKey.AccountName, message.Request.Uri.ToUri());
        message.Request.Headers.SetValue(
            "Authorization", "SharedKeyLite " + sharedKey.AccountName + ":" + sharedKey.ComputeSignature(stringToSign));
    }
}

/// <summary>
/// Signs each attempt of a Queue request with full SharedKey. It must run after every policy that adds an x-ms-*
/// header (client request id, version), because those headers are part of what is signed.
/// </summary>
internal sealed class QueueSharedKeyPolicy(StorageSharedKey sharedKey, IClock clock) : HttpPipelineSynchronousPolicy
{
    /// <inheritdoc />
    public override void OnSendingRequest(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var request = message.Request;
        request.Headers.Remove("Date");
        request.Headers.SetValue("x-ms-date", SharedKeyDate.Now(clock));
        long? contentLength = request.Content is not null && request.Content.TryComputeLength(out var length) ? length : null;
        var stringToSign = SharedKeySigning.QueueStringToSign(
            request.Method.Method,
            request.Headers.Select(header => KeyValuePair.Create(header.Name, header.Value)),
            contentLength,
            sharedKey.AccountName,
            request.Uri.ToUri());
        request.Headers.SetValue(
            "Authorization", "SharedKey " + sharedKey.AccountName + ":" + sharedKey.ComputeSignature(stringToSign));
    }
}

/// <summary>The RFC 1123 date that both Shared Key schemes sign.</summary>
internal static class SharedKeyDate
{
    /// <summary>Now, as e.g. "Sun, 11 Oct 2009 19:52:39 GMT".</summary>
    public static string Now(IClock clock) =>
        clock.GetCurrentInstant().ToDateTimeUtc().ToString("R", CultureInfo.InvariantCulture);
}
