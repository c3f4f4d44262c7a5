using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Azure;
using Azure.Core;

namespace ServiceLedger.Functions.Adapters.Queues;

/// <summary>
/// One queue: create, put, receive with a visibility timeout, extend a lease (update), delete, peek and count — only what
/// the product uses. Messages for a Functions queue trigger must be put with <see cref="SendBase64MessageAsync"/>
/// (the trigger decodes base64 by default; azure.md 1.6). Errors throw <see cref="QueueStorageException"/>. Thread-safe.
/// </summary>
public sealed class QueueClient
{
    /// <summary>Largest message text in UTF-8 bytes (service limit 64 KiB; Azurite counts 65,536).</summary>
    public const int MaxMessageBytes = 64 * 1024;

    /// <summary>Largest text <see cref="SendBase64MessageAsync"/> takes, in UTF-8 bytes: base64 grows it by 4/3.</summary>
    public const int MaxBase64PayloadBytes = MaxMessageBytes / 4 * 3;

    /// <summary>Most messages one receive or peek returns (service limit).</summary>
    public const int MaxMessagesPerRequest = 32;

    /// <summary>Longest visibility timeout or initial delay: 7 days (service limit).</summary>
    public const int MaxVisibilitySeconds = 7 * 24 * 60 * 60;

    private static readonly XmlWriterSettings MessageXml = new()
    {
        Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        OmitXmlDeclaration = true,
        CheckCharacters = true,

        // XML parsers turn CR LF into LF; entitized line breaks survive the round trip exactly.
        NewLineHandling = NewLineHandling.Entitize,
    };

    private readonly QueueServiceClient _service;

    internal QueueClient(QueueServiceClient service, string queueName)
    {
        if (!IsValidQueueName(queueName))
        {
            throw new ArgumentException(
                $"'{queueName}' is not a queue name: 3-63 lower-case letters, digits and single hyphens, starting and " +
                "ending with a letter or digit.",
                nameof(queueName));
        }

        _service = service;
        Name = queueName;
    }

    /// <summary>The queue name.</summary>
    public string Name { get; }

    /// <summary>True for 3-63 lower-case letters, digits and non-consecutive hyphens, not starting or ending with a hyphen.</summary>
    public static bool IsValidQueueName(string queueName) =>
        queueName is { Length: >= 3 and <= 63 }
        && queueName.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
        && queueName[0] != '-' && queueName[^1] != '-'
        && !queueName.Contains("--", StringComparison.Ordinal);

    /// <summary>Creates the queue; succeeds when it already exists.</summary>
    public async Task CreateIfNotExistsAsync(CancellationToken cancellationToken)
    {
        using var message = _service.CreateMessage(RequestMethod.Put, "/" + Name);
        var response = await _service.SendAllowingErrorsAsync(message, cancellationToken).ConfigureAwait(false);

        // 201 created, 204 existed with the same (no) metadata; 409 QueueAlreadyExists if it has other metadata.
        if (response.Status is >= 200 and < 300)
        {
            return;
        }

        var error = QueueServiceClient.Error(response, $"create queue '{Name}'");
        if (error.IsConflict && error.ErrorCode == "QueueAlreadyExists")
        {
            return;
        }

        throw error;
    }

    /// <summary>
    /// Puts <paramref name="messageText"/> as is (XML-escaped on the wire), visible after
    /// <paramref name="visibilityDelaySeconds"/> (0-7 days), kept for the default 7 days.
    /// Throws <see cref="ArgumentException"/> for text over <see cref="MaxMessageBytes"/> or with characters XML cannot carry.
    /// </summary>
    public async Task<SentQueueMessage> SendMessageAsync(string messageText, int visibilityDelaySeconds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messageText);
        ArgumentOutOfRangeException.ThrowIfNegative(visibilityDelaySeconds);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(visibilityDelaySeconds, MaxVisibilitySeconds);
        if (Encoding.UTF8.GetByteCount(messageText) > MaxMessageBytes)
        {
            throw new ArgumentException($"The message is larger than {MaxMessageBytes} UTF-8 bytes.", nameof(messageText));
        }

