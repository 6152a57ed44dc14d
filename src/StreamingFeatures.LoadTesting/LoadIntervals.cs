namespace StreamingFeatures.LoadTesting;

/// <summary>
/// The per-interval bookkeeping both recorders share, in process (<see cref="LoadRecorder"/>) or from a running
/// service's metrics (<see cref="Service.ServiceRecorder"/>): the schedule's clock, each interval's bounds and planned
/// rate, the writes per key range and their skew, the closed intervals, and the result built from them. Only
/// <see cref="Start"/> and <see cref="Elapsed"/> may race; the rest runs under its recorder's lock.
/// </summary>
internal sealed class LoadIntervals
{
    // 0, 10, ..., 90, 91, ..., 99, 99.1, ..., 99.9, 99.91, ..., 99.99: denser towards the tail.
    private static readonly double[] DistributionPercentiles =
    [
        .. Enumerable.Range(0, 10).Select(i => i * 10.0),
        .. Enumerable.Range(1, 9).Select(i => 90.0 + i),
        .. Enumerable.Range(1, 9).Select(i => 99.0 + (i / 10.0)),
        .. Enumerable.Range(1, 9).Select(i => 99.9 + (i / 100.0)),
    ];

    private readonly RateSchedule _schedule;
    private readonly KeyRanges _ranges;
    private readonly LoadMeasure _measure;
    private readonly TimeProvider _time;
    private readonly long[] _rangeWrites;
    private readonly List<LoadInterval> _intervals = [];
    private long _start;
    private long _lastClose;

    public LoadIntervals(RateSchedule schedule, KeyRanges ranges, LoadMeasure measure, TimeProvider? time)
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

    public KeyRanges Ranges => _ranges;

    public LoadMeasure Measure => _measure;

    public TimeProvider Time => _time;

    public bool Started => Interlocked.Read(ref _start) != 0;

    /// <summary>Time since <see cref="Start"/>: the schedule's clock.</summary>
    public TimeSpan Elapsed => _time.GetElapsedTime(Interlocked.Read(ref _start));

    /// <summary>The closed intervals, copied.</summary>
    public IReadOnlyList<LoadInterval> Closed => [.. _intervals];

    /// <summary>Starts the schedule's clock; <paramref name="recorder"/> names who may start it only once.</summary>
    public void Start(string recorder)
    {
        if (Interlocked.CompareExchange(ref _start, _time.GetTimestamp(), 0) != 0)
        {
            throw new InvalidOperationException($"A {recorder} starts once.");
        }

        _lastClose = _start;
    }

    /// <summary>The schedule's clock at <paramref name="timestamp"/> (of <see cref="Time"/>).</summary>
    public TimeSpan ElapsedAt(long timestamp) => _time.GetElapsedTime(_start, timestamp);

    /// <summary>Counts a row written to key range <paramref name="range"/> in the open interval.</summary>
    public void Wrote(int range) => _rangeWrites[range]++;

    /// <summary>Closes the interval from the last close until <paramref name="now"/>, turning its counts into rates.</summary>
    public LoadInterval Close(long now, in IntervalCounts counts)
    {
        double start = ElapsedAt(_lastClose).TotalSeconds;
        double end = ElapsedAt(now).TotalSeconds;
        double seconds = Math.Max(end - start, 1e-9);
        double skew = _ranges.Skew(_rangeWrites);
        var interval = new LoadInterval
        {
            StartSeconds = start,
            Seconds = seconds,
            PlannedRate = (_schedule.PlannedCount(TimeSpan.FromSeconds(end)) - _schedule.PlannedCount(TimeSpan.FromSeconds(start))) / seconds,
            OfferedRate = counts.Offered / seconds,
            AchievedRate = counts.Achieved / seconds,
            DeadLetters = counts.DeadLetters,
            Retries = counts.Retries,
            LatencyMs = counts.LatencyMs,
            Queues = counts.Queues,
            CpuPercent = counts.CpuSeconds / seconds / counts.Processors * 100,
            WorkingSetBytes = counts.WorkingSetBytes,
            ManagedHeapBytes = counts.ManagedHeapBytes,
            KeyRangeWrites = [.. _rangeWrites],
            Skew = skew,
        };
        _intervals.Add(interval);
        Array.Clear(_rangeWrites);
        _lastClose = now;
        return interval;
    }

    /// <summary>Latency at percentiles 0 to 100, denser towards the tail, for the distribution chart; 100 is <paramref name="maxMs"/>.</summary>
    public static List<LatencyPoint> Distribution(Func<double, double> msAtPercentile, double maxMs)
    {
        var points = new List<LatencyPoint>(DistributionPercentiles.Length + 1);
        foreach (double p in DistributionPercentiles)
        {
            points.Add(new LatencyPoint(p, msAtPercentile(p)));
        }

        points.Add(new LatencyPoint(100, maxMs));
        return points;
    }

    /// <summary>The run's result from <paramref name="intervals"/> (see <see cref="Closed"/>) and what the recorder counted.</summary>
    public LoadTestResult Result(LoadProfile profile, DateTimeOffset startedAt, IReadOnlyDictionary<string, string>? environment, LoadResults.RunCounts counts, IReadOnlyList<LoadInterval> intervals, LatencyFigures latency, IReadOnlyList<LatencyPoint> distribution) =>
        LoadResults.Build(profile, startedAt, environment, _measure, _schedule, counts, new LoadResults.RunFigures(intervals, latency, distribution, new HotspotMap(_ranges.Source, _ranges.StartKeys)));
}

/// <summary>What a recorder counted in one interval, before the interval's length turns counts into rates.</summary>
internal readonly record struct IntervalCounts(
    double Offered,
    double Achieved,
    long DeadLetters,
    long Retries,
    LatencyFigures LatencyMs,
    IReadOnlyDictionary<string, long> Queues,
    double CpuSeconds,
    int Processors,
    long WorkingSetBytes,
    long ManagedHeapBytes);
