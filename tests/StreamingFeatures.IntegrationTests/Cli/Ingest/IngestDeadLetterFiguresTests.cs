using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Google.Cloud.PubSub.V1;
using Google.Protobuf;
using Grpc.Net.Client;
using StreamingFeatures.Cli.Ingest;
using StreamingFeatures.Cli.Ingest.Local;
using StreamingFeatures.Cli.Migrate;
using StreamingFeatures.FeatureSets;

namespace StreamingFeatures.IntegrationTests.Cli.Ingest;

/// <summary>
/// A local ingest run fed good events, poison (not JSON) and events whose key is too long for Bigtable: the summary's
/// dead letters, the <c>/metrics</c> figure and the messages on the dead-letter topic are one number; the commands it
/// prints for looking at rows and dead letters work as printed and show decoded values and reasons.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed partial class IngestDeadLetterFiguresTests
{
    private const int Good = 20;
    private const int Poison = 7;
    private const int KeysTooLong = 3;

    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Cancellation => TestContext.CancellationToken;

    [TestMethod]
    public async Task Ingest_PoisonAndGraphDeadLetters_SummaryMetricsAndTopicAgreeAndPrintedCommandsShowThem()
    {
        string folder = Directory.CreateTempSubdirectory("sf-ingest-dl-").FullName;
        var table = new TargetTable(EmulatorFixture.UniqueName("ingestdl"));
        var environment = new Dictionary<string, string>
        {
            [CliProcess.BigtableHostVariable] = EmulatorFixture.Bigtable.Endpoint,
            [CliProcess.PubSubHostVariable] = EmulatorFixture.PubSub.Endpoint,
        };
        try
        {
            using CliProcess cli = CliProcess.Start(
                folder,
                ["ingest", "--local", "--publish-rate", "0", "--duration", "30s", "--http-port", "0", "--summary-interval", "2s", "--table", table.Id,
                 "--topic", EmulatorFixture.UniqueName("events"), "--subscription", EmulatorFixture.UniqueName("ingest"), "--dead-letter-topic", EmulatorFixture.UniqueName("dead")],
                environment);
            string? address = null;
            await cli.WaitUntilAsync(() => Task.FromResult((address = HealthLine().Match(cli.Output) is { Success: true } m ? m.Groups[1].Value : null) is not null), "the endpoints line", TimeSpan.FromSeconds(60), Cancellation);
            using var http = new HttpClient { BaseAddress = new Uri(address!) };
            await cli.WaitUntilAsync(async () => (await GetAsync(http, "/healthz/ready")).Code == HttpStatusCode.OK, "readiness", TimeSpan.FromSeconds(60), Cancellation);
            string topic = TopicLine().Match(cli.Output).Groups[1].Value;

            Dictionary<string, JsonObject> events = await PublishAsync(topic);
            await cli.WaitUntilAsync(async () => MetricTotal((await GetAsync(http, "/metrics")).Body) == Poison + KeysTooLong, "every dead letter in /metrics", TimeSpan.FromSeconds(30), Cancellation);
            long metric = MetricTotal((await GetAsync(http, "/metrics")).Body);
            CliResult result = await cli.WaitAsync(Cancellation, TimeSpan.FromSeconds(90));

            Assert.AreEqual(0, result.Code, result.Output);
            Match last = SummaryLine().Matches(result.Output)[^1];
            Assert.AreEqual(Poison + KeysTooLong, long.Parse(last.Groups[1].Value, CultureInfo.InvariantCulture), last.Value);
            Assert.AreEqual(Poison, long.Parse(last.Groups[2].Value, CultureInfo.InvariantCulture), last.Value);
            Assert.AreEqual(Poison + KeysTooLong, metric);

            // The printed commands, run as printed: every dead letter on the topic with its reason, then none left.
            CliResult pulled = await RunPrintedAsync(result.Output, PullLine(), folder);
            Assert.AreEqual(0, pulled.Code, pulled.Output);
            StringAssert.Contains(pulled.Output, $"{Poison + KeysTooLong} messages pulled and acked");
            Assert.AreEqual(Poison, Regex.Count(pulled.Output, "reason = Unparseable"), pulled.Output);
            Assert.AreEqual(KeysTooLong, Regex.Count(pulled.Output, "reason = KeyTooLong"), pulled.Output);
            StringAssert.Contains(pulled.Output, "original_message_id = ");
            CliResult again = await RunPrintedAsync(result.Output, PullLine(), folder);
            StringAssert.Contains(again.Output, "0 messages pulled", "the topic held exactly the dead letters the summary counted");

            CliResult rows = await RunPrintedAsync(result.Output, RowsLine(), folder);
            Assert.AreEqual(0, rows.Code, rows.Output);
            StringAssert.Contains(rows.Output, "5 rows of ");
            AssertDecoded(rows.Output, events);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Good events (distinct entities), poison and too-long keys; returns the good events by entity.</summary>
    private async Task<Dictionary<string, JsonObject>> PublishAsync(string topic)
    {
        FeatureSetOptions featureSet = SourceSpec.Sample(1).FeatureSet(IngestCommand.SampleTable);
        var synthetic = new SyntheticEvents(featureSet, 1_000_000_000, TimeProvider.System);
        var events = new Dictionary<string, JsonObject>();
        var request = new PublishRequest { Topic = topic };
        while (events.Count < Good)
        {
            PubsubMessage message = synthetic.Next();
            var json = (JsonObject)JsonNode.Parse(message.Data.ToStringUtf8())!;
            if (events.TryAdd(json[featureSet.EntityKey[0]]!.GetValue<string>(), json))
            {
                request.Messages.Add(message);
            }
        }

        for (int i = 0; i < KeysTooLong; i++)
        {
            var json = (JsonObject)JsonNode.Parse(synthetic.Next().Data.ToStringUtf8())!;
            json[featureSet.EntityKey[0]] = new string('k', 5_000) + i.ToString(CultureInfo.InvariantCulture);
            request.Messages.Add(new PubsubMessage { Data = ByteString.CopyFromUtf8(json.ToJsonString()) });
        }

        for (int i = 0; i < Poison; i++)
        {
            request.Messages.Add(new PubsubMessage { Data = ByteString.CopyFromUtf8("not json " + i.ToString(CultureInfo.InvariantCulture)) });
        }

        using GrpcChannel channel = EmulatorFixture.PubSub.CreateChannel();
        await new Publisher.PublisherClient(channel).PublishAsync(request, cancellationToken: Cancellation);
        return events;
    }

    /// <summary>Each printed row is one of the published events, its int64 features shown as numbers, not bytes.</summary>
    private static void AssertDecoded(string output, Dictionary<string, JsonObject> events)
    {
        FeatureSetOptions featureSet = SourceSpec.Sample(1).FeatureSet(IngestCommand.SampleTable);
        FeatureOptions[] int64 = [.. featureSet.Features.Where(f => f.Type == FeatureType.Int64)];
        Assert.IsNotEmpty(int64, "the sample has int64 features");
        string[] keys = [.. output.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Contains('#', StringComparison.Ordinal) && !l.StartsWith(' '))];
        Assert.HasCount(5, keys, output);
        foreach (string key in keys)
        {
            JsonObject published = events[key[(key.IndexOf('#', StringComparison.Ordinal) + 1)..]];
            foreach (FeatureOptions feature in int64)
            {
                StringAssert.Contains(output, $"{feature.Family}:{feature.ColumnQualifier} = {published[feature.SourceColumn]!.GetValue<long>()} @ ");
            }
        }
    }

    private async Task<CliResult> RunPrintedAsync(string output, Regex line, string folder)
    {
        Match printed = line.Match(output);
        Assert.IsTrue(printed.Success, output);
        string[] arguments = printed.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return await CliProcess.RunAsync(folder, arguments, environment: null, Cancellation);
    }

    /// <summary>The sum of the dead-letter counter's series in a Prometheus scrape.</summary>
    private static long MetricTotal(string scrape) => scrape.Split('\n')
        .Where(l => l.StartsWith("streamingfeatures_pubsub_dead_letters", StringComparison.Ordinal))
        .Sum(l => (long)double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));

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

    [GeneratedRegex(@"\(topic (projects/[^/\s]+/topics/[^)\s]+)\)")]
    private static partial Regex TopicLine();

    [GeneratedRegex(@"(\d+) dead letters \((\d+) poison\)")]
    private static partial Regex SummaryLine();

    [GeneratedRegex(@"read them with: streamingfeatures (emulator pull [^\r\n]+)")]
    private static partial Regex PullLine();

    [GeneratedRegex(@"Rows: streamingfeatures (emulator read-rows [^\r\n]+)")]
    private static partial Regex RowsLine();
}
