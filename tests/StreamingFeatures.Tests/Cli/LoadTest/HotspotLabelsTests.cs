using ScottPlot;
using StreamingFeatures.Cli.LoadTest;
using StreamingFeatures.LoadTesting;

namespace StreamingFeatures.Tests.Cli.LoadTest;

/// <summary>The heatmap's y axis names each key range by its first key, as the run's <see cref="KeyRanges"/> split them.</summary>
[TestClass]
public sealed class HotspotLabelsTests
{
    [TestMethod]
    public void All_BucketedKeyRanges_LabelEachRowWithItsFirstKey()
    {
        var profile = new LoadProfile { Name = "r", Keys = new LoadKeys { KeySpace = 100_000 }, RowKey = new LoadRowKey { BucketPrefix = true, Buckets = 64 }, Measure = new LoadMeasure { KeyRanges = 4 } };
        IReadOnlyList<string> startKeys = LoadPlan.EvenRanges(profile).StartKeys;
        LoadTestResult run = ReportRuns.Run(warmup: 0, achieved: [2_000], startKeys: startKeys);

        Plot hotspot = LoadTestCharts.All(run).Single(c => c.Name == "hotspot").Plot;
        _ = hotspot.GetSvgXml(LoadTestCharts.Width, LoadTestCharts.Height); // ticks are laid out when drawn

        Tick[] ticks = [.. hotspot.Axes.Left.TickGenerator.Ticks.Where(t => t.IsMajor)];
        CollectionAssert.AreEqual(new[] { "(start)", "10", "20", "30" }, ticks.Select(t => t.Label).ToArray());
        CollectionAssert.AreEqual(new[] { 0.5, 1.5, 2.5, 3.5 }, ticks.Select(t => t.Position).ToArray(), "each label in the middle of its row");
    }

    [TestMethod]
    public void KeyRangeTicks_MoreRangesThanLabels_LabelsEveryNthRangeWithinTheLimit()
    {
        string[] keys = [.. Enumerable.Range(0, 100).Select(i => i == 0 ? string.Empty : $"k{i:000}")];

        (double[] positions, string[] labels) = LoadTestCharts.KeyRangeTicks(keys, 16);

        Assert.IsLessThanOrEqualTo(16, labels.Length);
        Assert.IsGreaterThanOrEqualTo(10, labels.Length);
        Assert.AreEqual("(start)", labels[0]);
        Assert.AreEqual("k007", labels[1]);
        Assert.AreEqual(7.5, positions[1]);
    }

    [TestMethod]
    public void KeyRangeTicks_LongOrBinaryKeys_AreCutAndMadePrintable()
    {
        (_, string[] labels) = LoadTestCharts.KeyRangeTicks(["", "a\u0001b", "entity-0000000000123456#x"], 16);

        CollectionAssert.AreEqual(new[] { "(start)", "a·b", "entity-00000000…" }, labels);
    }
}
