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
    private readonly LoadIntervals _intervals;
    private readonly Lock _lock = new();
    private long _published;
    private long _intervalPublished;
    private ServiceSample? _baseline;
    private ServiceSample? _last;
    private ServiceSample? _windowStart;

    public ServiceRecorder(RateSchedule schedule, KeyRanges ranges, LoadMeasure measure, TimeProvider? time = null)
    {
        _intervals = new LoadIntervals(schedule, ranges, measure, time);
    }

    public RateSchedule Schedule => _intervals.Schedule;

    public TimeProvider Time => _intervals.Time;

    /// <summary>Time since <see cref="Start"/>: the schedule's clock.</summary>
    public TimeSpan Elapsed => _intervals.Elapsed;

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
    public bool AllAcked => PublishedEvents >= Schedule.TotalRows && AckedEvents >= PublishedEvents;

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

    /// <summary>Starts the schedule's clock from the <paramref name="baseline"/> scrape; call once, just before publishing.</summary>
    public void Start(ServiceSample baseline)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        _intervals.Start("service recorder");
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
                    _intervals.Wrote(_intervals.Ranges.RangeOfEntity(entities.Get(r)));
                }
            }

            _intervalPublished += chunk.RowCount;
            Interlocked.Add(ref _published, chunk.RowCount);
        }
    }
}
