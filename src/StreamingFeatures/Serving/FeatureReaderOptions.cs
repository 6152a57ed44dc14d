using StreamingFeatures.Resilience;

namespace StreamingFeatures.Serving;

/// <summary>How a <see cref="FeatureReader"/> batches, bounds and retries its reads; copied and validated once, at construction.</summary>
public sealed record FeatureReaderOptions
{
    /// <summary>Most entity keys one read accepts (1 to 100,000); a larger batch is refused before any call. Default 1,000.</summary>
    public int MaxBatchKeys { get; init; } = FeatureReaderLimits.MaxBatchKeys.Default;

    /// <summary>Distinct row keys per ReadRows request (1 to 10,000). Default 100 (measured 2026-12-03, perf/README).</summary>
    public int SubBatchKeys { get; init; } = FeatureReaderLimits.SubBatchKeys.Default;

    /// <summary>ReadRows requests of one read in flight at once (1 to 256). Default 8 (measured 2026-12-03, perf/README).</summary>
    public int Concurrency { get; init; } = FeatureReaderLimits.Concurrency.Default;

    /// <summary>
    /// The deadline of one read, retries included (1 ms to 10 min); past it the read fails with a
    /// <see cref="TimeoutException"/>. Default 5 s.
    /// </summary>
    public TimeSpan Timeout { get; init; } = FeatureReaderLimits.Timeout.Default;

    /// <summary>
    /// Retries of one ReadRows on transient failures, resumed after the last row received. Default: 1 s per attempt,
    /// backoff from 10 ms to 500 ms, within <see cref="Timeout"/> (and the policy's own 10 s deadline).
    /// </summary>
    public CallRetryOptions Retry { get; init; } = DefaultRetry;

    /// <summary>The default of <see cref="Retry"/>: a serving read is worth a few quick retries, not minutes of them.</summary>
    public static CallRetryOptions DefaultRetry { get; } = new()
    {
        Deadline = TimeSpan.FromSeconds(10),
        AttemptTimeout = TimeSpan.FromSeconds(1),
        InitialBackoff = TimeSpan.FromMilliseconds(10),
        MaxBackoff = TimeSpan.FromMilliseconds(500),
    };

    /// <summary>Throws with every invalid setting named, its value and the allowed range.</summary>
    public void Validate()
    {
        var errors = new List<string>();
        OptionChecks.Range(errors, nameof(MaxBatchKeys), MaxBatchKeys, FeatureReaderLimits.MaxBatchKeys);
        OptionChecks.Range(errors, nameof(SubBatchKeys), SubBatchKeys, FeatureReaderLimits.SubBatchKeys);
        OptionChecks.Range(errors, nameof(Concurrency), Concurrency, FeatureReaderLimits.Concurrency);
        OptionChecks.Range(errors, nameof(Timeout), Timeout, FeatureReaderLimits.Timeout);
        if (Retry is null)
        {
            errors.Add("Retry is null; give retry options (default FeatureReaderOptions.DefaultRetry).");
        }
        else
        {
            Retry.Validate(errors, "Retry.");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid feature reader options: " + string.Join(" ", errors));
        }
    }
}
