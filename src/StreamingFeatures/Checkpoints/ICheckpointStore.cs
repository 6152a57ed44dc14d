namespace StreamingFeatures.Checkpoints;

/// <summary>Where a migration's checkpoint lives. A save replaces the previous one atomically.</summary>
public interface ICheckpointStore
{
    /// <summary>For messages: the file path or the Bigtable table and row.</summary>
    string Description { get; }

    /// <returns>The last checkpoint saved, or null when there is none.</returns>
    /// <exception cref="CheckpointException">It exists but cannot be read.</exception>
    Task<MigrationCheckpoint?> LoadAsync(CancellationToken cancellationToken);

    Task SaveAsync(MigrationCheckpoint checkpoint, CancellationToken cancellationToken);
}
