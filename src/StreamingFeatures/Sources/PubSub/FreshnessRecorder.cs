using HdrHistogram;

namespace StreamingFeatures.Sources.PubSub;

/// <summary>
/// Publish → acked latencies since the last summary, in an HDR histogram (3 significant digits, 1 µs to 1 day), so
/// memory stays fixed whatever the rate. Recorded by the ack sender after each successful Acknowledge.
/// </summary>
internal sealed class FreshnessRecorder
{
    private static readonly long s_highestMicros = (long)TimeSpan.FromDays(1).TotalMicroseconds;

    private readonly Lock _lock = new();
    private readonly LongHistogram _histogram = new(s_highestMicros, 3);

    /// <summary>Records one latency; a negative one (publisher clock ahead) counts as zero, one past a day as a day.</summary>
    public void Record(TimeSpan latency)
    {
        long micros = Math.Clamp((long)latency.TotalMicroseconds, 0, s_highestMicros);
        lock (_lock)
        {
            _histogram.RecordValue(micros);
        }
    }

    /// <summary>p50, p90, p99 and max of what was recorded since the last call; then starts over.</summary>
    public LatencySummary Take()
    {
        lock (_lock)
        {
            long count = _histogram.TotalCount;
            LatencySummary summary = count == 0
                ? new LatencySummary(0, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero)
                : new LatencySummary(
                    count,
                    Micros(_histogram.GetValueAtPercentile(50)),
                    Micros(_histogram.GetValueAtPercentile(90)),
                    Micros(_histogram.GetValueAtPercentile(99)),
                    Micros(_histogram.GetMaxValue()));
            _histogram.Reset();
            return summary;
        }
    }

    private static TimeSpan Micros(long micros) => TimeSpan.FromMicroseconds(micros);
}
