using StreamingFeatures.LoadTesting;

namespace StreamingFeatures.Tests.Cli.LoadTest;

/// <summary>Load-test results made up interval by interval, for the report's charts and HTML.</summary>
internal static class ReportRuns
{
    /// <summary>One-second intervals achieving <paramref name="achieved"/>[i] rows/s, then a partial 20 ms one when asked.</summary>
    public static LoadTestResult Run(double warmup, double[] achieved, bool partialTail = false, Func<int, IReadOnlyDictionary<string, long>>? queues = null, IReadOnlyList<string>? startKeys = null)
    {
        startKeys ??= ["", "04", "08", "0c"];
        var intervals = new List<LoadInterval>();
        for (int i = 0; i < achieved.Length; i++)
        {
            intervals.Add(Interval(i, 1, achieved[i], queues?.Invoke(i), startKeys.Count));
        }

        if (partialTail)
        {
            intervals.Add(Interval(achieved.Length, 0.02, 50_000, queues?.Invoke(achieved.Length), startKeys.Count) with { Partial = true });
        }

        return new LoadTestResult
        {
            Profile = "report",
            Target = LoadTarget.Synthetic,
            Shape = LoadShapeKind.Steady,
            StartedAt = DateTimeOffset.UnixEpoch,
            Environment = new Dictionary<string, string>(),
            Summary = SampleSummary(warmup),
            Intervals = intervals,
            LatencyDistribution = [new LatencyPoint(50, 10), new LatencyPoint(99, 20), new LatencyPoint(100, 30)],
            Hotspot = new HotspotMap("even", startKeys),
        };
    }

    private static LoadInterval Interval(int index, double seconds, double achieved, IReadOnlyDictionary<string, long>? queues, int ranges) => new()
    {
        StartSeconds = index,
        Seconds = seconds,
        PlannedRate = 2000,
        OfferedRate = 2000,
        AchievedRate = achieved,
        DeadLetters = 0,
        Retries = 0,
        LatencyMs = new LatencyFigures(10, achieved / 100, achieved / 100, achieved / 100, achieved / 100, achieved / 100, achieved / 100),
        Queues = queues ?? new Dictionary<string, long> { ["write"] = 0 },
        CpuPercent = achieved / 100,
        WorkingSetBytes = 100_000_000,
        ManagedHeapBytes = 50_000_000,
        KeyRangeWrites = [.. Enumerable.Repeat((long)(achieved * seconds / ranges), ranges)],
        Skew = 1,
    };

    private static LoadSummary SampleSummary(double warmup) => new()
    {
        DurationSeconds = 10,
        WarmupSeconds = warmup,
        PlannedRows = 20_000,
        OfferedRows = 20_000,
        WrittenRows = 20_000,
        DeadLetters = 0,
        Retries = 0,
        UnfinishedRows = 0,
        OfferedRowsPerSecond = 2000,
        AchievedRowsPerSecond = 2000,
        PeakAchievedRowsPerSecond = 2000,
        LatencyMs = new LatencyFigures(20_000, 10, 10, 15, 20, 25, 30),
        MeanCpuPercent = 20,
        PeakWorkingSetBytes = 100_000_000,
        MaxSkew = 1,
        MeanSkew = 1,
    };
}
