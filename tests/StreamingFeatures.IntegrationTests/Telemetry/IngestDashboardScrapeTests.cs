using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using StreamingFeatures.IntegrationTests.Cli;
using StreamingFeatures.Telemetry;
using StreamingFeatures.TestShared;

namespace StreamingFeatures.IntegrationTests.Telemetry;

/// <summary>
/// A real <c>ingest --local</c> run scraped at <c>/metrics</c>: the exporter names every series as the instruments
/// map to (so the fast dashboard test's mapping holds), honours the buckets the instruments advise, and every label a
/// dashboard query or legend uses is on the series it queries.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed partial class IngestDashboardScrapeTests
{
    /// <summary>Labels Prometheus adds when it scrapes a target, not in the exposition itself.</summary>
    private static readonly string[] TargetLabels = ["job", "instance"];

    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Cancellation => TestContext.CancellationToken;

    [TestMethod]
    public async Task Scrape_LocalIngest_SeriesBucketsAndDashboardLabelsMatchTheInstruments()
    {
        string folder = Directory.CreateTempSubdirectory("sf-ingest-metrics-").FullName;
        var table = new TargetTable(EmulatorFixture.UniqueName("metrics"));
        var environment = new Dictionary<string, string>
        {
            [CliProcess.BigtableHostVariable] = EmulatorFixture.Bigtable.Endpoint,
            ["PUBSUB_EMULATOR_HOST"] = EmulatorFixture.PubSub.Endpoint,
        };
        try
        {
            using CliProcess cli = CliProcess.Start(
                folder,
                ["ingest", "--local", "--publish-rate", "200", "--duration", "30s", "--http-port", "0", "--table", table.Id,
                 "--topic", EmulatorFixture.UniqueName("events"), "--subscription", EmulatorFixture.UniqueName("ingest"), "--dead-letter-topic", EmulatorFixture.UniqueName("dead")],
                environment);
            string? address = null;
            await cli.WaitUntilAsync(() => Task.FromResult((address = HealthLine().Match(cli.Output) is { Success: true } m ? m.Groups[1].Value : null) is not null), "the endpoints line", TimeSpan.FromSeconds(60), Cancellation);
            using var http = new HttpClient { BaseAddress = new Uri(address!) };
            string text = string.Empty;
            await cli.WaitUntilAsync(
                async () => (text = await ScrapeAsync(http)).Contains("streamingfeatures_pubsub_freshness_seconds_bucket", StringComparison.Ordinal)
                    && text.Contains("streamingfeatures_write_duration_seconds_bucket", StringComparison.Ordinal),
                "freshness and write duration in /metrics",
                TimeSpan.FromSeconds(60),
                Cancellation);
            var series = Parse(text);
            IReadOnlyList<Instrument> instruments = ServiceInstruments.All();

            AssertNamedAsTheInstrumentsMap(series, PrometheusNames.Series(instruments));
            CollectionAssert.AreEqual(MetricBuckets.Freshness.ToArray(), Bounds(series, "streamingfeatures_pubsub_freshness_seconds_bucket"), "freshness buckets as advised");
            CollectionAssert.AreEqual(MetricBuckets.Duration.ToArray(), Bounds(series, "streamingfeatures_write_duration_seconds_bucket"), "write duration buckets as advised");
            CollectionAssert.AreEqual(MetricBuckets.Size.Select(b => (double)b).ToArray(), Bounds(series, "streamingfeatures_batch_size_bytes_bucket"), "batch size buckets as advised");
            AssertDashboardLabelsExist(series);
            CliResult result = await cli.WaitAsync(Cancellation, TimeSpan.FromSeconds(90));
            Assert.AreEqual(0, result.Code, result.Output);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
            await table.DeleteAsync();
        }
    }

    private static void AssertNamedAsTheInstrumentsMap(Dictionary<string, List<Dictionary<string, string>>> series, Dictionary<string, Instrument> exported)
    {
        string[] ours = [.. series.Keys.Where(name => name.StartsWith("streamingfeatures_", StringComparison.Ordinal))];
        string[] unmapped = [.. ours.Where(name => !exported.ContainsKey(name))];

        Assert.IsGreaterThanOrEqualTo(15, ours.Length, string.Join(", ", ours));
        Assert.IsEmpty(unmapped, $"scraped but not what the instruments map to: {string.Join(", ", unmapped)}; mapped: {string.Join(", ", exported.Keys)}");
    }

    private static void AssertDashboardLabelsExist(Dictionary<string, List<Dictionary<string, string>>> series)
    {
        var problems = new List<string>();
        var checkedMetrics = new HashSet<string>(StringComparer.Ordinal);
        foreach (GrafanaDashboard.Query query in GrafanaDashboard.Queries(File.ReadAllText(GrafanaDashboard.IngestDashboardPath())))
        {
            foreach (string metric in query.Metrics.Where(series.ContainsKey))
            {
                checkedMetrics.Add(metric);
                HashSet<string> labels = [.. series[metric].SelectMany(s => s.Keys), .. TargetLabels];
                foreach (string label in query.Labels.Concat(query.LegendLabels).Where(l => !labels.Contains(l)))
                {
                    problems.Add($"{query.Panel}: {metric} has no label '{label}' (has {string.Join(", ", labels)})");
                }
            }
        }

        CollectionAssert.IsSubsetOf(
            new[] { "streamingfeatures_rows_read_total", "streamingfeatures_rows_written_total", "streamingfeatures_pubsub_freshness_seconds_bucket", "streamingfeatures_queue_depth", "streamingfeatures_pubsub_acked_total" },
            checkedMetrics.ToArray());
        Assert.IsEmpty(problems, string.Join(Environment.NewLine, problems));
    }

    private static double[] Bounds(Dictionary<string, List<Dictionary<string, string>>> series, string bucket) =>
        [.. series[bucket].Select(s => s["le"]).Where(le => le != "+Inf").Select(le => double.Parse(le, CultureInfo.InvariantCulture)).Distinct().Order()];

    /// <summary>Each series name with the label sets of its samples.</summary>
    private static Dictionary<string, List<Dictionary<string, string>>> Parse(string text)
    {
        var series = new Dictionary<string, List<Dictionary<string, string>>>(StringComparer.Ordinal);
        foreach (string line in text.Split('\n').Where(l => l.Length > 0 && l[0] != '#'))
        {
            Match sample = Sample().Match(line);
            Assert.IsTrue(sample.Success, line);
            var labels = Label().Matches(sample.Groups[2].Value).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.Ordinal);
            (series.TryGetValue(sample.Groups[1].Value, out var list) ? list : series[sample.Groups[1].Value] = []).Add(labels);
        }

        return series;
    }

    private async Task<string> ScrapeAsync(HttpClient http)
    {
        try
        {
            using HttpResponseMessage response = await http.GetAsync("/metrics", Cancellation);
            return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadAsStringAsync(Cancellation) : string.Empty;
        }
        catch (HttpRequestException)
        {
            return string.Empty;
        }
    }

    [GeneratedRegex(@"Health: (http://[^/\s]+)/healthz/live")]
    private static partial Regex HealthLine();

    [GeneratedRegex(@"^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+\S+")]
    private static partial Regex Sample();

    [GeneratedRegex("""([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)" """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex Label();
}
