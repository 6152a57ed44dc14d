using Microsoft.Extensions.Time.Testing;

namespace StreamingFeatures.TestShared;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that counts the timers armed on it: a loop that awaits <c>Task.Delay</c> arms a
/// new timer only after it has handled the previous tick, so a test can wait for a tick's effects without sleeping
/// (compiled into both test projects).
/// </summary>
internal sealed class ArmedClock(DateTimeOffset start) : TimeProvider
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    private int _armed;
    private long _lastArmedFor;

    public ArmedClock()
        : this(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    public FakeTimeProvider Fake { get; } = new(start);

    public int Armed => Volatile.Read(ref _armed);

    /// <summary>How long the last timer armed was armed for.</summary>
    public TimeSpan LastArmedFor => TimeSpan.FromTicks(Interlocked.Read(ref _lastArmedFor));

    public override DateTimeOffset GetUtcNow() => Fake.GetUtcNow();

    public override long GetTimestamp() => Fake.GetTimestamp();

    public override long TimestampFrequency => Fake.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => Fake.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ITimer timer = Fake.CreateTimer(callback, state, dueTime, period);
        Interlocked.Exchange(ref _lastArmedFor, dueTime.Ticks);
        Interlocked.Increment(ref _armed);
        return timer;
    }

    /// <summary>Waits until <paramref name="count"/> timers in all have been armed (a loop started on another thread has reached its first wait).</summary>
    public async Task WaitForArmedAsync(int count)
    {
        using var timeout = new CancellationTokenSource(s_wait);
        while (Armed < count)
        {
            await Task.Delay(1, timeout.Token).ConfigureAwait(false);
        }
    }

    /// <summary>Advances time by <paramref name="by"/> and waits until the loop has handled the tick and armed its next delay.</summary>
    public async Task TickAsync(TimeSpan by)
    {
        int before = Armed;
        Fake.Advance(by);
        await WaitForArmedAsync(before + 1).ConfigureAwait(false);
    }
}
