using Azure.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using ServiceLedger.Functions.Adapters.Storage;
using ServiceLedger.Functions.Adapters.Tables;
using ServiceLedger.TestSupport.Settlement;

namespace ServiceLedger.Integration.Tests.Payments;

/// <summary>The harness's storage account through a pipeline whose transport holds one request (see <see cref="HoldAfterPaymentsRead"/>).</summary>
internal static class PaymentGate
{
    /// <summary>A table client of the harness's account whose requests pass through <paramref name="gate"/>.</summary>
    public static TableServiceClient Tables(SettlementHarness harness, HoldAfterPaymentsRead gate) => new(
        harness.Services.GetRequiredService<StorageAccount>(),
        StoragePipelines.Create(
            harness.Services.GetRequiredService<StorageAccount>(),
            StorageService.Table,
            new StorageRequestCounter(),
            harness.Clock,
            NullLogger.Instance,
            new HttpClientTransport(gate)));
}

/// <summary>
/// Passes every request through, except that the first query of the statement's payment rows, once answered, is held until
/// <see cref="Release"/>: the request that made it has read, and will decide on what it read, after the others have written.
/// </summary>
internal sealed class HoldAfterPaymentsRead(string statementId) : DelegatingHandler(new HttpClientHandler())
{
    private readonly TaskCompletionSource held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int holds;

    /// <summary>Completes when the payments query has been answered and is being held.</summary>
    public Task Held => held.Task;

    /// <summary>Lets the held answer go on.</summary>
    public void Release() => released.TrySetResult();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var uri = Uri.UnescapeDataString(request.RequestUri?.ToString() ?? string.Empty);
        if (request.Method == HttpMethod.Get && uri.Contains($"'pay:{statementId}:'", StringComparison.Ordinal) && Interlocked.Exchange(ref holds, 1) == 0)
        {
            held.TrySetResult();
            await released.Task.WaitAsync(cancellationToken);
        }

        return response;
    }
}
