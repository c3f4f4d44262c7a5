using NodaTime;

namespace ServiceLedger.TestSupport;

/// <summary>
/// A settable clock for tests: one instance serves both NodaTime's <see cref="IClock"/> (domain and use cases) and
/// <see cref="TimeProvider"/> (framework code such as token lifetimes), so a test moves time for both at once.
/// Never reads the wall clock; timers created through it are not supported on purpose (tests do not wait).
/// </summary>
public sealed class FakeClock : TimeProvider, IClock
{
    private readonly object gate = new();
    private Instant now;

    /// <summary>A clock that reads <paramref name="start"/> until moved.</summary>
    public FakeClock(Instant start) => now = start;

    /// <summary>A clock at 2026-11-02T01:00:00Z (a Monday, 09:00 in Asia/Shanghai), the default start for tests.</summary>
    public FakeClock()
        : this(Instant.FromUtc(2026, 11, 2, 1, 0))
    {
    }

    /// <summary>The current instant of this clock.</summary>
    public Instant Now
    {
        get { lock (gate) { return now; } }
    }

    /// <inheritdoc />
    public Instant GetCurrentInstant() => Now;

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => Now.ToDateTimeOffset();

    /// <summary>Moves the clock forward by <paramref name="by"/>; time never goes backwards through this method.</summary>
    public void Advance(Duration by)
    {
        if (by < Duration.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(by), by, "A clock advances forwards only.");
        }

        lock (gate) { now += by; }
    }

    /// <summary>Sets the clock to <paramref name="instant"/> (tests that jump to a date).</summary>
    public void Set(Instant instant)
    {
        lock (gate) { now = instant; }
    }
}
