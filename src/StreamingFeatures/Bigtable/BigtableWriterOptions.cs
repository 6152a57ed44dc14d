namespace StreamingFeatures.Bigtable;

/// <summary>Limits and retry policy of the Bigtable writer. Defaults follow Google's Bigtable clients.</summary>
public sealed record BigtableWriterOptions
{
    /// <summary>MutateRows requests in flight at once (1 to 256). Default 8.</summary>
    public int MaxRequestsInFlight { get; init; } = BigtableWriterLimits.MaxRequestsInFlight.Default;

    /// <summary>Bytes of requests in flight at once (1 MiB to 1 GiB). Default 64 MiB.</summary>
    public long MaxBytesInFlight { get; init; } = BigtableWriterLimits.MaxBytesInFlight.Default;

    /// <summary>One attempt's deadline (1 s to 10 min). Default 60 s.</summary>
    public TimeSpan AttemptTimeout { get; init; } = BigtableWriterLimits.AttemptTimeout.Default;

    /// <summary>All attempts of one request together (1 s to 1 h); past it the rows still failing are dead-lettered. Default 10 min.</summary>
    public TimeSpan RetryDeadline { get; init; } = BigtableWriterLimits.RetryDeadline.Default;

    /// <summary>First backoff (1 ms to 1 min); doubles per attempt, with jitter. Default 10 ms.</summary>
    public TimeSpan InitialBackoff { get; init; } = BigtableWriterLimits.InitialBackoff.Default;

    /// <summary>Longest backoff (1 ms to 10 min). Default 60 s.</summary>
    public TimeSpan MaxBackoff { get; init; } = BigtableWriterLimits.MaxBackoff.Default;

    /// <summary>Attempts per request including the first (1 to 1,000). Default 100; the deadline usually ends retries first.</summary>
    public int MaxAttempts { get; init; } = BigtableWriterLimits.MaxAttempts.Default;

    /// <summary>Lowest request rate RateLimitInfo may push the writer down to, in requests per second. Default 1.</summary>
    public double MinRequestsPerSecond { get; init; } = BigtableWriterLimits.MinRequestsPerSecond.Default;

    /// <summary>Throws with every invalid setting named, its value and the allowed range.</summary>
    public void Validate()
    {
        var errors = new List<string>();
        OptionChecks.Range(errors, nameof(MaxRequestsInFlight), MaxRequestsInFlight, BigtableWriterLimits.MaxRequestsInFlight);
        OptionChecks.Range(errors, nameof(MaxBytesInFlight), MaxBytesInFlight, BigtableWriterLimits.MaxBytesInFlight);
        OptionChecks.Range(errors, nameof(AttemptTimeout), AttemptTimeout, BigtableWriterLimits.AttemptTimeout);
        OptionChecks.Range(errors, nameof(RetryDeadline), RetryDeadline, BigtableWriterLimits.RetryDeadline);
        OptionChecks.Range(errors, nameof(InitialBackoff), InitialBackoff, BigtableWriterLimits.InitialBackoff);
        OptionChecks.Range(errors, nameof(MaxBackoff), MaxBackoff, BigtableWriterLimits.MaxBackoff);
        OptionChecks.Range(errors, nameof(MaxAttempts), MaxAttempts, BigtableWriterLimits.MaxAttempts);
        OptionChecks.Range(errors, nameof(MinRequestsPerSecond), MinRequestsPerSecond, BigtableWriterLimits.MinRequestsPerSecond);
        if (MaxBackoff < InitialBackoff)
        {
            errors.Add($"{nameof(MaxBackoff)} ({MaxBackoff}) is below {nameof(InitialBackoff)} ({InitialBackoff}).");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid Bigtable writer options: " + string.Join(" ", errors));
        }
    }
}
