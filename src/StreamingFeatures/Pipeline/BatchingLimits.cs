namespace StreamingFeatures.Pipeline;

/// <summary>The defaults and ranges of <see cref="BatchingOptions"/>, in one place.</summary>
internal static class BatchingLimits
{
    /// <summary>Bigtable's limit on mutations in one MutateRows request.</summary>
    public const int BigtableMaxMutations = 100_000;

    public static readonly Limit<int> MaxRows = new(1_000, 1, BigtableMaxMutations);

    /// <summary>Bigtable refuses requests over 256 MiB.</summary>
    public static readonly Limit<int> MaxBytes = new(8 * 1024 * 1024, 64 * 1024, 200 * 1024 * 1024);

    public static readonly Limit<int> MaxMutations = new(BigtableMaxMutations, 1, BigtableMaxMutations);

    public static readonly Limit<TimeSpan> Linger = new(TimeSpan.FromMilliseconds(50), TimeSpan.Zero, TimeSpan.FromSeconds(10));
}
