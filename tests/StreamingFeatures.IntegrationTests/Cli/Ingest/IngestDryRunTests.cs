using System.Net;
using System.Net.Sockets;

namespace StreamingFeatures.IntegrationTests.Cli.Ingest;

/// <summary>
/// <c>ingest --dry-run</c> and the checks it shares with a real start: every setting from file, environment and
/// flags, the feature set, the HTTP port, the emulator variables; nothing starts.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class IngestDryRunTests
{
    private string _folder = null!;

    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Cancellation => TestContext.CancellationToken;

    [TestInitialize]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("sf-ingest-dry-").FullName;

    [TestCleanup]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [TestMethod]
    public async Task Ingest_DryRunProduction_PrintsThePlanFromEveryLayerAndExitsZeroWithoutCredentials()
    {
        File.WriteAllText(Path.Combine(_folder, "ingest.json"), """{ "Project": "acme", "Instance": "from-file", "Subscription": "clicks", "Streams": 3, "FeatureSet": "fs.yaml" }""");
        FeatureSetFile.WriteSynthetic(Path.Combine(_folder, "fs.yaml"), "clicks_features", features: 2);
        var environment = new Dictionary<string, string>
        {
            ["STREAMINGFEATURES_INSTANCE"] = "from-env",
            ["STREAMINGFEATURES_STREAMS"] = "4",
            ["GOOGLE_APPLICATION_CREDENTIALS"] = Path.Combine(_folder, "no-such-key.json"),
        };

        CliResult result = await CliProcess.RunAsync(_folder, ["ingest", "--config", "ingest.json", "--dry-run", "--streams", "5", "--http-port", "0"], environment, Cancellation);

        Assert.AreEqual(0, result.Code, result.Output);
        StringAssert.Contains(result.Output, "Dry run:");
        StringAssert.Contains(result.Output, "Bigtable instance from-env", "the environment overrides the file");
        StringAssert.Contains(result.Output, "projects/acme/subscriptions/clicks with 5 streams", "a flag overrides both");
        StringAssert.Contains(result.Output, "table clicks_features");
        Assert.DoesNotContain("Health:", result.Output, "nothing serves");
    }

    [TestMethod]
    public async Task Ingest_DryRunWithProblemsInEveryLayer_ExitsTwoNamingEach()
    {
        File.WriteAllText(Path.Combine(_folder, "ingest.json"), """{ "AckDeadline": "5s", "Subscripton": "typo" }""");
        var environment = new Dictionary<string, string>
        {
            ["STREAMINGFEATURES_BATCHROWS"] = "0",
            [CliProcess.PubSubHostVariable] = "localhost",
        };

        CliResult result = await CliProcess.RunAsync(_folder, ["ingest", "--config", "ingest.json", "--dry-run", "--local", "--streams", "99"], environment, Cancellation);

        Assert.AreEqual(2, result.Code, result.Output);
        StringAssert.Contains(result.Output, "AckDeadline (--ack-deadline) is '5s' (file ");
        StringAssert.Contains(result.Output, "Unknown setting 'Subscripton' in file");
        StringAssert.Contains(result.Output, "BatchRows (--batch-rows) is '0' (environment STREAMINGFEATURES_BATCHROWS)");
        StringAssert.Contains(result.Output, "Streams (--streams) is '99' (flag --streams)");
        Assert.DoesNotContain("Dry run:", result.Output);
    }

    [TestMethod]
    public async Task Ingest_DryRunBadEmulatorVariableAndMissingKeyFile_ExitsTwoNamingEach()
    {
        var environment = new Dictionary<string, string> { [CliProcess.PubSubHostVariable] = "localhost" };

        CliResult result = await CliProcess.RunAsync(_folder, ["ingest", "--local", "--dry-run", "--http-port", "0", "--credentials", "missing.json"], environment, Cancellation);

        Assert.AreEqual(2, result.Code, result.Output);
        StringAssert.Contains(result.Output, "PUBSUB_EMULATOR_HOST is 'localhost'; allowed: host:port");
        StringAssert.Contains(result.Output, "Credentials (--credentials) is 'missing.json' (flag --credentials); no such file");
    }

    [TestMethod]
    [DataRow(false, DisplayName = "a real start")]
    [DataRow(true, DisplayName = "--dry-run")]
    public async Task Ingest_HttpPortTaken_ExitsTwoInOneLineWithoutStackTrace(bool dryRun)
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        string port = ((IPEndPoint)taken.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string[] args = ["ingest", "--local", "--http-port", port];

        CliResult result = await CliProcess.RunAsync(_folder, dryRun ? [.. args, "--dry-run"] : args, environment: null, Cancellation);

        Assert.AreEqual(2, result.Code, result.Output);
        Assert.AreEqual(
            $"error: HttpPort (--http-port) is '{port}' (flag --http-port); cannot listen there for health and metrics: another process listens on it. Allowed: a free port, or 0 for any free one.",
            result.Output.Trim());
    }

    [TestMethod]
    public async Task Ingest_Help_ListsItsExitCodesAndDryRun()
    {
        CliResult result = await CliProcess.RunAsync(_folder, ["ingest", "--help"], environment: null, Cancellation);

        Assert.AreEqual(0, result.Code, result.Output);
        StringAssert.Contains(result.Output, "--dry-run");
        StringAssert.Contains(result.Output, "Exit codes:");
        foreach (string code in new[] { "0 ", "1 ", "2 " })
        {
            StringAssert.Contains(result.Output, "  " + code, code);
        }
    }

    [TestMethod]
    public async Task Ingest_EmptyConfigPath_ExitsTwoWithoutTypeName()
    {
        CliResult result = await CliProcess.RunAsync(_folder, ["ingest", "--dry-run", "--config", ""], environment: null, Cancellation);

        Assert.AreEqual(2, result.Code, result.Output);
        StringAssert.StartsWith(result.Output, "error: --config is ''; allowed: a file path.");
        Assert.DoesNotContain("System.", result.Output);
    }

    [TestMethod]
    public async Task Ingest_UnknownFlag_ExitsTwoWithTheErrorAndNotTheHelp()
    {
        CliResult result = await CliProcess.RunAsync(_folder, ["ingest", "--dry-run", "--ack-dedline", "60s"], environment: null, Cancellation);

        Assert.AreEqual(2, result.Code, result.Output);
        StringAssert.Contains(result.Output, "--ack-dedline");
        Assert.DoesNotContain("Options:", result.Output, "the error, not the whole help");
    }
}
