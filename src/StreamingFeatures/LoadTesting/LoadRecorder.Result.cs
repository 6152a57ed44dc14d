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
        double warmup = _measure.Warmup.TotalSeconds;
        double end = Math.Max(_schedule.Duration.TotalSeconds, warmup);
        double window = 0;
        double offered = 0;
        double achieved = 0;
        double peak = 0;
        double cpu = 0;
        var skews = new List<double>();
        foreach (LoadInterval interval in intervals)
        {
            // A short last interval (the drain's tail) would make a rate of a handful of rows look like a peak.
            if (interval.Seconds >= _measure.Interval.TotalSeconds / 2)
            {
                peak = Math.Max(peak, interval.AchievedRate);
            }

            if (interval.Skew > 0)
            {
                skews.Add(interval.Skew);
            }

            // The part of the interval inside the window.
            double inside = Math.Min(end, interval.StartSeconds + interval.Seconds) - Math.Max(warmup, interval.StartSeconds);
            if (inside > 0)
            {
                double share = inside / interval.Seconds;
                window += inside;
                offered += interval.OfferedRate * interval.Seconds * share;
                achieved += interval.AchievedRate * interval.Seconds * share;
                cpu += interval.CpuPercent * inside;
            }
        }

        var summary = new LoadSummary
        {
            DurationSeconds = intervals.Count == 0 ? 0 : intervals[^1].StartSeconds + intervals[^1].Seconds,
            WarmupSeconds = warmup,
            PlannedRows = _schedule.TotalRows,
            OfferedRows = Offered,
            WrittenRows = Written,
            DeadLetters = DeadLetters,
            Retries = Interlocked.Read(ref _retries),
            UnfinishedRows = Math.Max(0, _schedule.TotalRows - Written - DeadLetters),
            OfferedRowsPerSecond = window > 0 ? offered / window : 0,
            AchievedRowsPerSecond = window > 0 ? achieved / window : 0,
            PeakAchievedRowsPerSecond = peak,
            LatencyMs = TotalLatency(),
            MeanCpuPercent = window > 0 ? cpu / window : 0,
            PeakWorkingSetBytes = intervals.Count == 0 ? 0 : intervals.Max(i => i.WorkingSetBytes),
            MaxSkew = skews.Count == 0 ? 0 : skews.Max(),
            MeanSkew = skews.Count == 0 ? 0 : skews.Average(),
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
