using StreamingFeatures.Bigtable;
using StreamingFeatures.Cli.Ingest;
using StreamingFeatures.Jobs;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Sources.PubSub;

namespace StreamingFeatures.IntegrationTests.Cli.Ingest;

/// <summary>
/// Reading the ingest settings: defaults, names completed with the project, and every bad value refused with its
/// setting, value, origin and allowed range — all problems at once. No I/O.
/// </summary>
[TestClass]
public sealed class IngestSettingsTests
{
    [TestMethod]
    public void Read_NothingSet_LocalModeWithDefaults()
    {
        IngestSettings settings = Read();

        Assert.IsTrue(settings.Local);
        Assert.AreEqual("projects/local/subscriptions/streamingfeatures-ingest", settings.Subscription);
        Assert.AreEqual("projects/local/topics/streamingfeatures-events", settings.Topic);
        Assert.AreEqual("projects/local/topics/streamingfeatures-dead-letters", settings.DeadLetterTopic);
        Assert.AreEqual(8080, settings.HttpPort);
        Assert.AreEqual(TimeSpan.FromSeconds(30), settings.ShutdownTimeout);
        Assert.AreEqual(TimeSpan.FromSeconds(60), settings.Source.AckDeadline);
        Assert.IsNull(settings.Duration);
    }

    [TestMethod]
    public void Read_Production_ShortNamesCompletedWithProjectAndNoDeadLetterTopicByDefault()
    {
        IngestSettings settings = Read(("Project", "acme"), ("Instance", "features"), ("Subscription", "clicks-ingest"));

        Assert.IsFalse(settings.Local);
        Assert.AreEqual("projects/acme/subscriptions/clicks-ingest", settings.Subscription);
        Assert.IsNull(settings.DeadLetterTopic);
    }

    [TestMethod]
    public void Read_DurationsInEveryForm_Parsed()
    {
        IngestSettings settings = Read(("AckDeadline", "90"), ("ShutdownTimeout", "2m"), ("BatchLinger", "250ms"), ("Duration", "00:00:20"));

        Assert.AreEqual(TimeSpan.FromSeconds(90), settings.Source.AckDeadline);
        Assert.AreEqual(TimeSpan.FromMinutes(2), settings.ShutdownTimeout);
        Assert.AreEqual(TimeSpan.FromMilliseconds(250), settings.Batching.Linger);
        Assert.AreEqual(TimeSpan.FromSeconds(20), settings.Duration);
    }

    [TestMethod]
    public void Read_ShutdownTimeout_SplitsIntoDrainAndCloseThatFitIt()
    {
        IngestSettings settings = Read(("ShutdownTimeout", "40s"));

        Assert.AreEqual(TimeSpan.FromSeconds(30), settings.DrainTimeout);
        Assert.AreEqual(TimeSpan.FromSeconds(8), settings.CloseTimeout);
        Assert.AreEqual(TimeSpan.FromSeconds(30), settings.JobOptions().Pipeline.DrainTimeout);
    }

    [TestMethod]
    [DataRow("Streams", "0", "allowed a whole number from 1 to 32")]
    [DataRow("Streams", "two", "allowed a whole number from 1 to 32")]
    [DataRow("MaxOutstandingMessages", "0", "from 1 to 1000000")]
    [DataRow("MaxOutstandingBytes", "100", "from 1024 to 10737418240")]
    [DataRow("AckDeadline", "5s", "allowed 10s to 10m")]
    [DataRow("MaxLeaseExtension", "30s", "allowed 1m to 1d")]
    [DataRow("BatchRows", "200000", "from 1 to 100000")]
    [DataRow("BatchBytes", "1000", "from 65536 to 209715200")]
    [DataRow("BatchLinger", "11s", "allowed 0ms to 10s")]
    [DataRow("WriteRequests", "0", "from 1 to 256")]
    [DataRow("HttpPort", "70000", "from 0 to 65535")]
    [DataRow("ShutdownTimeout", "0", "allowed 1s to 10m")]
    [DataRow("SummaryInterval", "soon", "allowed 1s to 1h")]
    [DataRow("ProbeInterval", "10m", "allowed 1s to 5m")]
    [DataRow("OtlpEndpoint", "collector:4317", "absolute http:// or https:// URL")]
    [DataRow("PublishRate", "-1", "from 0 to 100000")]
    [DataRow("PublishKeys", "0", "from 1 to 1000000000000")]
    [DataRow("Duration", "0s", "allowed 1s to 30d")]
    [DataRow("Subscription", "projects/p/topics/t", "allowed projects/PROJECT/subscriptions/NAME or NAME")]
    [DataRow("DeadLetterTopic", "a b", "allowed projects/PROJECT/topics/NAME or NAME")]
    [DataRow("Local", "sometimes", "allowed true or false")]
    public void Read_BadValue_NamesSettingFlagValueOriginAndRange(string key, string value, string allowed)
    {
        IngestSetting setting = IngestSetting.All.Single(s => s.Key == key);

        var e = Assert.ThrowsExactly<IngestConfigurationException>(() => Read((key, value)));

        StringAssert.Contains(e.Message, $"{key} ({setting.Flag}) is '{value}' (flag {setting.Flag}); ");
        StringAssert.Contains(e.Message, allowed);
    }

