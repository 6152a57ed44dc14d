using StreamingFeatures.Checkpoints;
using StreamingFeatures.Sources.BigQuery;

namespace StreamingFeatures.Jobs;

/// <summary>
/// What a migration's BigQuery read session costs before a row is read: its streams, and the service's estimates of
/// the rows and of the bytes it scans (the figure on-demand pricing bills; a row restriction does not lower it).
/// </summary>
public sealed record ReadSessionFigures(string Name, int Streams, long EstimatedRows, long EstimatedBytesScanned)
{
    public static ReadSessionFigures? Of(BigQueryReadSessionInfo? session) => session is null
        ? null
        : new ReadSessionFigures(session.Name, session.Streams.Count, session.EstimatedRowCount, session.EstimatedTotalBytesScanned);

    public static ReadSessionFigures? Of(ReadSessionCheckpoint? session) => session is null
        ? null
        : new ReadSessionFigures(session.Name, session.Streams.Count, session.EstimatedRowCount, session.EstimatedTotalBytesScanned);
}
