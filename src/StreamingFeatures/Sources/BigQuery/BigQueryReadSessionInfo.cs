namespace StreamingFeatures.Sources.BigQuery;

/// <summary>
/// The read session a source reads: what a checkpoint records so a resumed job reads the same snapshot
/// (stream <c>i</c> of <see cref="Streams"/> is partition <c>i</c>). <see cref="EstimatedTotalBytesScanned"/> is the
/// service's estimate of the bytes the session scans (what on-demand pricing bills), 0 when unknown.
/// </summary>
public sealed record BigQueryReadSessionInfo(string Name, DateTimeOffset? SnapshotTime, IReadOnlyList<string> Streams, DateTimeOffset? ExpireTime, long EstimatedRowCount = 0, long EstimatedTotalBytesScanned = 0);