    [TestMethod]
    public void Read_SeveralBadValues_ReportsEveryOneTogether()
    {
        var e = Assert.ThrowsExactly<IngestConfigurationException>(() => Read(("Streams", "99"), ("AckDeadline", "1h"), ("HttpPort", "-1"), ("Duration", "forever")));

        string[] lines = e.Message.Split(Environment.NewLine);
        Assert.HasCount(4, lines, e.Message);
        StringAssert.Contains(e.Message, "Streams (--streams) is '99'");
        StringAssert.Contains(e.Message, "AckDeadline (--ack-deadline) is '1h'");
        StringAssert.Contains(e.Message, "HttpPort (--http-port) is '-1'");
        StringAssert.Contains(e.Message, "Duration (--duration) is 'forever'");
    }

    [TestMethod]
    public void Read_ProductionWithoutInstanceAndSubscription_NamesBoth()
    {
        var e = Assert.ThrowsExactly<IngestConfigurationException>(() => Read(("Project", "acme")));

        StringAssert.Contains(e.Message, "Instance (--instance) is not set");
        StringAssert.Contains(e.Message, "Subscription (--subscription) is not set");
    }

    [TestMethod]
    public void Read_PublishRateInProduction_RefusedAsLocalOnly()
    {
        var e = Assert.ThrowsExactly<IngestConfigurationException>(() => Read(("Project", "acme"), ("Instance", "i"), ("Subscription", "s"), ("PublishRate", "10")));

        StringAssert.Contains(e.Message, "PublishRate (--publish-rate) is '10'");
        StringAssert.Contains(e.Message, "only in local mode");
    }

    [TestMethod]
    public void Read_UnknownEnvironmentVariables_IgnoredAndListedForTheWarning()
    {
        // What Kubernetes injects for a Service named streamingfeatures-ingest-metrics, a typo, and a nested key.
        var environment = new Dictionary<string, string>
        {
            ["STREAMINGFEATURES_INGEST_METRICS_SERVICE_HOST"] = "10.96.0.2",
            ["STREAMINGFEATURES_INGEST_METRICS_PORT_8080_TCP"] = "tcp://10.96.0.2:8080",
            ["STREAMINGFEATURES_SUBSCRIPTON"] = "typo",
            ["STREAMINGFEATURES_FOO__BAR"] = "1",
            ["STREAMINGFEATURES_LOGGING__LOGLEVEL__DEFAULT"] = "Warning",
            ["STREAMINGFEATURES_STREAMS"] = "3",
        };
        IngestConfiguration configuration = IngestConfiguration.Build(null, environment, new Dictionary<string, string?>());

        IngestSettings settings = IngestSettings.Read(configuration);

        Assert.AreEqual(3, settings.Source.StreamCount, "known variables still apply");
        CollectionAssert.AreEqual(
            new[] { "STREAMINGFEATURES_FOO__BAR", "STREAMINGFEATURES_INGEST_METRICS_PORT_8080_TCP", "STREAMINGFEATURES_INGEST_METRICS_SERVICE_HOST", "STREAMINGFEATURES_SUBSCRIPTON" },
            configuration.IgnoredVariables().ToArray());
    }

    [TestMethod]
    public void Read_NothingSet_EngineOptionsKeepTheEngineDefaults()
    {
        IngestJobOptions options = Read().JobOptions();

        Assert.AreEqual(new BatchingOptions(), options.Pipeline.Batching);
        Assert.AreEqual(new BigtableWriterOptions(), options.Pipeline.Writer);
        Assert.AreEqual(new PubSubSourceOptions().StreamCount, options.Source.StreamCount);
        Assert.AreEqual(new PubSubSourceOptions().MaxOutstandingBytes, options.Source.MaxOutstandingBytes);
        Assert.AreEqual(new PubSubSourceOptions().MaxMessageBytes, options.Source.MaxMessageBytes);
        Assert.AreEqual(TableProvisioning.Create, options.Provisioning);
    }

    [TestMethod]
    public void Help_RangeAndDefault_WrittenFromTheEngineLimits()
    {
        StringAssert.EndsWith(IngestSetting.BatchRows.Description, ", 1 to 100000. Default 1000.");
        StringAssert.EndsWith(IngestSetting.MaxOutstandingBytes.Description, ", 1024 to 10737418240. Default 100000000.");
        StringAssert.EndsWith(IngestSetting.AckDeadline.Description, ", 10s to 10m. Default 1m.");
        StringAssert.EndsWith(IngestSetting.BatchLinger.Description, ", 0ms to 10s. Default 50ms.");
        Assert.AreEqual(BatchingLimits.MaxRows.Max, IngestSetting.BatchRows.WholeNumbers!.Value.Max);
    }

    [TestMethod]
    public void Read_NoCreate_ForbidsTableProvisioning()
    {
        Assert.AreEqual(TableProvisioning.Forbid, Read(("NoCreate", "true")).JobOptions().Provisioning);
    }

    private static IngestSettings Read(params (string Key, string Value)[] flags) =>
        IngestSettings.Read(IngestConfiguration.Build(null, new Dictionary<string, string>(), flags.ToDictionary(f => f.Key, f => (string?)f.Value)));
}
