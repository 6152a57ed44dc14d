using Microsoft.Extensions.Time.Testing;

namespace StreamingFeatures.Tests.Checkpoints;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that counts the timers armed on it: a loop that awaits <c>Task.Delay</c> arms a
/// new timer only after it has handled the previous tick, so a test can wait for a tick's effects without sleeping.
/// </summary>
internal sealed class ArmedClock : TimeProvider
{
    private int _armed;

    public FakeTimeProvider Fake { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public int Armed => Volatile.Read(ref _armed);

    public override DateTimeOffset GetUtcNow() => Fake.GetUtcNow();

    public override long GetTimestamp() => Fake.GetTimestamp();

    public override long TimestampFrequency => Fake.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => Fake.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ITimer timer = Fake.CreateTimer(callback, state, dueTime, period);
        Interlocked.Increment(ref _armed);
        return timer;
    }

    /// <summary>Advances time by <paramref name="by"/> and waits until the loop has handled the tick and armed its next delay.</summary>
    public async Task TickAsync(TimeSpan by)
    {
        int before = Armed;
        Fake.Advance(by);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (Armed == before)
        {
            await Task.Delay(1, timeout.Token).ConfigureAwait(false);
        }
    }
}
