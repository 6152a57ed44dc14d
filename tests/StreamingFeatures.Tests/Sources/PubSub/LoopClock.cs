using Microsoft.Extensions.Time.Testing;

namespace StreamingFeatures.Tests.Sources.PubSub;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that knows when the source's background loops have handled a tick: the loops that
/// sleep a second or more (lease renewal, keep-alive) arm their next sleep only after they have done the work its end
/// called for, so a test can check what a tick caused without sleeping. The 100 ms ack flush is not waited for: after
/// a flush it may wait for work instead of arming a timer. Shorter waits (reconnect backoff) can be found with
/// <see cref="NextDue"/> and advanced to exactly.
/// </summary>
internal sealed class LoopClock : TimeProvider
{
    private static readonly TimeSpan s_loopSleep = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private readonly HashSet<Sleep> _sleeping = [];
    private int _armed;

    public FakeTimeProvider Fake { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public override DateTimeOffset GetUtcNow() => Fake.GetUtcNow();

    public override long GetTimestamp() => Fake.GetTimestamp();

    public override long TimestampFrequency => Fake.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => Fake.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var sleep = new Sleep(this) { Length = dueTime };
        if (dueTime > TimeSpan.Zero && dueTime != Timeout.InfiniteTimeSpan)
        {
            lock (_gate)
            {
                sleep.Due = Fake.GetUtcNow() + dueTime;
                _sleeping.Add(sleep);
                _armed += sleep.Length >= s_loopSleep ? 1 : 0;
            }
        }

        sleep.Inner = Fake.CreateTimer(s => { sleep.End(); callback(s); }, state, dueTime, period);
        return sleep;
    }

    /// <summary>Advances time by <paramref name="by"/>, then waits until every loop whose sleep ended has armed its next one.</summary>
    public async Task TickAsync(TimeSpan by)
    {
        int ending;
        int armed;
        lock (_gate)
        {
            DateTimeOffset then = Fake.GetUtcNow() + by;
            ending = _sleeping.Count(s => s.Length >= s_loopSleep && s.Due <= then);
            armed = _armed;
        }

        Fake.Advance(by);
        using var timeout = new CancellationTokenSource(s_wait);
        while (Armed - armed < ending)
        {
            await Task.Delay(1, timeout.Token).ConfigureAwait(false);
        }
    }

    /// <summary>The loops asleep now (timers of a second or more armed and not yet ended).</summary>
    public int LoopsAsleep
    {
        get
        {
            lock (_gate)
            {
                return _sleeping.Count(s => s.Length >= s_loopSleep);
            }
        }
    }

    /// <summary>How long until the first timer now armed for at most <paramref name="length"/> comes due, if any.</summary>
    public TimeSpan? NextDue(TimeSpan length)
    {
        lock (_gate)
        {
            DateTimeOffset? first = _sleeping.Where(s => s.Length <= length).Select(s => (DateTimeOffset?)s.Due).Min();
            return first - Fake.GetUtcNow();
        }
    }

    private int Armed
    {
        get
        {
            lock (_gate)
            {
                return _armed;
            }
        }
    }

    private sealed class Sleep(LoopClock clock) : ITimer
    {
        public ITimer Inner { get; set; } = null!;

        public DateTimeOffset Due { get; set; }

        /// <summary>How long it was armed for: a second or more is a loop's sleep, armed again once it ended.</summary>
        public TimeSpan Length { get; init; }

        public void End()
        {
            lock (clock._gate)
            {
                clock._sleeping.Remove(this);
            }
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            End();
            return Inner.Change(dueTime, period);
        }

        public void Dispose()
        {
            End();
            Inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            End();
            return Inner.DisposeAsync();
        }
    }
}
