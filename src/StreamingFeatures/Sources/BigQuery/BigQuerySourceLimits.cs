using StreamingFeatures.Resilience;

namespace StreamingFeatures.Sources.BigQuery;

/// <summary>
/// The defaults and ranges of <see cref="BigQuerySourceOptions"/>, in one place; the retry defaults are those of
/// <see cref="CallRetryOptions.BigQueryRead"/>.
/// </summary>
internal static class BigQuerySourceLimits
{
    /// <summary>0 lets the service decide.</summary>
    public static readonly Limit<int> MaxStreamCount = new(0, 0, 10_000);

    public static readonly Limit<int> MaxConcurrentStreams = new(4, 1, 1_000);

    public static readonly Limit<int> MaxReadAttempts = new(CallRetryOptions.BigQueryRead.MaxAttempts ?? 100, 1, 1_000);

    public static readonly Limit<TimeSpan> RetryDeadline = new(CallRetryOptions.BigQueryRead.Deadline, CallRetryLimits.Deadline.Min, CallRetryLimits.Deadline.Max);

    /// <summary>0 is allowed here: the read pipeline waits its least, 1 ms.</summary>
    public static readonly Limit<TimeSpan> InitialBackoff = new(CallRetryOptions.BigQueryRead.InitialBackoff, TimeSpan.Zero, CallRetryLimits.InitialBackoff.Max);

    /// <summary>The minimum is <see cref="BigQuerySourceOptions.InitialBackoff"/>, checked in the options.</summary>
    public static readonly Limit<TimeSpan> MaxBackoff = new(CallRetryOptions.BigQueryRead.MaxBackoff, TimeSpan.Zero, CallRetryLimits.MaxBackoff.Max);
}
