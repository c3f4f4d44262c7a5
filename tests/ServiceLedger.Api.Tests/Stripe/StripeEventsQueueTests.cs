namespace ServiceLedger.Api.Tests.Stripe;

/// <summary>
/// Test classes that put messages on, or take them from, the one <c>stripe-events</c> queue of the shared Azurite: they
/// run one after another, so that one class's drain or pump never takes another's messages.
/// </summary>
[CollectionDefinition(Name)]
public sealed class StripeEventsQueueTests
{
    /// <summary>The collection name.</summary>
    public const string Name = "stripe-events queue";
}
