namespace StreamingFeatures.Bigtable;

/// <summary>The defaults and ranges of <see cref="BigtableWriterOptions"/>, in one place; defaults follow Google's Bigtable clients.</summary>
internal static class BigtableWriterLimits
{
    public static readonly Limit<int> MaxRequestsInFlight = new(8, 1, 256);

    public static readonly Limit<long> MaxBytesInFlight = new(64L * 1024 * 1024, 1L << 20, 1L << 30);

    public static readonly Limit<TimeSpan> AttemptTimeout = new(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));

    public static readonly Limit<TimeSpan> RetryDeadline = new(TimeSpan.FromMinutes(10), Resilience.CallRetryLimits.Deadline.Min, Resilience.CallRetryLimits.Deadline.Max);

    public static readonly Limit<TimeSpan> InitialBackoff = new(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(1));

    public static readonly Limit<TimeSpan> MaxBackoff = new(TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(10));

    public static readonly Limit<int> MaxAttempts = new(100, 1, 1000);

    public static readonly Limit<double> MinRequestsPerSecond = new(1, 0.01, 1_000_000);
}
