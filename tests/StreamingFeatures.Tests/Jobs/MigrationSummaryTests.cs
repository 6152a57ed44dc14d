using System.Text.Json;
using StreamingFeatures.Checkpoints;
using StreamingFeatures.Jobs;
using StreamingFeatures.Verification;

namespace StreamingFeatures.Tests.Jobs;

[TestClass]
public sealed class MigrationSummaryTests
{
    [TestMethod]
    public void Of_ResumedRun_SplitsEachSourceIntoThisRunAndSkipped()
    {
        var earlier = new Dictionary<int, RowStats> { [0] = Stats(read: 400, written: 398, deadLettered: 2), [1] = Stats(read: 1_000, written: 1_000, deadLettered: 0) };
        var now = new Dictionary<int, RowStats> { [0] = Stats(read: 1_000, written: 995, deadLettered: 5), [1] = earlier[1], [2] = Stats(read: 700, written: 700, deadLettered: 0) };

        IReadOnlyList<SourceFigures> sources = SourceFigures.Of(now, earlier, p => $"file-{p}.csv");

        CollectionAssert.AreEqual(
            new[]
            {
                new SourceFigures("file-0.csv", 1_000, 597, 3, 400),
                new SourceFigures("file-1.csv", 1_000, 0, 0, 1_000),
                new SourceFigures("file-2.csv", 700, 700, 0, 0),
            },
            sources.ToArray());
        Assert.IsTrue(sources.All(s => s.AddsUp));
    }

    [TestMethod]
    public void From_FiguresAddUp_CarriesSourcesAndSkippedIntoJson()
    {
        var earlier = new Dictionary<int, RowStats> { [0] = Stats(read: 400, written: 400, deadLettered: 0) };
        var now = new Dictionary<int, RowStats> { [0] = Stats(read: 1_000, written: 990, deadLettered: 10), [1] = Stats(read: 500, written: 500, deadLettered: 0) };
        var report = new IntegrityReport { RowsRead = 1_500, RowsWritten = 1_490, DeadLettered = 10 };

        MigrationSummary summary = MigrationSummary.From(report, SourceFigures.Of(now, earlier, p => $"stream {p}"), TimeSpan.FromSeconds(2), 1.5, 1 << 20, stopped: false, runs: 2);

        Assert.AreEqual(400, summary.RowsSkipped);
        using var json = JsonDocument.Parse(summary.ToJson());
        JsonElement first = json.RootElement.GetProperty("sources")[0];
        Assert.AreEqual("stream 0", first.GetProperty("source").GetString());
        Assert.AreEqual(1_000, first.GetProperty("read").GetInt64());
        Assert.AreEqual(590, first.GetProperty("written").GetInt64());
        Assert.AreEqual(10, first.GetProperty("deadLettered").GetInt64());
        Assert.AreEqual(400, first.GetProperty("skipped").GetInt64());
        Assert.AreEqual(400, json.RootElement.GetProperty("rowsSkipped").GetInt64());
    }

    [TestMethod]
    public void From_SourceLosesRows_ThrowsNamingTheSourceAndFigures()
    {
        // A committed range whose rows were neither written nor dead-lettered: the engine lost count.
        var now = new Dictionary<int, RowStats> { [0] = Stats(read: 100, written: 90, deadLettered: 5) };
        var report = new IntegrityReport { RowsRead = 100, RowsWritten = 90, DeadLettered = 5 };

        InvalidOperationException e = Assert.ThrowsExactly<InvalidOperationException>(
            () => MigrationSummary.From(report, SourceFigures.Of(now, new Dictionary<int, RowStats>(), p => "a.csv"), TimeSpan.FromSeconds(1), 0, 0, stopped: false, runs: 1));

        StringAssert.Contains(e.Message, "a.csv");
        StringAssert.Contains(e.Message, "100 read, but 90 written + 5 dead-lettered + 0 skipped = 95");
    }

    [TestMethod]
    public void From_TotalDisagreesWithSources_Throws()
    {
        var now = new Dictionary<int, RowStats> { [0] = Stats(read: 100, written: 100, deadLettered: 0) };
        var report = new IntegrityReport { RowsRead = 120, RowsWritten = 100 };

        Assert.ThrowsExactly<InvalidOperationException>(
            () => MigrationSummary.From(report, SourceFigures.Of(now, new Dictionary<int, RowStats>(), p => "a.csv"), TimeSpan.FromSeconds(1), 0, 0, stopped: false, runs: 1));
    }

    private static RowStats Stats(long read, long written, long deadLettered) => new(read, written, deadLettered, 0, 0, 0, 0, 0, 0);
}
