using System.Text.Json;
using Google.Cloud.PubSub.V1;
using Google.Protobuf;
using Grpc.Net.Client;
using StreamingFeatures.IntegrationTests.Cli.Install;
using StreamingFeatures.IntegrationTests.Cli.LoadTest;

namespace StreamingFeatures.IntegrationTests.Cli;

/// <summary>
/// Output for machines: redirected without <c>--log-format</c>, or with <c>--log-format json</c>, every command's
/// standard output is one JSON object per line, numbers as numbers.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class RedirectedOutputTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(2);

    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Cancellation => TestContext.CancellationToken;

    [TestMethod]
    public async Task Loadtest_RedirectedWithoutLogFormat_PrintsJsonLines()
    {
        using var workspace = LoadTestWorkspace.Create("redirected");
        workspace.Write("p.yaml", "name: it-redirected\nshape: { kind: steady, rate: 100, duration: 10s }\n");

        // Run as a pipe runs it: no --log-format (the test harness would add one for people).
        CliResult result = await BoundedProcess.RunAsync(
            "dotnet",
            [Path.Combine(AppContext.BaseDirectory, "StreamingFeatures.Cli.dll"), "loadtest", "--profile", "p.yaml", "--dry-run"],
            workspace.Directory,
            new Dictionary<string, string?> { [CliProcess.BigtableHostVariable] = EmulatorFixture.Bigtable.Endpoint },
            s_timeout,
            Cancellation);

        Assert.AreEqual(0, result.Code, result.Output);
        JsonElement plan = JsonLines(result.StandardOutput).Single().GetProperty("plan");
        Assert.AreEqual(1000, plan.GetProperty("plannedRows").GetInt64());
    }

    [TestMethod]
    public async Task EmulatorBigQuery_LogFormatJson_ListeningLineCarriesTheEndpoint()
    {
        using CliProcess cli = CliProcess.Start(Path.GetTempPath(), ["emulator", "bigquery", "--table", "projects/p/datasets/d/tables/t=synthetic:rows=10", "--log-format", "json"]);
        await cli.WaitUntilAsync(() => Task.FromResult(cli.Output.Contains("\"listening\"", StringComparison.Ordinal)), "the listening line", s_timeout, Cancellation);
        await cli.TerminateAsync(Cancellation);
        CliResult result = await cli.WaitAsync(Cancellation);

        Assert.AreEqual(0, result.Code, result.Output);
        List<JsonElement> lines = JsonLines(result.StandardOutput);
        JsonElement table = lines.Single(l => l.TryGetProperty("table", out _)).GetProperty("table");
        Assert.AreEqual("projects/p/datasets/d/tables/t", table.GetProperty("name").GetString());
        Assert.AreEqual(10, table.GetProperty("rows").GetInt64());
        JsonElement listening = lines.Single(l => l.TryGetProperty("listening", out _)).GetProperty("listening");
        StringAssert.StartsWith(listening.GetProperty("endpoint").GetString(), "127.0.0.1:");
        Assert.AreEqual(CliProcess.BigQueryHostVariable, listening.GetProperty("variable").GetString());
    }

    [TestMethod]
    public async Task EmulatorReadRows_LogFormatJson_CellsAreTypedValues()
    {
        await using var workspace = MigrationWorkspace.Create("readrowsjson");
        CliResult migrated = await workspace.RunAsync(
            ["migrate", "--local", "--table", workspace.Table.Id, "--sample-rows", "20", "--checkpoint", "none"], MigrationWorkspace.SharedEmulator, Cancellation);
        Assert.AreEqual(0, migrated.Code, migrated.Output);

        CliResult result = await workspace.RunAsync(
            ["emulator", "read-rows", "--host", EmulatorFixture.Bigtable.Endpoint, "--table", workspace.Table.Id, "--limit", "3", "--log-format", "json"], null, Cancellation);

        Assert.AreEqual(0, result.Code, result.Output);
        List<JsonElement> lines = JsonLines(result.StandardOutput);
        List<JsonElement> rows = [.. lines.Where(l => l.TryGetProperty("row", out _)).Select(l => l.GetProperty("row"))];
        Assert.HasCount(3, rows);
        JsonElement cell = rows[0].GetProperty("cells")[0];
        Assert.AreEqual(JsonValueKind.Number, cell.GetProperty("value").ValueKind, "the sample's int64 features as numbers: " + cell);
        Assert.AreEqual(0, cell.GetProperty("olderCells").GetInt32());
        Assert.AreEqual(3, lines.Single(l => l.TryGetProperty("summary", out _)).GetProperty("summary").GetProperty("rows").GetInt32());
    }

    [TestMethod]
    public async Task EmulatorPull_LogFormatJson_MessagesWithDataAndAttributes()
    {
        using GrpcChannel channel = EmulatorFixture.PubSub.CreateChannel();
        var publisher = new Publisher.PublisherClient(channel);
        var subscriber = new Subscriber.SubscriberClient(channel);
        string topic = $"projects/{EmulatorFixture.Project}/topics/{EmulatorFixture.UniqueName("pulljson")}";
        string subscription = $"projects/{EmulatorFixture.Project}/subscriptions/{EmulatorFixture.UniqueName("pulljson")}";
        await publisher.CreateTopicAsync(new Topic { Name = topic }, cancellationToken: Cancellation);
        await subscriber.CreateSubscriptionAsync(new Subscription { Name = subscription, Topic = topic }, cancellationToken: Cancellation);
        await publisher.PublishAsync(
            new PublishRequest { Topic = topic, Messages = { new PubsubMessage { Data = ByteString.CopyFromUtf8("{\"id\":1}"), Attributes = { ["reason"] = "Unparseable" } } } },
            cancellationToken: Cancellation);

        CliResult result = await CliProcess.RunAsync(
            Path.GetTempPath(), ["emulator", "pull", "--host", EmulatorFixture.PubSub.Endpoint, "--subscription", subscription, "--log-format", "json"], null, Cancellation);

        Assert.AreEqual(0, result.Code, result.Output);
        List<JsonElement> lines = JsonLines(result.StandardOutput);
        JsonElement received = lines.Single(l => l.TryGetProperty("received", out _)).GetProperty("received");
        Assert.AreEqual("{\"id\":1}", received.GetProperty("data").GetString());
        Assert.AreEqual(8, received.GetProperty("bytes").GetInt32());
        Assert.AreEqual("Unparseable", received.GetProperty("attributes").GetProperty("reason").GetString());
        Assert.AreEqual(1, lines.Single(l => l.TryGetProperty("summary", out _)).GetProperty("summary").GetProperty("pulled").GetInt32());
    }

    private static List<JsonElement> JsonLines(string output)
    {
        var lines = new List<JsonElement>();
        foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            try
            {
                using JsonDocument document = JsonDocument.Parse(line);
                lines.Add(document.RootElement.Clone());
            }
            catch (JsonException e)
            {
                Assert.Fail($"not one JSON object per line: '{line}' ({e.Message})");
            }
        }

        return lines;
    }
}
