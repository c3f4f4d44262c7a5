using Microsoft.AspNetCore.Hosting;
using ServiceLedger.Functions.Adapters.Queues;
using ServiceLedger.Functions.Adapters.Tables;
using ServiceLedger.Functions.Configuration;
using ServiceLedger.TestSupport.Api;

namespace ServiceLedger.Api.Tests.Stripe;

/// <summary>The app with two webhook signing secrets configured (the current one and one being rolled out).</summary>
public sealed class StripeWebhookFactory : ApiFactory
{
    /// <summary>The current endpoint secret.</summary>
    public const string Secret = "whsec_api_current_5f2b9c";

    /// <summary>The secret being rolled out of use.</summary>
    public const string OldSecret = "whsec_api_previous_77a1d0";

    /// <summary>The table the app stores events in.</summary>
    public TableClient Events => Services.GetRequiredService<TableServiceClient>().GetTableClient(StorageNames.StripeEventsTable);

    /// <summary>The queue the app enqueues event ids on.</summary>
    public QueueClient Queue => Services.GetRequiredService<QueueServiceClient>().GetQueueClient(StorageNames.StripeEventsQueue);

    /// <summary>Takes every message now on the queue (receive and delete), returning their decoded texts.</summary>
    public async Task<List<string>> DrainQueueAsync()
    {
        var texts = new List<string>();
        for (var round = 0; round < 100; round++)
        {
            var messages = await Queue.ReceiveMessagesAsync(QueueClient.MaxMessagesPerRequest, 60, CancellationToken.None);
            if (messages.Count == 0)
            {
                return texts;
            }

            foreach (var message in messages)
            {
                texts.Add(message.DecodeBase64Text());
                await Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, CancellationToken.None);
            }
        }

        throw new InvalidOperationException("The stripe-events queue did not drain within 100 rounds.");
    }

    /// <inheritdoc />
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting(AppSettings.StripeWebhookSecret, $"{Secret},{OldSecret}");
    }
}
