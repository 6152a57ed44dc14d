using StreamingFeatures.Sources;
using StreamingFeatures.Sources.Columns;

namespace StreamingFeatures.LoadTesting.Service;

/// <summary>
/// Measures a service the load test does not run: the publisher tells it what it published and when
/// (<see cref="Published"/>), and every interval a scrape of the service's metrics closes the interval
/// (<see cref="CloseInterval"/>). Everything is counted from the baseline scrape taken at <see cref="Start"/>, so what
/// the service did before the run (or for other publishers' messages on its subscription) is not this run's.
/// </summary>
public sealed partial class ServiceRecorder
{
    private readonly RateSchedule _schedule;
    private readonly KeyRanges _ranges;
    private readonly LoadMeasure _measure;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly long[] _rangeWrites;
    private readonly List<LoadInterval> _intervals = [];
    private long _start;
    private long _lastClose;
    private long _published;
    private long _intervalPublished;
    private ServiceSample? _baseline;
    private ServiceSample? _last;
    private ServiceSample? _windowStart;

    public ServiceRecorder(RateSchedule schedule, KeyRanges ranges, LoadMeasure measure, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(ranges);
        ArgumentNullException.ThrowIfNull(measure);
        _schedule = schedule;
        _ranges = ranges;
        _measure = measure;
        _time = time ?? TimeProvider.System;
        _rangeWrites = new long[ranges.Count];
    }

    public RateSchedule Schedule => _schedule;

    public TimeProvider Time => _time;

    /// <summary>Time since <see cref="Start"/>: the schedule's clock.</summary>
    public TimeSpan Elapsed => _time.GetElapsedTime(_start);

    /// <summary>Events published so far.</summary>
    public long PublishedEvents => Interlocked.Read(ref _published);

    /// <summary>Messages the service acked since the baseline, as of the last scrape.</summary>
    public long AckedEvents
    {
        get
        {
            lock (_lock)
            {
                return _last is null ? 0 : (long)ServiceSample.Increase(_baseline!.AckedMessages, _last.AckedMessages);
            }
        }
    }

    /// <summary>Every planned event published, and the service acked at least as many since the baseline.</summary>
    public bool AllAcked => PublishedEvents >= _schedule.TotalRows && AckedEvents >= PublishedEvents;

    public IReadOnlyList<LoadInterval> Intervals
    {
        get
        {
            lock (_lock)
            {
                return [.. _intervals];
            }
        }
    }

    /// <summary>Starts the schedule's clock from the <paramref name="baseline"/> scrape; call once, just before publishing.</summary>
    public void Start(ServiceSample baseline)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        if (Interlocked.CompareExchange(ref _start, _time.GetTimestamp(), 0) != 0)
        {
            throw new InvalidOperationException("A service recorder starts once.");
        }

        _lastClose = _start;
        _baseline = _last = _windowStart = baseline;
    }

    /// <summary>
    /// Records a chunk Pub/Sub accepted: its rows count as offered now, and (the service writes every row it acks) as
    /// writes to the key range of their entity in column <paramref name="entityColumn"/>.
    /// </summary>
    public void Published(SourceChunk chunk, int entityColumn)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        lock (_lock)
        {
            if (chunk.Columns[entityColumn] is BinaryColumn entities)
            {
                for (int r = 0; r < chunk.RowCount; r++)
                {
                    _rangeWrites[_ranges.RangeOfEntity(entities.Get(r))]++;
                }
            }

            _intervalPublished += chunk.RowCount;
            Interlocked.Add(ref _published, chunk.RowCount);
        }
    }
}
