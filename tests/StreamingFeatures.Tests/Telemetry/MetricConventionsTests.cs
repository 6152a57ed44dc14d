using System.Diagnostics.Metrics;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Telemetry;
using StreamingFeatures.TestShared;

namespace StreamingFeatures.Tests.Telemetry;

[TestClass]
public sealed class MetricConventionsTests
{
    [TestMethod]
    public void ServiceInstruments_Every_FollowsTheConventions()
    {
        IReadOnlyList<Instrument> instruments = ServiceInstruments.All();

        string[] violations = [.. instruments.SelectMany(MetricConventions.Violations)];

        Assert.IsGreaterThanOrEqualTo(24, instruments.Count, string.Join(", ", instruments.Select(i => i.Name)));
        Assert.IsEmpty(violations, string.Join(Environment.NewLine, violations));
    }

    [TestMethod]
    public void ServiceInstruments_Durations_InSeconds()
    {
        Instrument[] durations = [.. ServiceInstruments.All().Where(i => i.Name is "streamingfeatures.write.duration" or "streamingfeatures.pubsub.freshness")];

        Assert.HasCount(2, durations);
        Assert.IsTrue(durations.All(i => i.Unit == "s"), string.Join(", ", durations.Select(i => $"{i.Name} {i.Unit}")));
    }

    [TestMethod]
    public void Violations_MillisecondsHistogramWithoutBuckets_Reported()
    {
        using var meter = new Meter("test");
        Instrument latency = meter.CreateHistogram<double>("test.write.duration", "ms");
        Instrument bytesInName = meter.CreateCounter<long>("test.bytes_written", "By");
        Instrument camel = meter.CreateCounter<long>("test.rowsRead", "{row}");
        Instrument noUnit = meter.CreateObservableGauge("test.queue.depth", () => 1);

        IReadOnlyList<string> latencyViolations = MetricConventions.Violations(latency);

        Assert.HasCount(3, latencyViolations, string.Join(Environment.NewLine, latencyViolations));
        Assert.Contains("test.write.duration: unit 'ms' is not one of s, By, 1, {thing}, optionally per second", latencyViolations);
        Assert.Contains("test.write.duration: a duration in 'ms', not s", latencyViolations);
        Assert.Contains("test.write.duration: a histogram without explicit bucket boundaries (InstrumentAdvice)", latencyViolations);
        Assert.Contains("test.bytes_written: 'bytes' in the name (the unit belongs in the unit, exporters append it)", MetricConventions.Violations(bytesInName));
        Assert.Contains("test.rowsRead: not a lowercase dotted name", MetricConventions.Violations(camel));
        Assert.Contains("test.queue.depth: unit '' is not one of s, By, 1, {thing}, optionally per second", MetricConventions.Violations(noUnit));
    }

    [TestMethod]
    public void Violations_SecondsHistogramWithAdvice_None()
    {
        using var meter = new Meter("test");
        Instrument latency = meter.CreateHistogram("test.write.duration", "s", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 1] });

        Assert.IsEmpty(MetricConventions.Violations(latency));
    }

    [TestMethod]
    public void MetricBuckets_Bounds_CoverWhatTheEngineAllows()
    {
        Assert.IsGreaterThanOrEqualTo(BatchingLimits.MaxBytes.Max, MetricBuckets.Size[^1], "the largest batch a user may configure");
        Assert.IsGreaterThanOrEqualTo(BatchingLimits.BigtableMaxMutations, MetricBuckets.Rows[^1], "Bigtable's most entries per request");
        Assert.IsGreaterThanOrEqualTo(StreamingFeatures.Bigtable.BigtableWriterLimits.RetryDeadline.Default.TotalSeconds, MetricBuckets.Duration[^1], "a write that retries until the default deadline");
        Assert.IsLessThanOrEqualTo(0.001, MetricBuckets.Duration[0], "sub-millisecond writes on loopback");
    }
}
