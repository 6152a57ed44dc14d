namespace StreamingFeatures.Pipeline;

/// <summary>When the mini-batcher flushes a MutateRows request: whichever limit is reached first.</summary>
public sealed record BatchingOptions
{
    /// <summary>Bigtable's limit on mutations in one MutateRows request.</summary>
    public const int BigtableMaxMutations = BatchingLimits.BigtableMaxMutations;

    /// <summary>Rows per request (1 to 100,000). Default 1,000.</summary>
    public int MaxRows { get; init; } = BatchingLimits.MaxRows.Default;

    /// <summary>Encoded bytes per request (64 KiB to 200 MiB; Bigtable refuses requests over 256 MiB). Default 8 MiB.</summary>
    public int MaxBytes { get; init; } = BatchingLimits.MaxBytes.Default;

    /// <summary>Mutations (cells) per request (1 to 100,000, Bigtable's limit). Default 100,000.</summary>
    public int MaxMutations { get; init; } = BatchingLimits.MaxMutations.Default;

    /// <summary>How long a partial batch may wait for more rows (0 to 10 s). Default 50 ms.</summary>
    public TimeSpan Linger { get; init; } = BatchingLimits.Linger.Default;

    internal void Validate(List<string> errors)
    {
        OptionChecks.Range(errors, "Batching." + nameof(MaxRows), MaxRows, BatchingLimits.MaxRows);
        OptionChecks.Range(errors, "Batching." + nameof(MaxBytes), MaxBytes, BatchingLimits.MaxBytes);
        OptionChecks.Range(errors, "Batching." + nameof(MaxMutations), MaxMutations, BatchingLimits.MaxMutations);
        OptionChecks.Range(errors, "Batching." + nameof(Linger), Linger, BatchingLimits.Linger);
    }
}
