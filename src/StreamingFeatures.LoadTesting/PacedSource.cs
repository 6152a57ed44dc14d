using System.Threading.Tasks.Dataflow;
using StreamingFeatures.Sources;

namespace StreamingFeatures.LoadTesting;

/// <summary>
/// Paces a source that reads as fast as it can (the BigQuery Storage emulator): each chunk, from any partition, is
/// admitted once its last row is due on the schedule, and its rows take the schedule's next indexes. Chunks are the
/// pacing grain, so keep them small against the rate.
/// </summary>
public sealed class PacedSource(IRowSource inner, LoadRecorder recorder, int entityColumn) : IRowSource
{
    private long _admitted;

    public SourceSchema Schema => inner.Schema;

    public string Description => $"{inner.Description}, paced";

    public long? ExpectedRows => recorder.Schedule.TotalRows;

    public long FirstOffset(int partition) => inner.FirstOffset(partition);

    public Task RunAsync(ITargetBlock<SourceChunk> target, CancellationToken cancellationToken) =>
        SourceRelay.RunAsync(inner, target, AdmitAsync, cancellationToken);

    private async Task AdmitAsync(SourceChunk chunk, CancellationToken cancellationToken)
    {
        long first = _admitted;
        long last = first + chunk.RowCount - 1;
        TimeSpan wait = recorder.Schedule.DueAt(last) - recorder.Elapsed;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, recorder.Time, cancellationToken).ConfigureAwait(false);
        }

        recorder.Admit(chunk, entityColumn, first);
        _admitted = last + 1;
    }
}
