using StreamingFeatures.LoadTesting;
using StreamingFeatures.TestShared;

namespace StreamingFeatures.Tests.LoadTesting;

[TestClass]
public sealed class LoadComparisonTests
{
    [TestMethod]
    public void Compare_EqualRuns_Passes()
    {
        LoadComparison comparison = LoadComparison.Compare(SampleLoadResults.Result(5000, 40), SampleLoadResults.Result(5000, 40), 0.1, 0.25);

        Assert.IsTrue(comparison.Passed);
        Assert.IsTrue(comparison.Rows.Where(r => r.Gated).All(r => r.Verdict == "ok" && r.Change == 0));
    }

    [TestMethod]
    public void Compare_ThroughputDropBeyondLimit_IsFlagged()
    {
        LoadComparison comparison = LoadComparison.Compare(SampleLoadResults.Result(4000, 40), SampleLoadResults.Result(5000, 40), 0.1, 0.25);

        Assert.IsFalse(comparison.Passed);
        ComparisonRow row = comparison.Rows.Single(r => r.Regressed);
        Assert.AreEqual("achieved rows/s", row.Metric);
        Assert.AreEqual(-0.2, row.Change, 1e-9);
    }

    [TestMethod]
    public void Compare_P99RiseBeyondLimit_IsFlagged()
    {
        LoadComparison comparison = LoadComparison.Compare(SampleLoadResults.Result(5000, 60), SampleLoadResults.Result(5000, 40), 0.1, 0.25);

        Assert.IsFalse(comparison.Passed);
        Assert.AreEqual("p99 latency ms", comparison.Rows.Single(r => r.Regressed).Metric);
    }

    [TestMethod]
    public void Compare_ChangesWithinLimits_Pass()
    {
        LoadComparison comparison = LoadComparison.Compare(SampleLoadResults.Result(4600, 49), SampleLoadResults.Result(5000, 40), 0.1, 0.25);

        Assert.IsTrue(comparison.Passed);
    }

    [TestMethod]
    public void Compare_EveryReadFailed_IsFlaggedThoughItsP99IsZero()
    {
        LoadTestResult baseline = SampleLoadResults.Result(5000, 40) with { Reads = Reads(answered: 1000, p99: 12) };
        LoadTestResult current = SampleLoadResults.Result(5000, 40) with { Reads = Reads(answered: 0, p99: 0) };

        LoadComparison comparison = LoadComparison.Compare(current, baseline, 0.1, 0.25);

        Assert.IsFalse(comparison.Passed);
        Assert.AreEqual("answered read requests/s", comparison.Rows.Single(r => r.Regressed).Metric);
    }

    private static ReadRun Reads(long answered, double p99) => new()
    {
        Reader = "in process",
        DuringWrites = false,
        BatchSize = 10,
        PlannedRequests = 1000,
        Requests = answered,
        FailedRequests = 1000 - answered,
        Keys = answered * 10,
        DurationSeconds = 10,
        RequestsPerSecond = answered / 10.0,
        KeysPerSecond = answered,
        LatencyMs = new LatencyFigures(answered, p99 / 2, p99 / 2, p99, p99, p99, p99),
        Statuses = new Dictionary<string, long>(),
        Errors = new Dictionary<string, long>(),
    };

    [TestMethod]
    public void ToTable_ShowsBothRunsSideBySide()
    {
        string table = LoadComparison.Compare(SampleLoadResults.Result(4000, 40), SampleLoadResults.Result(5000, 40), 0.1, 0.25).ToTable("new.json", "old.json");

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
}
