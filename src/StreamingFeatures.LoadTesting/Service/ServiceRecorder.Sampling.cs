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
        long now = Time.GetTimestamp();
        lock (_lock)
        {
            ServiceSample last = _last ?? throw new InvalidOperationException("Start the recorder with a baseline scrape first.");
            double cpu = sample.CpuSeconds is { } to && last.CpuSeconds is { } from ? ServiceSample.Increase(from, to) : 0;
            int processors = sample.Processors is > 0 ? sample.Processors.Value : Environment.ProcessorCount;
            LoadInterval interval = _intervals.Close(now, new IntervalCounts(
                Offered: _intervalPublished,
                Achieved: ServiceSample.Increase(last.AckedMessages, sample.AckedMessages),
                DeadLetters: (long)ServiceSample.Increase(last.PoisonMessages, sample.PoisonMessages),
                Retries: (long)ServiceSample.Increase(last.RetriedEntries, sample.RetriedEntries),
                LatencyMs: Latency(sample.Freshness, last.Freshness),
                Queues: sample.Queues,
                CpuSeconds: cpu,
                Processors: processors,
                WorkingSetBytes: sample.WorkingSetBytes,
                ManagedHeapBytes: sample.ManagedHeapBytes));
            _intervalPublished = 0;
            _last = sample;
            // The measured window starts at the last scrape at or before the end of the warm-up.
            if (_intervals.ElapsedAt(now).TotalSeconds <= _intervals.Measure.Warmup.TotalSeconds)
            {
                _windowStart = sample;
            }

            return interval;
        }
    }

    /// <summary>Publish-to-ack latency in milliseconds over the measured window (after the warm-up, drain included).</summary>
    internal LatencyFigures TotalLatency()
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

        return window is null || window.Total <= 0
            ? []
            : LoadIntervals.Distribution(p => window.ValueAt(p) * 1000, window.ValueAt(100) * 1000);
    }

    private static LatencyFigures Latency(BucketHistogram? now, BucketHistogram? earlier) =>
        now is null ? new LatencyFigures(0, 0, 0, 0, 0, 0, 0) : now.Since(earlier).Figures(1000);
}
