using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using StreamingFeatures.IntegrationTests.Cli;
using StreamingFeatures.Sources.Synthetic;

namespace StreamingFeatures.IntegrationTests.Serve;

/// <summary><c>streamingfeatures serve</c> as a process: the printed curl answers real values, SIGTERM drains, bad flags exit 2.</summary>
[TestClass]
[TestCategory("Integration")]
public sealed partial class ServeCommandTests
{
    private const int SampleRows = 1000;

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task ServeLocal_PrintedCurl_AnswersTheSamplesRealValuesThenSigtermDrainsAndExitsZero()
    {
        string folder = Directory.CreateTempSubdirectory("serve-").FullName;
        using CliProcess serve = CliProcess.Start(folder, ["serve", "--local", "--port", "0", "--grpc-port", "0", "--sample-rows", SampleRows.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await serve.WaitUntilAsync(() => Task.FromResult(serve.Output.Contains("Ready.", StringComparison.Ordinal)), "the ready line", TimeSpan.FromMinutes(2), TestContext.CancellationToken);
        Match curl = CurlLine().Match(serve.Output);
        Assert.IsTrue(curl.Success, serve.Output);
        Assert.IsLessThan(serve.Output.IndexOf("Ready.", StringComparison.Ordinal), curl.Index, "the curl line comes before ready");
        StringAssert.Contains(serve.Output, "grpcurl -plaintext");
        using var http = new HttpClient();

        using HttpResponseMessage response = await http.PostAsync(new Uri(curl.Groups["url"].Value), new StringContent(curl.Groups["body"].Value, Encoding.UTF8, "application/json"), TestContext.CancellationToken);
        string body = await response.Content.ReadAsStringAsync(TestContext.CancellationToken);
        Match feastCurl = CurlLine().Matches(serve.Output).Single(m => m.Groups["url"].Value.EndsWith("/get-online-features", StringComparison.Ordinal));
        using HttpResponseMessage feastResponse = await http.PostAsync(new Uri(feastCurl.Groups["url"].Value), new StringContent(feastCurl.Groups["body"].Value, Encoding.UTF8, "application/json"), TestContext.CancellationToken);
        string feastBody = await feastResponse.Content.ReadAsStringAsync(TestContext.CancellationToken);
        await serve.TerminateAsync(TestContext.CancellationToken);
        CliResult stopped = await serve.WaitAsync(TestContext.CancellationToken, TimeSpan.FromSeconds(30));

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, body);
        var sample = new SyntheticSource(new SyntheticSourceOptions { Rows = SampleRows });
        using JsonDocument json = JsonDocument.Parse(body);
        JsonElement entities = json.RootElement.GetProperty("entities");
        Assert.AreEqual(2, entities.GetArrayLength(), body);
        long[] rows = [0, SampleRows - 1];
        for (int e = 0; e < rows.Length; e++)
        {
            Assert.AreEqual(SyntheticSource.EntityId(rows[e]), entities[e].GetProperty("entity").GetProperty("parts")[0].GetString());
            for (int f = 0; f < 2; f++)
            {
                JsonElement feature = entities[e].GetProperty("features")[f];
                Assert.AreEqual("PRESENT", feature.GetProperty("status").GetString(), body);
                Assert.AreEqual(sample.Int64Value(rows[e], f).ToString(System.Globalization.CultureInfo.InvariantCulture), feature.GetProperty("value").GetProperty("int64Value").GetString(), body);
            }
        }

        Assert.AreEqual(HttpStatusCode.OK, feastResponse.StatusCode, feastBody);
        using JsonDocument feast = JsonDocument.Parse(feastBody);
        JsonElement results = feast.RootElement.GetProperty("results");
        Assert.AreEqual(3, results.GetArrayLength(), "the entity column, then the two features: " + feastBody);
        for (int f = 0; f < 2; f++)
        {
            for (int e = 0; e < rows.Length; e++)
            {
                Assert.AreEqual("PRESENT", results[f + 1].GetProperty("statuses")[e].GetString(), feastBody);
                Assert.AreEqual(sample.Int64Value(rows[e], f), results[f + 1].GetProperty("values")[e].GetInt64(), feastBody);
            }
        }

        Assert.AreEqual(0, stopped.Code, stopped.Output);
        StringAssert.Contains(stopped.Output, "Stopped: every request in flight was answered.");
    }

    [TestMethod]
    public async Task Serve_BadPort_ExitsTwoWithOneLineNamingIt()
    {
        CliResult result = await CliProcess.RunAsync(Path.GetTempPath(), ["serve", "--local", "--port", "70000"], null, TestContext.CancellationToken);

        Assert.AreEqual(2, result.Code, result.Output);
        StringAssert.Contains(result.Output, "--port");
        StringAssert.Contains(result.Output, "70000");
    }

    [TestMethod]
    public async Task Serve_TwoFeatureSetsOfOneTable_ExitsTwoNamingBoth()
    {
        string folder = Directory.CreateTempSubdirectory("serve-").FullName;
        string yaml = "table: same\nentityKey: user_id\neventTime: ts\nfamilies:\n  f: {}\nfeatures:\n  - { name: i, family: f, type: int64 }\n";
        File.WriteAllText(Path.Combine(folder, "a.yaml"), yaml);
        File.WriteAllText(Path.Combine(folder, "b.yaml"), yaml);

        CliResult result = await CliProcess.RunAsync(folder, ["serve", "--feature-set", "a.yaml", "--feature-set", "b.yaml", "--dry-run"], new Dictionary<string, string> { [CliProcess.BigtableHostVariable] = "127.0.0.1:1" }, TestContext.CancellationToken);
        CliResult single = await CliProcess.RunAsync(folder, ["serve", "--feature-set", "a.yaml", "--dry-run"], new Dictionary<string, string> { [CliProcess.BigtableHostVariable] = "127.0.0.1:1" }, TestContext.CancellationToken);

        Assert.AreEqual(2, result.Code, result.Output);
        StringAssert.Contains(result.Output, "table 'same'");
        StringAssert.Contains(result.Output, "b.yaml");
        Assert.AreEqual(0, single.Code, single.Output);
        StringAssert.StartsWith(single.StandardOutput, "Dry run");
    }

    [GeneratedRegex(@"curl -s -X POST (?<url>\S+) -H 'Content-Type: application/json' -d '(?<body>[^']+)'")]
    private static partial Regex CurlLine();
}
