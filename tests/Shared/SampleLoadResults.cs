using StreamingFeatures.LoadTesting;

namespace StreamingFeatures.TestShared;

/// <summary>A load-test result with the given throughput and p99, everything else fixed: for gate and comparison tests (compiled into both test projects).</summary>
internal static class SampleLoadResults
{
    public static LoadTestResult Result(double achieved, double p99) => new()
    {
        Profile = "p",
        Target = LoadTarget.Synthetic,
        Shape = LoadShapeKind.Steady,
        StartedAt = DateTimeOffset.UnixEpoch,
        Environment = new Dictionary<string, string>(),
        Summary = new LoadSummary
        {
            DurationSeconds = 10,
            WarmupSeconds = 0,
            PlannedRows = 50_000,
            OfferedRows = 50_000,
            WrittenRows = 50_000,
            DeadLetters = 0,
            Retries = 0,
            UnfinishedRows = 0,
            OfferedRowsPerSecond = 5000,
            AchievedRowsPerSecond = achieved,
            PeakAchievedRowsPerSecond = achieved,
            LatencyMs = new LatencyFigures(50_000, p99 / 3, p99 / 4, p99 / 2, p99, p99 * 1.5, p99 * 2),
            MeanCpuPercent = 20,
            PeakWorkingSetBytes = 100_000_000,
            MaxSkew = 1.05,
            MeanSkew = 1.02,
        },
        Intervals = [],
        LatencyDistribution = [],
        Hotspot = new HotspotMap("even", [""]),
    };
}
