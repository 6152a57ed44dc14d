using OpenTelemetry.Metrics;

namespace StreamingFeatures.Cli.Ingest;

/// <summary>
/// Histogram buckets the service sets explicitly. OpenTelemetry's default buckets (0, 5, 10, 25, ..., 10000) suit
/// milliseconds; the freshness histogram is in seconds, where they would put every ack under 5 s in one bucket.
/// </summary>
internal static class IngestMetricViews
{
    public const string Freshness = "streamingfeatures.pubsub.freshness";

    /// <summary>
    /// Publish-to-ack seconds, 1 ms to 120 s, roughly log-spaced (1, 1.5, 2, 3, 5, 7 per decade): a percentile
    /// interpolated inside a bucket is off by at most half a step (about ±25 %), with 33 series per subscription.
    /// </summary>
    public static readonly double[] FreshnessBoundaries =
    [
        0.001, 0.0015, 0.002, 0.003, 0.005, 0.007,
        0.01, 0.015, 0.02, 0.03, 0.05, 0.07,
        0.1, 0.15, 0.2, 0.3, 0.5, 0.7,
        1, 1.5, 2, 3, 5, 7,
        10, 15, 20, 30, 50, 70,
        100, 120,
    ];

    public static MeterProviderBuilder AddIngestViews(this MeterProviderBuilder metrics) =>
        metrics.AddView(Freshness, new ExplicitBucketHistogramConfiguration { Boundaries = FreshnessBoundaries });
}
