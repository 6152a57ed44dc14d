using System.Net;
using System.Text.RegularExpressions;

namespace StreamingFeatures.IntegrationTests.Cli.Ingest;

/// <summary><c>streamingfeatures ingest</c> as a process: bad settings exit 2 before anything starts; a local run serves its endpoints, ingests and stops by itself.</summary>
[TestClass]
[TestCategory("Integration")]
public sealed partial class IngestCliTests
{
    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Cancellation => TestContext.CancellationToken;

    [TestMethod]
    public async Task Ingest_BadSettingsFromFlagsAndEnvironment_ExitsTwoNamingEachBeforeStarting()
    {
        string folder = Directory.CreateTempSubdirectory("sf-ingest-bad-").FullName;
        try
        {
            CliResult result = await CliProcess.RunAsync(
                folder,
                ["ingest", "--local", "--streams", "0", "--ack-deadline", "5s", "--http-port", "99999", "--shutdown-timeout", "never"],
                new Dictionary<string, string> { ["STREAMINGFEATURES_BATCHROWS"] = "0" },
                Cancellation);

            Assert.AreEqual(2, result.Code, result.Output);
            StringAssert.Contains(result.Output, "Streams (--streams) is '0' (flag --streams); allowed a whole number from 1 to 32");
            StringAssert.Contains(result.Output, "AckDeadline (--ack-deadline) is '5s'");
            StringAssert.Contains(result.Output, "HttpPort (--http-port) is '99999'");
            StringAssert.Contains(result.Output, "ShutdownTimeout (--shutdown-timeout) is 'never'");
            StringAssert.Contains(result.Output, "BatchRows (--batch-rows) is '0' (environment STREAMINGFEATURES_BATCHROWS)");
            Assert.DoesNotContain("Health:", result.Output, "nothing starts: no emulator, no endpoint, nothing pulled");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [TestMethod]
    public async Task Ingest_ProductionWithoutFeatureSet_ExitsTwoNamingIt()
    {
        string folder = Directory.CreateTempSubdirectory("sf-ingest-nofs-").FullName;
        try
        {
            CliResult result = await CliProcess.RunAsync(folder, ["ingest", "--project", "acme", "--instance", "i", "--subscription", "clicks"], environment: null, Cancellation);

            Assert.AreEqual(2, result.Code, result.Output);
            StringAssert.Contains(result.Output, "FeatureSet (--feature-set) is not set");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [TestMethod]
    public async Task Ingest_LocalWithPublisher_EndpointsAnswerRowsLandAndExitsZeroAfterDuration()
    {
        string folder = Directory.CreateTempSubdirectory("sf-ingest-local-").FullName;
        var table = new TargetTable(EmulatorFixture.UniqueName("ingest"));
        var environment = new Dictionary<string, string>
        {
            [CliProcess.BigtableHostVariable] = EmulatorFixture.Bigtable.Endpoint,
            ["PUBSUB_EMULATOR_HOST"] = EmulatorFixture.PubSub.Endpoint,
        };
        try
        {
            using CliProcess cli = CliProcess.Start(
                folder,
                ["ingest", "--local", "--publish-rate", "200", "--duration", "20s", "--http-port", "0", "--summary-interval", "5s", "--table", table.Id,
                 "--topic", EmulatorFixture.UniqueName("events"), "--subscription", EmulatorFixture.UniqueName("ingest"), "--dead-letter-topic", EmulatorFixture.UniqueName("dead")],
                environment);
            string? address = null;
            await cli.WaitUntilAsync(() => Task.FromResult((address = HealthLine().Match(cli.Output) is { Success: true } m ? m.Groups[1].Value : null) is not null), "the endpoints line", TimeSpan.FromSeconds(60), Cancellation);
            using var http = new HttpClient { BaseAddress = new Uri(address!) };

            // Each wait fails with the CLI's output when the process exits first.
            await cli.WaitUntilAsync(async () => (await GetAsync(http, "/healthz/live")).Code == HttpStatusCode.OK, "liveness", TimeSpan.FromSeconds(10), Cancellation);
            await cli.WaitUntilAsync(async () => (await GetAsync(http, "/healthz/ready")).Code == HttpStatusCode.OK, "readiness", TimeSpan.FromSeconds(60), Cancellation);
            await cli.WaitUntilAsync(async () => (await GetAsync(http, "/metrics")).Body.Contains("streamingfeatures_rows_written", StringComparison.Ordinal), "rows written in /metrics", TimeSpan.FromSeconds(30), Cancellation);
            CliResult result = await cli.WaitAsync(Cancellation, TimeSpan.FromSeconds(90));

            Assert.AreEqual(0, result.Code, result.Output);
            StringAssert.Contains(result.Output, "Summary:");
            Assert.IsGreaterThan(0, await table.CountRowsAsync(Cancellation), result.Output);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The status and body, or no status when the process no longer listens.</summary>
    private async Task<(HttpStatusCode? Code, string Body)> GetAsync(HttpClient http, string path)
    {
        try
        {
            using HttpResponseMessage response = await http.GetAsync(path, Cancellation);
            return (response.StatusCode, await response.Content.ReadAsStringAsync(Cancellation));
        }
        catch (HttpRequestException)
        {
            return (null, string.Empty);
        }
    }

    [GeneratedRegex(@"Health: (http://[^/\s]+)/healthz/live")]
    private static partial Regex HealthLine();
}
