using StreamingFeatures.Resilience;

namespace StreamingFeatures.Verification;

public sealed record VerificationOptions
{
    public VerificationMode Mode { get; init; } = VerificationMode.Full;

    /// <summary>Share of rows read back in <see cref="VerificationMode.Sampled"/> mode (0 to 1). Default 0.01.</summary>
    public double SampleRate { get; init; } = 0.01;

    /// <summary>Rows per read-back ReadRows request (1 to 10,000). Default 1,000.</summary>
    public int ReadBatchRows { get; init; } = 1_000;

    /// <summary>Read-back requests in flight at once (1 to 64). Default 4.</summary>
    public int ReadParallelism { get; init; } = 4;

    /// <summary>Keys listed per category (missing, changed) in the report (0 to 100,000). Default 100.</summary>
    public int MaxReportedKeys { get; init; } = 100;

    /// <summary>
    /// Retries of one read-back ReadRows on transient failures (a refused or reset connection, a stall). Default
    /// <see cref="CallRetryOptions.BigtableRead"/>: 5 min deadline, 60 s per attempt.
    /// </summary>
    public CallRetryOptions ReadRetry { get; init; } = CallRetryOptions.BigtableRead;

    internal void Validate(List<string> errors)
    {
        ReadRetry.Validate(errors, "Verification.ReadRetry.");
        if (!Enum.IsDefined(Mode))
        {
            errors.Add($"Verification.Mode is {Mode}; allowed None, Sampled, Full.");
        }

        if (SampleRate is < 0 or > 1 || double.IsNaN(SampleRate))
        {
            errors.Add($"Verification.SampleRate is {SampleRate}; allowed 0 to 1.");
        }

        if (ReadBatchRows is < 1 or > 10_000)
        {
            errors.Add($"Verification.ReadBatchRows is {ReadBatchRows}; allowed 1 to 10000.");
        }

        if (ReadParallelism is < 1 or > 64)
        {
            errors.Add($"Verification.ReadParallelism is {ReadParallelism}; allowed 1 to 64.");
        }

        if (MaxReportedKeys is < 0 or > 100_000)
        {
            errors.Add($"Verification.MaxReportedKeys is {MaxReportedKeys}; allowed 0 to 100000.");
        }
    }
}
