namespace StreamingFeatures.Checkpoints;

/// <summary>
/// Where a job saves its progress, parsed once by the host: a file, a row of a Bigtable table in the job's instance
/// (for pods with no durable disk), or nowhere. The job builds the store from it.
/// </summary>
public abstract record CheckpointStoreSpec
{
    /// <summary>No checkpoint: a stopped job starts over.</summary>
    public static readonly CheckpointStoreSpec None = new NoStore();

    /// <summary>A JSON file, replaced atomically by each save.</summary>
    public sealed record File(string Path) : CheckpointStoreSpec;

    /// <summary>A row named by the job in <paramref name="TableId"/>, a table of the instance the job writes to.</summary>
    public sealed record Bigtable(string TableId) : CheckpointStoreSpec;

    /// <summary>A store the host built itself.</summary>
    public sealed record Custom(ICheckpointStore Store) : CheckpointStoreSpec;

    private sealed record NoStore : CheckpointStoreSpec;
}
