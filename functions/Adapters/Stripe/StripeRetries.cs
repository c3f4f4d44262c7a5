namespace ServiceLedger.Functions.Adapters.Stripe;

/// <summary>
/// When and how long the Stripe client waits before trying again, modelled on stripe-node: at most
/// <see cref="MaxRetries"/> retries, on connection failures, 409, 429 and 5xx (or as <c>Stripe-Should-Retry</c> says),
/// waiting <c>min(0.5 s × 2^(n−1), 5 s)</c> with jitter, or the <c>Retry-After</c> Stripe sent when it is at most
/// <see cref="MaxRetryAfter"/>. Only GETs and POSTs that carry an idempotency key are retried; the client sends a key
/// on every POST, so a retried POST can never create a second object.
/// </summary>
public sealed class StripeRetries
{
    /// <summary>Retries after the first attempt (stripe-node's default).</summary>
    public const int MaxRetries = 2;

    /// <summary>The longest backoff between attempts.</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    /// <summary>The longest Retry-After we wait out inside one call; a longer one fails the call with it, for the caller to reschedule.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan InitialBackoff = TimeSpan.FromMilliseconds(500);

    private readonly Func<TimeSpan, CancellationToken, Task> _wait;

    /// <summary>Retries that wait with <see cref="Task.Delay(TimeSpan, CancellationToken)"/>.</summary>
    public StripeRetries()
        : this(Task.Delay)
    {
    }

    /// <summary>Retries that wait with <paramref name="wait"/> (tests record the delays instead of sleeping).</summary>
    public StripeRetries(Func<TimeSpan, CancellationToken, Task> wait) => _wait = wait ?? throw new ArgumentNullException(nameof(wait));

    /// <summary>The wait before retry number <paramref name="retry"/> (1-based), honouring a short enough <paramref name="retryAfter"/>.</summary>
    public static TimeSpan DelayBefore(int retry, TimeSpan? retryAfter, double jitter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retry, 1);
        if (retryAfter is { } asked && asked > TimeSpan.Zero)
        {
            return asked;
        }

        var exponential = InitialBackoff * Math.Pow(2, retry - 1);
        var capped = exponential > MaxBackoff ? MaxBackoff : exponential;
        var jittered = capped * Math.Clamp(jitter, 0.5, 1.0);
        return jittered < InitialBackoff ? InitialBackoff : jittered;
    }

    /// <summary>Waits before retry number <paramref name="retry"/>.</summary>
    public Task WaitAsync(int retry, TimeSpan? retryAfter, CancellationToken cancellationToken) =>
        _wait(DelayBefore(retry, retryAfter, 0.5 + (Random.Shared.NextDouble() / 2)), cancellationToken);
}
