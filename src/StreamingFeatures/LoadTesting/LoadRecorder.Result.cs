using System.Runtime.InteropServices;

namespace StreamingFeatures.LoadTesting;

/// <summary>The run's result: the summary over the measured window, every interval, the distribution, the key ranges.</summary>
public sealed partial class LoadRecorder
{
    /// <summary>
    /// The result of the run so far; call after the last <see cref="CloseInterval"/>. The measured window runs from
    /// the warm-up to the end of the schedule: rows still landing during the drain count as written, not as achieved
    /// rate, so a pipeline that falls behind shows it.
    /// </summary>
    public LoadTestResult Result(LoadProfile profile, DateTimeOffset startedAt, IReadOnlyDictionary<string, string>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        IReadOnlyList<LoadInterval> intervals = Intervals;
        var window = LoadWindow.Of(intervals, _measure, _schedule);
        var summary = new LoadSummary
        {
            DurationSeconds = intervals.Count == 0 ? 0 : intervals[^1].StartSeconds + intervals[^1].Seconds,
            WarmupSeconds = _measure.Warmup.TotalSeconds,
            PlannedRows = _schedule.TotalRows,
            OfferedRows = Offered,
            WrittenRows = Written,
            DeadLetters = DeadLetters,
            Retries = Interlocked.Read(ref _retries),
            UnfinishedRows = Math.Max(0, _schedule.TotalRows - Written - DeadLetters),
            OfferedRowsPerSecond = window.OfferedRate,
            AchievedRowsPerSecond = window.AchievedRate,
            PeakAchievedRowsPerSecond = window.PeakAchievedRate,
            LatencyMs = TotalLatency(),
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
            Environment = environment ?? DefaultEnvironment(),
            Summary = summary,
            Intervals = intervals,
            LatencyDistribution = LatencyDistribution(),
            Hotspot = new HotspotMap(_ranges.Source, _ranges.StartKeys),
        };
    }

    /// <summary>The machine: processors, OS, runtime.</summary>
    public static Dictionary<string, string> DefaultEnvironment() => new(StringComparer.Ordinal)
    {
        ["processors"] = Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["os"] = RuntimeInformation.OSDescription,
        ["runtime"] = RuntimeInformation.FrameworkDescription,
        ["machine"] = Environment.MachineName,
    };
}
