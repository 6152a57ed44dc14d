namespace StreamingFeatures.LoadTesting.Service;

/// <summary>Closing intervals from scrapes: rates from counter increases, latency from the freshness buckets' increase.</summary>
public sealed partial class ServiceRecorder
{
    /// <summary>
    /// Closes the interval from the last close until now with <paramref name="sample"/>, scraped just now. A scrape
    /// that failed is simply not closed with: the next interval then spans both.
    /// </summary>
    public LoadInterval CloseInterval(ServiceSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        long now = _time.GetTimestamp();
        lock (_lock)
        {
            ServiceSample last = _last ?? throw new InvalidOperationException("Start the recorder with a baseline scrape first.");
            double start = _time.GetElapsedTime(_start, _lastClose).TotalSeconds;
            double end = _time.GetElapsedTime(_start, now).TotalSeconds;
            double seconds = Math.Max(end - start, 1e-9);
            double skew = _ranges.Skew(_rangeWrites);

            double cpu = sample.CpuSeconds is { } to && last.CpuSeconds is { } from ? ServiceSample.Increase(from, to) : 0;
            int processors = sample.Processors is > 0 ? sample.Processors.Value : Environment.ProcessorCount;
            var interval = new LoadInterval
            {
                StartSeconds = start,
                Seconds = seconds,
                PlannedRate = (_schedule.PlannedCount(TimeSpan.FromSeconds(end)) - _schedule.PlannedCount(TimeSpan.FromSeconds(start))) / seconds,
                OfferedRate = _intervalPublished / seconds,
                AchievedRate = ServiceSample.Increase(last.AckedMessages, sample.AckedMessages) / seconds,
                DeadLetters = (long)ServiceSample.Increase(last.PoisonMessages, sample.PoisonMessages),
                Retries = (long)ServiceSample.Increase(last.RetriedEntries, sample.RetriedEntries),
                LatencyMs = Latency(sample.Freshness, last.Freshness),
                Queues = sample.Queues,
                CpuPercent = cpu / seconds / processors * 100,
                WorkingSetBytes = sample.WorkingSetBytes,
                ManagedHeapBytes = sample.ManagedHeapBytes,
                KeyRangeWrites = [.. _rangeWrites],
                Skew = skew,
            };
            _intervals.Add(interval);
            Array.Clear(_rangeWrites);
            _intervalPublished = 0;
            _lastClose = now;
            _last = sample;
            // The measured window starts at the last scrape at or before the end of the warm-up.
            if (end <= _measure.Warmup.TotalSeconds)
            {
                _windowStart = sample;
            }

            return interval;
        }
    }

    /// <summary>Publish-to-ack latency in milliseconds over the measured window (after the warm-up, drain included).</summary>
    public LatencyFigures TotalLatency()
    {
        lock (_lock)
        {
            return Latency(_last?.Freshness, _windowStart?.Freshness);
        }
    }

    /// <summary>Latency at percentiles 0 to 100 over the measured window, for the distribution chart.</summary>
    public IReadOnlyList<LatencyPoint> LatencyDistribution()
    {
        BucketHistogram? window;
        lock (_lock)
        {
            window = _last?.Freshness?.Since(_windowStart?.Freshness);
        }

        var points = new List<LatencyPoint>();
        if (window is null || window.Total <= 0)
        {
            return points;
        }

        foreach (double p in LoadRecorder.DistributionPercentiles)
        {
            points.Add(new LatencyPoint(p, window.ValueAt(p) * 1000));
        }

        points.Add(new LatencyPoint(100, window.ValueAt(100) * 1000));
        return points;
    }

    private static LatencyFigures Latency(BucketHistogram? now, BucketHistogram? earlier) =>
        now is null ? new LatencyFigures(0, 0, 0, 0, 0, 0, 0) : now.Since(earlier).Figures(1000);
}
