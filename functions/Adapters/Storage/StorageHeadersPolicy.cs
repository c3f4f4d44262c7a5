using Azure.Core;
using Azure.Core.Pipeline;

namespace ServiceLedger.Functions.Adapters.Storage;

/// <summary>Adds the headers every request to one service carries (x-ms-version, and for tables the OData versions).</summary>
internal sealed class StorageHeadersPolicy(IReadOnlyList<KeyValuePair<string, string>> headers) : HttpPipelineSynchronousPolicy
{
    /// <inheritdoc />
    public override void OnSendingRequest(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        foreach (var (name, value) in headers)
        {
            message.Request.Headers.SetValue(name, value);
        }
    }
}
