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
        return _intervals.Result(
            profile,
            startedAt,
            environment,
            new LoadResults.RunCounts(Offered, Written, DeadLetters, Interlocked.Read(ref _retries)),
            Intervals,
            TotalLatency(),
            LatencyDistribution());
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
