namespace StreamingFeatures.Telemetry;

/// <summary>
/// Explicit histogram bucket boundaries, given to each histogram as <c>InstrumentAdvice</c> so every exporter uses
/// them without a view. OpenTelemetry's defaults (0, 5, 10, 25, ..., 10000) fit none of our histograms: durations are
/// in seconds, batches reach megabytes.
/// </summary>
public static class MetricBuckets
{
    /// <summary>
    /// Seconds from 1 ms to 120 s, roughly log-spaced (1, 1.5, 2, 3, 5, 7 per decade): a percentile interpolated inside
    /// a bucket is off by at most half a step (about ±25 %). Publish-to-ack freshness, where p50/p99 are read.
    /// </summary>
    public static IReadOnlyList<double> Freshness { get; } =
    [
        0.001, 0.0015, 0.002, 0.003, 0.005, 0.007,
        0.01, 0.015, 0.02, 0.03, 0.05, 0.07,
        0.1, 0.15, 0.2, 0.3, 0.5, 0.7,
        1, 1.5, 2, 3, 5, 7,
        10, 15, 20, 30, 50, 70,
        100, 120,
    ];

    /// <summary>
    /// Seconds from 100 µs (an emulator answering on loopback) to 10 min (the default retry deadline), 1-2-5 per decade.
    /// </summary>
    public static IReadOnlyList<double> Duration { get; } =
    [
        0.0001, 0.0002, 0.0005,
        0.001, 0.002, 0.005,
        0.01, 0.02, 0.05,
        0.1, 0.2, 0.5,
        1, 2, 5,
        10, 20, 50,
        100, 200, 600,
    ];

    /// <summary>Bytes from 1 KiB to 256 MiB in powers of two: batches are up to 8 MiB by default and 200 MiB at most.</summary>
    public static IReadOnlyList<int> Size { get; } = [.. Enumerable.Range(10, 19).Select(exponent => 1 << exponent)];

    /// <summary>Rows from 1 to 100,000 (Bigtable's mutations per request), 1-2-5 per decade.</summary>
    public static IReadOnlyList<int> Rows { get; } =
    [
        1, 2, 5,
        10, 20, 50,
        100, 200, 500,
        1_000, 2_000, 5_000,
        10_000, 20_000, 50_000,
        100_000,
    ];
}
