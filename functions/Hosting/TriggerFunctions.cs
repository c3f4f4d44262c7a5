using System.Globalization;
using NCrontab;
using ServiceLedger.Functions.Adapters.Queues;
using ServiceLedger.Functions.Configuration;

namespace ServiceLedger.Functions.Hosting;

/// <summary>
/// A non-HTTP function: the Functions host invokes it as POST /{Name} (azure.md 1.4) and the local trigger pump invokes
/// the same handler the same way. <see cref="Name"/> is also the folder of its function.json under functions/definitions.
/// </summary>
public abstract record TriggerFunction
{
    /// <summary>Longest function name: the host limits names to 127 characters; ours stay well under.</summary>
    public const int MaxNameLength = 127;

    private protected TriggerFunction(string name, string bindingName, Type handlerType)
    {
        if (!IsValidName(name))
        {
            throw new ArgumentException(
                $"'{name}' is not a function name: 1-{MaxNameLength} ASCII letters, digits, '-' or '_', starting with a letter.", nameof(name));
        }

        ArgumentNullException.ThrowIfNull(handlerType);
        Name = name;
        BindingName = bindingName;
        HandlerType = handlerType;
    }

    /// <summary>The function name: the folder of its function.json and the path the host posts to.</summary>
    public string Name { get; }

    /// <summary>The trigger binding's "name" in function.json: the key of the trigger value under "Data".</summary>
    public string BindingName { get; }

    /// <summary>The handler class, resolved from a fresh DI scope per invocation.</summary>
    public Type HandlerType { get; }

    /// <summary>The binding "type" its function.json must declare (queueTrigger or timerTrigger).</summary>
    public abstract string TriggerType { get; }

    /// <summary>True for names the Functions host accepts as function (folder) names.</summary>
    public static bool IsValidName(string name) =>
        name is { Length: >= 1 and <= MaxNameLength }
        && char.IsAsciiLetter(name[0])
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}

/// <summary>
/// A queue-triggered function: one message of <see cref="QueueName"/> per invocation. Either an ordinary queue, whose
/// failures go to its poison queue after maxDequeueCount attempts, or the poison queue of one (<see cref="ForPoisonQueueOf"/>),
/// which has no poison queue of its own: the host keeps retrying a failed message there (azure.md 1.6).
/// </summary>
public sealed record QueueTriggerFunction : TriggerFunction
{
    /// <summary>The binding name our queue-trigger function.json files use for the message.</summary>
    public const string MessageBinding = "message";

    /// <summary>Longest queue name that still leaves room for "-poison" (63 - 7).</summary>
    public const int MaxQueueNameLength = 56;

    /// <summary>Creates the definition; throws <see cref="ArgumentException"/> for an invalid name or queue name.</summary>
    public QueueTriggerFunction(string name, string queueName, Type handlerType)
        : this(name, queueName, handlerType, readsPoisonQueue: false)
    {
    }

    private QueueTriggerFunction(string name, string queueName, Type handlerType, bool readsPoisonQueue)
        : base(name, MessageBinding, handlerType)
    {
        // An ordinary trigger queue never ends in "-poison": the host gives such a queue no poison queue, so a failing
        // message would be retried for ever. Only a function built for a poison queue reads one, named from its source.
        if (!QueueClient.IsValidQueueName(queueName) || queueName.Length > MaxQueueNameLength
            || queueName.EndsWith(StorageNames.PoisonSuffix, StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"'{queueName}' cannot be a trigger queue: it must be a valid queue name of at most {MaxQueueNameLength} characters " +
                "not ending in '-poison', so that its poison queue name fits. A poison queue is read with AddPoisonQueueFunction.",
                nameof(queueName));
        }

        QueueName = readsPoisonQueue ? StorageNames.PoisonQueueOf(queueName) : queueName;
        PoisonOf = readsPoisonQueue ? queueName : null;
    }

    /// <summary>
    /// The function reading the poison queue of <paramref name="sourceQueue"/> (an ordinary trigger queue); throws
    /// <see cref="ArgumentException"/> when <paramref name="sourceQueue"/> could not be one.
    /// </summary>
    public static QueueTriggerFunction ForPoisonQueueOf(string name, string sourceQueue, Type handlerType) =>
        new(name, sourceQueue, handlerType, readsPoisonQueue: true);

    /// <summary>The queue the trigger reads.</summary>
    public string QueueName { get; }

    /// <summary>For a function on a poison queue, the queue whose failures it reads; else null.</summary>
    public string? PoisonOf { get; }

