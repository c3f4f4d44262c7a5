namespace ServiceLedger.Functions.Settlement;

using NodaTime;

/// <summary>
/// How long <see cref="SettlementOutcomeWriter"/> gathers outcomes before it writes them; <see cref="TimeSpan.Zero"/> writes each
/// at once (one request per contract).
/// </summary>
/// <param name="Window">The gathering window, 0 to 1 second.</param>
public sealed record SettlementOutcomeBatching(TimeSpan Window)
{
    /// <summary>
    /// 20 ms: a Functions instance settles up to 16 messages at once (host.json <c>batchSize</c>), which finish within a few
    /// milliseconds of each other, so their outcomes share one transaction; a handling waits at most this long more.
    /// </summary>
    public static SettlementOutcomeBatching Default { get; } = new(TimeSpan.FromMilliseconds(20));

    /// <summary>Each outcome written at once, alone (what the tests of the run use, so no test waits on a real clock).</summary>
    public static SettlementOutcomeBatching Off { get; } = new(TimeSpan.Zero);

    /// <summary>The gathering window.</summary>
    public TimeSpan Window { get; } = Window >= TimeSpan.Zero && Window <= TimeSpan.FromSeconds(1)
        ? Window
        : throw new ArgumentOutOfRangeException(nameof(Window), Window, "The outcome batching window is 0 to 1 second.");
}

/// <summary>
/// Writes the outcomes of the contracts a process settles (docs/settlement-runs.md, "Outcome rows"), gathered: the first
/// outcome opens a batch, the outcomes that arrive within <see cref="SettlementOutcomeBatching.Window"/> join it (up to
/// <see cref="SettlementRunStore.RowsPerBatch"/>, then it is written at once), and the batch is written as one upsert
/// transaction per run (the run's rows share its partition). Each caller waits until its own outcome is stored, so a handling
/// returns (and its message is deleted) only after its outcome is durable; a failed write fails every caller of the batch,
/// whose messages are retried (an upsert repeated changes nothing). Thread-safe; one per process.
/// </summary>
public sealed class SettlementOutcomeWriter
{
    private readonly SettlementRunStore runs;
    private readonly Func<CancellationToken, Task> waitWindow;
    private readonly bool gathers;
    private readonly Lock gate = new();
    private Batch? open;

    /// <summary>Gathers for <paramref name="batching"/>'s window, timed by <paramref name="time"/>.</summary>
    public SettlementOutcomeWriter(SettlementRunStore runs, SettlementOutcomeBatching batching, TimeProvider time)
        : this(runs, batching.Window > TimeSpan.Zero ? cancellationToken => Task.Delay(batching.Window, time, cancellationToken) : null)
    {
        ArgumentNullException.ThrowIfNull(batching);
        ArgumentNullException.ThrowIfNull(time);
    }

    /// <summary>
    /// Gathers until <paramref name="waitWindow"/> completes (tests pass one they complete by hand); null writes each outcome
    /// at once.
    /// </summary>
    public SettlementOutcomeWriter(SettlementRunStore runs, Func<CancellationToken, Task>? waitWindow)
    {
        this.runs = runs ?? throw new ArgumentNullException(nameof(runs));
        this.waitWindow = waitWindow ?? (_ => Task.CompletedTask);
        gathers = waitWindow is not null;
    }

    /// <summary>Records <paramref name="outcome"/> in run <paramref name="run"/>; completes once it is stored.</summary>
    public Task RecordAsync(SettlementRunId run, ContractRunOutcome outcome, Instant at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (!gathers)
        {
            return runs.RecordAsync(run, outcome, at, cancellationToken);
        }

        Batch batch;
        bool opened;
        bool full;
        lock (gate)
        {
            opened = open is null;
            batch = open ??= new Batch();
            batch.Add(run, outcome, at);
            full = batch.Count >= SettlementRunStore.RowsPerBatch;
            if (full)
            {
                open = null;
            }
        }

        if (full)
        {
            _ = WriteAsync(batch);
        }
        else if (opened)
        {
            _ = WriteAfterWindowAsync(batch);
        }

        return batch.Stored.Task.WaitAsync(cancellationToken);
    }

    private async Task WriteAfterWindowAsync(Batch batch)
    {
        try
        {
            await waitWindow(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            lock (gate)
            {
                if (ReferenceEquals(open, batch))
                {
                    open = null;
                }
            }

            await WriteAsync(batch).ConfigureAwait(false);
        }
    }

    // Written once, by whichever comes first: the window's end or the batch filling up.
    private async Task WriteAsync(Batch batch)
    {
        if (!batch.Claim())
        {
            return;
        }

        try
        {
            foreach (var (run, outcomes) in batch.ByRun())
            {
                await runs.RecordManyAsync(run, outcomes, CancellationToken.None).ConfigureAwait(false);
            }

            batch.Stored.TrySetResult();
        }
        catch (Exception exception)
        {
            batch.Stored.TrySetException(exception);
        }
    }

    private sealed class Batch
    {
        private readonly List<(SettlementRunId Run, ContractRunOutcome Outcome, Instant At)> outcomes = [];
        private int claimed;

        public TaskCompletionSource Stored { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Count => outcomes.Count;

        public void Add(SettlementRunId run, ContractRunOutcome outcome, Instant at) => outcomes.Add((run, outcome, at));

        public bool Claim() => Interlocked.Exchange(ref claimed, 1) == 0;

        // Per run, the latest outcome of each contract (a transaction touches each row once).
        public IEnumerable<(SettlementRunId Run, IReadOnlyList<(ContractRunOutcome Outcome, Instant At)> Outcomes)> ByRun() =>
            outcomes.GroupBy(item => item.Run).Select(group => (
                group.Key,
                (IReadOnlyList<(ContractRunOutcome, Instant)>)group.GroupBy(item => item.Outcome.Contract).Select(contract => (contract.Last().Outcome, contract.Last().At)).ToArray()));
    }
}
