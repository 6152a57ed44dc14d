using System.Threading.Tasks.Dataflow;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.Columns;
using StreamingFeatures.Sources.Synthetic;

namespace StreamingFeatures.LoadTesting;

/// <summary>
/// The streaming target's side: rows published elsewhere (on the schedule) arrive through a source that numbers
/// them its own way (Pub/Sub: per stream, in arrival order). Each row's schedule index is read back from its event
/// time, which the generator sets to start + index milliseconds, and the chunk is admitted before it goes on.
/// </summary>
public sealed class ObservedSource(IRowSource inner, LoadRecorder recorder, SyntheticSource rows) : IRowSource
{
    private readonly int _entityColumn = inner.Schema.IndexOf(SyntheticSource.EntityColumn);
    private readonly int _timeColumn = inner.Schema.IndexOf(SyntheticSource.EventTimeColumn);

    public SourceSchema Schema => inner.Schema;

    public string Description => inner.Description;

    public long? ExpectedRows => recorder.Schedule.TotalRows;

    public long FirstOffset(int partition) => inner.FirstOffset(partition);

    public Task RunAsync(ITargetBlock<SourceChunk> target, CancellationToken cancellationToken) =>
        SourceRelay.RunAsync(
            inner,
            target,
            (chunk, _) =>
            {
                recorder.Admit(chunk, _entityColumn, 0, Indexes(chunk));
                return Task.CompletedTask;
            },
            cancellationToken);

    private long[] Indexes(SourceChunk chunk)
    {
        long start = rows.EventTimeMicros(0);
        var indexes = new long[chunk.RowCount];
        if (_timeColumn >= 0 && chunk.Columns[_timeColumn] is Int64Column times)
        {
            for (int r = 0; r < indexes.Length; r++)
            {
                indexes[r] = Math.Max(0, (times.Values[r] - start) / 1000);
            }
        }

        return indexes;
    }
}
