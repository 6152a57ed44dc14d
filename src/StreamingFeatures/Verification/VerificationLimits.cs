namespace StreamingFeatures.Verification;

/// <summary>The defaults and ranges of <see cref="VerificationOptions"/>, in one place.</summary>
internal static class VerificationLimits
{
    public static readonly Limit<double> SampleRate = new(0.01, 0, 1);

    public static readonly Limit<int> ReadBatchRows = new(1_000, 1, 10_000);

    public static readonly Limit<int> ReadParallelism = new(4, 1, 64);

    public static readonly Limit<int> MaxReportedKeys = new(100, 0, 100_000);

    /// <summary>Source keys a verify's exact search holds at once (about 40 bytes each: 2M ≈ 80 MB).</summary>
    public static readonly Limit<long> ExactPassKeys = new(2_000_000, 1_000, 100_000_000);
}
