namespace ServiceLedger.Functions.Hosting;

/// <summary>
/// Every non-HTTP function the app serves, by name (case-insensitive, as the host's routing is). Built once from the
/// <see cref="TriggerFunction"/> singletons that AddQueueFunction/AddTimerFunction register; refuses duplicates at startup.
/// </summary>
public sealed class FunctionRegistry
{
    private readonly Dictionary<string, TriggerFunction> _byName = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Builds the registry; throws <see cref="InvalidOperationException"/> for a repeated function name or trigger queue.</summary>
    public FunctionRegistry(IEnumerable<TriggerFunction> functions)
    {
        ArgumentNullException.ThrowIfNull(functions);
        var queues = new HashSet<string>(StringComparer.Ordinal);
        foreach (var function in functions)
        {
            if (!_byName.TryAdd(function.Name, function))
            {
                throw new InvalidOperationException($"Function '{function.Name}' is registered twice; function names are unique.");
            }

            // Two functions on one queue would each take messages meant for the other.
            if (function is QueueTriggerFunction queued && !queues.Add(queued.QueueName))
            {
                throw new InvalidOperationException($"Queue '{queued.QueueName}' triggers more than one function ('{function.Name}' among them).");
            }
        }

        Functions = [.. _byName.Values.OrderBy(f => f.Name, StringComparer.Ordinal)];
        PoisonQueues = [.. QueueFunctions.Select(f => f.WatchedPoisonQueue).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    /// <summary>The poison queue of every queue the app consumes (each once, ordered): where given-up work waits for a person.</summary>
    public IReadOnlyList<string> PoisonQueues { get; }

    /// <summary>All registered functions, ordered by name.</summary>
    public IReadOnlyList<TriggerFunction> Functions { get; }

    /// <summary>The queue-triggered functions, ordered by name.</summary>
    public IEnumerable<QueueTriggerFunction> QueueFunctions => Functions.OfType<QueueTriggerFunction>();

    /// <summary>The timer-triggered functions, ordered by name.</summary>
    public IEnumerable<TimerTriggerFunction> TimerFunctions => Functions.OfType<TimerTriggerFunction>();

    /// <summary>The function called <paramref name="name"/> (any case), or null.</summary>
    public TriggerFunction? Find(string name) => _byName.GetValueOrDefault(name);
}
