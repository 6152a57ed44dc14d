namespace StreamingFeatures.Bigtable;

/// <summary>
/// The write rate Bigtable asks for through <c>RateLimitInfo</c> (MutateRowsResponse): unlimited until the server
/// first answers with a factor, then the observed request rate times that factor, changed at most once per period
/// the server gives, never below a floor. Requests then pass at that rate (a token bucket on the TimeProvider).
/// </summary>
internal sealed class AdaptiveRateLimiter(TimeProvider time, double minRequestsPerSecond)
{
    private static readonly TimeSpan ObservationWindow = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private double? _rate;
    private DateTimeOffset _nextChange = DateTimeOffset.MinValue;
    private DateTimeOffset _nextSlot = DateTimeOffset.MinValue;
    private DateTimeOffset _windowStart = time.GetUtcNow();
    private int _windowRequests;
    private double _observedRate;

    /// <summary>Requests per second allowed now; null while unlimited.</summary>
    public double? RequestsPerSecond
    {
        get
        {
            lock (_gate)
            {
                return _rate;
            }
        }
    }

    /// <summary>Waits for this request's slot.</summary>
    public async ValueTask AcquireAsync(CancellationToken cancellationToken)
    {
        TimeSpan wait;
        lock (_gate)
        {
            DateTimeOffset now = time.GetUtcNow();
            Observe(now);
            if (_rate is not { } rate)
            {
                return;
            }

            DateTimeOffset slot = _nextSlot > now ? _nextSlot : now;
            _nextSlot = slot + TimeSpan.FromSeconds(1 / rate);
            wait = slot - now;
        }

        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Applies a RateLimitInfo: <paramref name="factor"/> scales the rate; the change holds for <paramref name="period"/>.</summary>
    public void Apply(double factor, TimeSpan period)
    {
        if (factor <= 0 || double.IsNaN(factor))
        {
            return;
        }

        lock (_gate)
        {
            DateTimeOffset now = time.GetUtcNow();
            if (now < _nextChange)
            {
                return;
            }

            double current = _rate ?? Math.Max(ObservedRate(now), minRequestsPerSecond);
            double next = Math.Max(minRequestsPerSecond, current * factor);

            // A factor at or above 1 with nothing limited yet leaves the writer unlimited.
            _rate = _rate is null && factor >= 1 ? null : next;
            _nextChange = now + (period > TimeSpan.Zero ? period : TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>The last full window's rate; before one has closed, the rate so far.</summary>
    private double ObservedRate(DateTimeOffset now)
    {
        if (_observedRate > 0)
        {
            return _observedRate;
        }

        double elapsed = (now - _windowStart).TotalSeconds;
        return elapsed > 0 ? _windowRequests / elapsed : 0;
    }

    private void Observe(DateTimeOffset now)
    {
        _windowRequests++;
        TimeSpan elapsed = now - _windowStart;
        if (elapsed >= ObservationWindow)
        {
            _observedRate = _windowRequests / elapsed.TotalSeconds;
            _windowRequests = 0;
            _windowStart = now;
        }
    }
}
