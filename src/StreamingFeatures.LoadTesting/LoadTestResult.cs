using System.Text.Json;
using System.Text.Json.Serialization;

namespace StreamingFeatures.LoadTesting;

/// <summary>One load-test run as the JSON report holds it: the summary the regression gate compares, and every interval.</summary>
public sealed record LoadTestResult
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public required string Profile { get; init; }

    public string? Description { get; init; }

    public required LoadTarget Target { get; init; }

    public required LoadShapeKind Shape { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>Where it ran: processors, OS, runtime, and the emulator or instance.</summary>
    public required IReadOnlyDictionary<string, string> Environment { get; init; }

    public required LoadSummary Summary { get; init; }

    public required IReadOnlyList<LoadInterval> Intervals { get; init; }

    /// <summary>End-to-end latency at percentiles from 0 to 100 (the distribution chart), after the warm-up.</summary>
    public required IReadOnlyList<LatencyPoint> LatencyDistribution { get; init; }

    public required HotspotMap Hotspot { get; init; }

    /// <summary>The intervals the charts draw and the rates are taken from: every one not <see cref="LoadInterval.Partial"/>.</summary>
    public IReadOnlyList<LoadInterval> FullIntervals() => [.. Intervals.Where(i => !i.Partial)];

    /// <summary>Target <c>ingest</c>: what the running service's metrics said; null for runs in process.</summary>
    public ServiceRun? Service { get; init; }

    /// <summary>The read workload (target serve, or a mixed profile); null when the profile has no reads.</summary>
    public ReadRun? Reads { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <exception cref="JsonException">The text is not a load-test result.</exception>
    public static LoadTestResult FromJson(string json) =>
        JsonSerializer.Deserialize<LoadTestResult>(json, Json) ?? throw new JsonException("The JSON holds null, not a load-test result.");
}

/// <summary>
/// The run's figures; rates and latencies are over the measured window (after the warm-up, until the last row was
/// planned). Counts and the duration cover the whole run; rates, peaks, CPU, memory and skew only the intervals that
/// are not <see cref="LoadInterval.Partial"/>, as the charts do.
/// </summary>
public sealed record LoadSummary
{
    public required double DurationSeconds { get; init; }

    public required double WarmupSeconds { get; init; }

    public required long PlannedRows { get; init; }

    public required long OfferedRows { get; init; }

    public required long WrittenRows { get; init; }

    public required long DeadLetters { get; init; }

    public required long Retries { get; init; }

    /// <summary>Rows the schedule planned but the run never completed (the drain ran out, or the run was stopped).</summary>
    public required long UnfinishedRows { get; init; }

    public required double OfferedRowsPerSecond { get; init; }

    public required double AchievedRowsPerSecond { get; init; }

    /// <summary>The highest achieved rate of an interval after the warm-up (drain included).</summary>
    public required double PeakAchievedRowsPerSecond { get; init; }

    public required LatencyFigures LatencyMs { get; init; }

    public required double MeanCpuPercent { get; init; }

    /// <summary>The highest working set sampled at the end of a full interval.</summary>
    public required long PeakWorkingSetBytes { get; init; }

    /// <summary>The largest per-interval max/mean write load over key ranges.</summary>
    public required double MaxSkew { get; init; }

    /// <summary>The mean of the per-interval skews of intervals with writes.</summary>
    public required double MeanSkew { get; init; }
}

public sealed record LatencyFigures(long Count, double Mean, double P50, double P90, double P99, double P999, double Max);

public sealed record LatencyPoint(double Percentile, double Ms);

/// <summary>The key ranges of the heatmap: where they come from and each one's first key.</summary>
public sealed record HotspotMap(string Source, IReadOnlyList<string> StartKeys);

/// <summary>
/// A run against a running ingest service: where the events went, where the service was measured, and the increase
/// of its Pub/Sub counters over the run (from the baseline scrape at the start).
/// </summary>
public sealed record ServiceRun
{
    public required string Topic { get; init; }

    public required string MetricsUrl { get; init; }

    /// <summary>Events Pub/Sub accepted from the load test.</summary>
    public required long Published { get; init; }

    public required long Acked { get; init; }

    public required long Received { get; init; }

    public required long Nacked { get; init; }

    public required long Redelivered { get; init; }

    public required long Poison { get; init; }

    /// <summary>Every planned event was published and acked before the drain timeout.</summary>
    public required bool AllAcked { get; init; }

    /// <summary>How the latency figures were measured (bucket resolution).</summary>
    public required string Latency { get; init; }

    /// <summary>The finite upper bounds of the service's freshness histogram, in seconds.</summary>
    public required IReadOnlyList<double> FreshnessBucketsSeconds { get; init; }
}
