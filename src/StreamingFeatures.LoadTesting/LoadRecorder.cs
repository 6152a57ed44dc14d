using HdrHistogram;
using StreamingFeatures.Checkpoints;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.Columns;

namespace StreamingFeatures.LoadTesting;

/// <summary>
/// Measures a load test. Sources tell it which rows they admitted (<see cref="Admit"/>); the pipeline tells it which
/// are done (<see cref="Complete"/>), and each done row's latency is taken from its planned offer time. Every
/// interval (<see cref="CloseInterval"/>) it closes the interval's counts, latency percentiles, key-range writes,
/// queue depths and process CPU and memory.
/// </summary>
public sealed partial class LoadRecorder : IRowCompletion, IDisposable
{
    // Latencies are recorded in microseconds, up to an hour with three significant digits.
    private const long MaxLatencyMicros = 3_600_000_000;

    private readonly LoadIntervals _intervals;
    private readonly RowLedger _ledger = new();
    private readonly Lock _lock = new();
    private readonly LongHistogram _total = new(MaxLatencyMicros, 3);
    private readonly LongHistogram _interval = new(MaxLatencyMicros, 3);
    private long _offered;
    private long _intervalOffered;
    private long _intervalWritten;
    private long _intervalDeadLetters;
    private long _intervalRetries;
    private long _written;
    private long _deadLetters;
    private long _retries;
    private long _unknown;

    public LoadRecorder(RateSchedule schedule, KeyRanges ranges, LoadMeasure measure, TimeProvider? time = null)
    {
        _intervals = new LoadIntervals(schedule, ranges, measure, time);
        _processProbe = ReadProcess;
    }

    public RateSchedule Schedule => _intervals.Schedule;

    internal KeyRanges Ranges => _intervals.Ranges;

    public TimeProvider Time => _intervals.Time;

    internal bool Started => _intervals.Started;

    /// <summary>Time since <see cref="Start"/>: the schedule's clock.</summary>
    public TimeSpan Elapsed => _intervals.Elapsed;

    public long Offered => Interlocked.Read(ref _offered);

    public long Written => Interlocked.Read(ref _written);

    public long DeadLetters => Interlocked.Read(ref _deadLetters);

    /// <summary>Rows done that no source admitted (should stay 0).</summary>
    internal long Unknown => Interlocked.Read(ref _unknown);

    public IReadOnlyList<LoadInterval> Intervals
    {
        get
        {
            lock (_lock)
            {
                return _intervals.Closed;
            }
        }
    }

    /// <summary>Starts the schedule's clock; call once, just before the sources run.</summary>
    public void Start()
    {
        _intervals.Start("load recorder");
        (_lastCpu, _) = _processProbe();
    }

    /// <summary>
    /// Records a chunk about to enter the pipeline: row r has schedule index <paramref name="firstIndex"/> + r (or
    /// <paramref name="indexes"/>[r]), and its entity id in column <paramref name="entityColumn"/> gives its key range.
    /// Call before sending the chunk, so its completion always finds it.
    /// </summary>
    internal void Admit(SourceChunk chunk, int entityColumn, long firstIndex, long[]? indexes = null)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        var ranges = new ushort[chunk.RowCount];
        if (chunk.Columns[entityColumn] is BinaryColumn entities)
        {
            for (int r = 0; r < ranges.Length; r++)
            {
                ranges[r] = (ushort)Ranges.RangeOfEntity(entities.Get(r));
            }
        }

        _ledger.Add(chunk.Partition, chunk.FirstOffset, firstIndex, indexes, ranges);
        Interlocked.Add(ref _offered, chunk.RowCount);
        Interlocked.Add(ref _intervalOffered, chunk.RowCount);
    }

    public void Complete(IReadOnlyList<SourceRange> ranges)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        long now = Time.GetTimestamp();
        bool measured = _intervals.ElapsedAt(now) >= _intervals.Measure.Warmup;
        lock (_lock)
        {
            var state = new RowState(this, now, measured);
            foreach (SourceRange range in ranges)
            {
                _unknown += _ledger.Resolve(range.Partition, range.Start, range.End, ref state, RecordRow);
                _written += range.Stats.Written;
                _deadLetters += range.Stats.DeadLettered;
                _retries += range.Stats.Retries;
                _intervalWritten += range.Stats.Written;
                _intervalDeadLetters += range.Stats.DeadLettered;
                _intervalRetries += range.Stats.Retries;
            }
        }
    }

    public void Dispose() => _listener?.Dispose();

    private static void RecordRow(ref RowState state, long index, int range)
    {
        LoadRecorder recorder = state.Recorder;
        TimeSpan planned = recorder.Schedule.DueAt(index);
        long micros = (long)(recorder._intervals.ElapsedAt(state.Now) - planned).TotalMicroseconds;
        micros = Math.Clamp(micros, 0, MaxLatencyMicros);
        recorder._interval.RecordValue(micros);
        if (state.Measured)
        {
            recorder._total.RecordValue(micros);
        }

        recorder._intervals.Wrote(range);
    }

    private readonly record struct RowState(LoadRecorder Recorder, long Now, bool Measured);
}
