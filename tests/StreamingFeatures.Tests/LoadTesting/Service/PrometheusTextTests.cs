using StreamingFeatures.LoadTesting.Service;

namespace StreamingFeatures.Tests.LoadTesting.Service;

[TestClass]
public sealed class PrometheusTextTests
{
    // As OpenTelemetry's Prometheus exporter serves the ingest service's instruments (two subscriptions).
    private const string Exposition = """
        # TYPE streamingfeatures_pubsub_acked_total counter
        # HELP streamingfeatures_pubsub_acked_total Messages acknowledged.
        streamingfeatures_pubsub_acked_total{otel_scope_name="StreamingFeatures",subscription="projects/local/subscriptions/a"} 1200 1700000000000
        streamingfeatures_pubsub_acked_total{otel_scope_name="StreamingFeatures",subscription="projects/local/subscriptions/b"} 34

        # TYPE streamingfeatures_queue_depth gauge
        streamingfeatures_queue_depth{otel_scope_name="StreamingFeatures",block="map"} 3
        streamingfeatures_queue_depth{otel_scope_name="StreamingFeatures",block="write"} 17
        streamingfeatures_pubsub_outstanding_messages{subscription="projects/local/subscriptions/a"} 250
        # TYPE streamingfeatures_pubsub_freshness_seconds histogram
        streamingfeatures_pubsub_freshness_seconds_bucket{subscription="a",le="0.1"} 10
        streamingfeatures_pubsub_freshness_seconds_bucket{subscription="a",le="1"} 90
        streamingfeatures_pubsub_freshness_seconds_bucket{subscription="a",le="+Inf"} 100
        streamingfeatures_pubsub_freshness_seconds_sum{subscription="a"} 52.5
        streamingfeatures_pubsub_freshness_seconds_count{subscription="a"} 100
        streamingfeatures_pubsub_freshness_seconds_bucket{subscription="b",le="0.1"} 5
        streamingfeatures_pubsub_freshness_seconds_bucket{subscription="b",le="1"} 5
        streamingfeatures_pubsub_freshness_seconds_bucket{subscription="b",le="+Inf"} 5
        streamingfeatures_pubsub_freshness_seconds_sum{subscription="b"} 0.25
        streamingfeatures_pubsub_freshness_seconds_count{subscription="b"} 5
        dotnet_process_cpu_time_seconds_total{otel_scope_name="System.Runtime",cpu_mode="user"} 2.5
        dotnet_process_cpu_time_seconds_total{otel_scope_name="System.Runtime",cpu_mode="system"} 0.5
        dotnet_process_cpu_count{otel_scope_name="System.Runtime"} 4
        dotnet_process_memory_working_set_bytes 9.3e+07
        # EOF
        """;

    [TestMethod]
    public void Parse_SampleLines_ReadsNameLabelsAndValueAndSkipsCommentsAndTimestamps()
    {
        PrometheusScrape scrape = PrometheusText.Parse(Exposition);

        PrometheusSample first = scrape.Samples[0];
        Assert.AreEqual("streamingfeatures_pubsub_acked_total", first.Name);
        Assert.AreEqual("projects/local/subscriptions/a", first.Labels["subscription"]);
        Assert.AreEqual("StreamingFeatures", first.Labels["otel_scope_name"]);
        Assert.AreEqual(1200, first.Value);
        Assert.AreEqual(9.3e7, scrape.Sum("dotnet_process_memory_working_set_bytes"));
        Assert.HasCount(19, scrape.Samples);
    }

    [TestMethod]
    public void Parse_EscapedLabelValuesAndSpecialValues_AreUnescapedAndRead()
    {
        PrometheusScrape scrape = PrometheusText.Parse("""
            m{path="C:\\dir",quote="say \"hi\"",line="a\nb",} +Inf
            m{path="x"} -Inf
            n NaN
            """);

        Assert.AreEqual(@"C:\dir", scrape.Samples[0].Labels["path"]);
        Assert.AreEqual("say \"hi\"", scrape.Samples[0].Labels["quote"]);
        Assert.AreEqual("a\nb", scrape.Samples[0].Labels["line"]);
        Assert.AreEqual(double.PositiveInfinity, scrape.Samples[0].Value);
        Assert.AreEqual(double.NegativeInfinity, scrape.Samples[1].Value);
        Assert.IsTrue(double.IsNaN(scrape.Samples[2].Value));
    }

    [TestMethod]
    [DataRow("acked_total twelve", "line 2", "'twelve' is not a number")]
    [DataRow("acked_total{subscription=\"a} 1", "line 2", "no closing quote")]
    [DataRow("acked_total{subscription} 1", "line 2", "not name=\"value\"")]
    [DataRow("{a=\"b\"} 1", "line 2", "no metric name")]
    [DataRow("acked_total", "line 2", "is not a number")]
    public void Parse_MalformedLine_ThrowsNamingTheLineAndProblem(string line, string where, string problem)
    {
        var e = Assert.ThrowsExactly<FormatException>(() => PrometheusText.Parse("# TYPE acked_total counter\n" + line));

        StringAssert.Contains(e.Message, where);
        StringAssert.Contains(e.Message, problem);
    }

    [TestMethod]
    public void Sum_SeveralSeries_AddsThemAndGivesZeroForAnAbsentCounter()
    {
        PrometheusScrape scrape = PrometheusText.Parse(Exposition);

        Assert.AreEqual(1234, scrape.Sum("streamingfeatures_pubsub_acked_total"));
        Assert.AreEqual(0, scrape.Sum("streamingfeatures_pubsub_poison_total"));
        Assert.IsFalse(scrape.Has("streamingfeatures_pubsub_poison_total"));
    }

    [TestMethod]
    public void Histogram_TwoSeries_SumsBucketByBucketWithSumAndCount()
    {
        BucketHistogram? histogram = PrometheusText.Parse(Exposition).Histogram("streamingfeatures_pubsub_freshness_seconds");

        Assert.IsNotNull(histogram);
        CollectionAssert.AreEqual(new[] { 0.1, 1, double.PositiveInfinity }, histogram.UpperBounds.ToArray());
        CollectionAssert.AreEqual(new double[] { 15, 95, 105 }, histogram.CumulativeCounts.ToArray());
        Assert.AreEqual(52.75, histogram.Sum, 1e-9);
        Assert.AreEqual(105, histogram.Count);
        Assert.IsNull(PrometheusText.Parse(Exposition).Histogram("streamingfeatures_write_duration_milliseconds"));
    }

    [TestMethod]
    public void ServiceSampleFrom_IngestExposition_ReadsCountersGaugesQueuesAndProcess()
    {
        ServiceSample sample = ServiceSample.From(PrometheusText.Parse(Exposition));

        Assert.AreEqual(1234, sample.AckedMessages);
        Assert.AreEqual(0, sample.PoisonMessages);
        Assert.AreEqual(3, sample.Queues["map"]);
        Assert.AreEqual(17, sample.Queues["write"]);
        Assert.AreEqual(250, sample.Queues[ServiceSample.OutstandingQueue]);
        Assert.AreEqual(105, sample.Freshness!.Total);
        Assert.AreEqual(3.0, sample.CpuSeconds!.Value, 1e-9);
        Assert.AreEqual(4, sample.Processors);
        Assert.AreEqual(93_000_000, sample.WorkingSetBytes);
    }
}