    /// <summary>True for a function on a poison queue: a failed message stays on it and is retried after the lease, never moved.</summary>
    public bool ReadsPoisonQueue => PoisonOf is not null;

    /// <summary>Where a message goes after its last failed attempt; null for a function on a poison queue (it has none).</summary>
    public string? PoisonQueueName => ReadsPoisonQueue ? null : StorageNames.PoisonQueueOf(QueueName);

    /// <summary>The poison queue that holds this function's given-up work: its own poison queue, or the one it reads.</summary>
    public string WatchedPoisonQueue => PoisonQueueName ?? QueueName;

    /// <inheritdoc />
    public override string TriggerType => "queueTrigger";
}

/// <summary>A timer-triggered function: fires on an NCRONTAB schedule, evaluated in UTC.</summary>
public sealed record TimerTriggerFunction : TriggerFunction
{
    /// <summary>The binding name our timer-trigger function.json files use for the TimerInfo.</summary>
    public const string TimerBinding = "timer";

    /// <summary>Creates the definition; throws <see cref="ArgumentException"/> unless <paramref name="schedule"/> is six-field NCRONTAB.</summary>
    public TimerTriggerFunction(string name, string schedule, Type handlerType)
        : base(name, TimerBinding, handlerType)
    {
        ArgumentNullException.ThrowIfNull(schedule);

        // Six fields (with seconds) is what every host version accepts (azure.md 1.7); five is refused so that a
        // schedule never means something else on the platform than it does locally.
        var fields = schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var parsed = fields.Length == 6
            ? CrontabSchedule.TryParse(schedule, new CrontabSchedule.ParseOptions { IncludingSeconds = true })
            : null;
        Schedule = parsed ?? throw new ArgumentException(
            $"'{schedule}' is not a six-field NCRONTAB schedule '{{second}} {{minute}} {{hour}} {{day}} {{month}} {{day-of-week}}', e.g. '0 */5 * * * *'.",
            nameof(schedule));
        ScheduleText = schedule;
    }

    /// <summary>The schedule as written in function.json.</summary>
    public string ScheduleText { get; }

    /// <summary>The parsed schedule.</summary>
    public CrontabSchedule Schedule { get; }

    /// <inheritdoc />
    public override string TriggerType => "timerTrigger";

    /// <summary>The first occurrence strictly after <paramref name="after"/> (UTC).</summary>
    public DateTimeOffset NextOccurrenceAfter(DateTimeOffset after) =>
        new(DateTime.SpecifyKind(Schedule.GetNextOccurrence(after.UtcDateTime), DateTimeKind.Utc));

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name} ({ScheduleText})");
}

/// <summary>Handles one queue message; an exception fails the invocation, so the message is retried and finally poisoned.</summary>
public interface IQueueTriggerHandler
{
    /// <summary>Handles <paramref name="trigger"/>. Must be idempotent: the same message can arrive more than once.</summary>
    Task HandleAsync(QueueTrigger trigger, CancellationToken cancellationToken);
}

/// <summary>Handles one timer occurrence; an exception is logged and the next occurrence fires as scheduled (no retry).</summary>
public interface ITimerTriggerHandler
{
    /// <summary>Handles <paramref name="trigger"/>. Must tolerate missed and repeated occurrences.</summary>
    Task HandleAsync(TimerTrigger trigger, CancellationToken cancellationToken);
}

/// <summary>One queue message as the trigger delivers it: the decoded text and the metadata the host sends.</summary>
/// <param name="MessageText">The message text (already base64-decoded by the host or the pump).</param>
/// <param name="MessageId">The queue message id, for logs.</param>
/// <param name="DequeueCount">How many times the message has been received, this one included (1 the first time).</param>
/// <param name="InsertionTime">When the message was put, if the host said.</param>
public sealed record QueueTrigger(string MessageText, string MessageId, long DequeueCount, DateTimeOffset? InsertionTime)
{
    /// <summary>The invocation's id (the host's X-Azure-Functions-InvocationId, or the pump's): our log lines of this attempt carry it.</summary>
    public string InvocationId { get; init; } = string.Empty;
}

/// <summary>One timer occurrence (the host's TimerInfo).</summary>
/// <param name="IsPastDue">True when the occurrence fires later than scheduled (e.g. after a restart).</param>
/// <param name="Last">The previous occurrence, if any.</param>
/// <param name="Next">The next scheduled occurrence, if known.</param>
public sealed record TimerTrigger(bool IsPastDue, DateTimeOffset? Last, DateTimeOffset? Next);
