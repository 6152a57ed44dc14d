namespace StreamingFeatures.LoadTesting;

/// <summary>
/// The result both recorders build, in process or from a running service's metrics: the run's counts, the rates over
/// the measured window (see <see cref="LoadWindow"/>), every interval (the short ones flagged partial), the latency,
/// the key ranges.
/// </summary>
internal static class LoadResults
{
    /// <summary>
    /// Timer lateness moves an interval's end by milliseconds; a partial interval misses a good part of it (the run
    /// ended, or a late close left the next one short).
    /// </summary>
    internal const double FullShare = 0.9;

    public static LoadTestResult Build(LoadProfile profile, DateTimeOffset startedAt, IReadOnlyDictionary<string, string>? environment, LoadMeasure measure, RateSchedule schedule, RunCounts counts, RunFigures figures)
    {
        IReadOnlyList<LoadInterval> intervals = FlagPartial(figures.Intervals, measure.Interval);
        var window = LoadWindow.Of(intervals, measure, schedule);
        var summary = new LoadSummary
        {
            DurationSeconds = intervals.Count == 0 ? 0 : intervals[^1].StartSeconds + intervals[^1].Seconds,
            WarmupSeconds = measure.Warmup.TotalSeconds,
            PlannedRows = schedule.TotalRows,
            OfferedRows = counts.Offered,
            WrittenRows = counts.Written,
            DeadLetters = counts.DeadLetters,
            Retries = counts.Retries,
            UnfinishedRows = Math.Max(0, schedule.TotalRows - counts.Written - counts.DeadLetters),
            OfferedRowsPerSecond = window.OfferedRate,
            AchievedRowsPerSecond = window.AchievedRate,
            PeakAchievedRowsPerSecond = window.PeakAchievedRate,
            LatencyMs = figures.Latency,
            MeanCpuPercent = window.MeanCpuPercent,
            PeakWorkingSetBytes = window.PeakWorkingSetBytes,
            MaxSkew = window.MaxSkew,
            MeanSkew = window.MeanSkew,
        };
        return new LoadTestResult
        {
            Profile = profile.Name,
            Description = profile.Description,
            Target = profile.Target,
            Shape = profile.Shape.Kind,
            StartedAt = startedAt,
            Environment = environment ?? LoadRecorder.DefaultEnvironment(),
            Summary = summary,
            Intervals = intervals,
            LatencyDistribution = figures.Distribution,
            Hotspot = figures.Hotspot,
        };
    }

    /// <summary>
    /// The intervals, those shorter than <see cref="FullShare"/> of <paramref name="interval"/> flagged
    /// <see cref="LoadInterval.Partial"/>; none when none is full, so a run shorter than one interval still has figures.
    /// </summary>
    internal static IReadOnlyList<LoadInterval> FlagPartial(IReadOnlyList<LoadInterval> intervals, TimeSpan interval)
    {
        double full = interval.TotalSeconds * FullShare;
        if (!intervals.Any(i => i.Seconds >= full))
        {
            return intervals;
        }

        return [.. intervals.Select(i => i.Seconds < full ? i with { Partial = true } : i)];
    }

    /// <summary>Rows offered, written, dead-lettered and entries retried over the run.</summary>
    internal readonly record struct RunCounts(long Offered, long Written, long DeadLetters, long Retries);

    /// <summary>What the recorder measured: the intervals, the latency after the warm-up, the key ranges.</summary>
    internal sealed record RunFigures(IReadOnlyList<LoadInterval> Intervals, LatencyFigures Latency, IReadOnlyList<LatencyPoint> Distribution, HotspotMap Hotspot);
}
