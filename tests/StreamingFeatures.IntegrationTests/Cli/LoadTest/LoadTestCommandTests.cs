using System.Text.RegularExpressions;
using StreamingFeatures.LoadTesting;

namespace StreamingFeatures.IntegrationTests.Cli.LoadTest;

/// <summary><c>streamingfeatures loadtest</c> as a process, on the shared Bigtable emulator: short real runs and their reports.</summary>
[TestClass]
[TestCategory("Integration")]
public sealed partial class LoadTestCommandTests
{
    private static readonly string[] Charts = ["throughput", "latency", "latency-distribution", "queues", "hotspot", "resources"];

    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Cancellation => TestContext.CancellationToken;

    [TestMethod]
    public async Task Loadtest_ShortSteadyRun_WritesJsonWithTheFiguresAndHtmlEmbeddingEveryChart()
    {
        using var workspace = LoadTestWorkspace.Create("steady");
        workspace.Write("steady.yaml", """
            name: it-steady
            shape: { kind: steady, rate: 1000, duration: 4s }
            keys: { distribution: uniform, keySpace: 100000 }
            measure: { keyRanges: 8 }
            """);

        CliResult result = await workspace.RunAsync(["loadtest", "--profile", "steady.yaml", "--output", "out"], LoadTestWorkspace.SharedBigtable, Cancellation);

        Assert.AreEqual(0, result.Code, result.Output);
        StringAssert.Contains(result.Output, "End-to-end latency: p50");
        LoadTestResult run = LoadTestResult.FromJson(File.ReadAllText(workspace.PathOf("out/result.json")));
        LoadSummary summary = run.Summary;
        Assert.AreEqual("it-steady", run.Profile);
        Assert.AreEqual(4000, summary.PlannedRows);
        Assert.AreEqual(4000, summary.OfferedRows);
        Assert.AreEqual(4000, summary.WrittenRows);
        Assert.AreEqual(0, summary.UnfinishedRows);
        Assert.AreEqual(1000, summary.OfferedRowsPerSecond, 100);
        Assert.IsGreaterThan(500, summary.AchievedRowsPerSecond, "most rows land within the window");
        Assert.AreEqual(4000, summary.LatencyMs.Count);
        Assert.IsTrue(summary.LatencyMs.P50 > 0 && summary.LatencyMs.P50 <= summary.LatencyMs.P99 && summary.LatencyMs.P99 <= summary.LatencyMs.Max, $"{summary.LatencyMs}");
        Assert.IsGreaterThanOrEqualTo(4, run.Intervals.Count);
        Assert.IsTrue(run.Intervals.Any(i => i.Queues.ContainsKey("write") && i.Queues.ContainsKey("map")), "queue depths per block");
        Assert.AreEqual(4000, run.Intervals.Sum(i => i.KeyRangeWrites.Sum()));
        Assert.HasCount(8, run.Hotspot.StartKeys);
        Assert.IsGreaterThan(0, summary.PeakWorkingSetBytes);
        Assert.IsNotEmpty(run.LatencyDistribution);

        string html = File.ReadAllText(workspace.PathOf("out/report.html"));
        foreach (string chart in Charts)
        {
            StringAssert.Contains(html, $"<figure id=\"{chart}\">", chart);
            byte[] png = File.ReadAllBytes(workspace.PathOf($"out/{chart}.png"));
            CollectionAssert.AreEqual(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4], chart);
        }

