using System.Diagnostics.Metrics;
using System.Text.Json;
using StreamingFeatures.TestShared;

namespace StreamingFeatures.Tests.Telemetry;

/// <summary>
/// <c>infra/grafana/ingest-dashboard.json</c> against the service's instruments: every query names a series the
/// Prometheus exporter exposes for a real instrument (mapped by the exporter's naming rules, not from a list).
/// The integration test <c>IngestDashboardScrapeTests</c> checks the same against a running service's scrape.
/// </summary>
[TestClass]
public sealed class IngestDashboardTests
{
    private static readonly string Json = File.ReadAllText(GrafanaDashboard.IngestDashboardPath());

    [TestMethod]
    public void IngestDashboard_EveryQuery_NamesAnExportedSeries()
    {
        Dictionary<string, Instrument> exported = PrometheusNames.Series(ServiceInstruments.All());
        IReadOnlyList<GrafanaDashboard.Query> queries = GrafanaDashboard.Queries(Json);

        string[] unknown = [.. queries.SelectMany(q => q.Metrics.Where(m => !exported.ContainsKey(m)).Select(m => $"{q.Panel}: {m} in {q.Expr}"))];

        Assert.IsGreaterThanOrEqualTo(25, queries.Count);
        Assert.IsTrue(queries.All(q => q.Metrics.Count > 0), "a query without a metric name: the extraction missed it");
        Assert.IsEmpty(unknown, string.Join(Environment.NewLine, unknown));
    }

    [TestMethod]
    public void IngestDashboard_Panels_ShowWhatTheIssueAsks()
    {
        IReadOnlyList<GrafanaDashboard.Query> queries = GrafanaDashboard.Queries(Json);
        HashSet<string> metrics = [.. queries.SelectMany(q => q.Metrics)];

        string[] expected =
        [
            "streamingfeatures_rows_read_total", "streamingfeatures_rows_written_total", "streamingfeatures_pubsub_freshness_seconds_bucket",
            "streamingfeatures_queue_depth", "streamingfeatures_write_retries_total", "streamingfeatures_pubsub_dead_letters_total",
            "streamingfeatures_pubsub_lease_extensions_total", "streamingfeatures_write_rate_limit__per_second",
        ];

        CollectionAssert.IsSubsetOf(expected, metrics.ToArray());
        Assert.IsTrue(queries.Any(q => q.Expr.StartsWith("histogram_quantile(0.99, ", StringComparison.Ordinal) && q.Metrics.Contains("streamingfeatures_pubsub_freshness_seconds_bucket")), "freshness p99");
        Assert.IsTrue(queries.Any(q => q.Labels.Contains("block") && q.Metrics.Contains("streamingfeatures_queue_depth")), "queue depth per block");
        Assert.IsTrue(queries.Any(q => q.Labels.Contains("code") && q.Metrics.Contains("streamingfeatures_write_retries_total")), "retries by code");
        Assert.IsTrue(queries.Any(q => q.Labels.Contains("reason") && q.Metrics.Contains("streamingfeatures_pubsub_dead_letters_total")), "dead letters by reason: every message on the dead-letter topic");
    }

    [TestMethod]
    public void IngestDashboard_Datasource_IsATemplateVariable()
    {
        using JsonDocument document = JsonDocument.Parse(Json);
        string[] sources = [.. Descendants(document.RootElement).Where(e => e.ValueKind == JsonValueKind.Object && e.TryGetProperty("datasource", out JsonElement d) && d.ValueKind == JsonValueKind.Object)
            .Select(e => e.GetProperty("datasource").GetProperty("uid").GetString() ?? "")];

        Assert.IsGreaterThanOrEqualTo(20, sources.Length);
        Assert.IsTrue(sources.All(uid => uid == "${datasource}"), string.Join(", ", sources.Distinct()));
        Assert.IsGreaterThanOrEqualTo(39, document.RootElement.GetProperty("schemaVersion").GetInt32(), "Grafana 10's schema");
    }

    [TestMethod]
    public void Parse_QuantileOverRate_MetricAndLabelsWithoutFunctionsOrVariables()
    {
        (IReadOnlySet<string> metrics, IReadOnlySet<string> labels) = GrafanaDashboard.Parse(
            """histogram_quantile(0.99, sum by (le, subscription) (rate(a_seconds_bucket{subscription=~"$subscription",x!="y}"}[$__rate_interval]))) / on (job) b_total offset 5m""");

        CollectionAssert.AreEquivalent(new[] { "a_seconds_bucket", "b_total" }, metrics.ToArray());
        CollectionAssert.AreEquivalent(new[] { "le", "subscription", "x", "job" }, labels.ToArray());
    }

    [TestMethod]
    public void Series_InstrumentsByKind_NamedAsTheExporterNamesThem()
    {
        using var meter = new Meter("test");
        Instrument[] instruments =
        [
            meter.CreateCounter<long>("a.rows.read", "{row}"),
            meter.CreateHistogram<double>("a.write.duration", "s"),
            meter.CreateObservableGauge("a.outstanding.size", () => 1L, "By"),
            meter.CreateObservableGauge("a.rate_limit", () => 1.0, "{request}/s"),
            meter.CreateCounter<long>("a.batch.bytes", "By"),
        ];

        CollectionAssert.AreEquivalent(
            new[] { "a_rows_read_total", "a_write_duration_seconds_bucket", "a_write_duration_seconds_sum", "a_write_duration_seconds_count", "a_outstanding_size_bytes", "a_rate_limit__per_second", "a_batch_bytes_total" },
            PrometheusNames.Series(instruments).Keys.ToArray());
    }

    private static IEnumerable<JsonElement> Descendants(JsonElement element)
    {
        yield return element;
        IEnumerable<JsonElement> children = element.ValueKind switch
        {
            JsonValueKind.Object => element.EnumerateObject().Select(p => p.Value),
            JsonValueKind.Array => element.EnumerateArray(),
            _ => [],
        };
        foreach (JsonElement descendant in children.SelectMany(Descendants))
        {
            yield return descendant;
        }
    }
}
