using System.Text.Json.Serialization;

namespace StreamingFeatures.LoadTesting;

/// <summary>One measured interval; rates in rows per second, latencies in milliseconds, CPU in percent of all processors.</summary>
public sealed record LoadInterval
{
    public required double StartSeconds { get; init; }

    public required double Seconds { get; init; }

    public required double PlannedRate { get; init; }

    public required double OfferedRate { get; init; }

    public required double AchievedRate { get; init; }

    public required long DeadLetters { get; init; }

    public required long Retries { get; init; }

    public required LatencyFigures LatencyMs { get; init; }

    /// <summary>Items waiting in each pipeline block at the end of the interval.</summary>
    public required IReadOnlyDictionary<string, long> Queues { get; init; }

    public required double CpuPercent { get; init; }

    public required long WorkingSetBytes { get; init; }

    public required long ManagedHeapBytes { get; init; }

    /// <summary>Rows written per key range.</summary>
    public required IReadOnlyList<long> KeyRangeWrites { get; init; }

    /// <summary>
    /// Max/mean of <see cref="KeyRangeWrites"/>, each range weighted by its share of the key space (0 without
    /// writes): 1 is perfectly even, N ranges with all writes in one give N.
    /// </summary>
    public required double Skew { get; init; }

    /// <summary>
    /// Shorter than the measure interval (the run's last moments, or a close that came late and left the next one
    /// short): its counts stay in the run's totals, but it is not charted nor used for rates and peaks, where a
    /// handful of rows over a few milliseconds would read as a cliff or a spike. Written to JSON only when true.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Partial { get; init; }

    /// <summary>Most of the interval lies after a warm-up of <paramref name="warmupSeconds"/>: a measured sample.</summary>
    public bool AfterWarmup(double warmupSeconds) => StartSeconds + (Seconds / 2) >= warmupSeconds;
}
