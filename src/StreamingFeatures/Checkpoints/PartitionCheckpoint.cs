namespace StreamingFeatures.Checkpoints;

/// <summary>A partition's committed offset (every row before it is done) and what became of those rows.</summary>
public readonly record struct PartitionCheckpoint(long Offset, RowStats Stats);
