namespace StreamingFeatures.Serving;

/// <summary>
/// The defaults and ranges of <see cref="FeatureReaderOptions"/>, in one place. The defaults are a first guess, to
/// be replaced by measured ones (issue 16, <c>perf serve</c>): Bigtable serves a RowSet's keys one after another, so
/// Google advises smaller requests sent concurrently for latency.
/// </summary>
internal static class FeatureReaderLimits
{
    public static readonly Limit<int> MaxBatchKeys = new(1_000, 1, 100_000);

    public static readonly Limit<int> SubBatchKeys = new(100, 1, 10_000);

    public static readonly Limit<int> Concurrency = new(8, 1, 256);

    public static readonly Limit<TimeSpan> Timeout = new(TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(10));
}
