using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure;
using NodaTime;
using ServiceLedger.Domain;
using ServiceLedger.Functions.Adapters.Stripe;
using ServiceLedger.Functions.Adapters.Tables;
using ServiceLedger.Functions.Configuration;
using ServiceLedger.Functions.Errors;
using ServiceLedger.Functions.Hosting;

namespace ServiceLedger.Functions.Stripe;

/// <summary>What became of one webhook delivery.</summary>
public enum StripeEventReceiptOutcome
{
    /// <summary>First delivery of this event: stored and its id enqueued.</summary>
    Stored,

    /// <summary>A repeated delivery: the event was stored before; nothing new was written.</summary>
    AlreadyStored,

    /// <summary>Not verifiable or not an event: nothing stored, nothing enqueued.</summary>
    Refused,
}

/// <summary>The answer of <see cref="ReceiveStripeEvent"/>: the outcome, and the event id/type or the refusal.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="EventId">The Stripe event id, unless refused.</param>
/// <param name="EventType">The Stripe event type, unless refused.</param>
/// <param name="Refusal">Why it was refused, for problem details.</param>
/// <param name="Status">The HTTP status a refusal maps to (400, or 413 for an oversized body).</param>
public sealed record StripeEventReceipt(
    StripeEventReceiptOutcome Outcome, string? EventId, string? EventType, Refusal? Refusal = null, int Status = 200);

/// <summary>
/// Receives one Stripe webhook delivery (DESIGN.md §6): verifies its signature against the raw body, stores the raw
/// event once in <see cref="StorageNames.StripeEventsTable"/> keyed by event id (an insert: a repeated delivery meets
/// 409 and writes nothing), then enqueues <c>{"eventId":…}</c> on <see cref="StorageNames.StripeEventsQueue"/> through
/// <see cref="TriggerQueues"/> (base64, as the Functions queue trigger expects). Events of any type are stored; applying
/// them to the ledger is the queue function's job (<see cref="ApplyStripeEvent"/>), and it must be idempotent: the entity's <c>Enqueued</c> flag is set only after the
/// enqueue, so a delivery that crashed in between is finished by Stripe's redelivery (an id may be enqueued twice,
/// never lost).
/// </summary>
public sealed partial class ReceiveStripeEvent
{
    /// <summary>Largest body accepted; Stripe events are a few KB, and the stored copy must fit one table entity (1 MiB).</summary>
    public const int MaxBodyBytes = 256 * 1024;

    /// <summary>Characters per stored body chunk: a Table string property holds at most 64 KiB of UTF-16 (32K characters).</summary>
    public const int BodyChunkChars = 30_000;

    /// <summary>Row key of the one entity per event (the partition key is the event id).</summary>
    public const string EventRowKey = "event";

    /// <summary>Field name used in refusals about the signature header.</summary>
    public const string SignatureField = StripeWebhookSignature.HeaderName;

    private readonly TableServiceClient _tables;
    private readonly TriggerQueues _queues;
    private readonly StripeWebhookSecrets _secrets;
    private readonly IClock _clock;
    private readonly ILogger<ReceiveStripeEvent> _logger;

    /// <summary>Creates the use case.</summary>
    public ReceiveStripeEvent(
        TableServiceClient tables, TriggerQueues queues, StripeWebhookSecrets secrets, IClock clock, ILogger<ReceiveStripeEvent> logger)
    {
        _tables = tables;
        _queues = queues;
        _secrets = secrets;
        _clock = clock;
        _logger = logger;
    }

    /// <summary>The queue message for <paramref name="eventId"/>: <c>{"eventId":"evt_…"}</c>.</summary>
    public static string QueueMessageFor(string eventId) => JsonSerializer.Serialize(new StripeEventMessage(eventId), MessageJson);

    /// <summary>The raw event text of a stored entity (its body chunks joined).</summary>
    public static string BodyOf(TableEntity stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var chunks = stored.Get("BodyChunks").AsInt32();
        var text = new StringBuilder();
        for (var i = 0; i < chunks; i++)
        {
            text.Append(stored.Get(string.Create(CultureInfo.InvariantCulture, $"Body{i}")).AsString());
        }

        return text.ToString();
    }

