using StreamingFeatures.Resilience;

namespace StreamingFeatures.Verification;

public sealed record VerificationOptions
{
    public VerificationMode Mode { get; init; } = VerificationMode.Full;

    /// <summary>Share of rows read back in <see cref="VerificationMode.Sampled"/> mode (0 to 1). Default 0.01.</summary>
    public double SampleRate { get; init; } = VerificationLimits.SampleRate.Default;

    /// <summary>Rows per read-back ReadRows request (1 to 10,000). Default 1,000.</summary>
    public int ReadBatchRows { get; init; } = VerificationLimits.ReadBatchRows.Default;

    /// <summary>Read-back requests in flight at once (1 to 64). Default 4.</summary>
    public int ReadParallelism { get; init; } = VerificationLimits.ReadParallelism.Default;

    /// <summary>Keys listed per category (missing, changed) in the report (0 to 100,000). Default 100.</summary>
    public int MaxReportedKeys { get; init; } = VerificationLimits.MaxReportedKeys.Default;

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

        // NaN compares below every number, so the range refuses it.
        OptionChecks.Range(errors, "Verification." + nameof(SampleRate), SampleRate, VerificationLimits.SampleRate);
        OptionChecks.Range(errors, "Verification." + nameof(ReadBatchRows), ReadBatchRows, VerificationLimits.ReadBatchRows);
        OptionChecks.Range(errors, "Verification." + nameof(ReadParallelism), ReadParallelism, VerificationLimits.ReadParallelism);
        OptionChecks.Range(errors, "Verification." + nameof(MaxReportedKeys), MaxReportedKeys, VerificationLimits.MaxReportedKeys);
    }
}
