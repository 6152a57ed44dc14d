using System.Globalization;
using System.Threading.Tasks.Dataflow;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.Synthetic;

namespace StreamingFeatures.LoadTesting;

/// <summary>
/// The synthetic target: generates the profile's rows on its schedule, each chunk holding the rows due since the
/// last one. One partition whose offsets are row numbers, so row n is the schedule's row n. When the pipeline pushes
/// back the rows wait, still due at their planned time, and go in as soon as it takes them.
/// </summary>
public sealed class ScheduledSource : IRowSource
{
    private readonly SyntheticSource _rows;
    private readonly LoadRecorder _recorder;
    private readonly int _maxChunkRows;
    private readonly TimeSpan _maxWait;
    private readonly int _entityColumn;

    /// <param name="rows">The generator; needs at least the schedule's rows.</param>
    /// <param name="recorder">The run's recorder: its clock paces the rows and it is told of every chunk.</param>
    /// <param name="maxChunkRows">Most rows per chunk (1 to 65,536).</param>
    /// <param name="maxWait">Longest sleep between checks for due rows (1 ms to 1 s); a schedule change is seen within it.</param>
    public ScheduledSource(SyntheticSource rows, LoadRecorder recorder, int maxChunkRows = 1_024, TimeSpan? maxWait = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(recorder);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxChunkRows, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxChunkRows, 65_536);
        if (rows.RowCount < recorder.Schedule.TotalRows)
        {
            throw new ArgumentException($"The generator has {rows.RowCount} rows; the schedule plans {recorder.Schedule.TotalRows}.", nameof(rows));
        }

        _rows = rows;
        _recorder = recorder;
        _maxChunkRows = maxChunkRows;
        _maxWait = maxWait ?? TimeSpan.FromMilliseconds(20);
        _entityColumn = rows.Schema.IndexOf(SyntheticSource.EntityColumn);
    }

    public SourceSchema Schema => _rows.Schema;

    public string Description => string.Create(CultureInfo.InvariantCulture, $"{_rows.Description}, {_recorder.Schedule.TotalRows} rows over {_recorder.Schedule.Duration}");

    public long? ExpectedRows => _recorder.Schedule.TotalRows;

    public async Task RunAsync(ITargetBlock<SourceChunk> target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        RateSchedule schedule = _recorder.Schedule;
        long total = schedule.TotalRows;
        long sent = 0;
        while (sent < total)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long due = schedule.Due(_recorder.Elapsed);
            while (sent < due)
            {
                int count = (int)Math.Min(_maxChunkRows, due - sent);
                SourceChunk chunk = _rows.Read(sent, count);
                _recorder.Admit(chunk, _entityColumn, sent);
                if (!await target.SendAsync(chunk, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }

                sent += count;
            }

            if (sent >= total)
            {
                return;
            }

            // Sleep until the next row is due, but wake at least every maxWait; a timer fires no sooner than 1 ms.
            TimeSpan wait = schedule.DueAt(sent) - _recorder.Elapsed;
            wait = wait < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : wait > _maxWait ? _maxWait : wait;
            await Task.Delay(wait, _recorder.Time, cancellationToken).ConfigureAwait(false);
        }
    }
}
