using StreamingFeatures.Serving;
using StreamingFeatures.TestShared;
using StreamingFeatures.Tests.Telemetry;

namespace StreamingFeatures.Tests.Serving;

[TestClass]
public sealed class FeatureReaderOptionsTests
{
    [TestMethod]
    public void Validate_Defaults_Pass()
    {
        new FeatureReaderOptions().Validate();
    }

    [TestMethod]
    public void Validate_EverySettingOutOfRange_AllNamedWithValueAndRange()
    {
        var options = new FeatureReaderOptions { MaxBatchKeys = 0, SubBatchKeys = 10_001, Concurrency = 0, Timeout = TimeSpan.Zero, Retry = FeatureReaderOptions.DefaultRetry with { MaxAttempts = 0 } };

        ArgumentException error = Assert.ThrowsExactly<ArgumentException>(options.Validate);

        StringAssert.Contains(error.Message, "MaxBatchKeys is 0; allowed 1 to 100000.");
        StringAssert.Contains(error.Message, "SubBatchKeys is 10001; allowed 1 to 10000.");
        StringAssert.Contains(error.Message, "Concurrency is 0; allowed 1 to 256.");
        StringAssert.Contains(error.Message, "Timeout is 00:00:00; allowed 00:00:00.0010000 to 00:10:00.");
        StringAssert.Contains(error.Message, "Retry.MaxAttempts is 0; allowed 1 to 10000.");
    }

    [TestMethod]
    public void ServingMetrics_Instruments_FollowTheMetricConventions()
    {
        using var metrics = new ServingMetrics();

        IReadOnlyList<System.Diagnostics.Metrics.Instrument> instruments = ServiceInstruments.Published(metrics.Meter);

        Assert.HasCount(5, instruments);
        Assert.IsEmpty(instruments.SelectMany(MetricConventions.Violations).ToArray());
        Assert.AreEqual("s", instruments.Single(i => i.Name == "streamingfeatures.serving.read.duration").Unit);
    }
}
