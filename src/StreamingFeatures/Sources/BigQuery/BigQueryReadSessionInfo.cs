namespace StreamingFeatures.Sources.BigQuery;

/// <summary>
/// The read session a source reads: what a checkpoint records so a resumed job reads the same snapshot
/// (stream <c>i</c> of <see cref="Streams"/> is partition <c>i</c>).
/// </summary>
public sealed record BigQueryReadSessionInfo(string Name, DateTimeOffset? SnapshotTime, IReadOnlyList<string> Streams, DateTimeOffset? ExpireTime, long EstimatedRowCount = 0);
