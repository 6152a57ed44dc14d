namespace StreamingFeatures.LoadTesting;

/// <summary>
/// The result both recorders build, in process or from a running service's metrics: the run's counts, the rates over
/// the measured window (see <see cref="LoadWindow"/>), every interval, the latency, the key ranges.
/// </summary>
internal static class LoadResults
{
    public static LoadTestResult Build(LoadProfile profile, DateTimeOffset startedAt, IReadOnlyDictionary<string, string>? environment, LoadMeasure measure, RateSchedule schedule, RunCounts counts, RunFigures figures)
    {
        IReadOnlyList<LoadInterval> intervals = figures.Intervals;
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
            PeakWorkingSetBytes = intervals.Count == 0 ? 0 : intervals.Max(i => i.WorkingSetBytes),
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

    /// <summary>Rows offered, written, dead-lettered and entries retried over the run.</summary>
    internal readonly record struct RunCounts(long Offered, long Written, long DeadLetters, long Retries);

    /// <summary>What the recorder measured: the intervals, the latency after the warm-up, the key ranges.</summary>
    internal sealed record RunFigures(IReadOnlyList<LoadInterval> Intervals, LatencyFigures Latency, IReadOnlyList<LatencyPoint> Distribution, HotspotMap Hotspot);
}