    /// <summary>Verifies, stores once and enqueues the delivery; refusals are values, storage faults throw (Stripe retries on 5xx).</summary>
    public async Task<StripeEventReceipt> ReceiveAsync(string? signatureHeader, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        if (body.Length > MaxBodyBytes)
        {
            return Refused("StripeEventTooLarge", ApiProblems.BodyField, $"A Stripe event body is at most {MaxBodyBytes} bytes.", StatusCodes.Status413PayloadTooLarge);
        }

        var check = StripeWebhookSignature.Verify(
            signatureHeader, body.Span, _secrets.Secrets, _clock.GetCurrentInstant(), Duration.FromSeconds(StripeWebhookSignature.DefaultToleranceSeconds));
        if (!check.IsVerified)
        {
            _logger.LogWarning("Stripe webhook refused: {Status} ({Reason})", check.Status, check.Reason);
            return Refused("StripeSignature" + check.Status, SignatureField, check.Reason);
        }

        if (!TryReadEvent(body, out var header))
        {
            _logger.LogWarning("Stripe webhook refused: the signed body is not a Stripe event with an id and a type");
            return Refused("StripeEventUnreadable", ApiProblems.BodyField, "The body is not a Stripe event: a JSON object with an 'id' (evt_…) and a 'type'.");
        }

        var table = _tables.GetTableClient(StorageNames.StripeEventsTable);
        var text = Encoding.UTF8.GetString(body.Span);
        bool alreadyStored;
        try
        {
            await table.InsertAsync(ToEntity(header, text), cancellationToken);
            alreadyStored = false;
        }
        catch (TableStorageException exception) when (exception.IsConflict)
        {
            var stored = await table.GetAsync(header.Id, EventRowKey, ["Enqueued"], cancellationToken)
                ?? throw new InvalidOperationException($"Stripe event {header.Id} conflicted on insert but cannot be read back.");
            if (stored.TryGet("Enqueued", out var enqueued) && enqueued.AsBoolean())
            {
                _logger.LogInformation("Stripe event {EventId} ({EventType}) delivered again; already stored and enqueued", header.Id, header.Type);
                return new StripeEventReceipt(StripeEventReceiptOutcome.AlreadyStored, header.Id, header.Type);
            }

            // Stored by an earlier delivery that failed before it enqueued: finish that delivery's work.
            alreadyStored = true;
        }

        await _queues.EnqueueAsync(StorageNames.StripeEventsQueue, QueueMessageFor(header.Id), cancellationToken);
        await table.MergeAsync(new TableEntity(header.Id, EventRowKey, [new("Enqueued", true)]), ETag.All, cancellationToken);
        _logger.LogInformation("Stripe event {EventId} ({EventType}) stored and enqueued", header.Id, header.Type);
        return new StripeEventReceipt(alreadyStored ? StripeEventReceiptOutcome.AlreadyStored : StripeEventReceiptOutcome.Stored, header.Id, header.Type);
    }

    private TableEntity ToEntity(EventHeader header, string text)
    {
        var properties = new List<KeyValuePair<string, TableValue>>
        {
            new("Type", header.Type),
            new("Created", header.Created),
            new("Livemode", header.Livemode),
            new("ApiVersion", header.ApiVersion ?? string.Empty),
            new("ReceivedAt", _clock.GetCurrentInstant().ToDateTimeOffset()),
            new("Enqueued", false),
        };
        var chunks = 0;
        for (var start = 0; start < text.Length; start += BodyChunkChars)
        {
            properties.Add(new(string.Create(CultureInfo.InvariantCulture, $"Body{chunks++}"), text.Substring(start, Math.Min(BodyChunkChars, text.Length - start))));
        }

        properties.Add(new("BodyChunks", chunks));
        return new TableEntity(header.Id, EventRowKey, properties);
    }

    private static bool TryReadEvent(ReadOnlyMemory<byte> body, out EventHeader header)
    {
        header = default!;
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String || !EventId().IsMatch(id.GetString()!)
                || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(type.GetString()))
            {
                return false;
            }

            header = new EventHeader(
                id.GetString()!,
                type.GetString()!,
                root.TryGetProperty("created", out var created) && created.TryGetInt64(out var seconds) ? seconds : 0,
                root.TryGetProperty("livemode", out var livemode) && livemode.ValueKind == JsonValueKind.True,
                root.TryGetProperty("api_version", out var version) && version.ValueKind == JsonValueKind.String ? version.GetString() : null);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static StripeEventReceipt Refused(string code, string field, string message, int status = StatusCodes.Status400BadRequest) =>
        new(StripeEventReceiptOutcome.Refused, null, null, new Refusal(code, field, message), status);

    private static readonly JsonSerializerOptions MessageJson = new(JsonSerializerDefaults.Web);

    // Stripe ids are a prefix and letters/digits; anything else could not be a table key safely, and is not Stripe's.
    [GeneratedRegex("^evt_[A-Za-z0-9_]{1,200}$", RegexOptions.CultureInvariant)]
    private static partial Regex EventId();

    private sealed record EventHeader(string Id, string Type, long Created, bool Livemode, string? ApiVersion);
}

/// <summary>The message on <see cref="StorageNames.StripeEventsQueue"/>: which stored event to apply.</summary>
/// <param name="EventId">The Stripe event id (the stored entity's partition key).</param>
public sealed record StripeEventMessage(string EventId);
