using StreamingFeatures.LoadTesting;

namespace StreamingFeatures.Tests.LoadTesting;

[TestClass]
public sealed class LoadComparisonTests
{
    [TestMethod]
    public void Compare_EqualRuns_Passes()
    {
        LoadComparison comparison = LoadComparison.Compare(Result(5000, 40), Result(5000, 40), 0.1, 0.25);

        Assert.IsTrue(comparison.Passed);
        Assert.IsTrue(comparison.Rows.Where(r => r.Gated).All(r => r.Verdict == "ok" && r.Change == 0));
    }

    [TestMethod]
    public void Compare_ThroughputDropBeyondLimit_IsFlagged()
    {
        LoadComparison comparison = LoadComparison.Compare(Result(4000, 40), Result(5000, 40), 0.1, 0.25);

        Assert.IsFalse(comparison.Passed);
        ComparisonRow row = comparison.Rows.Single(r => r.Regressed);
        Assert.AreEqual("achieved rows/s", row.Metric);
        Assert.AreEqual(-0.2, row.Change, 1e-9);
    }

    [TestMethod]
    public void Compare_P99RiseBeyondLimit_IsFlagged()
    {
        LoadComparison comparison = LoadComparison.Compare(Result(5000, 60), Result(5000, 40), 0.1, 0.25);

        Assert.IsFalse(comparison.Passed);
        Assert.AreEqual("p99 latency ms", comparison.Rows.Single(r => r.Regressed).Metric);
    }

    [TestMethod]
    public void Compare_ChangesWithinLimits_Pass()
    {
        LoadComparison comparison = LoadComparison.Compare(Result(4600, 49), Result(5000, 40), 0.1, 0.25);

        Assert.IsTrue(comparison.Passed);
    }

    [TestMethod]
    public void ToTable_ShowsBothRunsSideBySide()
    {
        string table = LoadComparison.Compare(Result(4000, 40), Result(5000, 40), 0.1, 0.25).ToTable("new.json", "old.json");

        string[] lines = table.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        StringAssert.StartsWith(lines[0], "figure");
        StringAssert.Contains(lines[0], "old.json");
        StringAssert.Contains(lines[0], "new.json");
        string throughput = lines.Single(l => l.StartsWith("achieved rows/s", StringComparison.Ordinal));
        StringAssert.Contains(throughput, "5,000");
        StringAssert.Contains(throughput, "4,000");
        StringAssert.Contains(throughput, "-20.0%");
        StringAssert.Contains(throughput, "REGRESSED");
    }

    internal static LoadTestResult Result(double achieved, double p99) => new()
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
