namespace StreamingFeatures.Serving;

/// <summary>
/// The defaults and ranges of <see cref="FeatureReaderOptions"/>, in one place. SubBatchKeys and Concurrency were
/// measured 2026-12-03 (<c>perf serve-tuning</c>, perf/README "Feature serving"): against cbtemulator on the shared
/// 2-core machine no setting of 25/50/100/200 keys × 1/4/8/16 requests stood out of the noise, so the first guess
/// stays. Bigtable serves a RowSet's keys one after another, so Google advises smaller requests sent concurrently for
/// latency; the in-memory emulator cannot show that, so re-measure against a real instance before tuning for it.
/// </summary>
internal static class FeatureReaderLimits
{
    public static readonly Limit<int> MaxBatchKeys = new(1_000, 1, 100_000);

    public static readonly Limit<int> SubBatchKeys = new(100, 1, 10_000);

    public static readonly Limit<int> Concurrency = new(8, 1, 256);

    public static readonly Limit<TimeSpan> Timeout = new(TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(10));
}