        using var message = _service.CreateMessage(RequestMethod.Post, "/" + Name + "/messages");
        message.Request.Uri.AppendQuery("visibilitytimeout", visibilityDelaySeconds.ToString(CultureInfo.InvariantCulture));
        message.Request.Headers.SetValue("Content-Type", "application/xml");
        message.Request.Content = RequestContent.Create(MessageBody(messageText));
        var response = await _service.SendAsync(message, $"put a message on '{Name}'", cancellationToken).ConfigureAwait(false);
        var sent = QueueServiceClient.ParseXml(response).Element("QueueMessage")
            ?? throw new FormatException($"Queue storage answered a put on '{Name}' without a QueueMessage element.");
        return new SentQueueMessage(
            Text(sent, "MessageId"), Text(sent, "PopReceipt"), Time(sent, "InsertionTime"), Time(sent, "ExpirationTime"), Time(sent, "TimeNextVisible"));
    }

    /// <summary>
    /// Puts Base64(UTF-8(<paramref name="text"/>)), the encoding the Functions queue trigger decodes by default.
    /// Throws <see cref="ArgumentException"/> when the text is over <see cref="MaxBase64PayloadBytes"/> UTF-8 bytes.
    /// </summary>
    public Task<SentQueueMessage> SendBase64MessageAsync(string text, int visibilityDelaySeconds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Encoding.UTF8.GetByteCount(text) > MaxBase64PayloadBytes)
        {
            throw new ArgumentException(
                $"The message is larger than {MaxBase64PayloadBytes} UTF-8 bytes, which base64 would take past {MaxMessageBytes}.", nameof(text));
        }

        return SendMessageAsync(QueueText.EncodeBase64(text), visibilityDelaySeconds, cancellationToken);
    }

    /// <summary>
    /// Receives up to <paramref name="maxMessages"/> (1-32) messages and hides them for
    /// <paramref name="visibilityTimeoutSeconds"/> (1 s - 7 days); each receipt increments its dequeue count.
    /// </summary>
    public async Task<IReadOnlyList<QueueMessage>> ReceiveMessagesAsync(int maxMessages, int visibilityTimeoutSeconds, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxMessages, MaxMessagesPerRequest);
        ArgumentOutOfRangeException.ThrowIfLessThan(visibilityTimeoutSeconds, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(visibilityTimeoutSeconds, MaxVisibilitySeconds);
        using var message = _service.CreateMessage(RequestMethod.Get, "/" + Name + "/messages");
        message.Request.Uri.AppendQuery("numofmessages", maxMessages.ToString(CultureInfo.InvariantCulture));
        message.Request.Uri.AppendQuery("visibilitytimeout", visibilityTimeoutSeconds.ToString(CultureInfo.InvariantCulture));
        var response = await _service.SendAsync(message, $"get messages from '{Name}'", cancellationToken).ConfigureAwait(false);
        return MessageElements(response, maxMessages)
            .Select(m => new QueueMessage(
                Text(m, "MessageId"),
                Text(m, "PopReceipt"),
                Time(m, "InsertionTime"),
                Time(m, "ExpirationTime"),
                Time(m, "TimeNextVisible"),
                Count(m),
                (string?)m.Element("MessageText") ?? string.Empty))
            .ToList();
    }

    /// <summary>Looks at up to <paramref name="maxMessages"/> (1-32) visible messages without receiving them.</summary>
    public async Task<IReadOnlyList<PeekedQueueMessage>> PeekMessagesAsync(int maxMessages, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxMessages, MaxMessagesPerRequest);
        using var message = _service.CreateMessage(RequestMethod.Get, "/" + Name + "/messages");
        message.Request.Uri.AppendQuery("peekonly", "true");
        message.Request.Uri.AppendQuery("numofmessages", maxMessages.ToString(CultureInfo.InvariantCulture));
        var response = await _service.SendAsync(message, $"peek messages on '{Name}'", cancellationToken).ConfigureAwait(false);
        return MessageElements(response, maxMessages)
            .Select(m => new PeekedQueueMessage(
                Text(m, "MessageId"), Time(m, "InsertionTime"), Time(m, "ExpirationTime"), Count(m), (string?)m.Element("MessageText") ?? string.Empty))
            .ToList();
    }

    /// <summary>
    /// The queue's approximate message count (Get Queue Metadata, header x-ms-approximate-messages-count): never lower than
    /// the messages in the queue, hidden ones included, but possibly higher. One request; null when the queue does not exist.
    /// </summary>
    public async Task<long?> GetApproximateMessageCountAsync(CancellationToken cancellationToken)
    {
        using var message = _service.CreateMessage(RequestMethod.Get, "/" + Name);
        message.Request.Uri.AppendQuery("comp", "metadata");
        var response = await _service.SendAllowingErrorsAsync(message, cancellationToken).ConfigureAwait(false);
        if (response.Status is >= 200 and < 300)
        {
            return response.Headers.TryGetValue("x-ms-approximate-messages-count", out var count)
                && long.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
                    ? parsed
                    : throw new FormatException($"Queue storage answered the metadata of '{Name}' without a numeric x-ms-approximate-messages-count.");
        }

        var error = QueueServiceClient.Error(response, $"get the metadata of queue '{Name}'");
        return error.IsNotFound ? null : throw error;
    }

    /// <summary>
    /// Makes a received message invisible for <paramref name="visibilityTimeoutSeconds"/> (0-7 days) from now, keeping
    /// its text; returns the new pop receipt — the old one stops working. A stale pop receipt throws a
    /// <see cref="QueueStorageException"/> with <see cref="QueueStorageException.IsStalePopReceipt"/>.
    /// </summary>
    public async Task<QueueMessageLease> UpdateVisibilityAsync(
        string messageId, string popReceipt, int visibilityTimeoutSeconds, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(visibilityTimeoutSeconds);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(visibilityTimeoutSeconds, MaxVisibilitySeconds);
        using var message = MessageRequest(RequestMethod.Put, messageId, popReceipt);
        message.Request.Uri.AppendQuery("visibilitytimeout", visibilityTimeoutSeconds.ToString(CultureInfo.InvariantCulture));
        var response = await _service.SendAsync(message, $"update message '{messageId}' on '{Name}'", cancellationToken).ConfigureAwait(false);
        if (!response.Headers.TryGetValue("x-ms-popreceipt", out var newPopReceipt)
            || !response.Headers.TryGetValue("x-ms-time-next-visible", out var nextVisible))
        {
            throw new FormatException($"Queue storage answered an update on '{Name}' without x-ms-popreceipt or x-ms-time-next-visible.");
        }

        return new QueueMessageLease(newPopReceipt, ParseTime(nextVisible, "x-ms-time-next-visible"));
    }

    /// <summary>
    /// Deletes a received message. A stale pop receipt (400 PopReceiptMismatch) or a message already gone (404
    /// MessageNotFound) throws a <see cref="QueueStorageException"/> with <see cref="QueueStorageException.IsStalePopReceipt"/>.
    /// </summary>
    public async Task DeleteMessageAsync(string messageId, string popReceipt, CancellationToken cancellationToken)
    {
        using var message = MessageRequest(RequestMethod.Delete, messageId, popReceipt);
        await _service.SendAsync(message, $"delete message '{messageId}' from '{Name}'", cancellationToken).ConfigureAwait(false);
    }

    private HttpMessage MessageRequest(RequestMethod method, string messageId, string popReceipt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(messageId);
        ArgumentException.ThrowIfNullOrWhiteSpace(popReceipt);
        var message = _service.CreateMessage(method, "/" + Name + "/messages/" + Uri.EscapeDataString(messageId));
        message.Request.Uri.AppendQuery("popreceipt", popReceipt);
        return message;
    }

    private static byte[] MessageBody(string messageText)
    {
        using var stream = new MemoryStream(messageText.Length + 64);
        try
        {
            using (var writer = XmlWriter.Create(stream, MessageXml))
            {
                writer.WriteStartElement("QueueMessage");
                writer.WriteElementString("MessageText", messageText);
                writer.WriteEndElement();
            }
        }
        catch (ArgumentException exception)
        {
            throw new ArgumentException(
                "The message contains characters XML cannot carry (e.g. control characters); base64-encode it instead.",
                nameof(messageText),
                exception);
        }

        return stream.ToArray();
    }

    private List<XElement> MessageElements(Response response, int maxMessages)
    {
        var messages = QueueServiceClient.ParseXml(response).Elements("QueueMessage").ToList();
        return messages.Count <= maxMessages
            ? messages
            : throw new FormatException($"Queue storage returned {messages.Count} messages from '{Name}'; at most {maxMessages} were asked for.");
    }

    private static string Text(XElement message, string name) =>
        (string?)message.Element(name) ?? throw new FormatException($"A queue message in the response has no {name}.");

    private static DateTimeOffset Time(XElement message, string name) => ParseTime(Text(message, name), name);

    private static long Count(XElement message) =>
        long.TryParse(Text(message, "DequeueCount"), NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            ? count
            : throw new FormatException("A queue message in the response has a DequeueCount that is not a number.");

    private static DateTimeOffset ParseTime(string text, string name) =>
        DateTimeOffset.TryParseExact(text, "R", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw new FormatException($"{name} '{text}' in the response is not an RFC 1123 time.");
}