        Assert.AreEqual(Charts.Length, SvgElement().Matches(html).Count, "one inline SVG per chart");
        Assert.IsFalse(ExternalReference().IsMatch(html), "the report opens without a network: " + ExternalReference().Match(html).Value);
    }

    [TestMethod]
    public async Task Loadtest_BigQueryTarget_PacesRowsReadThroughTheStorageReadApi()
    {
        using var workspace = LoadTestWorkspace.Create("bq");
        workspace.Write("bq.yaml", """
            name: it-bigquery
            target: bigquery
            shape: { kind: stages, stages: [ { duration: 2s, rate: 500 }, { duration: 2s, rate: 1500 } ] }
            """);

        CliResult result = await workspace.RunAsync(["loadtest", "--profile", "bq.yaml", "--output", "out", "--quiet"], LoadTestWorkspace.SharedBigtable, Cancellation);

        Assert.AreEqual(0, result.Code, result.Output);
        LoadTestResult run = LoadTestResult.FromJson(File.ReadAllText(workspace.PathOf("out/result.json")));
        Assert.AreEqual(LoadTarget.BigQuery, run.Target);
        Assert.AreEqual(4000, run.Summary.WrittenRows);
        Assert.AreEqual(4000, run.Summary.LatencyMs.Count);

        // Paced: at no interval's end had more rows gone in than the schedule had planned by then (the emulator
        // alone serves all 4,000 in well under a second).
        double planned = 0;
        double offered = 0;
        foreach (LoadInterval interval in run.Intervals)
        {
            planned += interval.PlannedRate * interval.Seconds;
            offered += interval.OfferedRate * interval.Seconds;
            Assert.IsLessThanOrEqualTo(planned + 50, offered, $"offered {offered:0} rows by {interval.StartSeconds + interval.Seconds:0.00} s, planned {planned:0}");
        }

        Assert.IsGreaterThanOrEqualTo(3, run.Intervals.Count);
    }

    /// <summary>The shipped BigQuery profile with string features, as it was first written.</summary>
    [TestMethod]
    public async Task Loadtest_BigQueryTargetWithStringFeatures_ReadsEveryRow()
    {
        using var workspace = LoadTestWorkspace.Create("bq-strings");
        workspace.Write("bq.yaml", """
            name: it-bigquery-strings
            target: bigquery
            shape: { kind: stages, stages: [ { duration: 10s, rate: 2000 }, { duration: 10s, rate: 8000 }, { duration: 10s, rate: 8000, to: 16000 } ] }
            rows: { features: 8, valueBytes: 32 }
            """);

        CliResult result = await workspace.RunAsync(["loadtest", "--profile", "bq.yaml", "--output", "out", "--quiet"], LoadTestWorkspace.SharedBigtable, Cancellation);

        Assert.AreEqual(0, result.Code, result.Output);
        Assert.AreEqual(220_000, LoadTestResult.FromJson(File.ReadAllText(workspace.PathOf("out/result.json"))).Summary.WrittenRows);
    }

    [TestMethod]
    public async Task Loadtest_PubSubTarget_PublishesAtTheRateAndMeasuresUntilWritten()
    {
        using var workspace = LoadTestWorkspace.Create("pubsub");
        workspace.Write("ps.yaml", "name: it-pubsub\ntarget: pubsub\nshape: { kind: steady, rate: 500, duration: 4s }\n");
        var environment = new Dictionary<string, string>(LoadTestWorkspace.SharedBigtable) { ["PUBSUB_EMULATOR_HOST"] = EmulatorFixture.PubSub.Endpoint };

        CliResult result = await workspace.RunAsync(["loadtest", "--profile", "ps.yaml", "--output", "out", "--quiet"], environment, Cancellation);

        Assert.AreEqual(0, result.Code, result.Output);
        LoadTestResult run = LoadTestResult.FromJson(File.ReadAllText(workspace.PathOf("out/result.json")));
        Assert.AreEqual(2000, run.Summary.WrittenRows);
        Assert.AreEqual(2000, run.Summary.LatencyMs.Count);
        Assert.AreEqual(0, run.Summary.UnfinishedRows);
    }

    [GeneratedRegex("<svg[ >]")]
    private static partial Regex SvgElement();

    // Scripts, style sheets, images or frames fetched from elsewhere; SVG's xmlns names are not fetched.
    [GeneratedRegex("""(src|href)\s*=\s*["'](https?:)?//|<script|<link|@import""", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalReference();
}
