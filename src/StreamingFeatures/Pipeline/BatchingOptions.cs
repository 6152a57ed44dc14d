namespace StreamingFeatures.Pipeline;

/// <summary>When the mini-batcher flushes a MutateRows request: whichever limit is reached first.</summary>
public sealed record BatchingOptions
{
    /// <summary>Bigtable's limit on mutations in one MutateRows request.</summary>
    public const int BigtableMaxMutations = 100_000;

    /// <summary>Rows per request (1 to 100,000). Default 1,000.</summary>
    public int MaxRows { get; init; } = 1_000;

    /// <summary>Encoded bytes per request (64 KiB to 200 MiB; Bigtable refuses requests over 256 MiB). Default 8 MiB.</summary>
    public int MaxBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>Mutations (cells) per request (1 to 100,000, Bigtable's limit). Default 100,000.</summary>
    public int MaxMutations { get; init; } = BigtableMaxMutations;

    /// <summary>How long a partial batch may wait for more rows (0 to 10 s). Default 50 ms.</summary>
    public TimeSpan Linger { get; init; } = TimeSpan.FromMilliseconds(50);

    internal void Validate(List<string> errors)
    {
        OptionChecks.Range(errors, "Batching." + nameof(MaxRows), MaxRows, 1, BigtableMaxMutations);
        OptionChecks.Range(errors, "Batching." + nameof(MaxBytes), MaxBytes, 64 * 1024, 200 * 1024 * 1024);
        OptionChecks.Range(errors, "Batching." + nameof(MaxMutations), MaxMutations, 1, BigtableMaxMutations);
        OptionChecks.Range(errors, "Batching." + nameof(Linger), Linger, TimeSpan.Zero, TimeSpan.FromSeconds(10));
    }
}
