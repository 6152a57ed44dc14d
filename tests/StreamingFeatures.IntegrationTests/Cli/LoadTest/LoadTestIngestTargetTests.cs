using System.Text.RegularExpressions;
using StreamingFeatures.LoadTesting;

namespace StreamingFeatures.IntegrationTests.Cli.LoadTest;

/// <summary>
/// <c>streamingfeatures loadtest --target ingest</c> as a process against <c>streamingfeatures ingest --local</c>
/// running as another process on the shared emulators: the load goes in through the service's topic and is measured
/// through its <c>/metrics</c>.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed partial class LoadTestIngestTargetTests
{
    private static readonly string[] Charts = ["throughput", "latency", "latency-distribution", "queues", "hotspot", "resources"];

    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Cancellation => TestContext.CancellationToken;

    [TestMethod]
    public async Task Loadtest_IngestTarget_EveryPublishedEventAckedAtTheOfferedRateWithBucketLatencyAndCharts()
    {
        using var workspace = LoadTestWorkspace.Create("ingest");
        var table = new TargetTable(EmulatorFixture.UniqueName("ingestlt"));
        string topic = "projects/local/topics/" + EmulatorFixture.UniqueName("events");
        var emulators = new Dictionary<string, string>
        {
            [CliProcess.BigtableHostVariable] = EmulatorFixture.Bigtable.Endpoint,
            ["PUBSUB_EMULATOR_HOST"] = EmulatorFixture.PubSub.Endpoint,
        };
        try
        {
            using CliProcess service = CliProcess.Start(
                workspace.Directory,
                ["ingest", "--local", "--http-port", "0", "--duration", "180s", "--summary-interval", "60s", "--table", table.Id,
                 "--topic", topic, "--subscription", EmulatorFixture.UniqueName("ingest"), "--dead-letter-topic", EmulatorFixture.UniqueName("dead")],
                emulators);
            string? address = null;
            await service.WaitUntilAsync(() => Task.FromResult((address = HealthLine().Match(service.Output) is { Success: true } m ? m.Groups[1].Value : null) is not null), "the endpoints line", TimeSpan.FromSeconds(90), Cancellation);
            using (var http = new HttpClient { BaseAddress = new Uri(address!) })
            {
                await service.WaitUntilAsync(async () => await IsReadyAsync(http), "readiness", TimeSpan.FromSeconds(90), Cancellation);
            }

            workspace.Write("steady.yaml", """
                name: it-ingest
                shape: { kind: steady, rate: 200, duration: 6s }
                keys: { distribution: uniform, keySpace: 100000 }
                measure: { keyRanges: 8, drain: 60s, warmup: 2s }
                """);
            CliResult result = await workspace.RunAsync(
                ["loadtest", "--profile", "steady.yaml", "--target", "ingest", "--topic", topic, "--metrics-url", address + "/metrics", "--output", "out"],
                emulators,
                Cancellation);

            Assert.AreEqual(0, result.Code, result.Output + Environment.NewLine + "The service:" + Environment.NewLine + service.Output);
            StringAssert.Contains(result.Output, "1,200 events published, 1,200 acked (all)");
            LoadTestResult run = LoadTestResult.FromJson(File.ReadAllText(workspace.PathOf("out/result.json")));
            Assert.AreEqual(LoadTarget.Ingest, run.Target);
            ServiceRun serviceRun = run.Service!;
            Assert.AreEqual(1_200, serviceRun.Published);
            Assert.AreEqual(serviceRun.Published, serviceRun.Acked, "counted from the baseline scrape: this run's acks only");
            Assert.IsTrue(serviceRun.AllAcked);
            Assert.AreEqual(0, serviceRun.Poison, "the events fit the sample feature set");
            Assert.AreEqual(topic, serviceRun.Topic);
            Assert.IsGreaterThan(20, serviceRun.FreshnessBucketsSeconds.Count, "the service's explicit freshness buckets, not OpenTelemetry's defaults");
            StringAssert.Contains(serviceRun.Latency, "bucket resolution");

            LoadSummary summary = run.Summary;
            Assert.AreEqual(1_200, summary.PlannedRows);
            Assert.AreEqual(1_200, summary.OfferedRows);
            Assert.AreEqual(1_200, summary.WrittenRows);
            Assert.AreEqual(0, summary.UnfinishedRows);
            Assert.AreEqual(200, summary.OfferedRowsPerSecond, 30);
            // Measured after a 2 s warm-up: without one, the first second's publish-to-ack latency (delivery, the
            // mini-batch linger, the write) counted as lost throughput in so short a run (125 of 200/s in CI).
            Assert.AreEqual(summary.OfferedRowsPerSecond, summary.AchievedRowsPerSecond, 0.35 * summary.OfferedRowsPerSecond, "the service keeps up with 200 events/s");
            // Latency is the measured window's: the acks of the intervals after the warm-up (4 s and the drain).
            Assert.IsTrue(summary.LatencyMs.Count is > 600 and <= 1_200, $"{summary.LatencyMs.Count} latencies");
            Assert.IsTrue(summary.LatencyMs.P50 > 0 && summary.LatencyMs.P50 <= summary.LatencyMs.P99 && summary.LatencyMs.P99 <= summary.LatencyMs.Max && summary.LatencyMs.Max <= 60_000, $"{summary.LatencyMs}");
            Assert.AreEqual(1_200, run.Intervals.Sum(i => i.KeyRangeWrites.Sum()), "the heatmap holds every published key");
            Assert.IsTrue(run.Intervals.Any(i => i.Queues.ContainsKey("write") && i.Queues.ContainsKey("pubsub outstanding")), "queue depths from the service's gauges");
            Assert.IsGreaterThan(0, summary.PeakWorkingSetBytes, "the service's working set");
            Assert.IsNotEmpty(run.LatencyDistribution);
            Assert.AreEqual("the sample feature set of ingest --local", run.Environment["feature set"]);

            string html = File.ReadAllText(workspace.PathOf("out/report.html"));
            foreach (string chart in Charts)
            {
                StringAssert.Contains(html, $"<figure id=\"{chart}\">", chart);
                Assert.IsTrue(File.Exists(workspace.PathOf($"out/{chart}.png")), chart);
            }

            Assert.AreEqual(Charts.Length, Regex.Matches(html, "<svg[ >]").Count, "one inline SVG per chart");
            StringAssert.Contains(html, "Target Ingest");
            StringAssert.Contains(html, "bucket resolution");
            Assert.IsGreaterThan(1_100, await table.CountRowsAsync(Cancellation), "rows of 1,200 events over 100,000 keys landed in the service's table");
        }
        finally
        {
            await table.DeleteAsync();
        }
    }

    [TestMethod]
    public async Task Loadtest_IngestTargetBadFlags_ExitsTwoNamingEachFlagAndValue()
    {
        using var workspace = LoadTestWorkspace.Create("ingest-bad");

        CliResult result = await workspace.RunAsync(
            ["loadtest", "--profile", "none.yaml", "--target", "kafka", "--topic", "events", "--metrics-url", "localhost:8080/metrics"],
            new Dictionary<string, string> { ["PUBSUB_EMULATOR_HOST"] = "127.0.0.1:1" },
            Cancellation);

        Assert.AreEqual(2, result.Code, result.Output);
        StringAssert.Contains(result.Output, "--target is 'kafka'; allowed synthetic, bigquery, pubsub, ingest");
        StringAssert.Contains(result.Output, "--topic is 'events'; allowed projects/PROJECT/topics/NAME");
        StringAssert.Contains(result.Output, "--metrics-url is 'localhost:8080/metrics'");
    }

    [TestMethod]
    public async Task Loadtest_IngestTargetOnGoogleCloudWithoutAllowCloud_IsRefusedBeforePublishing()
    {
        using var workspace = LoadTestWorkspace.Create("ingest-cloud");
        workspace.Write("p.yaml", "name: cloud\nshape: { kind: steady, rate: 10, duration: 1s }\n");

        CliResult result = await workspace.RunAsync(
            ["loadtest", "--profile", "p.yaml", "--target", "ingest", "--topic", "projects/acme/topics/events", "--metrics-url", "http://127.0.0.1:1/metrics", "--table", "t"],
            new Dictionary<string, string> { ["PUBSUB_EMULATOR_HOST"] = string.Empty },
            Cancellation);

        Assert.AreEqual(2, result.Code, result.Output);
        StringAssert.Contains(result.Output, "--topic projects/acme/topics/events is on Google Cloud Pub/Sub");
        StringAssert.Contains(result.Output, "--allow-cloud");
        StringAssert.Contains(result.Output, "--table t does not apply to the ingest target");
    }

    [TestMethod]
    public async Task Loadtest_IngestTargetProfileRowsDoNotFitTheFeatureSet_ExitsTwoNamingTheFeature()
    {
        using var workspace = LoadTestWorkspace.Create("ingest-fit");
        workspace.Write("p.yaml", "name: strings\nshape: { kind: steady, rate: 10, duration: 1s }\nrows: { features: 4, valueBytes: 16 }\n");

        CliResult result = await workspace.RunAsync(
            ["loadtest", "--profile", "p.yaml", "--target", "ingest", "--topic", "projects/local/topics/events", "--metrics-url", "http://127.0.0.1:1/metrics"],
            new Dictionary<string, string> { ["PUBSUB_EMULATOR_HOST"] = "127.0.0.1:1" },
            Cancellation);

        Assert.AreEqual(2, result.Code, result.Output);
        StringAssert.Contains(result.Output, "feature f1 is int64, but the profile's events carry float64 in 'f1'");
        StringAssert.Contains(result.Output, "feature f4 reads column 'f4', which the profile's events do not carry");
    }

    private static async Task<bool> IsReadyAsync(HttpClient http)
    {
        try
        {
            using HttpResponseMessage response = await http.GetAsync("/healthz/ready");
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"Health: (http://[^/\s]+)/healthz/live")]
    private static partial Regex HealthLine();
}
