using ScottPlot;
using ScottPlot.Plottables;
using StreamingFeatures.Cli.LoadTest;
using StreamingFeatures.LoadTesting;

namespace StreamingFeatures.Tests.Cli.LoadTest;

[TestClass]
public sealed class LoadTestChartsTests
{
    private static readonly string[] TimeCharts = ["throughput", "latency", "queues", "resources"];

    [TestMethod]
    public void All_WarmupSpike_IsLeftOutOfTheYScale()
    {
        LoadTestResult run = ReportRuns.Run(warmup: 2, achieved: [10_000, 9_000, 2_000, 2_100, 1_900]);

        AxisLimits limits = Chart(run, "throughput").Axes.GetLimits();

        Assert.IsGreaterThanOrEqualTo(2_100, limits.Top);
        Assert.IsLessThan(3_000, limits.Top, "the warm-up's 10,000 rows/s would flatten the steady state");
        Assert.IsLessThan(3_000 / 100, Chart(run, "latency").Axes.GetLimits().Top);
        Assert.IsLessThan(3_000 / 100, Chart(run, "resources").Axes.GetLimits().Top, "CPU % on the left axis");
    }

    [TestMethod]
    public void All_NoWarmup_ScalesToEverySample()
    {
        LoadTestResult run = ReportRuns.Run(warmup: 0, achieved: [10_000, 2_000, 2_100]);

        Assert.IsGreaterThanOrEqualTo(10_000, Chart(run, "throughput").Axes.GetLimits().Top);
        Assert.IsEmpty(Chart(run, "throughput").GetPlottables<HorizontalSpan>());
    }

    [TestMethod]
    public void All_Warmup_IsMarkedOnEveryTimeChart()
    {
        LoadTestResult run = ReportRuns.Run(warmup: 2, achieved: [2_000, 2_000, 2_000, 2_000]);

        foreach (string name in TimeCharts)
        {
            HorizontalSpan span = Chart(run, name).GetPlottables<HorizontalSpan>().Single();
            Assert.AreEqual(0, span.X1, name);
            Assert.AreEqual(2, span.X2, name);
            StringAssert.Contains(span.LegendText, "warm-up", name);
        }

        Assert.AreEqual(2, Chart(run, "hotspot").GetPlottables<VerticalLine>().Single().X);
        Assert.AreEqual("warm-up", Chart(run, "hotspot").GetPlottables<Text>().Single().LabelText);
    }

    [TestMethod]
    public void All_PartialInterval_IsNotPlotted()
    {
        LoadTestResult run = ReportRuns.Run(warmup: 0, achieved: [2_000, 2_000, 2_000], partialTail: true);

        foreach (string name in TimeCharts)
        {
            Plot plot = Chart(run, name);
            foreach (Scatter line in plot.GetPlottables<Scatter>())
            {
                Assert.HasCount(3, line.Data.GetScatterPoints(), $"{name}: {line.LegendText}");
            }

            Assert.AreEqual(3, plot.Axes.GetLimits().Right, 1e-9, name);
        }

        Assert.IsLessThan(3_000, Chart(run, "throughput").Axes.GetLimits().Top, "the tail's 50,000 rows/s is no cliff");
        Heatmap heatmap = Chart(run, "hotspot").GetPlottables<Heatmap>().Single();
        Assert.AreEqual(3, heatmap.Intensities.GetLength(1));
        Assert.AreEqual(500, heatmap.ManualRange!.Value.Max, 1e-9, "the colour scale ignores the tail");
    }

    [TestMethod]
    public void All_Hotspot_ScalesItsColoursAfterTheWarmupAndDrawsSharpCells()
    {
        LoadTestResult run = ReportRuns.Run(warmup: 1, achieved: [10_000, 2_000, 2_400]);

        Heatmap heatmap = Chart(run, "hotspot").GetPlottables<Heatmap>().Single();

        Assert.AreEqual(600, heatmap.ManualRange!.Value.Max, 1e-9);
        Assert.IsFalse(heatmap.Smooth);
    }

    [TestMethod]
    public void All_EveryChart_CarriesItsTitleInside()
    {
        foreach ((string name, string title, Plot plot) in LoadTestCharts.All(ReportRuns.Run(warmup: 1, achieved: [2_000, 2_000])))
        {
            Assert.IsFalse(string.IsNullOrWhiteSpace(title), name);
            Assert.AreEqual(title, plot.Axes.Title.Label.Text, name);
        }
    }

    [TestMethod]
    public void All_SmallQueueDepths_ScaleTheAxisToThem()
    {
        LoadTestResult run = ReportRuns.Run(warmup: 0, achieved: [2_000, 2_000, 2_000], queues: i => new Dictionary<string, long> { ["write"] = i + 1, ["map"] = 0 });

        AxisLimits limits = Chart(run, "queues").Axes.GetLimits();

        Assert.IsGreaterThanOrEqualTo(3, limits.Top);
        Assert.IsLessThan(4, limits.Top);
        Assert.IsLessThan(0, limits.Bottom, "a queue at 0 draws above the frame");
    }

    [TestMethod]
    public void All_DeepQueueBesideSmallOnes_UsesALogScale()
    {
        LoadTestResult run = ReportRuns.Run(warmup: 0, achieved: [2_000, 2_000], queues: _ => new Dictionary<string, long> { ["write"] = 5_000, ["map"] = 2 });

        Plot plot = Chart(run, "queues");
        _ = plot.GetSvgXml(LoadTestCharts.Width, LoadTestCharts.Height); // ticks are laid out when drawn

        string[] labels = [.. plot.Axes.Left.TickGenerator.Ticks.Where(t => t.IsMajor).Select(t => t.Label)];
        CollectionAssert.AreEqual(new[] { "0", "1", "10", "100", "1k", "10k" }, labels, string.Join(", ", labels));
        Scatter map = plot.GetPlottables<Scatter>().Single(s => s.LegendText == "map");
        double share = map.Data.GetScatterPoints()[0].Y / plot.Axes.GetLimits().Top;
        Assert.IsGreaterThan(0.1, share, "2 items waiting stay visible beside 5,000");
    }

    private static Plot Chart(LoadTestResult run, string name) => LoadTestCharts.All(run).Single(c => c.Name == name).Plot;
}
