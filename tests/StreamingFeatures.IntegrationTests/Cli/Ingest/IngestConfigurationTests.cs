using StreamingFeatures.Cli.Ingest;

namespace StreamingFeatures.IntegrationTests.Cli.Ingest;

/// <summary>Settings from a JSON file, <c>STREAMINGFEATURES_*</c> variables and flags: flags win, then the environment.</summary>
[TestClass]
public sealed class IngestConfigurationTests
{
    private string _folder = null!;

    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("sf-ingest-config-").FullName;

    [TestCleanup]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [TestMethod]
    public void Read_SameSettingInEveryLayer_FlagWinsThenEnvironmentThenFile()
    {
        string file = WriteConfig("""{ "Streams": 3, "BatchRows": 300, "HttpPort": 9003, "ShutdownTimeout": "13s" }""");
        var environment = new Dictionary<string, string>
        {
            ["STREAMINGFEATURES_BATCHROWS"] = "400",
            ["STREAMINGFEATURES_HTTPPORT"] = "9004",
            ["UNRELATED"] = "x",
        };
        var flags = new Dictionary<string, string?> { ["HttpPort"] = "9005" };

        IngestSettings settings = IngestSettings.Read(IngestConfiguration.Build(file, environment, flags));

        Assert.AreEqual(3, settings.Source.StreamCount, "only the file sets Streams");
        Assert.AreEqual(400, settings.Batching.MaxRows, "the environment overrides the file");
        Assert.AreEqual(9005, settings.HttpPort, "a flag overrides the environment and the file");
        Assert.AreEqual(TimeSpan.FromSeconds(13), settings.ShutdownTimeout);
        Assert.AreEqual(TimeSpan.FromSeconds(60), settings.Source.AckDeadline, "nobody sets it: the default");
    }

    [TestMethod]
    public void Read_EnvironmentVariableNames_AreCaseInsensitiveAfterThePrefix()
    {
        var environment = new Dictionary<string, string> { ["STREAMINGFEATURES_ACKDEADLINE"] = "20s", ["streamingfeatures_Streams"] = "4" };

        IngestSettings settings = IngestSettings.Read(IngestConfiguration.Build(null, environment, new Dictionary<string, string?>()));

        Assert.AreEqual(TimeSpan.FromSeconds(20), settings.Source.AckDeadline);
        Assert.AreEqual(4, settings.Source.StreamCount);
    }

    [TestMethod]
    public void Read_BadValue_NamesTheLayerItCameFrom()
    {
        string file = WriteConfig("""{ "Streams": 0 }""");
        var environment = new Dictionary<string, string> { ["STREAMINGFEATURES_WRITEREQUESTS"] = "1000" };

        var e = Assert.ThrowsExactly<IngestConfigurationException>(() =>
            IngestSettings.Read(IngestConfiguration.Build(file, environment, new Dictionary<string, string?> { ["HttpPort"] = "-5" })));

        StringAssert.Contains(e.Message, $"Streams (--streams) is '0' (file {file})");
        StringAssert.Contains(e.Message, "WriteRequests (--write-requests) is '1000' (environment STREAMINGFEATURES_WRITEREQUESTS)");
        StringAssert.Contains(e.Message, "HttpPort (--http-port) is '-5' (flag --http-port)");
    }

    [TestMethod]
    public void Read_UnknownKeyInFile_NamedWithTheFile()
    {
        string file = WriteConfig("""{ "Subscripton": "typo", "Logging": { "LogLevel": { "Default": "Warning" } } }""");

        var e = Assert.ThrowsExactly<IngestConfigurationException>(() =>
            IngestSettings.Read(IngestConfiguration.Build(file, new Dictionary<string, string>(), new Dictionary<string, string?>())));

        StringAssert.Contains(e.Message, $"Unknown setting 'Subscripton' in file {file}");
        Assert.DoesNotContain("Logging", e.Message, "the Logging section configures the host's log levels");
    }

    [TestMethod]
    public void Build_MissingOrBrokenFile_Refused()
    {
        string missing = Path.Combine(_folder, "none.json");
        string broken = WriteConfig("{ \"Streams\": ");

        var e1 = Assert.ThrowsExactly<IngestConfigurationException>(() => IngestConfiguration.Build(missing, new Dictionary<string, string>(), new Dictionary<string, string?>()));
        var e2 = Assert.ThrowsExactly<IngestConfigurationException>(() => IngestConfiguration.Build(broken, new Dictionary<string, string>(), new Dictionary<string, string?>()));

        StringAssert.Contains(e1.Message, missing);
        StringAssert.Contains(e2.Message, broken);
    }

    private string WriteConfig(string json)
    {
        string path = Path.Combine(_folder, $"ingest-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }
}
