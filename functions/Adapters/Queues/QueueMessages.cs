using System.Text;

namespace ServiceLedger.Functions.Adapters.Queues;

/// <summary>
/// A message received with Get Messages: hidden from other receivers until <see cref="NextVisibleTime"/>; delete it
/// with <see cref="PopReceipt"/> once handled. <see cref="DequeueCount"/> is 1 on the first receipt.
/// </summary>
/// <param name="MessageId">The service's id of the message.</param>
/// <param name="PopReceipt">Proof of this receipt, needed to delete or update the message.</param>
/// <param name="InsertionTime">When the message was put.</param>
/// <param name="ExpirationTime">When the service drops it.</param>
/// <param name="NextVisibleTime">When other receivers can see it again.</param>
/// <param name="DequeueCount">How many times it has been received, this time included.</param>
/// <param name="MessageText">The text as stored (base64 if it was put with <see cref="QueueClient.SendBase64MessageAsync"/>).</param>
public sealed record QueueMessage(
    string MessageId,
    string PopReceipt,
    DateTimeOffset InsertionTime,
    DateTimeOffset ExpirationTime,
    DateTimeOffset NextVisibleTime,
    long DequeueCount,
    string MessageText)
{
    /// <summary>The UTF-8 text inside a base64 message (the Functions queue-trigger encoding); <see cref="FormatException"/> if not base64.</summary>
    public string DecodeBase64Text() => QueueText.DecodeBase64(MessageText);
}

/// <summary>A message seen with Peek Messages: no pop receipt, visibility and dequeue count unchanged.</summary>
/// <param name="MessageId">The service's id of the message.</param>
/// <param name="InsertionTime">When the message was put.</param>
/// <param name="ExpirationTime">When the service drops it.</param>
/// <param name="DequeueCount">How many times it has been received so far.</param>
/// <param name="MessageText">The text as stored.</param>
public sealed record PeekedQueueMessage(
    string MessageId,
    DateTimeOffset InsertionTime,
    DateTimeOffset ExpirationTime,
    long DequeueCount,
    string MessageText)
{
    /// <summary>The UTF-8 text inside a base64 message; <see cref="FormatException"/> if not base64.</summary>
    public string DecodeBase64Text() => QueueText.DecodeBase64(MessageText);
}

/// <summary>What Put Message answers: the new message's id and times, and a pop receipt usable to update or delete it.</summary>
/// <param name="MessageId">The service's id of the message.</param>
/// <param name="PopReceipt">A pop receipt for the message as put.</param>
/// <param name="InsertionTime">When the message was put.</param>
/// <param name="ExpirationTime">When the service drops it.</param>
/// <param name="NextVisibleTime">When receivers can first see it.</param>
public sealed record SentQueueMessage(
    string MessageId, string PopReceipt, DateTimeOffset InsertionTime, DateTimeOffset ExpirationTime, DateTimeOffset NextVisibleTime);

/// <summary>What Update Message answers: the new pop receipt (the old one is now invalid) and the new visibility time.</summary>
/// <param name="PopReceipt">The pop receipt to use from now on.</param>
/// <param name="NextVisibleTime">When other receivers can see the message again.</param>
public sealed record QueueMessageLease(string PopReceipt, DateTimeOffset NextVisibleTime);

/// <summary>The base64-of-UTF-8 encoding the Functions queue trigger expects by default (azure.md 1.6, 3.2).</summary>
internal static class QueueText
{
    /// <summary>Base64 of the UTF-8 bytes of <paramref name="text"/>.</summary>
    public static string EncodeBase64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    /// <summary>The UTF-8 text inside base64; <see cref="FormatException"/> when it is not base64 or not UTF-8.</summary>
    public static string DecodeBase64(string base64) =>
        new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(Convert.FromBase64String(base64));
}
